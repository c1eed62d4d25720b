"""Quotas and the turnover pool through Kafka, the intake and the read models; the clock; a race."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import msgspec

from aggregates.pool.staffing_pool import DrawTerms, PoolDetails, StaffingPool
from contracts.pool import commands as p
from contracts.quotas import commands as q
from infra import bootstrap
from infra.contexts import GovernanceLedger as Ledger
from infra.demo import quotas as demo_quotas
from infra.kafka import clock
from infra.settings import Settings
from projections.pool.balance import pool_balance, pool_draws
from projections.quotas.ledgers import plan_share, quota_ledger
from tests.support import Intake, encoded, from_bureau, isolated_settings, projected
from tests.unit.builders import ctx

CST = timezone(timedelta(hours=8))
POOL = "JB-POOL"


def command(cls: type, payload: msgspec.Struct, on: str, **envelope: Any) -> msgspec.Struct:
    at = datetime.fromisoformat(on).replace(hour=9, tzinfo=CST)
    label = f"{cls.__name__}/{on}/{msgspec.json.encode(payload).decode()}"
    return from_bureau(cls, label, payload, at, **{"document_no": "甬北编〔2021〕5号", **envelope})


def _dead_letters(database_url: str) -> list[tuple[str, str]]:
    ledger = bootstrap.build_ledger(database_url)
    with ledger.recorder.datastore.transaction(commit=False) as cur:
        cur.execute("SELECT rule, message_id FROM dead_letters ORDER BY id")
        return [(row["rule"], row["message_id"]) for row in cur.fetchall()]


def test_quotas_and_draws_flow_through_the_intake_and_the_clock_runs_once_a_day(intake: Intake) -> None:
    details = lambda unit, name, level: q.LedgerDetails(
        unit=unit, name=name, level=level, district_name="宁波市江北区"
    )
    unapproved_return = command(
        q.TransferQuotas,
        q.Transfer(
            unit="JB-KONGPU", to_unit="JB-ORGANS", to_level="district", kind="administrative", count=2
        ),
        "2021-09-01",
    )
    commands = [
        command(q.OpenQuotaLedger, details("JB-ORGANS", "江北区级机关", "district"), "2020-01-06"),
        command(
            q.ApproveQuotas,
            q.QuotaApproval(unit="JB-ORGANS", kind="administrative", approved=900),
            "2020-01-06",
        ),
        command(q.OpenQuotaLedger, details("JB-KONGPU", "孔浦街道", "town"), "2020-01-06"),
        command(
            q.ApproveQuotas,
            q.QuotaApproval(unit="JB-KONGPU", kind="administrative", approved=40),
            "2020-01-06",
        ),
        command(
            q.TransferQuotas,
            q.Transfer(
                unit="JB-ORGANS", to_unit="JB-KONGPU", to_level="town", kind="administrative", count=12
            ),
            "2021-03-01",
        ),
        unapproved_return,
        command(
            p.EstablishPool,
            p.PoolDetails(pool=POOL, name="江北区事业编制周转池", district_name="宁波市江北区", capacity=60),
            "2021-03-01",
        ),
        command(p.ContributeToPool, p.Contribution(pool=POOL, unit="JB-EDU", count=20), "2021-03-15"),
        command(
            p.RequestDraw,
            p.DrawRequest(
                pool=POOL,
                draw="HONGTANG-01",
                town="JB-HONGTANG",
                count=4,
                purpose="scarce_talent",
                until=date(2021, 12, 31),
            ),
            "2021-04-01",
        ),
        command(p.ApproveDraw, p.DrawRef(pool=POOL, draw="HONGTANG-01"), "2021-04-15"),
        clock.expire_due(POOL, date(2022, 1, 1)),
        clock.expire_due(POOL, date(2022, 1, 1)),  # the scheduler ran twice that day
    ]
    worker = intake.run(encoded(commands))

    stats = worker.intake.stats
    assert (stats.applied, stats.dead_lettered, stats.duplicates) == (10, 1, 1)
    assert _dead_letters(intake.database_url) == [
        ("ReverseAdjustmentNotApproved", unapproved_return.message_id)
    ]
    with intake.read_models() as cur:
        kongpu = quota_ledger(cur, "JB-KONGPU")
        assert (kongpu[0]["name"], kongpu[0]["approved"]) == ("孔浦街道", 52)
        [draw] = pool_draws(cur, POOL)
        assert (draw["status"], draw["ended_on"]) == ("expired", date(2022, 1, 1))
    reader = bootstrap.build_ledger(intake.database_url)
    [expired] = [
        e for e in reader.events.get(StaffingPool.create_id(POOL)) if type(e).__name__ == "DrawExpired"
    ]
    assert expired.ctx.message_id == clock.message_id(POOL, date(2022, 1, 1))


def test_the_staffing_demo_through_kafka_refuses_only_its_bad_commands(
    database_url: str, broker: str
) -> None:
    # three partitions: a transfer may overtake the opening it goes to
    intake = Intake(database_url, broker, isolated_settings(partitions=3))
    worker = intake.run(demo_quotas.demo_commands())

    assert sorted(rule for rule, _ in _dead_letters(database_url)) == sorted(demo_quotas.BAD_RULES)
    assert worker.intake.stats.dead_lettered == len(demo_quotas.BAD_RULES)
    with intake.read_models() as cur:
        share, [balance], organs = plan_share(cur, 2021), pool_balance(cur), quota_ledger(cur, "DY-ORGANS")
        assert (share["towns_share_pct"], share["met"]) == (Decimal("52.0"), True)
        assert (balance["contributed"], balance["outstanding"], balance["available"]) == (40, 22, 18)
        assert organs[0]["approved"] == 1180 - 140


# -- two towns drawing the last quotas of the pool at once -----------------------------------


def _pool_with_four_left(database_url: str) -> None:
    ledger = bootstrap.build_ledger(database_url)
    ledger.establish_pool(ctx("2021-03-01"), POOL, PoolDetails("江北区事业编制周转池", "江北区", 60))
    ledger.contribute_to_pool(ctx("2021-03-15"), POOL, "JB-EDU", 10)
    for draw, town, n in (
        ("HONGTANG-01", "JB-HONGTANG", 6),
        ("CICHENG-01", "JB-CICHENG", 3),
        ("KONGPU-01", "JB-KONGPU", 3),
    ):
        ledger.request_draw(
            ctx("2021-04-01"), POOL, draw, DrawTerms(town, n, "major_task", date(2022, 12, 31))
        )
    ledger.approve_draw(ctx("2021-04-15"), POOL, "HONGTANG-01")


def _commit_after(ledger: Ledger, both_staged: threading.Barrier) -> None:
    """The ledger's first commit waits until the other intake has staged its own too."""
    commit, waited = ledger.commit, []

    def commit_when_both_staged(batch: Any, **kwargs: Any) -> Any:
        if not waited:
            waited.append(True)
            both_staged.wait()
        return commit(batch, **kwargs)

    ledger.commit = commit_when_both_staged  # type: ignore[method-assign]  # the commit held until both are staged


def _intake(intake: Intake, ledger: Ledger, messages: list[Any], outcomes: dict[str, Any], name: str) -> None:
    try:
        outcomes[name] = intake.run(messages, ledger=ledger).intake.stats
    except Exception as error:
        outcomes[name] = error


def test_two_towns_drawing_the_last_quotas_at_once_one_wins_and_one_is_dead_lettered(
    database_url: str, broker: str
) -> None:
    _pool_with_four_left(database_url)
    both_staged, outcomes, threads = threading.Barrier(2, timeout=60), {}, []
    approvals = {
        draw: command(p.ApproveDraw, p.DrawRef(pool=POOL, draw=draw), "2021-04-20")
        for draw in ("CICHENG-01", "KONGPU-01")
    }
    for draw, approval in approvals.items():
        intake = Intake(database_url, broker, isolated_settings())  # two intakes, two ledgers, one database
        ledger = bootstrap.build_ledger(database_url)
        _commit_after(ledger, both_staged)
        args = (intake, ledger, encoded([approval]), outcomes, draw)
        threads.append(threading.Thread(target=_intake, args=args))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    stats = [outcomes[draw] for draw in approvals]
    assert sorted((s.applied, s.dead_lettered) for s in stats) == [(0, 1), (1, 0)], outcomes
    winner = next(draw for draw, s in zip(approvals, stats) if s.applied == 1)
    loser = next(draw for draw in approvals if draw != winner)
    assert _dead_letters(database_url) == [("PoolExhausted", approvals[loser].message_id)]
    reader = bootstrap.build_ledger(database_url)
    found = reader.repository.get(StaffingPool.create_id(POOL))
    assert (found.draw(winner).status, found.draw(loser).status) == ("approved", "requested")
    assert (found.outstanding, found.available) == (9, 1)
    with projected(database_url, Settings()) as cur:
        [balance] = pool_balance(cur, POOL)
        assert balance["available"] == 1
