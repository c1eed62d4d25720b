"""The staffing turnover pool on both time axes: on a day, as the ledger knew it at a moment."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from aggregates.pool.staffing_pool import DrawTerms, PoolDetails
from infra.bootstrap import build_ledger
from infra.demo import quotas as demo_quotas
from projections.pool.balance import outstanding_draws, pool_balance
from projections.pool.history import outstanding_draws_as_of, pool_balance_as_of
from tests.support import demo_ledger, read_models
from tests.unit.builders import ctx

P = "JB-POOL"


def _now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture
def known(database_url: str):
    """A pool with contributions and two approved draws; then, recorded later, a return, the
    clock's tick and a renewal, each effective earlier. Yields a cursor and the moment between."""
    ledger = build_ledger(database_url)
    ledger.establish_pool(ctx("2021-03-01"), P, PoolDetails("江北区事业编制周转池", "江北区", 60))
    for unit, n in (("JB-EDU", 15), ("JB-HEALTH", 10)):
        ledger.contribute_to_pool(ctx("2021-03-15"), P, unit, n)
    ledger.request_draw(
        ctx("2021-04-01"), P, "D1", DrawTerms("JB-CICHENG", 10, "major_task", date(2022, 12, 31))
    )
    ledger.request_draw(
        ctx("2021-04-01"), P, "D2", DrawTerms("JB-HONGTANG", 6, "scarce_talent", date(2021, 12, 31))
    )
    for draw in ("D1", "D2"):
        ledger.approve_draw(ctx("2021-04-15"), P, draw)
    between = _now()
    ledger.return_draw(ctx("2021-10-01"), P, "D1", 4)
    ledger.expire_due_draws(ctx("2022-01-01"), P, date(2022, 1, 1))
    ledger.renew_draw(ctx("2022-06-01", reason="任务延期"), P, "D1", date(2023, 6, 30))
    with read_models(ledger) as cur:
        yield cur, between


def _balance(cur, day: date, at: datetime) -> tuple:
    [row] = pool_balance_as_of(cur, P, day, at)
    return row["contributed"], row["outstanding"], row["available"]


def _out(cur, day: date, at: datetime) -> list[tuple]:
    return [(d["draw"], d["outstanding"], d["until"]) for d in outstanding_draws_as_of(cur, P, day, at)]


def test_a_return_recorded_later_changes_only_what_is_known_now(known) -> None:
    cur, between = known

    assert _balance(cur, date(2021, 12, 1), between) == (25, 16, 9)
    assert _balance(cur, date(2021, 12, 1), _now()) == (25, 12, 13)
    assert _out(cur, date(2021, 12, 1), between) == [
        ("D2", 6, date(2021, 12, 31)),
        ("D1", 10, date(2022, 12, 31)),
    ]
    assert _out(cur, date(2021, 12, 1), _now()) == [
        ("D2", 6, date(2021, 12, 31)),
        ("D1", 6, date(2022, 12, 31)),
    ]


def test_each_change_counts_from_its_effective_day_not_the_day_before(known) -> None:
    cur, _ = known
    now = _now()

    assert pool_balance_as_of(cur, P, date(2021, 2, 28), now) == []
    assert (_balance(cur, date(2021, 3, 14), now), _balance(cur, date(2021, 3, 15), now)) == (
        (0, 0, 0),
        (25, 0, 25),
    )
    assert (_balance(cur, date(2021, 4, 14), now), _balance(cur, date(2021, 4, 15), now)) == (
        (25, 0, 25),
        (25, 16, 9),
    )
    assert (_balance(cur, date(2021, 9, 30), now), _balance(cur, date(2021, 10, 1), now)) == (
        (25, 16, 9),
        (25, 12, 13),
    )
    assert [d for d, _, _ in _out(cur, date(2021, 12, 31), now)] == ["D2", "D1"]
    assert _out(cur, date(2022, 1, 1), now) == [("D1", 6, date(2022, 12, 31))]


def test_a_renewal_moves_the_end_of_the_term_from_its_day_once_known(known) -> None:
    cur, between = known

    assert _out(cur, date(2022, 5, 31), _now()) == [("D1", 6, date(2022, 12, 31))]
    assert _out(cur, date(2022, 6, 1), _now()) == [("D1", 6, date(2023, 6, 30))]
    assert _out(cur, date(2022, 6, 1), between) == [
        ("D2", 6, date(2021, 12, 31)),
        ("D1", 10, date(2022, 12, 31)),
    ]
    assert pool_balance_as_of(cur, None, date(2022, 6, 1), between - timedelta(days=1)) == []


def test_as_of_today_known_now_the_demo_pool_has_todays_balance_and_draws(database_url: str) -> None:
    with read_models(demo_ledger(database_url, demo_quotas)) as cur:
        [today] = pool_balance(cur)
        assert today["outstanding"] > 0 and today["contributed"] > 0
        assert pool_balance_as_of(cur, None, date.today(), _now()) == [today]
        assert pool_balance_as_of(cur, demo_quotas.POOL, date.today(), _now()) == [today]
        draws = outstanding_draws(cur)
        assert len(draws) >= 3 and outstanding_draws_as_of(cur, None, date.today(), _now()) == draws
