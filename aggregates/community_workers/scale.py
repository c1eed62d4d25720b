"""岗级体系 — a district's scale of community workers' post types and pay grades (包河's 四岗十八级),
and the rule on the details of community workers' acts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from aggregates.base import Context, RuleViolation, natural_id

if TYPE_CHECKING:
    from aggregates.base import DecoratedCreated


class InvalidWorkerDetails(RuleViolation):
    """A post type not of the district's scale, a pay grade outside its grades, a batch whose
    count is not the number of workers it lists or that lists a worker twice, a method outside
    the vocabulary, a name left empty, or a figure below one."""


class ScaleAlreadyDefined(RuleViolation):
    """A district's scale is defined once: defined again with other post types, grades or step,
    it is refused."""


check = InvalidWorkerDetails.check


@dataclass(frozen=True)
class PostType:
    code: str
    name: str

    def __post_init__(self) -> None:
        check(bool(self.code.strip() and self.name.strip()), "a post type has a code and a name")


@dataclass(frozen=True)
class ScaleDetails:
    """The post types (岗), the pay grades 1..`pay_grades` (级), and the most grades one
    promotion may move (`promotion_step`, 1 unless the district allows more)."""

    post_types: tuple[PostType, ...]
    pay_grades: int
    promotion_step: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "post_types", tuple(self.post_types))  # replay hands back lists
        codes = [p.code for p in self.post_types]
        check(bool(codes) and len(set(codes)) == len(codes), f"post types {codes}: one or more, each once")
        check(
            self.pay_grades >= 1 and 1 <= self.promotion_step <= self.pay_grades,
            f"{self.pay_grades} grades, promotions of up to {self.promotion_step}: at least one grade, "
            "a step of one up to the number of grades",
        )

    def has_post(self, post_type: str) -> bool:
        return any(p.code == post_type for p in self.post_types)


class WorkerScale(Aggregate):
    """岗级体系 — one district's scale of community workers' posts and pay grades."""

    @staticmethod
    def create_id(district: str) -> UUID:
        return natural_id("worker_scale", district)

    @event("Defined")
    def __init__(self, district: str, details: ScaleDetails, on: date, ctx: Context) -> None:
        self.district, self.details = district, details

    def ensure_post(self, post_type: str, pay_grade: int) -> None:
        d = self.details
        check(
            d.has_post(post_type) and 1 <= pay_grade <= d.pay_grades,
            f"post {post_type!r} at grade {pay_grade}: {self.district}'s scale has post types "
            f"{[p.code for p in d.post_types]} and grades 1 to {d.pay_grades}",
        )

    if TYPE_CHECKING:  # the event classes that the @event methods above define at class creation
        Defined = DecoratedCreated
