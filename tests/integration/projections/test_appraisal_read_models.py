"""The appraisal league on a real PostgreSQL: rankings, three rates, histories, missing scores."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from aggregates.appraisals.appraisal import LinkageEvidence, Result
from aggregates.appraisals.scheme import Band, SchemeDetails, SchemeTerms, Weight
from infra.bootstrap import build_ledger
from infra.contexts import GovernanceLedger as Ledger
from projections.appraisals.league import (
    AppraisalLeague,
    league_table,
    missing_scores,
    subject_history,
)
from projections.appraisals.schemes import scheme_versions
from projections.runner import ProjectionRunner
from tests.support import clerk, rebuilt_row_counts

D = Decimal
JB, T, KIND = "JB-PAIZHU", "JB-CICHENG", "stationed-agency"
BANDS = tuple(
    Band(g, D(f)) for g, f in (("excellent", "90"), ("good", "80"), ("competent", "60"), ("failing", "0"))
)
TERMS = SchemeTerms(
    "yearly",
    tuple(Weight(p, D(w)) for p, w in (("town", "40"), ("society", "30"), ("department", "30"))),
    BANDS,
)
PARTIES = ("town", "society", "department")
ctx = clerk("jb-kaohe", "考核办", "岗位对责、绩效对账", "甬北考〔2022〕1号")


def rates(metrics: str, satisfaction: str) -> LinkageEvidence:
    return LinkageEvidence("linkage", D("0.98"), D("0.95"), D("0.93"), D(satisfaction), 120, metrics)


def _appraised(
    ledger: Ledger,
    subject: str,
    name: str,
    scores: tuple[str, ...],
    town: str = T,
    period: str = "2021",
    finalise: bool = True,
) -> None:
    ledger.open_appraisal(ctx("2022-01-04"), subject, period, JB, name, town)
    for party, score in zip(PARTIES, scores):
        ledger.score_appraisal(ctx("2022-01-10"), subject, period, party, D(score), "年度测评")
    if finalise:
        ledger.finalise_appraisal(ctx("2022-01-31"), subject, period)


def _scenario(ledger: Ledger) -> None:
    ledger.define_appraisal_scheme(ctx("2021-01-01"), JB, SchemeDetails("派驻机构年度考核", KIND), TERMS)
    ledger.open_appraisal(ctx("2022-01-04"), f"{T}-PCS", "2021", JB, "慈城派出所", T)
    ledger.attach_appraisal_evidence(ctx("2022-01-05"), f"{T}-PCS", "2021", rates("m-1", "0.95"))
    ledger.attach_appraisal_evidence(ctx("2022-01-06"), f"{T}-PCS", "2021", rates("m-2", "0.972"))
    for party, score in zip(PARTIES, ("95", "93", "92")):
        ledger.score_appraisal(ctx("2022-01-10"), f"{T}-PCS", "2021", party, D(score), "年度测评")
    ledger.finalise_appraisal(ctx("2022-01-31"), f"{T}-PCS", "2021")
    ledger.apply_appraisal_result(ctx("2022-02-15"), f"{T}-PCS", "2021", Result("first", True, True))
    _appraised(ledger, f"{T}-SCJG", "慈城市场监管所", ("85", "80", "82"), finalise=False)
    ledger.correct_appraisal_score(
        ctx("2022-01-20", "漏计事例"), f"{T}-SCJG", "2021", "society", D("84"), "复核"
    )
    ledger.finalise_appraisal(ctx("2022-01-31"), f"{T}-SCJG", "2021")
    _appraised(ledger, f"{T}-ZRZY", "慈城自然资源所", ("95", "95", "95"), finalise=False)
    ledger.veto_appraisal(ctx("2022-01-25", "违法建设整治落实不力"), f"{T}-ZRZY", "2021", T)
    ledger.finalise_appraisal(ctx("2022-01-31"), f"{T}-ZRZY", "2021")
    _appraised(ledger, f"{T}-ZHZF", "慈城综合执法中队", ("88", "86"), finalise=False)
    _appraised(ledger, "JB-ZHUANGQIAO-PCS", "庄桥派出所", ("85", "84", "82"), "JB-ZHUANGQIAO")
    ledger.revise_appraisal_scheme(
        ctx("2022-06-01", "优秀档提高至92分"),
        JB,
        replace(TERMS, bands=(Band("excellent", D(92)), *BANDS[1:])),
    )
    _appraised(ledger, f"{T}-PCS", "慈城派出所", ("91", "91", "91"), period="2022")


def _runner(ledger: Ledger, page: int = 5000) -> ProjectionRunner:
    return ProjectionRunner(ledger, [AppraisalLeague()], name="appraisal_league", page=page)


def _built(database_url: str) -> Ledger:
    ledger = build_ledger(database_url)
    _scenario(ledger)
    assert _runner(ledger).catch_up() == ledger.recorder.max_notification_id()
    return ledger


def test_the_league_ranks_by_grade_then_total_with_scores_and_the_three_rates(
    database_url: str,
) -> None:
    ledger = _built(database_url)
    with ledger.recorder.datastore.transaction(commit=False) as cur:
        league = league_table(cur, "2021", KIND)
        assert [(r["rank"], r["subject"], r["total"], r["grade"], r["vetoed"]) for r in league] == [
            (1, f"{T}-PCS", D("93.50"), "excellent", False),
            (2, f"{T}-SCJG", D("83.80"), "good", False),  # 85·40 + 84·30 + 82·30 after correction
            (2, "JB-ZHUANGQIAO-PCS", D("83.80"), "good", False),  # a tie shares the rank
            (4, f"{T}-ZRZY", D("95.00"), "failing", True),  # vetoed: failing, whatever the total
        ]
        top = league[0]
        assert top["scores"] == {"town": D("95.00"), "society": D("93.00"), "department": D("92.00")}
        assert (top["response_rate"], top["resolution_rate"], top["satisfaction_rate"]) == (
            D("0.98"),
            D("0.93"),
            D("0.972"),
        )  # the latest evidence
        assert (top["bonus_tier"], top["honour"], top["promotion"]) == ("first", True, True)
        assert league[1]["satisfaction_rate"] is None  # no linkage evidence published
        assert [r["subject"] for r in league_table(cur, "2021", KIND, town="JB-ZHUANGQIAO")] == [
            "JB-ZHUANGQIAO-PCS"
        ]
        assert league_table(cur, "2021", "department") == []


def test_a_subjects_history_keeps_each_period_its_scheme_version_and_corrections(
    database_url: str,
) -> None:
    ledger = _built(database_url)
    with ledger.recorder.datastore.transaction(commit=False) as cur:
        history = subject_history(cur, f"{T}-PCS")
        assert [(h["period"], h["scheme_version"], h["total"], h["grade"], h["status"]) for h in history] == [
            ("2021", 1, D("93.50"), "excellent", "applied"),
            ("2022", 2, D("91.00"), "good", "finalised"),
        ]
        [scjg] = subject_history(cur, f"{T}-SCJG")
        assert (scjg["corrections"], scjg["scores"]["society"]) == (1, D("84.00"))
        [zrzy] = subject_history(cur, f"{T}-ZRZY")
        assert (zrzy["vetoed"], zrzy["veto_reason"]) == (True, "违法建设整治落实不力")
        versions = scheme_versions(cur, JB)
        assert [(v["version"], v["since"], v["reason"]) for v in versions] == [
            (1, date(2021, 1, 1), None),
            (2, date(2022, 6, 1), "优秀档提高至92分"),
        ]
        assert versions[0]["weights"] == "town 40 / society 30 / department 30"


def test_open_appraisals_list_the_parties_that_have_not_scored(database_url: str) -> None:
    ledger = _built(database_url)
    ledger.open_appraisal(ctx("2022-01-04"), f"{T}-SFS", "2021", JB, "慈城司法所", T)
    _runner(ledger).catch_up()
    with ledger.recorder.datastore.transaction(commit=False) as cur:
        missing = missing_scores(cur, "2021")
        assert [(m["subject"], m["party"], m["weight"]) for m in missing] == [
            (f"{T}-SFS", "town", D("40.00")),
            (f"{T}-SFS", "society", D("30.00")),
            (f"{T}-SFS", "department", D("30.00")),
            (f"{T}-ZHZF", "department", D("30.00")),
        ]
        assert missing_scores(cur, "2022") == [] and missing_scores(cur, kind="town") == []
        assert len(missing_scores(cur)) == 4


def test_a_rebuild_in_small_pages_reproduces_the_same_rows(database_url: str) -> None:
    runner = _runner(_built(database_url), page=4)
    tables = ("appraisal_schemes", "appraisals", "appraisal_scores", "appraisal_evidence")

    assert rebuilt_row_counts(runner, database_url, tables, order_by="1, 2, 3") == [2, 6, 18, 2]
