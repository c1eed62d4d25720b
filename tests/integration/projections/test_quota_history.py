"""A unit's quota ledger on both time axes: in force on a day, as the ledger knew it at a moment."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from aggregates.quotas.quota_ledger import LedgerDetails
from infra.bootstrap import build_ledger
from infra.demo import quotas as demo_quotas
from projections.quotas.history import quota_ledger_as_of, quota_transfers_as_of
from projections.quotas.ledgers import quota_ledger, quota_transfers
from tests.support import demo_ledger, read_models
from tests.unit.builders import ctx

D, T = "JB-ORGANS", "JB-CICHENG"


def _now() -> datetime:
    return datetime.now(UTC)


def _counts(cur, unit: str, day: date, at: datetime) -> dict[str, tuple]:
    return {
        r["kind"]: (r["approved"], r["occupied"], r["available"])
        for r in quota_ledger_as_of(cur, unit, day, at)
    }


@pytest.fixture
def known(database_url: str):
    """Ledgers approved and a transfer down; then, recorded later, a departure, a transfer
    and a new 核定 effective earlier. Yields a cursor and the moment between."""
    ledger = build_ledger(database_url)
    ledger.open_quota_ledger(ctx("2020-01-06"), D, "district", LedgerDetails("江北区级机关", "江北区"))
    ledger.approve_quotas(ctx("2020-01-06"), D, "administrative", 900)
    ledger.open_quota_ledger(ctx("2020-01-06"), T, "town", LedgerDetails("慈城镇", "江北区"))
    ledger.approve_quotas(ctx("2020-01-06"), T, "administrative", 40)
    ledger.occupy_quotas(ctx("2020-01-06"), T, "administrative", 35)
    ledger.set_leadership_posts(ctx("2021-03-01"), T, 12)
    ledger.occupy_leadership_posts(ctx("2021-03-01"), T, 10)
    ledger.transfer_quotas(ctx("2021-03-01"), D, T, "town", "administrative", 10)
    between = _now()
    ledger.vacate_quotas(ctx("2020-06-01"), T, "administrative", 5)
    ledger.transfer_quotas(ctx("2021-02-01"), D, T, "town", "administrative", 3)
    ledger.approve_quotas(ctx("2021-06-01"), T, "administrative", 60)
    with read_models(ledger) as cur:
        yield cur, between


def test_changes_recorded_later_but_effective_earlier_change_only_what_is_known_now(known) -> None:
    cur, between = known
    day = date(2021, 5, 1)

    assert _counts(cur, T, day, between)["administrative"] == (50, 35, 15)
    assert _counts(cur, T, day, _now())["administrative"] == (53, 30, 23)
    assert _counts(cur, D, day, between)["administrative"] == (890, 0, 890)
    assert _counts(cur, D, day, _now())["administrative"] == (887, 0, 887)


def test_each_change_counts_from_its_effective_day_not_the_day_before(known) -> None:
    cur, _ = known
    admin = lambda day: _counts(cur, T, day, _now())["administrative"]

    assert admin(date(2020, 1, 5)) == (0, 0, 0)
    assert admin(date(2020, 1, 6)) == (40, 35, 5)
    assert (admin(date(2020, 5, 31)), admin(date(2020, 6, 1))) == ((40, 35, 5), (40, 30, 10))
    assert (admin(date(2021, 1, 31)), admin(date(2021, 2, 1))) == ((40, 30, 10), (43, 30, 13))
    assert (admin(date(2021, 2, 28)), admin(date(2021, 3, 1))) == ((43, 30, 13), (53, 30, 23))
    posts = [_counts(cur, T, day, _now())["leadership"] for day in (date(2021, 2, 28), date(2021, 3, 1))]
    assert posts == [(0, 0, 0), (12, 10, 2)]


def test_a_new_approval_replaces_the_figure_and_every_transfer_before_it_from_its_day(known) -> None:
    cur, between = known

    [eve] = [
        r for r in quota_ledger_as_of(cur, T, date(2021, 5, 31), _now()) if r["kind"] == "administrative"
    ]
    [day] = [r for r in quota_ledger_as_of(cur, T, date(2021, 6, 1), _now()) if r["kind"] == "administrative"]

    assert (eve["approved"], eve["figure"], eve["fixed_on"]) == (53, 40, date(2020, 1, 6))
    assert (day["approved"], day["figure"], day["fixed_on"]) == (60, 60, date(2021, 6, 1))
    assert _counts(cur, T, date(2021, 6, 1), between)["administrative"] == (50, 35, 15)


def test_the_transfers_are_those_in_force_and_known(known) -> None:
    cur, between = known

    def moved(day: date, at: datetime) -> list[tuple]:
        return [
            (t["on_day"], t["from_unit"], t["to_unit"], t["count"])
            for t in quota_transfers_as_of(cur, T, day, at)
        ]

    assert moved(date(2021, 3, 1), between) == [(date(2021, 3, 1), D, T, 10)]
    assert moved(date(2021, 3, 1), _now()) == [(date(2021, 2, 1), D, T, 3), (date(2021, 3, 1), D, T, 10)]
    assert moved(date(2021, 2, 28), _now()) == [(date(2021, 2, 1), D, T, 3)]
    assert quota_ledger_as_of(cur, T, date(2021, 3, 1), between - timedelta(days=1)) == []


def test_as_of_today_known_now_every_demo_unit_has_todays_ledger(database_url: str) -> None:
    with read_models(demo_ledger(database_url, demo_quotas)) as cur:
        cur.execute("SELECT unit FROM quota_units ORDER BY unit")
        units = [r["unit"] for r in cur.fetchall()]
        assert len(units) > 20
        for unit in units:
            assert quota_ledger_as_of(cur, unit, date.today(), _now()) == quota_ledger(cur, unit)
            assert quota_transfers_as_of(cur, unit, date.today(), _now()) == quota_transfers(cur, unit)
        assert quota_transfers(cur, "JB-KONGPU")[-1]["reverse"]
