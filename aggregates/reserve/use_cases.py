"""Use cases of the street cadre reserve (干部AB库, seed 004)."""

from __future__ import annotations

from aggregates.base import Context
from aggregates.command_batch import UseCases, use_case
from aggregates.jurisdictions.jurisdiction import parent_level
from aggregates.organisation.use_cases import TownNotRegistered
from aggregates.reserve.appointment_rule import DEFAULT, AppointmentRule
from aggregates.reserve.cadre_reserve import (
    Appointment,
    CadreReserve,
    ReserveAlreadyOpened,
    ReserveNotOpened,
    Selection,
)


class ReserveUseCases(UseCases):
    """干部AB库 — streets' cadre reserves (entries, promotions, removals, appointments) and
    each district's rule for principal posts."""

    value_types = (Selection, Appointment)

    def _reserve(self, town: str) -> CadreReserve:
        return self._found(
            CadreReserve,
            CadreReserve.create_id(town),
            lambda: ReserveNotOpened(f"no cadre reserve of {town} was opened"),
        )

    @use_case
    def open_reserve(self, ctx: Context, town: str, district: str) -> None:
        """A reserve of a street the ledger knows: by `town.register`, or as a jurisdiction of
        level town."""
        if parent_level(self._read, town) != "town":
            raise TownNotRegistered(
                f"{town} is not a registered street or town: register it before its reserve"
            )
        self._create_once(
            CadreReserve,
            CadreReserve.create_id(town),
            new=lambda: CadreReserve(town=town, district=district, ctx=ctx),
            same=lambda opened: opened.district == district,
            conflict=lambda: ReserveAlreadyOpened(f"the reserve of {town} was opened under another district"),
        )

    @use_case
    def enter_reserve(self, ctx: Context, town: str, person: str, selection: Selection) -> None:
        self._reserve(town).enter(person, selection, ctx)

    @use_case
    def promote_cadre(self, ctx: Context, town: str, person: str, selection: Selection) -> None:
        self._reserve(town).promote(person, selection, ctx)

    @use_case
    def demote_cadre(self, ctx: Context, town: str, person: str) -> None:
        self._reserve(town).demote(person, ctx)

    @use_case
    def remove_cadre(self, ctx: Context, town: str, person: str) -> None:
        self._reserve(town).remove(person, ctx)

    @use_case
    def appoint_cadre(self, ctx: Context, town: str, person: str, appointment: Appointment) -> None:
        """The district's rule as in force on the appointment's day decides whether a principal
        post needs tier A (the district's reserve rule travels on another partition: as the
        ledger holds it when the appointment is applied)."""
        reserve = self._reserve(town)
        rule = self._read(AppointmentRule, AppointmentRule.create_id(reserve.district))
        required = rule.principal_only_from_a_on(ctx.effective_on) if rule else DEFAULT
        reserve.appoint(person, appointment, required, ctx)

    @use_case
    def set_appointment_rule(self, ctx: Context, district: str, principal_only_from_a: bool) -> None:
        rule = self._get_or_add(
            AppointmentRule,
            AppointmentRule.create_id(district),
            lambda: AppointmentRule(district=district, ctx=ctx),
        )
        rule.set(principal_only_from_a, ctx)
