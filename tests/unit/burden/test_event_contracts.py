"""Every burden-reduction event has a published contract that round-trips, as the demo shows."""

from __future__ import annotations

from typing import Any, get_args

import pytest

from aggregates.burden.registry import BurdenBaseline, BurdenItem
from consumers.burden import translator
from contracts.burden.events import BurdenEvent
from infra.contexts import EVENTS, family_commands
from infra.demo import burden as demo_burden
from tests.unit.builders import applied, contract_classes, decoded, event_classes, published_as, tags

contracts_of = published_as("duties", BurdenEvent, translator.INTERNAL)


@pytest.fixture(scope="module")
def demo() -> dict[str, list[Any]]:
    return contracts_of(applied(*decoded(demo_burden.demo_commands(), family_commands("duties"))))


def test_every_burden_event_has_a_contract_and_every_contract_of_the_union_is_used() -> None:
    domain_events = event_classes(BurdenBaseline) | event_classes(BurdenItem)
    assert translator.INTERNAL == {BurdenItem.Opened}  # the item's file opening
    assert domain_events - translator.INTERNAL == set(translator.PUBLISHED)
    assert set(translator.PUBLISHED) <= set(EVENTS.families["duties"])
    assert contract_classes(translator.PUBLISHED) == set(get_args(BurdenEvent))


def test_every_event_of_the_demo_maps_to_a_contract_that_round_trips(demo) -> None:
    assert set(demo) == tags(
        "burden", "baseline_taken", "approved", "imposed", "cleared", "imposition_refused"
    )
    assert len(demo["burden.cleared"]) == 73 + sum(cleared for *_, cleared in demo_burden.LUOHE_ITEMS)


def test_an_existing_item_stands_on_no_approval_and_a_new_one_on_the_districts(demo) -> None:
    imposed = {i.payload.code: i.payload for i in demo["burden.imposed"]}
    existing = imposed["AN-ORG-KH-01"]
    assert (existing.existing, existing.approval, existing.all_towns, existing.round) == (True, None, True, 1)
    assert existing.towns == sorted(demo_burden.STREETS)
    new = imposed[demo_burden.NEW.code]
    assert new.existing is False and new.approval is not None
    assert (new.approval.approved_by, new.approval.document_no, str(new.approval.effective_on)) == (
        "**区委、区政府",
        demo_burden.AN_APPROVAL,
        "2021-10-08",
    )


def test_a_refused_imposition_is_published_with_its_towns_where_the_item_stood_and_why(demo) -> None:
    [refused] = demo["burden.imposition_refused"]
    p = refused.payload
    assert (p.department, p.code, p.towns, p.all_towns, p.status, p.rule, str(p.on)) == (
        "AN-CGJ",
        "AN-CGJ-KH-X01",
        ["AN-JD-PILOT"],
        False,
        "none",
        "ImpositionNotApproved",
        "2021-11-08",
    )
    assert "一事一报" in p.detail and refused.actor.role == "部门"


def test_a_clearance_carries_its_reason_and_document(demo) -> None:
    cleared = {c.payload.code: c for c in demo["burden.cleared"]}
    first = cleared["AN-ORG-KH-01"]
    assert "台账" in (first.reason or "") and first.document_no and str(first.payload.on) == "2021-09-01"
    [baseline] = [b for b in demo["burden.baseline_taken"] if b.payload.district == "AN"]
    assert (str(baseline.payload.on), baseline.document_no) == ("2021-06-01", demo_burden.AN_DOC)
