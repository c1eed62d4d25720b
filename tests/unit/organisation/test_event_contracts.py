"""Every event of a town's organisation has a published contract that round-trips."""

from __future__ import annotations

from typing import Any, get_args

import pytest

from aggregates.organisation.town import Town
from consumers.organisation import translator as event_contracts_organisation
from contracts.organisation import commands as c
from contracts.organisation.events import OrganisationEvent
from infra.contexts import EVENTS
from infra.demo import organisation as demo_organisation
from tests.support import JULY, mid
from tests.unit.builders import applied, contract_classes, decoded, event_classes, published_as, sent, tags

BAOHE, ANON = demo_organisation.BAOHE, demo_organisation.ANON
contracts_of = published_as("organisation", OrganisationEvent, event_contracts_organisation.INTERNAL)


@pytest.fixture(scope="module")
def demo() -> dict[str, list[Any]]:
    return contracts_of(applied(*decoded(demo_organisation.demo_commands(), c.OrganisationCommand)))


def test_every_town_event_has_a_contract_and_every_contract_of_the_union_is_used() -> None:
    m = event_contracts_organisation.PUBLISHED
    assert event_classes(Town) == set(m) and not event_contracts_organisation.INTERNAL
    assert EVENTS.families["organisation"].items() >= m.items()  # the grid's travel there too
    assert contract_classes(m) == set(get_args(OrganisationEvent))


def test_every_event_of_the_demo_maps_to_a_contract_that_round_trips(demo) -> None:
    assert set(demo) == (
        tags("town", "registered", "unit_established", "units_merged")
        | tags("town", "supervisor_assigned", "supervisor_released")
        | tags("town", "plaque_registered", "plaque_removed")
    )
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
    ledger = applied(
        sent(
            c.RegisterTown,
            "t",
            c.TownDetails(code="T1", name="试点镇", district_name="D1", kind="town", model="5+X"),
        ),
        sent(
            c.EstablishUnit,
            "u",
            c.UnitDetails(town="T1", unit="GRID", name="网格化治理中心", kind="centre", type="integrated"),
        ),
        sent(c.AbolishUnit, "a", c.UnitRef(town="T1", unit="GRID"), reason="职能并入综合信息指挥室"),
    )
    # Then the abolition names the town, the unit and the effective day
    [abolished] = contracts_of(ledger)["town.unit_abolished"]
    assert (abolished.payload.town, abolished.payload.unit, abolished.payload.on) == (
        "T1",
        "GRID",
        JULY.date(),
    )
    assert (abolished.message_id, abolished.aggregate_version) == (mid("a"), 3)
