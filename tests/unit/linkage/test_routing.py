"""Routing: the town when it holds the item that day, else the department; scenarios."""

from __future__ import annotations

from datetime import date, timedelta

from consumers.linkage.routing import route, routing_key, update
from contracts.linkage import events as ev
from contracts.territorial import events as te
from infra.settings import Linkage
from tests.integration.intake.published import T0, holding, item, published, reported, scenario

CENTRES = Linkage()


def table(*events):
    entries: dict = {}
    for e in events:
        entries[routing_key(e)] = update(entries.get(routing_key(e)), e)
    return entries


def test_a_case_about_an_item_the_town_holds_that_day_goes_to_the_town():
    routes = table(item("P1", "CG"), holding("P1", "T1", date(2021, 6, 1)))
    d = route(reported("C1", "T1", item="P1"), routes["item:P1"], CENTRES)
    assert (d.tier, d.lead, d.cooperating, d.basis) == ("town", "T1", (), "delegated")
    assert "2021-06-01" in d.reference


def test_a_recalled_item_goes_to_its_department_with_the_town_cooperating():
    routes = table(
        item("P1", "CG"),
        holding("P1", "T1", date(2021, 6, 1)),
        holding("P1", "T1", date(2021, 11, 1), taken=False),
    )
    d = route(reported("C1", "T1", item="P1"), routes["item:P1"], CENTRES)
    assert (d.tier, d.lead, d.cooperating, d.basis) == ("district", "CG", ("T1",), "department")


def test_the_case_date_decides_not_the_day_of_routing():
    routes = table(item("P1", "CG"), holding("P1", "T1", date(2022, 1, 1)))
    assert route(reported("C1", "T1", item="P1"), routes["item:P1"], CENTRES).lead == "CG"
    later = reported("C2", "T1", at=T0 + timedelta(days=40), item="P1")
    assert route(later, routes["item:P1"], CENTRES).lead == "T1"


def test_another_town_holding_the_item_does_not_route_this_town_s_case_to_it():
    routes = table(item("P1", "CG"), holding("P1", "T2", date(2021, 1, 1)))
    assert route(reported("C1", "T1", item="P1"), routes["item:P1"], CENTRES).lead == "CG"


def test_an_unknown_item_goes_to_the_district_centre():
    d = route(reported("C1", "T1", item="P9"), None, CENTRES)
    assert (d.lead, d.cooperating, d.basis) == (CENTRES.district_centre, ("T1",), "unrouted")


def test_a_joint_enforcement_scenario_dispatches_to_lead_cooperating_and_the_town():
    routes = table(scenario("S1", "illegal-building", "ZJ", ("GT", "CG")))
    d = route(reported("C1", "T1", category="illegal-building"), routes["category:illegal-building"], CENTRES)
    assert (d.tier, d.lead, d.cooperating, d.basis, d.reference) == (
        "district",
        "ZJ",
        ("GT", "CG", "T1"),
        "scenario",
        "JB/S1",
    )


def test_a_scenario_for_other_towns_or_retired_leaves_the_case_to_the_town():
    routes = table(scenario("S1", "noise", "HB", ("GA",), towns=("T2",)))
    assert (
        route(reported("C1", "T1", category="noise"), routes["category:noise"], CENTRES).basis == "town_daily"
    )
    retired = published(
        te.JointScenarioRetired, te.RetiredScenario(district="JB", code="S1", category="noise"), "scenario-S1"
    )
    routes = table(scenario("S1", "noise", "HB", ("GA",)), retired)
    d = route(reported("C2", "T1", category="noise"), routes["category:noise"], CENTRES)
    assert (d.lead, d.basis) == ("T1", "town_daily")


def test_an_escalated_town_case_goes_to_the_department_and_then_to_the_city():
    routes = table(item("P1", "CG"))
    facts = reported("C1", "T1", item="P1").payload
    up = published(
        ev.CaseEscalated,
        ev.Escalated(case="C1", facts=facts, from_tier="town", to_tier="district", previous_lead="T1"),
        "C1",
    )
    d = route(up, routes["item:P1"], CENTRES)
    assert (d.tier, d.lead, d.cooperating, d.basis) == ("district", "CG", ("T1",), "escalated")
    top = published(
        ev.CaseEscalated,
        ev.Escalated(case="C1", facts=facts, from_tier="district", to_tier="city", previous_lead="CG"),
        "C1",
    )
    d = route(top, routes["item:P1"], CENTRES)
    assert (d.tier, d.lead, d.cooperating) == ("city", CENTRES.city_centre, ("CG", "T1"))


def test_a_case_sent_back_goes_where_suggested_or_up_from_the_town():
    routes = table(item("P1", "CG"))
    facts = reported("C1", "T1", item="P1").payload
    back = published(ev.CaseSentBack, ev.SentBack(case="C1", party="T1", facts=facts, tier="town"), "C1")
    assert route(back, routes["item:P1"], CENTRES).lead == "CG"
    back = published(
        ev.CaseSentBack,
        ev.SentBack(case="C1", party="CG", suggested="SW", facts=facts, tier="district"),
        "C1",
    )
    d = route(back, routes["item:P1"], CENTRES)
    assert (d.lead, d.cooperating, d.basis) == ("SW", ("T1",), "sent_back")


def test_deadlines_follow_priority_and_category():
    normal = route(reported("C1", "T1", category="litter"), None, CENTRES)
    urgent = route(reported("C2", "T1", category="litter", priority="urgent"), None, CENTRES)
    flood = route(reported("C3", "T1", category="flood"), None, CENTRES)
    assert normal.sign_for_by - T0 == timedelta(hours=2) and normal.resolve_by - T0 == timedelta(days=3)
    assert urgent.resolve_by - T0 == timedelta(days=1)
    assert flood.sign_for_by - T0 == timedelta(minutes=15)
