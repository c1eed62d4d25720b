"""The town duty list and the register of refused push-downs, on a real PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from aggregates.base import Context
from aggregates.duties.admission import DutyAdmissionTerms
from aggregates.powers.delegation import AdmissionReview, Finding, SupportPackage
from infra.bootstrap import build_ledger
from infra.contexts import GovernanceLedger as Ledger
from projections.duties.refused import RefusedPushdowns, refusals_by_department, refused_pushdowns
from projections.duties.town_list import TownDutyList, admission_statuses, town_duties, town_duty_counts
from projections.runner import ProjectionRunner
from tests.support import caught_up, rebuilt_row_counts

PASSED = AdmissionReview("区联席会议", Finding(True, "合法"), Finding(True, "合理"))
FAILED = AdmissionReview("区联席会议", Finding(True, "合法"), Finding(False, "不合理"))
SUPPORT = SupportPackage(0, Decimal("0"), 1, "区级部门业务指导")


def ctx(day: str, label: str, actor: str = "an-bianban", **extra: str) -> Context:
    at = datetime.fromisoformat(day).replace(hour=1, tzinfo=UTC)
    return Context(
        actor,
        "编办",
        "机构编制管理系统",
        f"m-{label}",
        at,
        reason="准入",
        document_no="**区委办〔2021〕18号",
        **extra,
    )


def terms(name: str, *towns: str, category: str = "statutory") -> DutyAdmissionTerms:
    return DutyAdmissionTerms(name, category, "《社会救助暂行办法》", towns)


def _admit(ledger: Ledger, dept: str, duty: str, t: DutyAdmissionTerms, day: str) -> None:
    ledger.apply_duty_admission(ctx("2021-03-01", f"apply-{duty}"), dept, duty, t)
    ledger.review_duty_admission(ctx("2021-04-01", f"review-{duty}"), dept, duty, PASSED)
    ledger.admit_duty(ctx(day, f"admit-{duty}"), dept, duty, "**区委、区政府", SUPPORT)


def _admit_sorting(ledger: Ledger) -> None:
    """D2, 垃圾分类宣传 of AN-CGJ, admitted for S1 and S2 from 2021-05-01."""
    _admit(ledger, "AN-CGJ", "D2", terms("垃圾分类宣传", "S1", "S2", category="public_service"), "2021-05-01")


def _adjust_sorting(ledger: Ledger) -> None:
    """D2 adjusted from 2022-03-01: renamed 垃圾分类宣传指导, for S2 and S3 (S1 recalled)."""
    renamed = terms("垃圾分类宣传指导", "S2", "S3", category="public_service")
    ledger.adjust_duty_admission(ctx("2022-03-01", "adjust-D2"), "AN-CGJ", "D2", renamed, SUPPORT)


def _scenario(ledger: Ledger) -> Ledger:
    """Four duties applied for: admitted, pushed down, adjusted, cancelled, rejected, and three
    push-downs refused; returns the ledger."""
    _admit(ledger, "AN-CIVIL", "D1", terms("低保申请受理", "S1", "S2"), "2021-05-01")
    _admit_sorting(ledger)
    _admit(ledger, "AN-HRSS", "D3", terms("参保登记", "S1", category="entrusted"), "2021-05-01")
    for duty, dept in (("D1", "AN-CIVIL"), ("D2", "AN-CGJ")):
        ledger.push_down_duty(ctx("2021-05-10", f"push-{duty}-S1"), dept, duty, "S1")
    _adjust_sorting(ledger)
    ledger.cancel_duty_admission(ctx("2022-03-01", "cancel-D3"), "AN-HRSS", "D3")
    ledger.apply_duty_admission(ctx("2021-03-01", "apply-D4"), "AN-HEALTH", "D4", terms("控烟", "S1"))
    ledger.review_duty_admission(ctx("2021-04-01", "reject-D4"), "AN-HEALTH", "D4", FAILED)
    # Refused: a rejected duty, a duty never applied for, a town outside the admission.
    ledger.push_down_duty(ctx("2021-10-08", "push-D4", "an-health-office"), "AN-HEALTH", "D4", "S1")
    ledger.push_down_duty(ctx("2022-04-06", "push-X1", "an-cgj-office"), "AN-CGJ", "X1", "S1")
    ledger.push_down_duty(ctx("2022-04-07", "push-D2-S1", "an-cgj-office"), "AN-CGJ", "D2", "S1")
    return ledger


def _runner(ledger: Ledger, page: int = 5000) -> ProjectionRunner:
    return ProjectionRunner(ledger, [TownDutyList(), RefusedPushdowns()], name="duties", page=page)


def test_each_town_lists_its_admitted_duties_and_marks_the_recalled_and_cancelled(database_url: str) -> None:
    ledger = _scenario(build_ledger(database_url))
    assert _runner(ledger).catch_up() == ledger.recorder.max_notification_id()

    with ledger.recorder.datastore.transaction(commit=False) as cur:
        s1 = {r["duty"]: r for r in town_duties(cur, "S1")}
        assert {d: r["status"] for d, r in s1.items()} == {
            "D1": "admitted",
            "D2": "recalled",
            "D3": "cancelled",
        }
        assert s1["D1"]["since"] == date(2021, 5, 1) and s1["D1"]["pushed_down_on"] == date(2021, 5, 10)
        assert s1["D2"]["ended_on"] == date(2022, 3, 1) and s1["D2"]["name"] == "垃圾分类宣传指导"
        assert s1["D1"]["document_no"] == "**区委办〔2021〕18号"
        assert sorted(r["duty"] for r in town_duties(cur, "S1", date(2021, 12, 1))) == ["D1", "D2", "D3"]
        assert [r["duty"] for r in town_duties(cur, "S1", date(2022, 3, 1))] == ["D1"]
        s3 = town_duties(cur, "S3")
        assert [(r["duty"], r["status"], r["since"]) for r in s3] == [("D2", "admitted", date(2022, 3, 1))]
        assert town_duties(cur, "S3", date(2022, 2, 28)) == []
        counts = {(r["town"], r["category"]): (r["admitted"], r["ended"]) for r in town_duty_counts(cur)}
        assert counts[("S1", "statutory")] == (1, 0) and counts[("S1", "public_service")] == (0, 1)
        assert counts[("S2", "public_service")] == (1, 0) and counts[("S1", "entrusted")] == (0, 1)
        statuses = {r["status"]: r["n"] for r in admission_statuses(cur)}
        assert statuses == {"admitted": 2, "cancelled": 1, "rejected": 1, "none": 1}


def test_the_refused_push_downs_name_department_duty_town_day_and_message(database_url: str) -> None:
    with caught_up(_runner(_scenario(build_ledger(database_url)))) as cur:
        rows = refused_pushdowns(cur)
        assert [(r["department"], r["duty"], r["town"], r["admission"]) for r in rows] == [
            ("AN-HEALTH", "D4", "S1", "rejected"),
            ("AN-CGJ", "X1", "S1", "none"),
            ("AN-CGJ", "D2", "S1", "admitted"),
        ]
        first = rows[0]
        assert first["attempted_on"] == date(2021, 10, 8) and first["message_id"] == "m-push-D4"
        assert first["actor"] == "an-health-office" and first["recorded_at"].tzinfo is not None
        assert [r["duty"] for r in refused_pushdowns(cur, department="AN-CGJ")] == ["X1", "D2"]
        assert [r["duty"] for r in refused_pushdowns(cur, town="S1", since=date(2022, 4, 7))] == ["D2"]
        assert refused_pushdowns(cur, until=date(2021, 10, 8)) == []
        by_department = {r["department"]: (r["attempts"], r["duties"]) for r in refusals_by_department(cur)}
        assert by_department == {"AN-CGJ": (2, 2), "AN-HEALTH": (1, 1)}


def test_a_rebuild_in_small_pages_reproduces_the_same_rows(database_url: str) -> None:
    runner = _runner(_scenario(build_ledger(database_url)), page=3)
    tables = ("duty_admissions", "admitted_duties", "refused_pushdowns")

    assert sum(rebuilt_row_counts(runner, database_url, tables)) > 10


def test_a_duty_readmitted_to_a_town_comes_back_from_the_new_day(database_url: str) -> None:
    ledger = build_ledger(database_url)
    _admit(ledger, "AN-CIVIL", "D1", terms("低保申请受理", "S1"), "2021-05-01")
    ledger.push_down_duty(ctx("2021-05-10", "push-1"), "AN-CIVIL", "D1", "S1")
    ledger.cancel_duty_admission(ctx("2022-01-01", "cancel"), "AN-CIVIL", "D1")
    ledger.apply_duty_admission(ctx("2022-02-01", "apply-2"), "AN-CIVIL", "D1", terms("低保受理", "S1"))
    ledger.review_duty_admission(ctx("2022-02-10", "review-2"), "AN-CIVIL", "D1", PASSED)
    ledger.admit_duty(ctx("2022-03-01", "admit-2"), "AN-CIVIL", "D1", "**区委、区政府", SUPPORT)

    with caught_up(_runner(ledger)) as cur:
        [row] = town_duties(cur, "S1")
        assert (row["status"], row["since"], row["ended_on"], row["pushed_down_on"], row["name"]) == (
            "admitted",
            date(2022, 3, 1),
            None,
            None,
            "低保受理",
        )
        assert town_duties(cur, "S1", date(2021, 6, 1)) == []  # the first period lives in the events
