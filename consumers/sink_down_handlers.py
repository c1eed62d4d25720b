"""Sink-down transfers (力量下沉): from a decoded command to its use case.

Personal data is sealed here, before any use case runs: the aggregates and their events
see the vault's token only. Without a vault the command fails rather than keep clear text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from aggregates.enforcement_staffing import EnforcementStaffing
from aggregates.placement import Placement
from aggregates.sink_down import SinkDownTransfer
from aggregates.sink_down_terms import Person, TransferDetails
from contracts import sink_down as c
from infra.privacy import VaultMissing


def sealed(app: Any, person: str, personal: c.PersonalData) -> str:
    if app.vault is None:
        raise VaultMissing(f"personal data of {person} arrived, but no vault seals it")
    fields = {"name": personal.name, "id_number": personal.id_number}
    if personal.phone is not None:
        fields["phone"] = personal.phone
    return str(app.vault.seal(person, fields))


def person_of(app: Any, p: c.Person) -> Person:
    token = None if p.personal is None else sealed(app, p.person, p.personal)
    return Person(p.person, p.post, p.enforcement, p.rank, token)


def _propose(app: Any, ctx: Any, p: c.Proposal) -> None:
    details = TransferDetails(p.department, p.town, p.mode, p.team)
    app.propose_sink_down(ctx, p.transfer, details, tuple(person_of(app, x) for x in p.persons))


HANDLERS: dict[type, Callable[..., None]] = {
    c.ProposeSinkDown: _propose,
    c.ConsentToSinkDown: lambda app, ctx, p: app.consent_to_sink_down(ctx, p.transfer),
    c.VetoSinkDown: lambda app, ctx, p: app.veto_sink_down(ctx, p.transfer),
    c.MakeSinkDownEffective: lambda app, ctx, p: app.make_sink_down_effective(ctx, p.transfer),
    c.ConsultAdjustment: lambda app, ctx, p: app.consult_adjustment(
        ctx, p.transfer, p.person, p.adjustment, p.agreed),
    c.RecallPerson: lambda app, ctx, p: app.recall_sunk_person(ctx, p.transfer, p.person),
    c.ReturnPerson: lambda app, ctx, p: app.return_sunk_person(ctx, p.transfer, p.person),
    c.RotatePerson: lambda app, ctx, p: app.rotate_sunk_person(
        ctx, p.transfer, p.person, person_of(app, p.replacement)),
    c.DeclareEnforcementStaff: lambda app, ctx, p: app.declare_enforcement_staff(
        ctx, p.unit, p.level, p.category, p.count, p.as_of),
}


def _transfer(p: Any) -> list[UUID]:
    """The transfer; making it effective also reads its persons' slots, loaded as touched."""
    return [SinkDownTransfer.create_id(p.transfer)]


def _person(p: Any) -> list[UUID]:
    return [SinkDownTransfer.create_id(p.transfer), Placement.create_id(p.person)]


TOUCHES: dict[type, Callable[[Any], list[UUID]]] = {
    **{command: _transfer for command in (
        c.ProposeSinkDown, c.ConsentToSinkDown, c.VetoSinkDown, c.MakeSinkDownEffective,
        c.ConsultAdjustment)},
    c.RecallPerson: _person,
    c.ReturnPerson: _person,
    c.RotatePerson: lambda p: [*_person(p), Placement.create_id(p.replacement.person)],
    c.DeclareEnforcementStaff: lambda p: [EnforcementStaffing.create_id(p.unit)],
}
