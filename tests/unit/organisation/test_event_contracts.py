"""Every event of a town's organisation has a published contract that round-trips."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, get_args

import msgspec
import pytest

from aggregates.organisation.town import Town
from consumers.organisation import translator as event_contracts_organisation
from contracts.organisation import commands as c
from contracts.organisation.events import OrganisationEvent
from infra.contexts import EVENTS, family_of_event, to_contract
from infra.contexts import GovernanceLedger as Ledger
from infra.demo import organisation as demo_organisation
from tests.support import ACTOR, JULY, JUNE, apply_all, mid

BAOHE, ANON = demo_organisation.BAOHE, demo_organisation.ANON


def _event_classes(aggregate: type) -> set[type]:
    return {
        v
        for v in vars(aggregate).values()
        if isinstance(v, type) and issubclass(v, aggregate.Event) and v.__name__ not in ("Event", "Created")
    }  # the library's unused defaults


def published_by_tag(ledger: Ledger, family: str, union: Any, internal: set[type]) -> dict[str, list[Any]]:
    """Every stored event in its published form, by tag; each must round-trip unchanged."""
    aggregates: dict[Any, Any] = {}
    by_tag: dict[str, list[Any]] = defaultdict(list)
    for notification in ledger.recorder.select_notifications(start=1, limit=100_000):
        event = ledger.mapper.to_domain_event(notification)
        aggregate = aggregates[event.originator_id] = event.mutate(aggregates.get(event.originator_id))
        if type(event) in internal:
            continue
        contract = to_contract(event, aggregate)
        assert family_of_event(event) == family
        assert msgspec.json.decode(msgspec.json.encode(contract), type=union) == contract
        assert contract.message_id == event.ctx.message_id
        by_tag[type(contract).__struct_config__.tag].append(contract)
    return by_tag


def applied(*commands: msgspec.Struct) -> Ledger:
    """A fresh ledger with the commands applied in order, refused ones skipped."""
    ledger = Ledger()
    apply_all(ledger, commands)
    return ledger


def contracts_of(ledger: Ledger) -> dict[str, list[Any]]:
    return published_by_tag(ledger, "organisation", OrganisationEvent, event_contracts_organisation.INTERNAL)


@pytest.fixture(scope="module")
def demo() -> dict[str, list[Any]]:
    decoder = msgspec.json.Decoder(c.OrganisationCommand)
    return contracts_of(applied(*(decoder.decode(v) for _k, v in demo_organisation.demo_commands())))


def test_every_town_event_has_a_contract_and_every_contract_of_the_union_is_used() -> None:
    m = event_contracts_organisation.PUBLISHED
    assert _event_classes(Town) == set(m) and not event_contracts_organisation.INTERNAL
    assert EVENTS.families["organisation"] == m
    assert {contract for contract, _payload in m.values()} == set(get_args(OrganisationEvent))


def test_every_event_of_the_demo_maps_to_a_contract_that_round_trips(demo) -> None:
    assert set(demo) == {
        "town.registered",
        "town.unit_established",
        "town.units_merged",
        "town.supervisor_assigned",
        "town.supervisor_released",
        "town.plaque_registered",
        "town.plaque_removed",
    }
    assert len(demo["town.registered"]) == len(demo_organisation.TOWNS)


def test_a_merger_is_published_with_its_sources_new_unit_and_day(demo) -> None:
    [merged] = demo["town.units_merged"]
    p = merged.payload
    assert (p.town, p.unit, p.units, p.name) == (
        ANON,
        "PARTY-COMMUNITY",
        ("PARTY", "COMMUNITY"),
        "党建和社区工作办公室",
    )
    assert str(p.on) == "2021-10-01" and merged.reason


def test_a_plaque_is_published_on_its_unit_or_on_the_town_and_its_removal_dated(demo) -> None:
    hung = {p.payload.plaque: p.payload.unit for p in demo["town.plaque_registered"]}
    assert hung["人民武装部"] == "ADMIN" and hung["老龄工作委员会办公室"] is None
    removed = demo["town.plaque_removed"]
    assert len(removed) == 13 and all(str(r.payload.on) == "2021-11-30" for r in removed)


def test_a_supervisor_change_is_published_as_release_then_assignment(demo) -> None:
    [released] = demo["town.supervisor_released"]
    assert (released.payload.town, released.payload.unit, released.payload.leader) == (
        BAOHE,
        "URBAN",
        f"{BAOHE}-L3",
    )
    last = [a.payload for a in demo["town.supervisor_assigned"] if a.payload.town == BAOHE][-1]
    assert (last.unit, last.leader, last.leader_name) == ("URBAN", f"{BAOHE}-L11", "班子成员11（新任）")


def test_abolishing_a_unit_is_published_with_the_town_unit_and_day() -> None:
    # Given a town with a unit, when the unit is abolished for a reason
    envelope = dict(occurred_at=JUNE, effective_at=JULY, actor=ACTOR)
    ledger = applied(
        c.RegisterTown(
            message_id=mid("t"),
            **envelope,
            payload=c.TownDetails(code="T1", name="试点镇", district="D1", kind="town", model="5+X"),
        ),
        c.EstablishUnit(
            message_id=mid("u"),
            **envelope,
            payload=c.UnitDetails(
                town="T1", unit="GRID", name="网格化治理中心", kind="centre", type="integrated"
            ),
        ),
        c.AbolishUnit(
            message_id=mid("a"),
            **envelope,
            reason="职能并入综合信息指挥室",
            payload=c.UnitRef(town="T1", unit="GRID"),
        ),
    )
    # Then the abolition names the town, the unit and the effective day
    [abolished] = contracts_of(ledger)["town.unit_abolished"]
    assert (abolished.payload.town, abolished.payload.unit, abolished.payload.on) == (
        "T1",
        "GRID",
        JULY.date(),
    )
    assert (abolished.message_id, abolished.aggregate_version) == (mid("a"), 3)
