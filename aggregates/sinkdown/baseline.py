"""执法力量基数 — a unit's enforcement staff before the reform: the sink-down monitors' baseline."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from aggregates.base import Context, RuleViolation, natural_id, require_reason

if TYPE_CHECKING:
    from aggregates.base import DecoratedEvent

LEVELS = frozenset({"district", "town"})  # 区级部门 / 镇街
CATEGORIES = frozenset({"comprehensive", "other"})  # 综合执法部门 (≥ 80 %) / 其他主管部门 (≥ 50 %)


class InvalidEnforcementStaffing(RuleViolation):
    """Level or category outside the vocabulary (a district department has a category, a town
    none), or a negative count."""


class EnforcementStaffingConflict(RuleViolation):
    """A unit keeps the level and category it was first declared with."""


def check_staffing(unit: str, level: str, category: str | None, count: int) -> None:
    if level not in LEVELS or count < 0:
        raise InvalidEnforcementStaffing(
            f"declaring {count} enforcement staff of {unit} at level {level!r}: the level is one of "
            f"{sorted(LEVELS)}, the count at least 0"
        )
    if (level == "district") != (category in CATEGORIES):
        raise InvalidEnforcementStaffing(
            f"declaring the enforcement staff of {unit}, a {level} unit, with category {category!r}: a "
            f"district department has one of {sorted(CATEGORIES)}, a town none"
        )


class EnforcementStaffing(Aggregate):
    """执法力量基数 — declared once per unit; a correction states its reason."""

    @staticmethod
    def create_id(unit: str) -> UUID:
        return natural_id("enforcement-staffing", unit)

    class Declared(Aggregate.Created):
        """执法力量基数申报 — declared; `level` is "district" or "town".

        Version 1 said "department" for a district department: `upcast_v1_v2` renames it when
        a version-1 record is read (the record is not rewritten)."""

        class_version = 2
        unit: str
        level: str
        category: str | None
        count: int
        as_of: date
        ctx: Context

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["level"] = "district" if state["level"] == "department" else state["level"]

    @event(Declared)
    def __init__(
        self, unit: str, level: str, category: str | None, count: int, as_of: date, ctx: Context
    ) -> None:
        self.unit, self.level, self.category = unit, level, category
        self.count, self.as_of = count, as_of

    def declare(self, level: str, category: str | None, count: int, as_of: date, ctx: Context) -> None:
        check_staffing(self.unit, level, category, count)
        if (level, category) != (self.level, self.category):
            raise EnforcementStaffingConflict(
                f"declaring the enforcement staff of {self.unit} as a {level} ({category}): it was first "
                f"declared a {self.level} ({self.category}), which it keeps"
            )
        if (count, as_of) != (self.count, self.as_of):
            require_reason(ctx, "correcting an enforcement staff baseline")
            self._corrected(count=count, as_of=as_of, ctx=ctx)

    @event("Corrected")
    def _corrected(self, count: int, as_of: date, ctx: Context) -> None:
        self.count, self.as_of = count, as_of

    if TYPE_CHECKING:  # the event classes that the @event methods above define at class creation
        Corrected = DecoratedEvent
