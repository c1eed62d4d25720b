"""案件台账 and 联动考评指标 on a real PostgreSQL: the register, each case's history, and the
counts and rates per party for a year, a month or a day (China Standard Time)."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from infra.bootstrap import build_ledger
from infra.contexts import GovernanceLedger as Ledger
from projections.linkage.cases import LinkageCases, case_history, cases
from projections.linkage.metrics import LinkageMetrics, metrics, metrics_for, period_days
from projections.runner import ProjectionRunner
from tests.support import read_models, rebuilt_row_counts
from tests.unit.linkage.test_case import (
    GHJ,
    REPORT,
    TOWN,
    ZHZF,
    assignment,
    at,
    district_dispatch,
    in_the_grid,
    when,
)

KONGPU = "JB-KONGPU"
C1, C2, C3, C4 = (f"JB-12345-000{n}" for n in range(1, 5))


def _cases(ledger: Ledger) -> None:
    """C1 goes smoothly; C2 is supervised, escalated, resolved late and closed dissatisfied
    just after midnight; C3 in another town stays open; C4, a duplicate, is merged into C2."""
    in_the_grid(ledger)  # the cell CC-07 the reports name
    ledger.report_case(when("2021-07-01 09:00"), C1, REPORT)
    ledger.dispatch_case(when("2021-07-01 10:00"), C1, assignment())
    ledger.sign_for_case(when("2021-07-01 11:00"), C1, ZHZF)
    ledger.sign_for_case(when("2021-07-01 12:00"), C1, TOWN)
    ledger.resolve_case(when("2021-07-05 16:00"), C1, TOWN, "resolved")
    ledger.close_case(when("2021-07-06 10:00"), C1, "satisfied")

    ledger.report_case(when("2021-07-10 09:00"), C2, REPORT)
    ledger.dispatch_case(
        when("2021-07-10 10:00"),
        C2,
        assignment(sign_for_by="2021-07-11 10:00", resolve_by="2021-07-17 18:00"),
    )
    ledger.supervise_case(when("2021-07-11 11:00"), C2, "sign_for", at("2021-07-11 10:00"))
    ledger.escalate_case(when("2021-07-11 12:00", reason="涉及规划审批"), C2)
    ledger.dispatch_case(
        when("2021-07-11 13:00"),
        C2,
        district_dispatch("2021-07-12 13:00", "escalated", resolve_by="2021-07-31 18:00"),
    )
    ledger.sign_for_case(when("2021-07-12 09:00"), C2, TOWN)
    ledger.report_in_to_case(when("2021-07-12 10:00"), C2, TOWN, "镇执法中队到场")
    ledger.sign_for_case(when("2021-07-12 14:00"), C2, GHJ)
    ledger.resolve_case(when("2021-07-31 23:30"), C2, GHJ, "explained", "历史遗留，已解释")
    ledger.close_case(when("2021-08-01 00:30"), C2, "dissatisfied")

    ledger.report_case(when("2021-07-10 09:30"), C4, REPORT)
    ledger.merge_case(when("2021-07-10 09:40"), C4, C2)

    ledger.report_case(when("2021-07-20 09:00"), C3, REPORT.__class__("grid", KONGPU, item="P1"))
    ledger.dispatch_case(
        when("2021-07-20 10:00"),
        C3,
        assignment(lead=KONGPU, sign_for_by="2021-07-21 10:00", resolve_by="2021-07-27 18:00"),
    )
    ledger.sign_for_case(when("2021-07-20 11:00"), C3, ZHZF)


def _projected(database_url: str) -> AbstractContextManager[Any]:
    """A cursor on the read models, caught up with the cases."""
    ledger = build_ledger(database_url)
    _cases(ledger)
    return read_models(ledger)


def test_the_register_shows_each_case_as_it_stands(database_url: str) -> None:
    with _projected(database_url) as cur:
        rows = {row["number"]: row for row in cases(cur)}
        assert list(rows) == [C1, C2, C4, C3]  # oldest report first
        one, two = rows[C1], rows[C2]
        assert {
            k: one[k]
            for k in (
                "town",
                "source",
                "category",
                "tier",
                "status",
                "lead",
                "cooperating",
                "basis",
                "round",
                "outcome",
                "satisfaction",
                "supervisions",
                "escalations",
            )
        } == {
            "town": TOWN,
            "source": "hotline",
            "category": "illegal-building",
            "tier": "town",
            "status": "closed",
            "lead": TOWN,
            "cooperating": [ZHZF],
            "basis": "town_daily",
            "round": 1,
            "outcome": "resolved",
            "satisfaction": "satisfied",
            "supervisions": 0,
            "escalations": 0,
        }
        assert (one["signed_at"], one["resolved_at"], one["closed_at"], one["reported_at"]) == (
            at("2021-07-01 12:00"),
            at("2021-07-05 16:00"),
            at("2021-07-06 10:00"),
            at("2021-07-01 09:00"),
        )
        assert (
            two["tier"],
            two["lead"],
            two["cooperating"],
            two["round"],
            two["signed_at"],
            two["resolve_by"],
            two["supervisions"],
            two["escalations"],
            two["outcome"],
        ) == ("district", GHJ, [TOWN], 2, at("2021-07-12 14:00"), at("2021-07-31 18:00"), 1, 1, "explained")
        assert (rows[C4]["status"], rows[C4]["merged_into"], rows[C4]["lead"]) == ("merged", C2, None)


def test_the_register_is_filtered_by_town_by_party_and_to_open_cases(database_url: str) -> None:
    with _projected(database_url) as cur:
        assert [r["number"] for r in cases(cur, town=KONGPU)] == [C3]
        assert [r["number"] for r in cases(cur, party=ZHZF)] == [C1, C3]  # cooperating
        assert [r["number"] for r in cases(cur, party=GHJ)] == [C2]  # leading since escalated
        assert [(r["number"], r["status"]) for r in cases(cur, open_only=True)] == [(C3, "dispatched")]
        assert cases(cur, town=TOWN, open_only=True) == []


def test_a_case_history_lists_its_events_in_order_with_who_and_why(database_url: str) -> None:
    with _projected(database_url) as cur:
        history = case_history(cur, C2)
        assert [(h["event"], h["party"]) for h in history] == [
            ("reported", None),
            ("dispatched", None),
            ("supervised", None),
            ("escalated", None),
            ("dispatched", None),
            ("signed_for", TOWN),
            ("reported_in", TOWN),
            ("signed_for", GHJ),
            ("resolved", GHJ),
            ("closed", None),
        ]
        escalated = history[3]
        assert (escalated["reason"], escalated["effective_at"]) == ("涉及规划审批", at("2021-07-11 12:00"))
        assert "to_tier district" in escalated["detail"] and TOWN in escalated["detail"]
        assert "parties JB-CICHENG,JB-ZHZF" in history[2]["detail"]
        assert "on_time False" in history[7]["detail"] and history[0]["actor"] == "zhang.san"
        assert case_history(cur, "NOPE") == []


def _row(cur: Any, party: str, period: str) -> dict[str, Any]:
    found = metrics_for(cur, party, period)
    assert found is not None, f"nothing counted for {party} in {period}"
    return found


def test_the_metrics_count_each_party_s_acts_and_rate_them_for_a_month(database_url: str) -> None:
    with _projected(database_url) as cur:
        july = {row["party"]: row for row in metrics(cur, "2021-07")}
        assert list(july) == sorted([GHJ, KONGPU, TOWN, ZHZF])
        town = july[TOWN]  # lead of C1 and C2's first round, cooperating in C2's second
        assert {
            k: town[k]
            for k in (
                "dispatched",
                "signed",
                "signed_on_time",
                "resolved",
                "resolved_on_time",
                "solved",
                "closed",
                "satisfied",
                "supervised",
                "escalated",
            )
        } == {
            "dispatched": 3,
            "signed": 2,
            "signed_on_time": 2,
            "resolved": 1,
            "resolved_on_time": 1,
            "solved": 1,
            "closed": 1,
            "satisfied": 1,
            "supervised": 1,
            "escalated": 1,
        }
        assert (town["response"], town["satisfaction"]) == (Decimal("1.0000"), Decimal("1.0000"))
        ghj = july[GHJ]  # signed late, resolved late by an explanation; closed in August
        assert (ghj["signed"], ghj["signed_on_time"], ghj["resolved"], ghj["solved"], ghj["closed"]) == (
            1,
            0,
            1,
            0,
            0,
        )
        assert (ghj["response"], ghj["on_time_resolution"], ghj["resolution"], ghj["satisfaction"]) == (
            Decimal("0.0000"),
            Decimal("0.0000"),
            Decimal("0.0000"),
            None,
        )
        assert (july[ZHZF]["dispatched"], july[ZHZF]["supervised"]) == (3, 1)
        assert july[KONGPU]["response"] is None  # dispatched, not yet signed for


def test_the_day_is_the_china_standard_time_day_of_the_act(database_url: str) -> None:
    with _projected(database_url) as cur:
        # resolved 23:30 on 31 July and closed 00:30 on 1 August, both CST (both 31 July UTC)
        assert _row(cur, GHJ, "2021-07-31")["resolved"] == 1
        august = _row(cur, GHJ, "2021-08-01")
        assert (august["closed"], august["dissatisfied"], august["satisfaction"]) == (1, 1, Decimal("0.0000"))
        assert [r["party"] for r in metrics(cur, "2021-08")] == [GHJ]
        year = _row(cur, GHJ, "2021")
        assert (year["resolved"], year["closed"], year["dispatched"]) == (1, 1, 1)
        assert metrics_for(cur, GHJ, "2021-06") is None and metrics(cur, "2022") == []


@pytest.mark.parametrize(
    "period, days",
    [
        ("2021", (date(2021, 1, 1), date(2021, 12, 31))),
        ("2021-12", (date(2021, 12, 1), date(2021, 12, 31))),
        ("2021-02", (date(2021, 2, 1), date(2021, 2, 28))),
        ("2024-02", (date(2024, 2, 1), date(2024, 2, 29))),
        ("2021-12-31", (date(2021, 12, 31), date(2021, 12, 31))),
        ("9999-12", (date(9999, 12, 1), date(9999, 12, 31))),  # the calendar's last month
        ("0001", (date(1, 1, 1), date(1, 12, 31))),
    ],
)
def test_a_period_is_a_year_a_month_or_a_day_from_its_first_to_its_last_day(
    period: str, days: tuple[date, date]
) -> None:
    assert period_days(period) == days


@pytest.mark.parametrize("period", ["21", "2021-1", "2021/12", "2021-13", "2021-02-30", "0000", "10000"])
def test_anything_else_is_not_a_period(period: str) -> None:
    with pytest.raises(ValueError):
        period_days(period)


def test_a_rebuild_in_small_pages_reproduces_the_same_rows(database_url: str) -> None:
    ledger = build_ledger(database_url)
    _cases(ledger)
    runner = ProjectionRunner(ledger, [LinkageCases(), LinkageMetrics()], name="linkage", page=3)
    tables = ("linkage_cases", "linkage_case_events", "linkage_metrics")

    cases_events = ledger.recorder.max_notification_id() - 2  # all but the town's and the cell's
    assert rebuilt_row_counts(runner, database_url, tables) == [4, cases_events, 15]
