"""考核: opened under a scheme version, scored by every weighted party, vetoed, finalised, applied."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from aggregates.appraisals.appraisal import (
    AlreadyVetoed,
    Appraisal,
    AppraisalAlreadyOpened,
    AppraisalFinalised,
    AppraisalNotOpened,
    EvidenceRequired,
    FailingGradeBarsRewards,
    HostTownRequired,
    InvalidEvidence,
    LinkageEvidence,
    NoScoreToCorrect,
    NotFinalised,
    PartyNotWeighted,
    Result,
    ResultAlreadyApplied,
    ScoreAlreadyGiven,
    ScoresMissing,
    UnknownBonusTier,
    VetoNotAvailable,
    VetoOnlyByTheHostTown,
)
from aggregates.appraisals.scheme import PeriodOutOfCadence, SchemeDetails, SchemeNotDefined, ScoreOutOfRange
from aggregates.base import ReasonRequired, RuleViolation
from infra.contexts import GovernanceLedger as Ledger
from tests.unit.appraisals.test_appraisal_scheme import JB, JIANGBEI, bands, defined
from tests.unit.builders import ctx, event_names, immutable, state

D = Decimal
S, P, T = "JB-CICHENG-PCS", "2021", "JB-CICHENG"  # 慈城派出所, 2021, 慈城镇
RATES = LinkageEvidence("linkage", D("0.98"), D("0.95"), D("0.93"), D("0.972"), 1400, "metrics-1")
TOP = Result("first", True, True)
NOTHING = Result("none", False, False)


def appraisal(ledger: Ledger, subject: str = S) -> Appraisal:
    return ledger.repository.get(Appraisal.create_id(subject, P))


def events(ledger: Ledger, subject: str = S) -> list[str]:
    return event_names(ledger, Appraisal.create_id(subject, P))


def opened(ledger: Ledger) -> None:
    """Given the Jiangbei scheme and the police station's 2021 appraisal opened under it."""
    defined(ledger)
    ledger.open_appraisal(ctx("2022-01-05"), S, P, JB, "慈城派出所", T)


def scored(ledger: Ledger, town: str = "89.95", society: str = "90.00", department: str = "90.05") -> None:
    """Given every weighted party has scored (by default 89.995 in all: 90.00 rounded)."""
    opened(ledger)
    for party, score in (("town", town), ("society", society), ("department", department)):
        ledger.score_appraisal(ctx("2022-01-10"), S, P, party, D(score), f"{party} 年度测评")


# -- opening under a scheme version ----------------------------------------------------------


def test_an_appraisal_keeps_the_version_it_was_opened_under(ledger: Ledger) -> None:
    opened(ledger)
    stricter = replace(JIANGBEI, bands=bands(("excellent", "95"), ("failing", "0")))
    ledger.revise_appraisal_scheme(ctx(reason="从严"), JB, stricter)
    ledger.open_appraisal(ctx(), "JB-CICHENG-SCJG", P, JB, "慈城市场监管所", T)
    ledger.open_appraisal(ctx(), "JB-CICHENG-ZRZY", P, JB, "慈城自然资源所", T, version=1)

    first, later = appraisal(ledger), appraisal(ledger, "JB-CICHENG-SCJG")
    assert (first.opening.version, first.terms) == (1, JIANGBEI)
    assert (later.opening.version, later.terms) == (2, stricter)
    assert appraisal(ledger, "JB-CICHENG-ZRZY").terms == JIANGBEI
    assert (first.opening.kind, first.opening.town, first.status) == ("stationed-agency", T, "open")


def test_an_opening_before_its_scheme_or_its_version_is_refused_for_a_retry(ledger: Ledger) -> None:
    with pytest.raises(SchemeNotDefined):
        ledger.open_appraisal(ctx(), S, P, JB, "慈城派出所", T)
    defined(ledger)
    with pytest.raises(SchemeNotDefined):
        ledger.open_appraisal(ctx(), S, P, JB, "慈城派出所", T, version=2)
    assert ledger.find(Appraisal.create_id(S, P)) is None


def test_opening_again_identically_records_nothing_and_otherwise_is_refused(ledger: Ledger) -> None:
    opened(ledger)
    ledger.open_appraisal(ctx(), S, P, JB, "慈城派出所", T)
    ledger.open_appraisal(ctx(), S, P, JB, "慈城派出所", T, version=1)

    with pytest.raises(AppraisalAlreadyOpened):
        ledger.open_appraisal(ctx(), S, P, JB, "慈城派出所", "JB-ZHUANGQIAO")
    assert events(ledger) == ["Opened"]


def test_a_stationed_subject_is_opened_with_its_host_town(ledger: Ledger) -> None:
    defined(ledger)
    with pytest.raises(HostTownRequired):
        ledger.open_appraisal(ctx(), S, P, JB, "慈城派出所")
    defined(ledger, code="JB-TOWNS", details=SchemeDetails("镇街综合考核", "town"))
    ledger.open_appraisal(ctx(), T, P, "JB-TOWNS", "慈城镇")  # a town needs none


@pytest.mark.parametrize("period", ["2021-Q4", "2021-12", "21"])
def test_the_period_follows_the_schemes_cadence(ledger: Ledger, period: str) -> None:
    defined(ledger)
    with pytest.raises(PeriodOutOfCadence):
        ledger.open_appraisal(ctx(), S, period, JB, "慈城派出所", T)


def test_nothing_happens_to_an_appraisal_never_opened(ledger: Ledger) -> None:
    defined(ledger)
    with pytest.raises(AppraisalNotOpened):
        ledger.score_appraisal(ctx(), S, P, "town", D(90), "年度测评")
    with pytest.raises(AppraisalNotOpened):
        ledger.attach_appraisal_evidence(ctx(), S, P, RATES)


# -- scores and corrections -------------------------------------------------------------------


def test_each_weighted_party_scores_with_evidence_on_the_effective_day(ledger: Ledger) -> None:
    scored(ledger)
    ledger.score_appraisal(ctx("2022-02-01"), S, P, "town", D("89.95"), "town 年度测评")  # a retry

    a = appraisal(ledger)
    assert [(s.party, s.score, s.on) for s in a.scores] == [
        ("town", D("89.95"), date(2022, 1, 10)),
        ("society", D("90.00"), date(2022, 1, 10)),
        ("department", D("90.05"), date(2022, 1, 10)),
    ]
    assert a.missing == () and events(ledger).count("Scored") == 3


def test_only_a_weighted_party_scores(ledger: Ledger) -> None:
    opened(ledger)
    with pytest.raises(PartyNotWeighted):
        ledger.score_appraisal(ctx(), S, P, "street", D(90), "街道评价")


@pytest.mark.parametrize("score", ["-0.01", "100.01", "85.555", "NaN", "Infinity"])
def test_a_score_runs_from_0_to_100_in_hundredths(ledger: Ledger, score: str) -> None:
    opened(ledger)
    with pytest.raises(ScoreOutOfRange):
        ledger.score_appraisal(ctx(), S, P, "town", D(score), "年度测评")


def test_a_score_without_evidence_is_refused(ledger: Ledger) -> None:
    opened(ledger)
    with pytest.raises(EvidenceRequired):
        ledger.score_appraisal(ctx(), S, P, "town", D(90), "  ")


def test_a_party_scores_once_and_changes_it_by_a_correction_with_a_reason(ledger: Ledger) -> None:
    scored(ledger)
    with pytest.raises(ScoreAlreadyGiven):
        ledger.score_appraisal(ctx(), S, P, "town", D(80), "复评")
    with pytest.raises(ReasonRequired):
        ledger.correct_appraisal_score(ctx(reason=None), S, P, "town", D(80), "复评")

    ledger.correct_appraisal_score(ctx("2022-01-20", reason="漏计事例"), S, P, "town", D(80), "复评")
    ledger.correct_appraisal_score(ctx(reason="重发"), S, P, "town", D(80), "复评")  # no change

    assert appraisal(ledger).score_of("town").score == D(80)
    assert events(ledger).count("ScoreCorrected") == 1
    *_, corrected = ledger.events.get(Appraisal.create_id(S, P))
    assert (corrected.ctx.reason, corrected.score.on) == ("漏计事例", date(2022, 1, 20))


def test_only_a_given_score_can_be_corrected(ledger: Ledger) -> None:
    opened(ledger)
    with pytest.raises(NoScoreToCorrect):
        ledger.correct_appraisal_score(ctx(reason="更正"), S, P, "town", D(80), "复评")


# -- linkage evidence ---------------------------------------------------------------------------


def test_linkage_figures_are_attached_as_evidence_not_as_a_score(ledger: Ledger) -> None:
    opened(ledger)
    ledger.attach_appraisal_evidence(ctx(), S, P, RATES)
    ledger.attach_appraisal_evidence(ctx(), S, P, RATES)  # the same metrics again: nothing

    a = appraisal(ledger)
    assert a.evidence == (RATES,) and a.missing == ("town", "society", "department")
    with pytest.raises(InvalidEvidence):  # one metrics message, one set of figures
        ledger.attach_appraisal_evidence(ctx(), S, P, replace(RATES, cases=1))


@pytest.mark.parametrize(
    "change",
    [
        {"source": "hotline"},
        {"satisfaction": D("1.01")},
        {"resolution": D("-0.1")},
        {"response_on_time": D("NaN")},
        {"cases": -1},
        {"metrics_message_id": " "},
    ],
)
def test_linkage_evidence_holds_fractions_and_a_case_count(change: dict[str, Any]) -> None:
    with pytest.raises(InvalidEvidence):
        replace(RATES, **change)


# -- the town's veto (反向否决权) --------------------------------------------------------------


def test_the_host_town_vetoes_once_with_a_reason_and_the_grade_fails(ledger: Ledger) -> None:
    scored(ledger)
    with pytest.raises(ReasonRequired):
        ledger.veto_appraisal(ctx(reason=" "), S, P, T)
    ledger.veto_appraisal(ctx("2022-01-15", reason="落实不力"), S, P, T)
    with pytest.raises(AlreadyVetoed):
        ledger.veto_appraisal(ctx(reason="再次否决"), S, P, T)

    ledger.finalise_appraisal(ctx(), S, P)

    a = appraisal(ledger)
    assert (a.veto.town, a.veto.reason, a.veto.on) == (T, "落实不力", date(2022, 1, 15))
    assert (a.total, a.grade) == (D("90.00"), "failing")  # the total is kept, the grade fails


def test_only_the_host_town_vetoes(ledger: Ledger) -> None:
    scored(ledger)
    with pytest.raises(VetoOnlyByTheHostTown):
        ledger.veto_appraisal(ctx(reason="落实不力"), S, P, "JB-ZHUANGQIAO")


def test_no_veto_over_a_town_or_a_department(ledger: Ledger) -> None:
    defined(ledger, code="JB-DEPTS", details=SchemeDetails("区级部门反向评价", "department"))
    ledger.open_appraisal(ctx(), "JB-GREEN", P, "JB-DEPTS", "区城市管理局", T)
    for party in ("town", "society", "department"):
        ledger.score_appraisal(ctx(), "JB-GREEN", P, party, D(70), "反向评价")
    with pytest.raises(VetoNotAvailable):
        ledger.veto_appraisal(ctx(reason="落实不力"), "JB-GREEN", P, T)


def test_no_veto_before_every_weighted_party_has_scored(ledger: Ledger) -> None:
    opened(ledger)
    ledger.score_appraisal(ctx(), S, P, "town", D(50), "年度测评")
    with pytest.raises(ScoresMissing):
        ledger.veto_appraisal(ctx(reason="落实不力"), S, P, T)


# -- finalising: exact decimal arithmetic, rounding half-up at the grade boundaries -------------


@pytest.mark.parametrize(
    "town, society, department, total, grade",
    [
        ("89.95", "90.00", "90.05", "90.00", "excellent"),  # 89.995 rounds up into 优秀
        ("89.97", "90.00", "90.02", "89.99", "good"),  # 89.994 stays below
        ("90.07", "89.82", "90.07", "90.00", "excellent"),  # 89.995 — floats make it 89.99499…
        ("59.95", "60.00", "60.05", "60.00", "competent"),  # 59.995 passes
        ("59.97", "60.00", "60.02", "59.99", "failing"),  # 59.994 fails
        ("80", "80", "80", "80.00", "good"),  # a floor belongs to its band
        ("100", "100", "100", "100.00", "excellent"),
        ("0", "0", "0", "0.00", "failing"),
    ],
)
def test_the_weighted_total_is_rounded_half_up_to_hundredths_before_banding(
    ledger: Ledger, town: str, society: str, department: str, total: str, grade: str
) -> None:
    scored(ledger, town, society, department)
    ledger.finalise_appraisal(ctx("2022-01-31"), S, P)

    a = appraisal(ledger)
    assert (a.total, str(a.total), a.grade, a.status) == (D(total), total, grade, "finalised")


def test_floats_would_have_dropped_the_boundary_case_a_grade() -> None:
    assert 0.4 * 90.07 + 0.3 * 89.82 + 0.3 * 90.07 < 89.995  # what the decimals avoid


def test_nothing_is_finalised_before_every_weighted_party_has_scored(ledger: Ledger) -> None:
    opened(ledger)
    ledger.score_appraisal(ctx(), S, P, "town", D(90), "年度测评")
    with pytest.raises(ScoresMissing):
        ledger.finalise_appraisal(ctx(), S, P)
    assert appraisal(ledger).status == "open"


def test_nothing_changes_after_finalising(ledger: Ledger) -> None:
    scored(ledger)
    ledger.finalise_appraisal(ctx(), S, P)
    ledger.finalise_appraisal(ctx(), S, P)  # a retry: nothing

    for act in (
        lambda: ledger.score_appraisal(ctx(), S, P, "town", D(1), "补录"),
        lambda: ledger.correct_appraisal_score(ctx(reason="更正"), S, P, "town", D(1), "x"),
        lambda: ledger.attach_appraisal_evidence(ctx(), S, P, RATES),
        lambda: ledger.veto_appraisal(ctx(reason="落实不力"), S, P, T),
    ):
        with pytest.raises(AppraisalFinalised):
            act()
    assert events(ledger).count("Finalised") == 1


# -- applying the result (绩效奖金, 评优, 推荐提名) -------------------------------------------------


def test_a_result_is_applied_once_to_a_finalised_appraisal(ledger: Ledger) -> None:
    scored(ledger)
    with pytest.raises(NotFinalised):
        ledger.apply_appraisal_result(ctx(), S, P, TOP)
    ledger.finalise_appraisal(ctx(), S, P)

    ledger.apply_appraisal_result(ctx("2022-03-01"), S, P, TOP)
    ledger.apply_appraisal_result(ctx(), S, P, TOP)  # a retry: nothing
    with pytest.raises(ResultAlreadyApplied):
        ledger.apply_appraisal_result(ctx(), S, P, NOTHING)

    assert (appraisal(ledger).result, appraisal(ledger).status) == (TOP, "applied")
    assert events(ledger)[-1] == "ResultApplied"


def test_no_result_before_every_weighted_party_has_scored(ledger: Ledger) -> None:
    opened(ledger)
    with pytest.raises(ScoresMissing):
        ledger.apply_appraisal_result(ctx(), S, P, NOTHING)


@pytest.mark.parametrize(
    "result", [Result("third", False, False), Result("none", True, False), Result("none", False, True)]
)
def test_a_failing_or_vetoed_appraisal_earns_no_reward(ledger: Ledger, result: Result) -> None:
    scored(ledger)
    ledger.veto_appraisal(ctx(reason="落实不力"), S, P, T)
    ledger.finalise_appraisal(ctx(), S, P)
    with pytest.raises(FailingGradeBarsRewards):
        ledger.apply_appraisal_result(ctx(), S, P, result)
    ledger.apply_appraisal_result(ctx(), S, P, NOTHING)


def test_the_bonus_tier_is_from_the_vocabulary() -> None:
    with pytest.raises(UnknownBonusTier):
        Result("double", True, True)


# -- replay and the shallow copies of a batch ------------------------------------------------


def test_replayed_state_equals_live_state_and_holds_only_immutable_values(ledger: Ledger) -> None:
    scored(ledger)
    ledger.attach_appraisal_evidence(ctx(), S, P, RATES)
    ledger.correct_appraisal_score(ctx(reason="更正"), S, P, "society", D("88.5"), "复核")
    ledger.veto_appraisal(ctx(reason="落实不力"), S, P, T)
    ledger.finalise_appraisal(ctx(), S, P)
    ledger.apply_appraisal_result(ctx(), S, P, NOTHING)

    replayed, live = appraisal(ledger), ledger.find(Appraisal.create_id(S, P))

    assert state(replayed) == state(live)
    assert all(immutable(v) for v in state(replayed).values())
    assert not immutable([1]) and not immutable((D(1), [2]))


def test_a_refused_command_in_a_batch_leaves_the_staged_appraisal_untouched(ledger: Ledger) -> None:
    opened(ledger)
    with ledger.batch() as batch:
        ledger.score_appraisal(ctx(), S, P, "town", D(90), "年度测评")
        with pytest.raises(RuleViolation):
            ledger.score_appraisal(ctx(), S, P, "society", D(101), "社会评价")
        ledger.score_appraisal(ctx(), S, P, "society", D(85), "社会评价")
        ledger.commit(batch)

    assert [(s.party, s.score) for s in appraisal(ledger).scores] == [("town", D(90)), ("society", D(85))]
