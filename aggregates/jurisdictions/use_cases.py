"""Use cases of the levels of administration (行政层级): units registered under their parents, and
their resident population by day."""

from __future__ import annotations

from aggregates.base import Context
from aggregates.command_batch import UseCases, use_case
from aggregates.jurisdictions.jurisdiction import (
    PARENTS,
    Jurisdiction,
    JurisdictionAlreadyRegistered,
    JurisdictionDetails,
    JurisdictionNotRegistered,
    ParentNotOneLevelUp,
    ParentNotRegistered,
    TownRegisteredOtherwise,
    parent_level,
)
from aggregates.organisation.town import Town

VALUE_TYPES: tuple[type, ...] = (JurisdictionDetails,)


class JurisdictionUseCases(UseCases):
    """行政层级 — the units of administration at every level, and their residents (常住人口)."""

    value_types = VALUE_TYPES

    @use_case
    def register_jurisdiction(self, ctx: Context, code: str, details: JurisdictionDetails) -> None:
        """A unit under its registered parent, one level up (or a development zone's host)."""
        if details.parent is not None:
            level = parent_level(self._read, details.parent)
            if level is None:
                raise ParentNotRegistered(
                    f"{code}'s parent {details.parent} is not registered: register it first (or, for a "
                    "community's town, by town.register)"
                )
            ParentNotOneLevelUp.check(
                level in PARENTS[details.level],
                f"a {details.level} under the {level} {details.parent}: a {details.level}'s parent is a "
                f"{' or a '.join(PARENTS[details.level])}",
            )
        town = self._read(Town, Town.create_id(code))
        if town is not None:
            TownRegisteredOtherwise.check(
                (details.level, details.kind) == ("town", town.details.kind),
                f"{code} is registered by town.register as a {town.details.kind}, not a {details.kind}",
            )
        self._create_once(
            Jurisdiction,
            Jurisdiction.create_id(code),
            new=lambda: Jurisdiction(code=code, details=details, on=ctx.effective_on, ctx=ctx),
            same=lambda unit: unit.details == details,
            conflict=lambda: JurisdictionAlreadyRegistered(f"{code} is registered with other details"),
        )

    @use_case
    def record_residents(self, ctx: Context, code: str, residents: int) -> None:
        """常住人口 — the unit's resident population on the effective day."""
        unit = self._found(
            Jurisdiction,
            Jurisdiction.create_id(code),
            lambda: JurisdictionNotRegistered(f"no unit of administration {code} is registered"),
        )
        unit.count_residents(residents, ctx)
