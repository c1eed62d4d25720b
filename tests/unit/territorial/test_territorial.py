"""属地管理: territorial duties and joint-enforcement scenarios, registered, amended, retired."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from aggregates.base import ReasonRequired
from aggregates.territorial.duty import (
    MECHANISMS,
    TOWN,
    BoundaryUndefined,
    GuidanceIncomplete,
    InvalidDutyTerms,
    LeadAlsoCooperating,
    NoMechanism,
    PartyListedTwice,
    ResponsibleParty,
    TerritorialDuty,
    TerritorialDutyAlreadyRegistered,
    TerritorialDutyNotListed,
    TerritorialDutyRetired,
    TerritorialDutyTerms,
    TerritorialGuidance,
    UnknownMechanism,
)
from aggregates.territorial.scenario import (
    InvalidScenarioTerms,
    JointEnforcementScenario,
    JointScenarioTerms,
    NoCooperatingDepartment,
    ScenarioAlreadyRegistered,
    ScenarioNotListed,
    ScenarioRetired,
)
from infra.contexts import GovernanceLedger as Ledger
from tests.unit.builders import ctx, event_names, immutable, state

STREETS = ("JB-KONGPU", "JB-BAISHA")


def party(unit: str, duty: str = "日常巡查，发现问题及时报告") -> ResponsibleParty:
    return ResponsibleParty(unit, duty)


def guidance(**overrides: str) -> TerritorialGuidance:
    fields = dict(guideline="导则第1项", example="协同配合范例1", flow="流程图1")
    return TerritorialGuidance(**{**fields, **overrides})


def duty_terms(**overrides: Any) -> TerritorialDutyTerms:
    fields: dict[str, Any] = dict(
        name="建筑工地扬尘防治",
        domain="住房建设",
        lead=party("JB-HUD", "行业监管主体责任"),
        cooperating=(party(TOWN), party("JB-ZHZF", "配合联合检查")),
        mechanisms=("collaboration", "liaison"),
        guidance=guidance(),
    )
    return TerritorialDutyTerms(**{**fields, **overrides})


def scenario_terms(**overrides: Any) -> JointScenarioTerms:
    fields: dict[str, Any] = dict(
        name="餐饮油烟扰民",
        category="cooking_fumes",
        lead="JB-ZHZF",
        cooperating=("JB-EEB", "JB-SAMR"),
        town_part="受理投诉、现场劝导",
        towns=STREETS,
    )
    return JointScenarioTerms(**{**fields, **overrides})


def duty_events(ledger: Ledger, district: str = "JB", code: str = "SD-1") -> list[str]:
    return event_names(ledger, TerritorialDuty.create_id(district, code))


def scenario_events(ledger: Ledger, code: str = "LD-1") -> list[str]:
    return event_names(ledger, JointEnforcementScenario.create_id("JB", code))


def listed(ledger: Ledger) -> None:
    """Given duty SD-1 and scenario LD-1 are on Jiangbei's lists."""
    ledger.register_territorial_duty(ctx(), "JB", "SD-1", duty_terms())
    ledger.register_joint_scenario(ctx(), "JB", "LD-1", scenario_terms())


def duty(ledger: Ledger) -> TerritorialDuty:
    return ledger.repository.get(TerritorialDuty.create_id("JB", "SD-1"))


def scenario(ledger: Ledger) -> JointEnforcementScenario:
    return ledger.repository.get(JointEnforcementScenario.create_id("JB", "LD-1"))


# -- the terms of a territorial duty ---------------------------------------------------------


def test_a_department_may_lead_with_the_town_cooperating_or_the_other_way_round() -> None:
    assert duty_terms().lead.unit == "JB-HUD"
    town_led = duty_terms(lead=party(TOWN), cooperating=(party("JB-HUD"),))
    assert town_led.lead.unit == TOWN


def test_the_lead_party_is_not_also_a_cooperating_party() -> None:
    with pytest.raises(LeadAlsoCooperating):
        duty_terms(cooperating=(party(TOWN), party("JB-HUD")))


def test_a_cooperating_party_is_listed_once() -> None:
    with pytest.raises(PartyListedTwice):
        duty_terms(cooperating=(party(TOWN), party("JB-ZHZF"), party("JB-ZHZF", "另一责任")))


@pytest.mark.parametrize(
    "lead, cooperating",
    [
        ("JB-HUD", ("JB-ZHZF",)),  # the town is no party: not a territorial duty
        ("JB-HUD", ()),
        (TOWN, ()),  # the town alone: no district department to draw a boundary with
    ],
)
def test_the_town_and_a_district_department_are_both_parties(lead: str, cooperating: tuple) -> None:
    with pytest.raises(BoundaryUndefined):
        duty_terms(lead=party(lead), cooperating=tuple(map(party, cooperating)))


def test_at_least_one_mechanism_applies() -> None:
    with pytest.raises(NoMechanism):
        duty_terms(mechanisms=())


@pytest.mark.parametrize("mechanism", ["协作", "escalation", "Collaboration", ""])
def test_only_the_seven_mechanisms_apply(mechanism: str) -> None:
    with pytest.raises(UnknownMechanism):
        duty_terms(mechanisms=("liaison", mechanism))


def test_all_seven_mechanisms_are_accepted_and_kept_once_in_canonical_order() -> None:
    assert len(MECHANISMS) == 7
    terms = duty_terms(mechanisms=tuple(reversed(MECHANISMS)) + ("liaison",))
    assert terms.mechanisms == MECHANISMS
    assert duty_terms(mechanisms=["liaison", "collaboration"]).mechanisms == ("collaboration", "liaison")


@pytest.mark.parametrize("missing", ["guideline", "example", "flow"])
def test_the_guideline_example_and_flow_are_all_referenced(missing: str) -> None:
    with pytest.raises(GuidanceIncomplete):
        guidance(**{missing: "  "})


@pytest.mark.parametrize(
    "make",
    [
        lambda: duty_terms(name=" "),
        lambda: duty_terms(domain=""),
        lambda: party("", "配合"),
        lambda: party("JB-HUD", "  "),
    ],
)
def test_a_name_domain_party_or_responsibility_is_never_empty(make: Any) -> None:
    with pytest.raises(InvalidDutyTerms):
        make()


# -- territorial duty use cases ----------------------------------------------------------------


def test_registering_a_duty_lists_it_in_its_district(ledger: Ledger) -> None:
    ledger.register_territorial_duty(ctx(), "JB", "SD-1", duty_terms())

    listed_duty = duty(ledger)
    assert (listed_duty.district, listed_duty.code, listed_duty.terms) == ("JB", "SD-1", duty_terms())
    assert (listed_duty.revision, listed_duty.retired) == (1, False)
    assert TerritorialDuty.create_id("JB", "SD-1") != TerritorialDuty.create_id("BH", "SD-1")


def test_registering_the_same_duty_twice_records_nothing(ledger: Ledger) -> None:
    ledger.register_territorial_duty(ctx(), "JB", "SD-1", duty_terms())
    ledger.register_territorial_duty(ctx(), "JB", "SD-1", duty_terms())

    assert duty_events(ledger) == ["Registered"]


def test_registering_a_taken_code_with_other_terms_is_refused(ledger: Ledger) -> None:
    ledger.register_territorial_duty(ctx(), "JB", "SD-1", duty_terms())

    with pytest.raises(TerritorialDutyAlreadyRegistered):
        ledger.register_territorial_duty(ctx(), "JB", "SD-1", duty_terms(name="另一事项"))

    ledger.register_territorial_duty(ctx(), "BH", "SD-1", duty_terms(name="另一事项"))  # own list
    assert duty(ledger).terms == duty_terms() and duty_events(ledger, "BH") == ["Registered"]


def test_amending_a_duty_replaces_its_parties_mechanisms_and_references_keeping_history(
    ledger: Ledger,
) -> None:
    listed(ledger)
    amended = duty_terms(
        cooperating=(party(TOWN), party("JB-PSB")),
        mechanisms=MECHANISMS,
        guidance=guidance(flow="流程图1（2022 年修订）"),
    )

    ledger.amend_territorial_duty(ctx(reason="清单动态调整"), "JB", "SD-1", amended)

    assert duty(ledger).terms == amended and duty(ledger).revision == 2
    history = [e.terms for e in ledger.events.get(TerritorialDuty.create_id("JB", "SD-1"))]
    assert history == [duty_terms(), amended]


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_amending_or_retiring_a_duty_needs_a_reason(ledger: Ledger, reason: str | None) -> None:
    listed(ledger)

    with pytest.raises(ReasonRequired):
        ledger.amend_territorial_duty(ctx(reason=reason), "JB", "SD-1", duty_terms(name="新名称"))
    with pytest.raises(ReasonRequired):
        ledger.retire_territorial_duty(ctx(reason=reason), "JB", "SD-1")

    assert duty_events(ledger) == ["Registered"]


def test_amending_with_unchanged_terms_records_nothing(ledger: Ledger) -> None:
    listed(ledger)

    ledger.amend_territorial_duty(ctx(reason="复核"), "JB", "SD-1", duty_terms())

    assert duty_events(ledger) == ["Registered"]


def test_a_duty_not_on_the_list_can_be_neither_amended_nor_retired(ledger: Ledger) -> None:
    listed(ledger)

    with pytest.raises(TerritorialDutyNotListed):
        ledger.amend_territorial_duty(ctx(reason="x"), "JB", "SD-9", duty_terms())
    with pytest.raises(TerritorialDutyNotListed):
        ledger.retire_territorial_duty(ctx(reason="x"), "BH", "SD-1")


def test_retiring_twice_records_one_retirement_and_a_retired_duty_is_not_amended(
    ledger: Ledger,
) -> None:
    listed(ledger)
    ledger.retire_territorial_duty(ctx(reason="事项并入"), "JB", "SD-1")
    ledger.retire_territorial_duty(ctx(reason="事项并入"), "JB", "SD-1")

    with pytest.raises(TerritorialDutyRetired):
        ledger.amend_territorial_duty(ctx(reason="恢复"), "JB", "SD-1", duty_terms(name="新名称"))

    assert duty_events(ledger) == ["Registered", "Retired"] and duty(ledger).retired


# -- the terms of a joint-enforcement scenario -----------------------------------------------


def test_a_scenario_applies_to_its_towns_or_with_none_listed_to_every_town() -> None:
    terms = scenario_terms(towns=("JB-KONGPU", "JB-BAISHA", "JB-KONGPU"))
    assert terms.towns == ("JB-BAISHA", "JB-KONGPU")  # a set, sorted
    assert terms.applies_to("JB-KONGPU") and not terms.applies_to("JB-CICHENG")
    assert scenario_terms(towns=()).applies_to("JB-CICHENG")


def test_the_lead_department_is_not_also_a_cooperating_department() -> None:
    with pytest.raises(LeadAlsoCooperating):
        scenario_terms(cooperating=("JB-EEB", "JB-ZHZF"))


def test_a_cooperating_department_is_listed_once() -> None:
    with pytest.raises(PartyListedTwice):
        scenario_terms(cooperating=("JB-EEB", "JB-EEB"))


def test_a_joint_scenario_has_at_least_one_cooperating_department() -> None:
    with pytest.raises(NoCooperatingDepartment):
        scenario_terms(cooperating=())


@pytest.mark.parametrize(
    "overrides",
    [
        {"name": ""},
        {"category": " "},
        {"lead": ""},
        {"town_part": "  "},
        {"cooperating": ("JB-EEB", "")},
        {"towns": ("JB-KONGPU", " ")},
        {"lead": TOWN},
        {"cooperating": (TOWN,)},  # the town has its part, not a department's
    ],
)
def test_a_scenario_names_everything_and_departments_are_departments(overrides: dict) -> None:
    with pytest.raises(InvalidScenarioTerms):
        scenario_terms(**overrides)


# -- joint-enforcement scenario use cases ------------------------------------------------------


def test_registering_a_scenario_lists_it_and_twice_records_nothing(ledger: Ledger) -> None:
    listed(ledger)
    ledger.register_joint_scenario(ctx(), "JB", "LD-1", scenario_terms())

    assert (scenario(ledger).terms, scenario(ledger).revision) == (scenario_terms(), 1)
    assert scenario_events(ledger) == ["Registered"]


def test_registering_a_taken_scenario_code_with_other_terms_is_refused(ledger: Ledger) -> None:
    listed(ledger)

    with pytest.raises(ScenarioAlreadyRegistered):
        ledger.register_joint_scenario(
            ctx(), "JB", "LD-1", scenario_terms(lead="JB-EEB", cooperating=("JB-ZHZF",))
        )


def test_amending_a_scenario_changes_who_dispatches_and_where(ledger: Ledger) -> None:
    listed(ledger)
    wider = scenario_terms(towns=(*STREETS, "JB-CICHENG"), cooperating=("JB-EEB",))

    ledger.amend_joint_scenario(ctx(reason="延伸至慈城镇"), "JB", "LD-1", wider)
    ledger.amend_joint_scenario(ctx(reason="复核"), "JB", "LD-1", wider)

    assert scenario(ledger).terms.applies_to("JB-CICHENG") and scenario(ledger).revision == 2
    assert scenario_events(ledger) == ["Registered", "Amended"]


@pytest.mark.parametrize("reason", [None, " "])
def test_amending_or_retiring_a_scenario_needs_a_reason(ledger: Ledger, reason: str | None) -> None:
    listed(ledger)

    with pytest.raises(ReasonRequired):
        ledger.amend_joint_scenario(ctx(reason=reason), "JB", "LD-1", scenario_terms(towns=()))
    with pytest.raises(ReasonRequired):
        ledger.retire_joint_scenario(ctx(reason=reason), "JB", "LD-1")

    assert scenario_events(ledger) == ["Registered"]


def test_a_scenario_not_on_the_list_can_be_neither_amended_nor_retired(ledger: Ledger) -> None:
    with pytest.raises(ScenarioNotListed):
        ledger.amend_joint_scenario(ctx(reason="x"), "JB", "LD-9", scenario_terms())
    with pytest.raises(ScenarioNotListed):
        ledger.retire_joint_scenario(ctx(reason="x"), "JB", "LD-9")


def test_a_retired_scenario_is_retired_once_and_not_amended(ledger: Ledger) -> None:
    listed(ledger)
    ledger.retire_joint_scenario(ctx(reason="并入违法建设联合执法"), "JB", "LD-1")
    ledger.retire_joint_scenario(ctx(reason="并入违法建设联合执法"), "JB", "LD-1")

    with pytest.raises(ScenarioRetired):
        ledger.amend_joint_scenario(ctx(reason="恢复"), "JB", "LD-1", scenario_terms(towns=()))

    assert scenario_events(ledger) == ["Registered", "Retired"] and scenario(ledger).retired


# -- replay and immutability -------------------------------------------------------------------


def test_replayed_duties_and_scenarios_equal_what_the_use_cases_saw_and_hold_tuples(
    ledger: Ledger,
) -> None:
    listed(ledger)
    ledger.amend_territorial_duty(ctx(reason="调整"), "JB", "SD-1", duty_terms(mechanisms=MECHANISMS))
    ledger.amend_joint_scenario(ctx(reason="调整"), "JB", "LD-1", scenario_terms(towns=()))
    ids = [TerritorialDuty.create_id("JB", "SD-1"), JointEnforcementScenario.create_id("JB", "LD-1")]

    for aggregate_id in ids:
        seen, replayed = ledger.find(aggregate_id), ledger.repository.get(aggregate_id)
        assert replayed is not seen and state(replayed) == state(seen)
        assert {k: v for k, v in state(replayed).items() if not immutable(v)} == {}
    assert isinstance(duty(ledger).terms.cooperating, tuple)
    assert isinstance(duty(ledger).terms.cooperating[0], ResponsibleParty)


def test_the_duty_events_carry_the_context_of_their_command(ledger: Ledger) -> None:
    context = ctx(reason="清单动态调整", document_no="甬北编〔2022〕6号")
    listed(ledger)

    ledger.amend_territorial_duty(context, "JB", "SD-1", replace(duty_terms(), name="新名称"))

    assert list(ledger.events.get(TerritorialDuty.create_id("JB", "SD-1")))[-1].ctx == context
