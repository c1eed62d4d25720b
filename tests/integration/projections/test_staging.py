"""Staged rows end as the same events applied one statement at a time would leave them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import psycopg
import pytest
from psycopg.rows import dict_row

from aggregates.powers.item import ItemDetails
from infra.bootstrap import build_ledger
from projections.powers.history import PowerHistory
from projections.powers.inventory import TownPowerInventory
from projections.runner import ProjectionRunner
from projections.staging import DuplicateRow, StagedRows, StagedVersions
from tests.integration.projections.test_town_power_inventory import REVIEW, SUPPORT, ctx

COLUMNS = ("id", "status", "staff", "yuan", "since")
ID = [uuid.UUID(int=n) for n in range(4)]
AT = [datetime(2022, 1, 1, tzinfo=UTC) + timedelta(hours=n) for n in range(4)]


@pytest.fixture
def cur(database_url: str) -> Iterator[Any]:
    with psycopg.connect(database_url, row_factory=dict_row) as conn, conn.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE rows (id uuid PRIMARY KEY, status text NOT NULL,"
            " staff int, yuan numeric, since date)"
        )
        cursor.execute(
            "CREATE TABLE versions (key uuid NOT NULL, name text NOT NULL,"
            " recorded_from timestamptz NOT NULL, recorded_until timestamptz)"
        )
        yield cursor


def _all(cur: Any, table: str, order: str) -> list[tuple]:
    cur.execute(f"SELECT * FROM {table} ORDER BY {order}")
    return [tuple(row.values()) for row in cur.fetchall()]


def test_rows_added_and_changed_in_one_page_and_in_later_pages(cur: Any) -> None:
    rows = StagedRows("rows", COLUMNS)
    rows.add((ID[0], "proposed", None, None, None))
    rows.add((ID[1], "proposed", None, None, None))
    rows.set(ID[0], status="approved", staff=2, yuan=Decimal("80000.50"), since=date(2022, 3, 1))
    rows.write(cur)
    rows.set(ID[1], status="rejected")  # rows of an earlier page, in two shapes of change
    rows.set(ID[0], status="recalled")
    rows.set(ID[0], since=None)  # merged with the change before it
    rows.set(ID[3], status="approved")  # no such row: nothing happens
    rows.add((ID[2], "proposed", 1, 5, None))
    rows.write(cur)

    assert _all(cur, "rows", "id") == [
        (ID[0], "recalled", 2, Decimal("80000.50"), None),
        (ID[1], "rejected", None, None, None),
        (ID[2], "proposed", 1, Decimal(5), None),
    ]
    assert rows.added == {} and rows.changed == {}


def test_a_change_staged_before_its_row_was_added_changed_nothing(cur: Any) -> None:
    rows = StagedRows("rows", COLUMNS)
    rows.set(ID[0], status="approved")
    rows.add((ID[0], "proposed", None, None, None))
    rows.write(cur)
    assert _all(cur, "rows", "id") == [(ID[0], "proposed", None, None, None)]


def test_a_row_added_twice_in_a_page_is_refused(cur: Any) -> None:
    rows = StagedRows("rows", COLUMNS)
    rows.add((ID[0], "proposed", None, None, None))
    with pytest.raises(DuplicateRow):
        rows.add((ID[0], "approved", None, None, None))


def test_versions_opened_and_closed_across_pages(cur: Any) -> None:
    versions = StagedVersions("versions", "key", ("name",))
    versions.open(ID[0], {"name": "a"}, AT[0])
    versions.open(ID[1], {"name": "b"}, AT[0])
    assert versions.close(ID[0], AT[1]) == [{"name": "a"}]  # opened and closed in one page
    versions.open(ID[0], {"name": "a2"}, AT[1])
    versions.write(cur)

    versions.read_open(cur, [ID[0], ID[1], ID[2]])
    assert versions.close(ID[1], AT[2]) == [{"name": "b"}]
    versions.open(ID[1], {"name": "b2"}, AT[2])
    assert versions.close(ID[1], AT[3]) == [{"name": "b2"}]  # the earlier page's is closed once
    assert versions.close(ID[2], AT[3]) == []
    versions.write(cur)

    assert _all(cur, "versions", "key, recorded_from") == [
        (ID[0], "a", AT[0], AT[1]),
        (ID[0], "a2", AT[1], None),
        (ID[1], "b", AT[0], AT[2]),
        (ID[1], "b2", AT[2], AT[3]),
    ]


def test_closing_versions_not_read_before_the_page_is_refused(cur: Any) -> None:
    versions = StagedVersions("versions", "key", ("name",))
    with pytest.raises(LookupError):
        versions.close(ID[0], AT[0])


def _history(ledger: Any) -> None:
    """Powers delegated, reviewed, rejected, recalled, transferred, delegated again, amended."""
    for n in range(6):
        ledger.register_power_item(
            ctx("2021-06-01"),
            f"P{n}",
            ItemDetails(f"事项{n}", "penalty", "supervisory", "城市绿化", "条例", "JB-GREEN"),
        )
    for town in ("T1", "T2"):
        for n in range(6):
            ledger.propose_delegation(ctx("2021-07-01"), "B1", f"P{n}", town, "grant")
        for n in range(6):
            ledger.start_admission_review(ctx("2021-07-02"), "B1", f"P{n}", town, "区联席会议")
            if n == 5:
                ledger.reject_delegation(ctx("2021-07-03", "不具备承接条件"), "B1", f"P{n}", town, REVIEW)
            else:
                ledger.approve_delegation(ctx("2021-07-03"), "B1", f"P{n}", town, REVIEW, SUPPORT)
    ledger.recall_delegation(ctx("2022-03-01", "承接能力不足"), "B1", "P1", "T1")
    ledger.transfer_delegation(ctx("2022-04-01", "划转综合执法"), "B1", "P2", "T2", "ZHZF")
    ledger.amend_power_item(
        ctx("2022-05-01", "名称调整"),
        "P3",
        ItemDetails("事项3（新）", "licensing", "supervisory", "城市绿化", "条例", "JB-GREEN"),
    )
    for town in ("T1",):
        ledger.propose_delegation(ctx("2022-06-01"), "B2", "P1", town, "entrust")
        ledger.start_admission_review(ctx("2022-06-01"), "B2", "P1", town, "区联席会议")
        ledger.approve_delegation(ctx("2022-06-02"), "B2", "P1", town, REVIEW, SUPPORT)
    ledger.recall_delegation(ctx("2022-07-01", "承接能力不足"), "B1", "P0", "T2")
    ledger.retire_power_item(ctx("2022-08-01", "事项取消"), "P4")
    ledger.amend_power_item(
        ctx("2022-09-01", "再调整"),
        "P3",
        ItemDetails("事项3（再新）", "licensing", "supervisory", "城市绿化", "条例", "JB-GREEN"),
    )


def _tables_digest(url: str, tables: list[str]) -> dict[str, tuple[int, str]]:
    with psycopg.connect(url) as conn:
        return {
            t: conn.execute(
                f"SELECT count(*), md5(coalesce(string_agg(h, '' ORDER BY h), ''))"
                f" FROM (SELECT md5(t::text) AS h FROM {t} t) AS r"
            ).fetchone()
            for t in tables
        }


def test_the_read_models_are_the_same_whatever_the_page_size(database_url: str) -> None:
    ledger = build_ledger(database_url)
    _history(ledger)
    models = [TownPowerInventory(), PowerHistory()]
    tables = ["power_items", "delegations", "power_item_versions", "holding_proposals", "holding_versions"]
    digests = {}
    for page in (1000, 1, 2, 3, 7):
        runner = ProjectionRunner(ledger, models, name="staged", page=page)
        runner.rebuild()
        digests[page] = _tables_digest(database_url, tables)
    assert all(d == digests[1000] for d in digests.values()), digests
    counts = {t: n for t, (n, _) in digests[1000].items()}
    assert counts == {
        "power_items": 6,
        "delegations": 13,
        "power_item_versions": 9,
        "holding_proposals": 13,
        "holding_versions": 14,
    }
