"""Errors a person can act on: a refusal names the thing by its code (never its id), says what
was asked and what the ledger holds, and what would be allowed. One real refusal per context,
triggered through the use cases."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

import pytest

from aggregates.appraisals.appraisal import ScoresMissing
from aggregates.appraisals.scheme import Band, SchemeDetails, SchemeTerms, Weight
from aggregates.base import CHINA_STANDARD_TIME, RuleViolation
from aggregates.duties.admission import DutyAdmissionTerms, DutyNotAdmitted, DutyStepOutOfOrder
from aggregates.linkage.case import CaseClosed, CaseReport, NotResolved
from aggregates.organisation.town import TownDetails, UnitAlreadySupervised, UnitDetails
from aggregates.pool.staffing_pool import DrawTerms, PoolDetails, PoolExhausted
from aggregates.powers.delegation import Delegation, RejectionIsFinal
from aggregates.powers.holding import HolderAlreadyEffective, PowerHolding
from aggregates.quotas.quota_ledger import LedgerDetails, PlanAboveVacancies
from aggregates.sinkdown.transfer import Person, TownConsentRequired, TransferDetails
from aggregates.territorial.duty import (
    ResponsibleParty,
    TerritorialDutyRetired,
    TerritorialDutyTerms,
    TerritorialGuidance,
)
from infra.contexts import GovernanceLedger as Ledger
from tests.unit.builders import approved, ctx, review, support, under_review

UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


def refusal(rule: type[RuleViolation], act: Callable[[], object]) -> str:
    """The message of the rule `act` is refused with; it never names an aggregate by its id."""
    with pytest.raises(rule) as refused:
        act()
    message = str(refused.value)
    assert not UUID_TEXT.search(message), message
    return message


# -- powers ------------------------------------------------------------------------------------


def test_a_power_already_held_is_named_by_the_holding_delegation_s_town_and_batch(ledger: Ledger) -> None:
    approved(ledger, "B1", "P1", "T1", on="2021-07-01")
    under_review(ledger, "B2", "P1", "T1")

    message = refusal(
        HolderAlreadyEffective,
        lambda: ledger.approve_delegation(ctx("2021-09-01"), "B2", "P1", "T1", review(), support()),
    )

    assert "approving the delegation of P1 to T1 in batch B2" in message  # what was asked
    assert "already exercised under the delegation of P1 to T1 in batch B1" in message  # who holds it
    assert message.endswith("recall or transfer that delegation first")  # what to do
    assert str(Delegation.create_id("B1", "P1", "T1")) not in message
    assert ledger.repository.get(PowerHolding.create_id("P1", "T1")).holder == Delegation.create_id(
        "B1", "P1", "T1"
    )


def test_a_rejected_delegation_says_when_and_that_a_new_one_is_filed(ledger: Ledger) -> None:
    under_review(ledger, "B1", "P1", "T1")
    ledger.reject_delegation(ctx("2021-05-03", reason="不具备承接条件"), "B1", "P1", "T1", review(False))

    message = refusal(
        RejectionIsFinal, lambda: ledger.start_admission_review(ctx(), "B1", "P1", "T1", "区联席会议")
    )

    assert message == (
        "starting the admission review of the delegation of P1 to T1 in batch B1: it was rejected on "
        "2021-05-03; a rejection is final: file a new delegation in a later batch"
    )


# -- duties ------------------------------------------------------------------------------------

DUTY_TERMS = DutyAdmissionTerms("最低生活保障申请受理", "statutory", "《社会救助暂行办法》", ("S1", "S2"))


def test_a_duty_step_out_of_order_names_the_duty_and_the_step_it_awaits(ledger: Ledger) -> None:
    ledger.apply_duty_admission(ctx(), "AN-CIVIL", "AN-SQ-05", DUTY_TERMS)

    message = refusal(
        DutyStepOutOfOrder,
        lambda: ledger.admit_duty(ctx(), "AN-CIVIL", "AN-SQ-05", "**区委、区政府", support()),
    )

    assert message == (
        "admitting AN-SQ-05 of AN-CIVIL: round 1 is applied for and awaits duty_admission.review"
    )


def test_a_refused_push_down_names_the_towns_it_can_go_to(ledger: Ledger) -> None:
    ledger.apply_duty_admission(ctx(), "AN-CIVIL", "AN-SQ-05", DUTY_TERMS)
    ledger.review_duty_admission(ctx(), "AN-CIVIL", "AN-SQ-05", review())
    ledger.admit_duty(ctx("2021-05-01"), "AN-CIVIL", "AN-SQ-05", "**区委、区政府", support())

    refused = ledger.push_down_duty(ctx("2021-05-10"), "AN-CIVIL", "AN-SQ-05", "S9")

    assert isinstance(refused, DutyNotAdmitted)
    assert str(refused) == (
        "AN-CIVIL may not push AN-SQ-05 down to S9 on 2021-05-10: admitted for S1, S2 only; it can be "
        "pushed down to S1, S2, or the admission adjusted to name S9"
    )


# -- territorial -------------------------------------------------------------------------------


def test_a_retired_territorial_duty_names_its_code_and_district_and_what_to_do(ledger: Ledger) -> None:
    terms = TerritorialDutyTerms(
        name="违法建设巡查",
        domain="自然资源规划",
        lead=ResponsibleParty("TOWN", "日常巡查，发现问题及时报告"),
        cooperating=(ResponsibleParty("JB-ZRZY", "业务指导与执法"),),
        mechanisms=("collaboration",),
        guidance=TerritorialGuidance("导则一", "范例一", "流程一"),
    )
    ledger.register_territorial_duty(ctx(), "JB", "SD-1", terms)
    ledger.retire_territorial_duty(ctx(reason="并入综合事项"), "JB", "SD-1")

    message = refusal(
        TerritorialDutyRetired,
        lambda: ledger.amend_territorial_duty(ctx(reason="调整"), "JB", "SD-1", terms),
    )

    assert "territorial duty SD-1 of JB is retired" in message
    assert message.endswith("register the duty under a new code")


# -- organisation ------------------------------------------------------------------------------


def test_a_unit_already_supervised_names_its_supervisor_and_the_release_first(ledger: Ledger) -> None:
    ledger.register_town(ctx(), "JB-CICHENG", TownDetails("慈城镇", "宁波市江北区", "town", "5+X"))
    ledger.establish_unit(ctx(), "JB-CICHENG", "DJ", UnitDetails("党建综合办公室", "office", "integrated"))
    ledger.assign_supervisor(ctx(), "JB-CICHENG", "DJ", "L-001", "张三")

    message = refusal(
        UnitAlreadySupervised,
        lambda: ledger.assign_supervisor(ctx(), "JB-CICHENG", "DJ", "L-002", "李四"),
    )

    assert message == (
        "assigning L-002 to supervise DJ of JB-CICHENG: it is supervised by L-001; release L-001 first "
        "(town.release_supervisor)"
    )
    assert "张三" not in message and "李四" not in message  # persons by their id only


# -- quotas ------------------------------------------------------------------------------------


def test_a_plan_above_the_vacancies_names_the_unit_the_year_and_how_many_can_be_planned(
    ledger: Ledger,
) -> None:
    ledger.open_quota_ledger(ctx(), "HF-BH-QZJG", "district", LedgerDetails("区机关", "合肥市包河区"))
    ledger.approve_quotas(ctx("2021-01-04"), "HF-BH-QZJG", "administrative", 10)
    ledger.occupy_quotas(ctx("2021-02-01"), "HF-BH-QZJG", "administrative", 7)

    message = refusal(
        PlanAboveVacancies,
        lambda: ledger.plan_staffing(ctx(), "HF-BH-QZJG", 2022, "administrative", 5),
    )

    assert message == (
        "planning 5 administrative for HF-BH-QZJG in 2022, which has 10 approved (7 occupied): "
        "at most 3 can be planned"
    )


# -- pool --------------------------------------------------------------------------------------


def test_an_exhausted_pool_names_the_pool_the_draw_and_how_many_can_be_drawn(ledger: Ledger) -> None:
    pool = PoolDetails("江北区事业编制周转池", "宁波市江北区", 60)
    ledger.establish_pool(ctx("2021-03-01"), "JB-POOL", pool)
    ledger.contribute_to_pool(ctx("2021-03-15"), "JB-POOL", "JB-EDU", 5)
    ledger.request_draw(
        ctx("2021-04-01"), "JB-POOL", "D1", DrawTerms("JB-CICHENG", 8, "major_task", date(2022, 12, 31))
    )

    message = refusal(PoolExhausted, lambda: ledger.approve_draw(ctx("2021-04-15"), "JB-POOL", "D1"))

    assert message == (
        "approving draw D1 of 8 quotas for JB-CICHENG from pool JB-POOL, which has 5 contributed "
        "(0 drawn): at most 5 can be drawn"
    )


# -- sinkdown ----------------------------------------------------------------------------------


def test_a_sink_down_without_the_town_s_consent_names_the_transfer_the_town_and_the_consent(
    ledger: Ledger,
) -> None:
    details = TransferDetails("AN-CG", "AN-JD-PILOT", "stationed", "**街道综合行政执法队")
    ledger.propose_sink_down(ctx(), "SD-2021-01", details, (Person("P1", "执法队员", True),))

    message = refusal(
        TownConsentRequired, lambda: ledger.make_sink_down_effective(ctx("2021-07-01"), "SD-2021-01")
    )

    assert message == (
        "making sink-down SD-2021-01 effective on 2021-07-01: AN-JD-PILOT has not consented; "
        "send sinkdown.consent first"
    )


# -- appraisals --------------------------------------------------------------------------------


def test_scores_missing_names_the_appraisal_and_the_parties_yet_to_score(ledger: Ledger) -> None:
    terms = SchemeTerms(
        "yearly",
        (Weight("town", Decimal(40)), Weight("society", Decimal(30)), Weight("department", Decimal(30))),
        (Band("excellent", Decimal(90)), Band("failing", Decimal(0))),
    )
    details = SchemeDetails("派驻机构年度考核", "stationed-agency")
    ledger.define_appraisal_scheme(ctx(), "JB-PAIZHU", details, terms)
    ledger.open_appraisal(ctx(), "JB-CICHENG-PCS", "2021", "JB-PAIZHU", "慈城派出所", "JB-CICHENG")
    ledger.score_appraisal(ctx(), "JB-CICHENG-PCS", "2021", "town", Decimal(90), "年度测评")

    message = refusal(ScoresMissing, lambda: ledger.finalise_appraisal(ctx(), "JB-CICHENG-PCS", "2021"))

    assert message == (
        "finalising the appraisal of JB-CICHENG-PCS for 2021: society, department have not scored; "
        "every weighted party scores first (appraisal.score)"
    )


# -- linkage -----------------------------------------------------------------------------------


def _reported(ledger: Ledger, *numbers: str) -> None:
    for number in numbers:
        ledger.report_case(ctx(), number, CaseReport("hotline", "T1", category="illegal-building"))


def test_closing_an_unresolved_case_names_the_case_its_state_and_the_step_before(ledger: Ledger) -> None:
    _reported(ledger, "JB-12345-0001")

    message = refusal(NotResolved, lambda: ledger.close_case(ctx(), "JB-12345-0001", "satisfied"))

    assert message == (
        "closing case JB-12345-0001: it is reported; a case is closed once its lead resolves it "
        "(case.resolve)"
    )


def test_a_merged_case_names_the_case_it_went_into(ledger: Ledger) -> None:
    _reported(ledger, "JB-12345-0001", "JB-12345-0002")
    ledger.merge_case(ctx(), "JB-12345-0002", "JB-12345-0001")
    at = ctx(effective_at=datetime(2021, 7, 1, 10, tzinfo=CHINA_STANDARD_TIME))

    message = refusal(CaseClosed, lambda: ledger.sign_for_case(at, "JB-12345-0002", "JB-ZRZY"))

    assert message == (
        "JB-ZRZY signing for case JB-12345-0002: it was merged into case JB-12345-0001; act on case "
        "JB-12345-0001 instead"
    )
