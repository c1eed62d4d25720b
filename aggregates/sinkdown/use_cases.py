"""Use cases of sink-down transfers (SPEC §4, 力量下沉) and of the enforcement baselines."""

from __future__ import annotations

from datetime import date

from aggregates.base import Context
from aggregates.command_batch import UseCases, use_case
from aggregates.sinkdown.baseline import EnforcementStaffing, check_staffing
from aggregates.sinkdown.placement import Placement
from aggregates.sinkdown.transfer import (
    Person,
    SinkDownTransfer,
    TransferAlreadyProposed,
    TransferDetails,
    TransferNotProposed,
    check_persons,
)

VALUE_TYPES: tuple[type, ...] = (TransferDetails, Person)


class SinkDownUseCases(UseCases):
    """力量下沉 — staff sunk down to towns after consulting them, adjusted, and the baselines."""

    value_types = VALUE_TYPES

    def _transfer(self, code: str) -> SinkDownTransfer:
        return self._found(
            SinkDownTransfer,
            SinkDownTransfer.create_id(code),
            lambda: TransferNotProposed(
                f"no sink-down transfer {code} was proposed: send sinkdown.propose first"
            ),
        )

    def _placement(self, person: str, ctx: Context) -> Placement:
        return self._get_or_add(
            Placement, Placement.create_id(person), lambda: Placement(person=person, ctx=ctx)
        )

    @use_case
    def propose_sink_down(
        self, ctx: Context, transfer: str, details: TransferDetails, persons: tuple[Person, ...]
    ) -> None:
        persons = tuple(persons)
        check_persons(persons)
        self._create_once(
            SinkDownTransfer,
            SinkDownTransfer.create_id(transfer),
            new=lambda: SinkDownTransfer(code=transfer, details=details, persons=persons, ctx=ctx),
            same=lambda proposed: proposed.same_filing(details, persons),
            conflict=lambda: TransferAlreadyProposed(
                f"proposing sink-down {transfer}: it was proposed with other details or persons; propose the "
                "new one under another code"
            ),
        )

    @use_case
    def consent_to_sink_down(self, ctx: Context, transfer: str) -> None:
        self._transfer(transfer).consent(ctx)

    @use_case
    def veto_sink_down(self, ctx: Context, transfer: str) -> None:
        self._transfer(transfer).veto(ctx)

    @use_case
    def make_sink_down_effective(self, ctx: Context, transfer: str) -> None:
        """Takes every person's slot, or refuses the whole transfer if one is taken."""
        sink_down, on = self._transfer(transfer), ctx.effective_on
        if sink_down.status == "effective":
            return
        sink_down.ensure_can_take_effect(on)
        slots = [self._placement(m.person.person, ctx) for m in sink_down.members]
        for slot in slots:
            slot.ensure_free(transfer, on)
        sink_down.take_effect(ctx)
        for slot in slots:
            slot.take(transfer, sink_down.details.town, on, ctx)

    @use_case
    def consult_adjustment(self, ctx: Context, transfer: str, person: str, kind: str, agreed: bool) -> None:
        self._transfer(transfer).consult_adjustment(person, kind, agreed, ctx)

    def _leave(self, ctx: Context, transfer: str, person: str, kind: str) -> None:
        self._transfer(transfer).adjust(person, kind, ctx)
        self._placement(person, ctx).release(transfer, ctx.effective_on, ctx)

    @use_case
    def recall_sunk_person(self, ctx: Context, transfer: str, person: str) -> None:
        """召回 — the department takes the person back."""
        self._leave(ctx, transfer, person, "recall")

    @use_case
    def return_sunk_person(self, ctx: Context, transfer: str, person: str) -> None:
        """退回 — the town sends the person back to the department."""
        self._leave(ctx, transfer, person, "return")

    @use_case
    def rotate_sunk_person(self, ctx: Context, transfer: str, person: str, replacement: Person) -> None:
        """轮换 — the person goes back, the replacement comes in, on the same day."""
        sink_down, on = self._transfer(transfer), ctx.effective_on
        incoming = self._placement(replacement.person, ctx)
        incoming.ensure_free(transfer, on)
        sink_down.adjust(person, "rotate", ctx, replacement)
        self._placement(person, ctx).release(transfer, on, ctx)
        incoming.take(transfer, sink_down.details.town, on, ctx)

    @use_case
    def declare_enforcement_staff(
        self, ctx: Context, unit: str, level: str, category: str | None, count: int, as_of: date
    ) -> None:
        check_staffing(unit, level, category, count)
        existing = self._get(EnforcementStaffing, EnforcementStaffing.create_id(unit))
        if existing is None:
            self._staged.add(
                EnforcementStaffing(
                    unit=unit, level=level, category=category, count=count, as_of=as_of, ctx=ctx
                )
            )
        else:
            existing.declare(level, category, count, as_of, ctx)
