"""Every event of the cadre reserve has a published contract that round-trips, names cadres by
id only, and says which tier an appointment drew from."""

from __future__ import annotations

from typing import Any, get_args

import pytest

from aggregates.reserve.appointment_rule import AppointmentRule
from aggregates.reserve.cadre_reserve import CadreReserve
from consumers.reserve import translator
from contracts.reserve import commands as c
from contracts.reserve.events import ReserveEvent
from infra.contexts import EVENTS
from infra.contexts import GovernanceLedger as Ledger
from infra.demo import reserve as demo_reserve
from tests.unit.builders import (
    applied,
    contract_classes,
    decoded,
    event_classes,
    published_by_tag,
    tags,
    with_streets,
)


def contracts_of(ledger: Ledger) -> dict[str, list[Any]]:  # the streets' own events left out
    return published_by_tag(ledger, "staffing", ReserveEvent, set(translator.INTERNAL), mixed=True)


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    messages = demo_reserve.rule_commands() + demo_reserve.demo_commands()
    streets = with_streets(demo_reserve.STREETS, demo_reserve.DISTRICT)
    return applied(*decoded(messages, c.ReserveCommand), ledger=streets)


@pytest.fixture(scope="module")
def demo(ledger: Ledger) -> dict[str, list[Any]]:
    return contracts_of(ledger)


def test_every_reserve_event_has_a_contract_and_every_contract_of_the_union_is_used() -> None:
    domain_events = event_classes(CadreReserve) | event_classes(AppointmentRule)
    assert translator.INTERNAL == {AppointmentRule.Opened} <= EVENTS.internal
    assert domain_events - translator.INTERNAL == set(translator.PUBLISHED)
    assert translator.PUBLISHED.items() <= EVENTS.families["staffing"].items()
    assert contract_classes(translator.PUBLISHED) == set(get_args(ReserveEvent))


def test_every_event_of_the_demo_maps_to_a_contract_that_round_trips(demo) -> None:
    assert set(demo) == tags(
        "reserve", "opened", "entered", "promoted", "demoted", "removed", "appointed"
    ) | {"reserve.rule_set"}
    assert [len(demo[f"reserve.{t}"]) for t in ("opened", "entered", "promoted", "appointed")] == [
        2,
        21,
        9,
        6,
    ]


def test_an_appointment_is_published_with_its_post_office_and_the_tier_it_drew_from(demo) -> None:
    appointed = {(x.payload.town, x.payload.person): x for x in demo["reserve.appointed"]}
    head = appointed["BH-WANNIANBU", "BH-WNB-C01"]
    assert (head.payload.office, head.payload.post, head.payload.tier) == ("principal", "城市管理部部长", "A")
    assert head.document_no == "包河万年埠党工〔2021〕28号"
    assert appointed["BH-WANNIANBU", "BH-WNB-C05"].payload.tier == "B"
    [rule] = demo["reserve.rule_set"]
    assert (rule.payload.district, rule.payload.principal_only_from_a) == ("BH", True)


def test_cadres_go_out_by_id_only(demo) -> None:
    persons = {x.payload.person for xs in demo.values() for x in xs if hasattr(x.payload, "person")}
    assert persons and all(p.startswith(("BH-WNB-C", "BH-CQ-C")) for p in persons)
