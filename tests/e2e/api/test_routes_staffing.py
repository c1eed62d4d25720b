"""Staffing over the API: quotas, plans, the pool, the roster and the monitors answer what the
projections (and `govledger monitors --json`) give on the demo."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from infra.axes import moment
from projections import monitors as policy_monitors
from projections.pool import balance as pool_balance
from projections.pool import history as pool_history
from projections.quotas import history as quota_history
from projections.quotas import ledgers as quota_ledgers
from projections.sinkdown import roster as sink_down_roster
from tests.e2e.api.reading import ALL, READERS, Api, plain, projected, read, statuses

UNIT, ON = "JB-CICHENG", date(2021, 12, 31)


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/quotas/{UNIT}",
        "/api/v1/quotas/plans?year=2021",
        "/api/v1/pool",
        "/api/v1/pool/expiring",
        "/api/v1/sinkdown",
        "/api/v1/monitors",
    ],
)
def test_readers_and_auditors_read_the_staffing_views_operators_do_not(api: Api, path: str) -> None:
    assert statuses(api, path) == READERS


def test_a_units_quota_ledger_and_transfers(api: Api) -> None:
    body = read(api, "reader", f"/api/v1/quotas/{UNIT}?{ALL}")
    with projected(api) as cur:
        assert body["quotas"]["items"] == plain(quota_ledgers.quota_ledger(cur, UNIT))
        assert body["transfers"]["items"] == plain(quota_ledgers.quota_transfers(cur, UNIT))
    assert body["quotas"]["total"] == 4 and body["transfers"]["total"] > 0


def test_a_units_quotas_as_of_a_day_as_known_then_need_an_auditor(api: Api) -> None:
    path = f"/api/v1/quotas/{UNIT}?as_of=2021-01-01&known_at=2099-01-01&{ALL}"
    read(api, "reader", path, 403)
    body = read(api, "auditor", path)
    with projected(api) as cur:
        when = (date(2021, 1, 1), moment("2099-01-01"))
        assert body["quotas"]["items"] == plain(quota_history.quota_ledger_as_of(cur, UNIT, *when))
        assert body["transfers"]["items"] == plain(quota_history.quota_transfers_as_of(cur, UNIT, *when))


def test_an_unknown_unit_is_a_404_problem(api: Api) -> None:
    assert "NO-SUCH-UNIT" in read(api, "reader", "/api/v1/quotas/NO-SUCH-UNIT", 404)["detail"]


def test_the_years_staffing_plans_with_the_towns_share(api: Api) -> None:
    body = read(api, "reader", f"/api/v1/quotas/plans?year=2021&{ALL}")
    with projected(api) as cur:
        assert body["plans"]["items"] == plain(quota_ledgers.staffing_plans(cur, 2021))
        assert body["share"] == plain(quota_ledgers.plan_share(cur, 2021))
    assert body["plans"]["total"] > 0 and body["share"]["met"] is True


def test_the_pools_balances_and_draws_now_and_as_of_a_day(api: Api) -> None:
    body = read(api, "reader", f"/api/v1/pool?{ALL}")
    with projected(api) as cur:
        assert body["pools"]["items"] == plain(pool_balance.pool_balance(cur))
        assert body["draws"]["items"] == plain(pool_balance.pool_draws(cur))
    path = f"/api/v1/pool?pool=JB-POOL&as_of=2021-06-01&{ALL}"
    read(api, "reader", path, 403)
    then = read(api, "auditor", path)
    with projected(api) as cur:
        known = datetime.now(UTC)
        assert then["pools"]["items"] == plain(
            pool_history.pool_balance_as_of(cur, "JB-POOL", date(2021, 6, 1), known)
        )
        assert then["draws"]["items"] == plain(
            pool_history.outstanding_draws_as_of(cur, "JB-POOL", date(2021, 6, 1), known)
        )
    assert then["draws"]["total"] > 0
    assert read(api, "reader", "/api/v1/pool?pool=NO-SUCH-POOL", 404)["status"] == 404


def test_draws_expiring_within_the_days_asked(api: Api) -> None:
    body = read(api, "reader", f"/api/v1/pool/expiring?within_days=400&on=2021-12-15&{ALL}")
    with projected(api) as cur:
        assert body["items"] == plain(pool_balance.expiring_draws(cur, 400, date(2021, 12, 15)))
    assert body["total"] > 0
    last_day = read(api, "reader", f"/api/v1/pool/expiring?on=9999-12-31&{ALL}")  # the window ends there
    assert last_day["total"] > 0 and all(d["days_left"] < 0 for d in last_day["items"])


def test_the_sink_down_roster_by_town_department_and_day(api: Api) -> None:
    body = read(api, "reader", f"/api/v1/sinkdown?town={UNIT}&{ALL}")
    on_day = read(api, "reader", f"/api/v1/sinkdown?department=JB-ZHZF&on=2021-12-31&{ALL}")
    with projected(api) as cur:
        assert body["items"] == plain(sink_down_roster.roster(cur, UNIT))
        assert on_day["items"] == plain(sink_down_roster.roster(cur, None, "JB-ZHZF", ON))
    assert body["total"] > 0 and on_day["total"] > 0


def test_the_monitors_mark_each_missed_target_as_the_command_line_does(api: Api) -> None:
    body = read(api, "reader", f"/api/v1/monitors?on={ON}&year=2021&{ALL}")
    with projected(api) as cur:
        found = policy_monitors.monitors(cur, ON, 2021)
    assert set(body["sections"]) == set(found) == set(policy_monitors.SECTIONS)
    for name, rows in plain(found).items():
        section = body["sections"][name]
        assert section["title"] == policy_monitors.SECTIONS[name]
        assert [{k: v for k, v in r.items() if k != "missed"} for r in section["items"]] == rows
        assert [r["missed"] for r in section["items"]] == [r.get("met") is False for r in rows]
    assert body["missed"] == len(policy_monitors.missed(found)) > 0
