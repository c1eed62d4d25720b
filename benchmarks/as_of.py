"""Town powers as of any date, on a store of a million events.

Delegates 700 power items to as many towns as reach --events (the province: 1,257 towns x
~700 items) through the ledger's use cases in batches, as the intake does, then recalls,
transfers, re-delegations and amendments recorded later and backdated; projects them; times
random queries on both time axes (`town_powers_as_of`) and of the current inventory
(`town_powers`) beside a baseline in the same run and database: the town's rows of
`holding_versions` by index, without the joins or the as-of filter. Creates and drops its
own database on GOVLEDGER_BENCH_SERVER_URL (default: the local PostgreSQL on 5432).

    .venv/bin/python benchmarks/as_of.py [--events 1000000] [--queries 2000] [--keep]
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import islice
from pathlib import Path
from types import SimpleNamespace
from typing import Any, get_args

import psycopg
from psycopg.rows import dict_row

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aggregates.base import RuleViolation
from benchmarks import figures
from contracts.envelope import Actor
from contracts.powers import commands as c
from infra import bootstrap
from infra.contexts import apply, touches
from infra.settings import Settings
from projections.powers.history import town_powers_as_of
from projections.powers.inventory import town_powers

ITEMS, START, SPAN = 700, date(2021, 1, 1), 3 * 365
RECALL, TRANSFER, AGAIN, AMEND = 0.08, 0.04, 0.5, 0.1  # of holdings, holdings, recalls, items
PER_TOWN = ITEMS * (5 + (RECALL + TRANSFER) * 2 + RECALL * AGAIN * 4)  # the events of one town
ACTOR = Actor(id="js-bianban", role="编办", system="权责清单系统")
BODY = "区联席会议"
REVIEW = c.AdmissionReview(
    reviewing_body=BODY, legality=c.Finding(passed=True), reasonableness=c.Finding(passed=True)
)
HELP = c.SupportPackage(staff=1, funding_yuan=Decimal(50000), training_sessions=2, guidance="业务指导")
BASELINE = "baseline: holding_versions by town"


def _env(key: str, day: date = START, **fields: Any) -> dict[str, Any]:
    at = datetime(day.year, day.month, day.day, 1, tzinfo=UTC)  # 09:00 in China
    return {
        "message_id": str(uuid.uuid5(uuid.NAMESPACE_URL, key)),
        "occurred_at": at,
        "effective_at": at,
        "actor": ACTOR,
        "document_no": "苏编办〔2021〕7号",
        **fields,
    }


def _item(n: int, name: str) -> c.ItemDetails:
    return c.ItemDetails(
        code=f"P{n:04d}",
        name=name,
        kind=get_args(c.PowerKind)[n % 6],
        list=get_args(c.PowerList)[n % 3],
        domain=f"领域{n % 17:02d}",
        legal_basis="《行政处罚法》",
        department=f"D{n % 25:02d}",
    )


def _delegate(ref: dict[str, str], day: date, mode: str) -> Iterator[Any]:
    yield c.ProposeDelegation(**_env(f"p{ref}", day), payload=c.Proposal(**ref, mode=mode))
    yield c.StartAdmissionReview(**_env(f"r{ref}", day), payload=c.ReviewStart(**ref, reviewing_body=BODY))
    yield c.ApproveDelegation(**_env(f"a{ref}", day), payload=c.Approval(**ref, review=REVIEW, support=HELP))


def plan(towns: int, rng: random.Random) -> Iterator[Any]:
    """Every command in the order recorded: items, each town's first batch, later changes."""
    yield from (c.RegisterPowerItem(**_env(f"i{n}"), payload=_item(n, f"事项{n}")) for n in range(ITEMS))
    changes = []
    for t in range(towns):  # 成熟一批、赋予一批: each town's first batch from a day of its own
        first = START + timedelta(rng.randrange(SPAN))
        for n in range(ITEMS):
            ref = {"batch": "B1", "item": f"P{n:04d}", "town": f"T{t:04d}"}
            day = first + timedelta(rng.randrange(60))
            yield from _delegate(ref, day, "grant")
            if rng.random() < RECALL + TRANSFER:
                changes.append((ref, day + timedelta(rng.randrange(30, 400))))
    rng.shuffle(changes)
    for ref, ended in changes:  # recorded now, ending on a past day: backdated
        if rng.random() < TRANSFER / (RECALL + TRANSFER):
            handover = c.Handover(**ref, to_unit="ZHZF")  # 区综合执法局
            yield c.TransferDelegation(**_env(f"t{ref}", ended, reason="划转综合执法"), payload=handover)
            continue
        yield c.RecallDelegation(
            **_env(f"c{ref}", ended, reason="承接能力不足"), payload=c.DelegationRef(**ref)
        )
        if rng.random() < AGAIN:  # delegated again in a later batch
            yield from _delegate({**ref, "batch": "B2"}, ended + timedelta(rng.randrange(90)), "entrust")
    for n in rng.sample(range(ITEMS), int(ITEMS * AMEND)):
        yield c.AmendPowerItem(**_env(f"m{n}", reason="名称调整"), payload=_item(n, f"事项{n}（修订）"))


def load(ledger: Any, commands: Iterator[Any], size: int) -> tuple[int, int]:
    """Apply the commands through the use cases, `size` of them saved in one transaction."""
    applied = refused = 0
    while chunk := list(islice(commands, size)):
        ledger.prefetch(i for command in chunk for i in touches(command))
        with ledger.batch() as batch:
            for command in chunk:
                try:
                    apply(ledger, command)
                    applied += 1
                except RuleViolation:
                    refused += 1
            ledger.commit(batch)
    return applied, refused


def query(cur: psycopg.Cursor, count: int, rng: random.Random, started: datetime) -> None:
    span = cur.execute(
        "SELECT array_agg(DISTINCT town) AS towns, min(effective_from) AS first,"
        " max(coalesce(effective_until, effective_from)) + 180 AS last"
        " FROM holding_versions"
    ).fetchone()
    now, days = datetime.now(UTC), (span["last"] - span["first"]).days
    samples = [
        (
            rng.choice(span["towns"]),
            span["first"] + timedelta(rng.randrange(days)),
            started + (now - started) * rng.random(),
        )
        for _ in range(count)
    ]
    paths = {
        "as of (day D, known at K)": lambda t, d, k: town_powers_as_of(cur, t, d, k),
        "known now (town_powers)": lambda t, d, k: town_powers(cur, t, d),
        BASELINE: lambda t, d, k: cur.execute(
            "SELECT delegation_id, item, effective_from, effective_until, recorded_from,"
            " recorded_until FROM holding_versions WHERE town = %s",
            (t,),
        ).fetchall(),
    }
    ms, rows = {name: [] for name in paths}, {name: [] for name in paths}
    for sample in samples:  # the paths take turns on each sample
        for name, path in paths.items():
            clock = time.perf_counter()
            rows[name].append(len(path(*sample)))
            ms[name].append((time.perf_counter() - clock) * 1000)
    print(
        f"queries: {count:,} random (town, day in {span['first']}..{span['last']},"
        f" known at {started:%H:%M:%S}..now), the same samples on each path"
    )
    print(f"{'path':<36}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8} ms  rows/query")
    pct = {
        name: [sorted(xs)[min(count - 1, int(q * count))] for q in (0.5, 0.95, 0.99, 1)]
        for name, xs in ms.items()
    }
    for name, p in pct.items():
        print(f"{name:<36}" + "".join(f"{v:>8.2f}" for v in p) + f"{sum(rows[name]) / count:>12.0f}")
    for name in list(paths)[:2]:
        print(
            f"ratio {name} : baseline  p50 {pct[name][0] / pct[BASELINE][0]:.2f}"
            f"  p99 {pct[name][2] / pct[BASELINE][2]:.2f}"
        )
    codes = lambda found: [r["code"] for r in found]
    agree = sum(
        codes(town_powers_as_of(cur, t, d, now)) == codes(town_powers(cur, t, d)) for t, d, _ in samples[:50]
    )
    print(f"as of now == current inventory on {agree} of {min(50, count)} samples")
    rows_as_of = rows["as of (day D, known at K)"]
    t, d, k = samples[rows_as_of.index(max(rows_as_of))]
    print(f"plan of the as-of query with the most rows ({t}, {d}, known at {k:%H:%M:%S}):")
    explain = SimpleNamespace(
        fetchall=cur.fetchall,
        execute=lambda sql, params: cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params),
    )  # a cursor that returns the query's plan
    print("\n".join("   " + line["QUERY PLAN"][:150] for line in town_powers_as_of(explain, t, d, k)))


def run(events: int, queries: int, size: int, url: str) -> None:
    towns, rng = max(1, round((events - ITEMS) / PER_TOWN)), random.Random(1257)
    ledger = bootstrap.build_ledger(url)
    started, clock = datetime.now(UTC), time.perf_counter()
    applied, refused = load(ledger, plan(towns, rng), size)
    loaded, stored = time.perf_counter() - clock, ledger.recorder.max_notification_id()
    runner, clock = bootstrap.build_projections(ledger, Settings()), time.perf_counter()
    projected = runner.catch_up()
    built, clock = time.perf_counter() - clock, time.perf_counter()
    ledger.close()  # the writer's aggregate cache goes, so no collection of it lands in a query's time
    del ledger, runner
    gc.collect()
    with psycopg.connect(url, autocommit=True, row_factory=dict_row) as conn, conn.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
        vacuumed = time.perf_counter() - clock
        db = cur.execute(
            "SELECT count(*) AS versions, count(DISTINCT (item, town)) AS holdings,"
            " pg_database_size(current_database()) / 2^20 AS mb"
            " FROM holding_versions"
        ).fetchone()
        print(
            f"towns x items            {towns:>10,} x {ITEMS}  (province-wide: 1,257 x ~700)\n"
            f"commands applied         {applied:>10,}  refused {refused}, {size:,} to a transaction\n"
            f"events stored            {stored:>10,}  (max notification id), database {db['mb']:,.0f} MB\n"
            f"load: wall time          {loaded:>10.1f} s  {stored / loaded:,.0f} events/s,"
            f" {applied / loaded:,.0f} commands/s\n"
            f"projection: wall time    {built:>10.1f} s  {projected / built:,.0f} events/s"
            " (every read model of the composition root)\n"
            f"VACUUM ANALYZE           {vacuumed:>10.1f} s\n"
            f"holding versions         {db['versions']:>10,}  for {db['holdings']:,} holdings"
            f" ({db['versions'] / db['holdings']:.2f} each)"
        )
        query(cur, queries, rng, started)
    print(f"peak RSS of this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:>10,.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--batch", type=int, default=2_000, help="commands saved per transaction")
    parser.add_argument("--keep", action="store_true", help="leave the database in place")
    args = parser.parse_args()
    with figures.scratch_database(args.keep) as url:
        run(args.events, args.queries, args.batch, url)


if __name__ == "__main__":
    main()
