"""编制台账 and 编制周转池 read models on a real PostgreSQL: ledgers, transfers, plans, the pool."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date
from decimal import Decimal
from typing import Any

from aggregates.pool.staffing_pool import DrawTerms, PoolDetails
from aggregates.quotas.quota_ledger import LedgerDetails, TransferApproval
from infra.bootstrap import build_ledger
from infra.contexts import GovernanceLedger as Ledger
from projections.pool.balance import (
    PoolBalance,
    expiring_draws,
    outstanding_draws,
    pool_balance,
    pool_draws,
)
from projections.quotas.ledgers import (
    QuotaLedgers,
    plan_share,
    plan_shares,
    quota_ledger,
    quota_transfers,
    staffing_plans,
)
from projections.runner import ProjectionRunner
from tests.support import read_models, rebuilt_row_counts
from tests.unit.builders import ctx

D, P = "JB-ORGANS", "JB-POOL"
TOWNS = {"JB-CICHENG": "慈城镇", "JB-KONGPU": "孔浦街道"}
APPROVAL = TransferApproval("中共宁波市江北区委机构编制委员会", "甬北编委〔2021〕3号")


def _quotas(ledger: Ledger) -> None:
    ledger.open_quota_ledger(ctx("2020-01-06"), D, "district", LedgerDetails("江北区级机关", "江北区"))
    ledger.approve_quotas(ctx("2020-01-06"), D, "administrative", 900)
    ledger.occupy_quotas(ctx("2020-01-06"), D, "administrative", 850)
    for code, name in TOWNS.items():
        ledger.open_quota_ledger(ctx("2020-01-06"), code, "town", LedgerDetails(name, "江北区"))
        ledger.approve_quotas(ctx("2020-01-06"), code, "institutional", 60)
        ledger.approve_quotas(ctx("2020-01-06"), code, "administrative", 40)
        ledger.occupy_quotas(ctx("2020-01-06"), code, "administrative", 35)
        ledger.set_leadership_posts(ctx("2021-03-01"), code, 12)
        ledger.occupy_leadership_posts(ctx("2021-03-01"), code, 10)
    ledger.transfer_quotas(ctx("2021-03-01"), D, "JB-CICHENG", "town", "administrative", 10)
    ledger.transfer_quotas(ctx("2021-03-01"), D, "JB-HONGTANG", "town", "administrative", 12)
    ledger.transfer_quotas(
        ctx("2021-09-01", reason="回收"), "JB-KONGPU", D, "district", "administrative", 2, APPROVAL
    )
    for year, organs, each_town in ((2020, 28, 6), (2021, 24, 13)):  # towns: 30 %, then 52 %
        ledger.plan_staffing(ctx(f"{year}-02-01"), D, year, "administrative", organs)
        for code in TOWNS:
            ledger.plan_staffing(ctx(f"{year}-02-01"), code, year, "institutional", each_town)


def _pool(ledger: Ledger) -> None:
    ledger.establish_pool(ctx("2021-03-01"), P, PoolDetails("江北区事业编制周转池", "江北区", 60))
    for unit, n in (("JB-EDU", 15), ("JB-HEALTH", 10), ("JB-AGRI", 15)):
        ledger.contribute_to_pool(ctx("2021-03-15"), P, unit, n)
    for draw, town, n, purpose, until in (
        ("D1", "JB-CICHENG", 10, "major_task", date(2022, 12, 31)),
        ("D2", "JB-ZHUANGQIAO", 6, "structure", date(2023, 6, 30)),
        ("D3", "JB-HONGTANG", 4, "scarce_talent", date(2021, 12, 31)),
        ("D4", "JB-YONGJIANG", 8, "major_task", date(2022, 6, 30)),
        ("D5", "JB-KONGPU", 3, "structure", date(2022, 12, 31)),
    ):
        ledger.request_draw(ctx("2021-04-01"), P, draw, DrawTerms(town, n, purpose, until))
    for draw in ("D1", "D2", "D3", "D4"):
        ledger.approve_draw(ctx("2021-04-15"), P, draw)
    ledger.reject_draw(ctx("2021-04-15", reason="用途不符"), P, "D5")
    ledger.return_draw(ctx("2021-10-01"), P, "D2", 2)
    ledger.expire_due_draws(ctx("2022-01-01"), P, date(2022, 1, 1))


def _projected(database_url: str) -> AbstractContextManager[Any]:
    """A cursor on the read models, caught up with the quotas and the pool."""
    ledger = build_ledger(database_url)
    _quotas(ledger)
    _pool(ledger)
    return read_models(ledger)


def test_a_ledger_shows_each_kind_and_the_leadership_posts(database_url: str) -> None:
    with _projected(database_url) as cur:
        rows = quota_ledger(cur, "JB-CICHENG")
        assert [(r["kind"], r["approved"], r["occupied"], r["available"]) for r in rows] == [
            ("administrative", 50, 35, 15),
            ("institutional", 60, 0, 60),
            ("auxiliary", 0, 0, 0),
            ("leadership", 12, 10, 2),
        ]
        assert (rows[0]["name"], rows[0]["level"]) == ("慈城镇", "town")
        assert [r["approved"] for r in quota_ledger(cur, D)][0] == 900 - 22 + 2
        assert quota_ledger(cur, "NOPE") == []


def test_a_ledger_started_by_a_transfer_has_no_name_until_it_is_opened(database_url: str) -> None:
    with _projected(database_url) as cur:
        [admin, *_] = quota_ledger(cur, "JB-HONGTANG")
        assert (admin["name"], admin["level"], admin["approved"]) == (None, "town", 12)


def test_transfers_are_listed_with_the_approval_of_a_reverse_adjustment(database_url: str) -> None:
    with _projected(database_url) as cur:
        moves = quota_transfers(cur, D)
        assert [(m["from_unit"], m["to_unit"], m["count"], m["reverse"]) for m in moves] == [
            (D, "JB-CICHENG", 10, False),
            (D, "JB-HONGTANG", 12, False),
            ("JB-KONGPU", D, 2, True),
        ]
        back = moves[-1]
        assert (back["approval_body"], back["approval_document"], back["reason"]) == (
            APPROVAL.body,
            APPROVAL.document_no,
            "回收",
        )
        assert back["on_day"] == date(2021, 9, 1) and back["document_no"]
        assert len(quota_transfers(cur)) == 3 and quota_transfers(cur, "JB-CICHENG") == moves[:1]


def test_the_towns_share_of_the_yearly_plan_is_measured_against_fifty_percent(
    database_url: str,
) -> None:
    with _projected(database_url) as cur:
        shares = plan_shares(cur)
        assert [
            (s["year"], s["towns_planned"], s["total_planned"], s["towns_share_pct"], s["met"])
            for s in shares
        ] == [(2020, 12, 40, Decimal("30.0"), False), (2021, 26, 50, Decimal("52.0"), True)]
        assert plan_share(cur, 2021) == shares[1] and shares[1]["target_pct"] == 50
        assert plan_share(cur, 2019) is None
        assert [(p["unit"], p["planned"]) for p in staffing_plans(cur, 2021)] == [
            (D, 24),
            ("JB-CICHENG", 13),
            ("JB-KONGPU", 13),
        ]


def test_the_pool_balance_is_contributed_minus_outstanding(database_url: str) -> None:
    with _projected(database_url) as cur:
        [balance] = pool_balance(cur)
        assert {k: balance[k] for k in ("capacity", "contributed", "outstanding", "available")} == {
            "capacity": 60,
            "contributed": 40,
            "outstanding": 22,
            "available": 18,
        }
        assert pool_balance(cur, "NOPE") == []
        statuses = {d["draw"]: (d["status"], d["outstanding"]) for d in pool_draws(cur, P)}
        assert statuses == {
            "D1": ("approved", 10),
            "D2": ("approved", 4),
            "D3": ("expired", 0),
            "D4": ("approved", 8),
            "D5": ("rejected", 0),
        }
        assert [d["ended_on"] for d in pool_draws(cur) if d["draw"] == "D3"] == [date(2022, 1, 1)]


def test_outstanding_draws_are_grouped_by_purpose_and_by_expiry(database_url: str) -> None:
    with _projected(database_url) as cur:
        assert [d["draw"] for d in outstanding_draws(cur, P)] == ["D4", "D1", "D2"]
        assert [
            (r["purpose"], r["draws"], r["quotas"]) for r in outstanding_draws(cur, group_by="purpose")
        ] == [("major_task", 2, 18), ("structure", 1, 4)]
        assert [(r["until"], r["quotas"]) for r in outstanding_draws(cur, P, "until")] == [
            (date(2022, 6, 30), 8),
            (date(2022, 12, 31), 10),
            (date(2023, 6, 30), 4),
        ]


def test_draws_expiring_soon_are_listed_with_the_days_left(database_url: str) -> None:
    with _projected(database_url) as cur:
        soon = expiring_draws(cur, 30, date(2022, 6, 1))
        assert [(d["draw"], d["days_left"]) for d in soon] == [("D4", 29)]
        assert [d["draw"] for d in expiring_draws(cur, 365, date(2022, 6, 1))] == ["D4", "D1"]
        assert expiring_draws(cur, 10, date(2021, 6, 1)) == []


TABLES = (
    "quota_units",
    "quota_counts",
    "quota_transfers",
    "quota_plans",
    "pool_balances",
    "pool_contributions",
    "pool_draws",
)


def test_a_rebuild_in_small_pages_reproduces_the_same_rows(database_url: str) -> None:
    ledger = build_ledger(database_url)
    _quotas(ledger)
    _pool(ledger)
    runner = ProjectionRunner(ledger, [QuotaLedgers(), PoolBalance()], name="staffing", page=4)

    assert rebuilt_row_counts(runner, database_url, TABLES, order_by="1, 2, 3") == [4, 16, 3, 6, 1, 3, 5]
