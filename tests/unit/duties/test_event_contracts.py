"""Every duty-admission and territorial event has a published contract that round-trips."""

from __future__ import annotations

from typing import Any, Union, get_args

import pytest

from aggregates.duties.admission import DutyAdmission
from aggregates.territorial.duty import TerritorialDuty
from aggregates.territorial.scenario import JointEnforcementScenario
from consumers.burden import translator as burden_translator
from consumers.duties import translator as event_contracts_duties
from consumers.territorial import translator as territorial_translator
from contracts.duties import commands as c
from contracts.duties.events import DutyAdmissionEvent
from contracts.territorial import commands as t
from contracts.territorial import events as tout
from contracts.territorial.events import TerritorialEvent
from infra.contexts import EVENTS, family_commands
from infra.demo import duties as demo_duties
from infra.demo import territorial as demo_territorial
from tests.support import mid
from tests.unit.builders import applied, contract_classes, decoded, event_classes, published_as, sent, tags

DutyEvent = Union[DutyAdmissionEvent, TerritorialEvent]
contracts_of = published_as("duties", DutyEvent, event_contracts_duties.INTERNAL)


@pytest.fixture(scope="module")
def demo() -> dict[str, list[Any]]:
    messages = demo_duties.demo_commands() + demo_territorial.demo_commands()
    return contracts_of(applied(*decoded(messages, family_commands("duties"))))


def test_every_duty_event_has_a_contract_and_every_contract_of_the_union_is_used() -> None:
    aggregates = (DutyAdmission, TerritorialDuty, JointEnforcementScenario)
    m = {**event_contracts_duties.PUBLISHED, **territorial_translator.PUBLISHED}
    domain_events = set().union(*map(event_classes, aggregates))
    assert event_contracts_duties.INTERNAL == {DutyAdmission.Opened}  # the file's opening
    assert domain_events - event_contracts_duties.INTERNAL == set(m)
    assert EVENTS.families["duties"] == {**m, **burden_translator.PUBLISHED}  # 减负 shares the family
    assert contract_classes(m) == set(get_args(DutyEvent))


def test_every_event_of_the_demo_maps_to_a_contract_that_round_trips(demo) -> None:
    assert set(demo) == (
        tags("duty_admission", "applied", "reviewed", "rejected", "admitted", "adjusted", "cancelled")
        | tags("duty", "pushed_down", "push_down_refused")
        | tags("territorial_duty", "registered", "amended")
        | tags("joint_scenario", "registered", "amended")
    )
    assert (len(demo["territorial_duty.registered"]), len(demo["joint_scenario.registered"])) == (77, 15)


def test_a_refused_push_down_is_published_with_the_admission_it_met_and_why(demo) -> None:
    refusals = {r.payload.duty: r.payload for r in demo["duty.push_down_refused"]}
    assert {duty: r.admission for duty, r in refusals.items()} == {
        "JB-ZR-003": "rejected",
        "JB-ZR-002": "admitted",
        "AN-CGJ-X01": "none",
    }
    never = refusals["AN-CGJ-X01"]
    assert (never.department, never.town, never.rule, never.detail, str(never.on)) == (
        "AN-CGJ",
        "AN-JD-PILOT",
        "DutyNotAdmitted",
        "never applied for admission",
        "2022-04-06",
    )


def test_an_admission_is_published_with_its_towns_support_decision_and_effective_day(demo) -> None:
    admitted = next(a for a in demo["duty_admission.admitted"] if a.payload.duty == "JB-ZR-002")
    assert admitted.payload.towns == ["JB-HONGTANG", "JB-ZHUANGQIAO"]
    assert (admitted.payload.support.staff, str(admitted.payload.support.funding_yuan)) == (1, "60000")
    assert admitted.payload.decided_by == "江北区委、区政府" and admitted.document_no == demo_duties.JB_DOC
    assert str(admitted.payload.effective_on) == "2021-09-15" != str(admitted.recorded_at.date())


def test_an_adjustment_names_the_towns_it_recalled_and_a_rejection_its_reason(demo) -> None:
    [adjusted] = demo["duty_admission.adjusted"]
    assert (adjusted.payload.recalled, adjusted.payload.towns) == (
        ["AN-JD-WEST"],
        ["AN-JD-EAST", "AN-JD-PILOT"],
    )
    [rejected] = demo["duty_admission.rejected"]
    assert rejected.payload.review.reasonableness.passed is False and rejected.reason
    assert rejected.payload.review.reviewing_body == demo_duties.JB_BODY


def test_an_amended_territorial_duty_is_published_whole_with_its_next_revision(demo) -> None:
    amended = {a.payload.code: a.payload for a in demo["territorial_duty.amended"]}
    first = amended["JB-SD-001"]
    assert set(amended) == {"JB-SD-001", "JB-SD-015"}
    assert first.revision == 2 and first.cooperating[-1].unit == "JB-PSB"
    assert "dispute_negotiation" in first.mechanisms and first.guideline and first.flow
    [fumes] = demo["joint_scenario.amended"]
    assert fumes.payload.revision == 2 and "JB-CICHENG" in fumes.payload.towns


def test_a_second_application_after_a_rejection_is_published_as_round_two() -> None:
    # Given a duty rejected at review, when the department files it anew
    terms = demo_duties.SMOKING
    messages = [(key, value) for key, value in demo_duties.demo_commands() if key == terms.duty.encode()]
    filed = decoded(messages, family_commands("duties"))  # 申请, 审核 (rejected), a refused push-down
    ledger = applied(*filed, sent(c.ApplyDutyAdmission, "smoking/again", terms, reason="重新申请"))
    # Then the new application is round 2, with its own message id
    applications = contracts_of(ledger)["duty_admission.applied"]
    assert [(a.payload.round, a.message_id) for a in applications][-1] == (2, mid("smoking/again"))


def test_retiring_a_territorial_duty_and_a_scenario_is_published_by_its_list_and_code() -> None:
    # Given a listed duty and scenario, when both are retired with a reason
    duty, scenario = demo_territorial.duties()[0], demo_territorial.scenarios()[0]
    ref = lambda x: t.TerritorialRef(district=x.district, code=x.code)
    ledger = applied(
        sent(t.RegisterTerritorialDuty, "duty", duty),
        sent(t.RegisterJointScenario, "scenario", scenario),
        sent(t.RetireTerritorialDuty, "duty/retire", ref(duty), reason="并入综合执法事项"),
        sent(t.RetireJointScenario, "scenario/retire", ref(scenario), reason="并入综合执法事项"),
    )
    # Then each retirement names the list and code, and carries the reason
    by_tag = contracts_of(ledger)
    [duty_retired], [scenario_retired] = by_tag["territorial_duty.retired"], by_tag["joint_scenario.retired"]
    assert (duty_retired.payload, duty_retired.reason, duty_retired.message_id) == (
        ref(duty),
        "并入综合执法事项",
        mid("duty/retire"),
    )
    assert (scenario_retired.payload, scenario_retired.aggregate_version) == (
        tout.RetiredScenario(
            district=ref(scenario).district, code=ref(scenario).code, category=scenario.category
        ),
        2,
    )
