"""Use cases of the town organisation (SPEC §3, 大部门制)."""

from __future__ import annotations

from aggregates.base import Context, RuleViolation
from aggregates.command_batch import UseCases, use_case
from aggregates.organisation.town import Town, TownDetails, UnitDetails

VALUE_TYPES: tuple[type, ...] = (TownDetails, UnitDetails)


class TownNotRegistered(RuleViolation):
    """No town or street with that code is registered."""


class TownAlreadyRegistered(RuleViolation):
    """The town code is taken by a town with other details."""


class OrganisationUseCases(UseCases):
    """大部门制 — a town's units, the one leader supervising each, and its plaques."""

    value_types = VALUE_TYPES

    def _town(self, code: str) -> Town:
        return self._found(
            Town,
            Town.create_id(code),
            lambda: TownNotRegistered(f"town {code} is not registered: send its town.register first"),
        )

    @use_case
    def register_town(self, ctx: Context, code: str, details: TownDetails) -> None:
        self._create_once(
            Town,
            Town.create_id(code),
            new=lambda: Town(code=code, details=details, ctx=ctx),
            same=lambda town: town.details == details,
            conflict=lambda: TownAlreadyRegistered(
                f"registering town {code}: it is registered with other details; a town code is "
                "registered once, with the same details"
            ),
        )

    @use_case
    def establish_unit(self, ctx: Context, town: str, unit: str, details: UnitDetails) -> None:
        self._town(town).establish_unit(unit, details, ctx)

    @use_case
    def merge_units(
        self, ctx: Context, town: str, units: tuple[str, ...], into: str, details: UnitDetails
    ) -> None:
        self._town(town).merge_units(tuple(units), into, details, ctx)

    @use_case
    def abolish_unit(self, ctx: Context, town: str, unit: str) -> None:
        self._town(town).abolish_unit(unit, ctx)

    @use_case
    def assign_supervisor(self, ctx: Context, town: str, unit: str, leader: str, leader_name: str) -> None:
        self._town(town).assign_supervisor(unit, leader, leader_name, ctx)

    @use_case
    def release_supervisor(self, ctx: Context, town: str, unit: str, leader: str) -> None:
        self._town(town).release_supervisor(unit, leader, ctx)

    @use_case
    def register_plaque(self, ctx: Context, town: str, plaque: str, unit: str | None = None) -> None:
        self._town(town).register_plaque(plaque, unit, ctx)

    @use_case
    def remove_plaque(self, ctx: Context, town: str, plaque: str) -> None:
        self._town(town).remove_plaque(plaque, ctx)
