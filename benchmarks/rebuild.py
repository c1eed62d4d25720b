"""Rebuild: every read model of the composition root from a log of millions of events.

Builds the log through the ledger's use cases (the province's towns x ~700 items: first
delegations, then recalls, transfers, re-delegations and amendments, as
benchmarks/as_of.py plans them), or takes an existing database's (--database); then runs
`ProjectionRunner.rebuild` as `govledger rebuild` does, printing progress as it goes,
beside a baseline measured in the same run and database: a plain ordered read of the
events table through a server-side cursor (every row fetched, nothing decoded). Then
rebuilds one read model alone (`--only`, the town power inventory by default) as
`govledger rebuild --only` does, blue/green, while a reader asks the API's dashboard
answer every half second: what it showed during the rebuild is printed beside the
rebuild's rate, and the ratio of that rate to the whole rebuild's.

    .venv/bin/python benchmarks/rebuild.py [--events 5000000] [--keep] [--database URL]
                                           [--only town_power_inventory]

Creates and drops its own database on GOVLEDGER_BENCH_SERVER_URL (default: the local
PostgreSQL on 5432) unless --database is given or --keep is.
"""

from __future__ import annotations

import random
import resource
import sys
import threading
import time
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import figures
from benchmarks.as_of import ITEMS, PER_TOWN, load, plan
from infra import bootstrap
from infra.ops import runtime
from infra.settings import Settings
from projections.runner import per_aggregate

TARGET = 50_000


def build_log(url: str, events: int) -> None:
    towns = max(1, round((events - ITEMS) / PER_TOWN))
    ledger = bootstrap.build_ledger(url)
    clock = time.perf_counter()
    applied, refused = load(ledger, plan(towns, random.Random(1257)), 2_000)
    stored, took = ledger.recorder.max_notification_id(), time.perf_counter() - clock
    print(
        f"log built: {towns:,} towns x {ITEMS} items, {applied:,} commands ({refused} refused),"
        f" {stored:,} events in {took:.0f} s ({stored / took:,.0f} events/s)"
    )
    ledger.close()


def raw_read(url: str) -> tuple[int, float]:
    """Every row of the events table in log order, fetched and dropped."""
    with psycopg.connect(url) as conn, conn.cursor(name="baseline") as cur:
        cur.itersize = 5_000
        clock, rows = time.perf_counter(), 0
        cur.execute("SELECT * FROM ledger_events ORDER BY notification_id")
        for _ in cur:
            rows += 1
        return rows, time.perf_counter() - clock


def rebuild(url: str) -> tuple[int, int, float]:
    ledger, settings = bootstrap.build_ledger(url), Settings.from_env()
    runner = bootstrap.build_projections(ledger, settings)
    head, clock, shown = runner.head(), time.perf_counter(), [0.0]

    def progress(position: int, total: int) -> None:
        now = time.perf_counter() - clock
        if now - shown[0] >= 10 or position >= total:
            shown[0] = now
            print(
                f"  rebuild {position / max(total, 1):6.1%}  {position:>11,} of {total:,}"
                f"  {now:6.0f} s  {position / now:>8,.0f} events/s",
                flush=True,
            )

    read = len(runner.topics or ())
    processes, shared = bootstrap.rebuild_processes(settings), len(per_aggregate(runner.read_models))
    print(
        f"rebuild: {len(runner.read_models)} read models, reading {read or 'all'} event topics;"
        f" {shared} of them per aggregate, in {processes} process{'es' if processes > 1 else ''}"
    )
    done = bootstrap.rebuild(ledger, url, settings, progress)
    took = time.perf_counter() - clock
    ledger.close()
    return head, done, took


def dashboard_meanwhile(url: str, stop: threading.Event, seen: list[dict[str, Any]]) -> None:
    """The API's dashboard answer, asked every half second until `stop`: its status, how
    long it took, the items the towns held in it, and any Govledger-Stale header."""
    from litestar.testing import TestClient

    from infra.api.app import create_app

    ledger, settings = bootstrap.build_ledger(url), Settings.from_env()
    with TestClient(app=create_app(ledger, settings)) as client:
        token = client.app.state.tokens.issue(f"bench-dashboard-{time.time_ns()}", "reader")
        while not stop.is_set():
            clock = time.perf_counter()
            answer = client.get("/api/v1/dashboard", headers={"Authorization": f"Bearer {token}"})
            body = answer.json() if answer.status_code == 200 else {}
            seen.append(
                {
                    "status": answer.status_code,
                    "ms": (time.perf_counter() - clock) * 1000,
                    "items": sum(t.get("items", 0) for t in body.get("towns", [])),
                    "stale": answer.headers.get("govledger-stale"),
                }
            )
            stop.wait(0.5)
    ledger.close()


def rebuild_one(url: str, name: str) -> tuple[int, float, list[dict[str, Any]]]:
    """The read model `name` rebuilt alone, blue/green, with the dashboard asked meanwhile."""
    ledger, settings = bootstrap.build_ledger(url), Settings.from_env()
    stop, seen = threading.Event(), []
    reader = threading.Thread(target=dashboard_meanwhile, args=(url, stop, seen), daemon=True)
    reader.start()
    while not seen:  # the dashboard as it was before
        time.sleep(0.1)
    clock = time.perf_counter()
    done = bootstrap.rebuild(ledger, url, settings, only=[name])
    took = time.perf_counter() - clock
    time.sleep(1.0)  # and once after
    stop.set()
    reader.join()
    ledger.close()
    return done, took, seen


def run(url: str, events: int | None, results: Path, only: str = "town_power_inventory") -> None:
    runtime.tune_garbage_collector()  # as every govledger process does
    if events:
        build_log(url, events)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE ledger_events")
    rows, read_s = raw_read(url)
    head, done, took = rebuild(url)
    rate, base = done / took, rows / read_s
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    shares_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest share's process
    print(f"events in the log          {rows:>12,}  (head {head:,})")
    print(f"baseline: ordered read     {base:>12,.0f} rows/s  ({read_s:.1f} s)")
    print(f"rebuild: all read models   {rate:>12,.0f} events/s  ({took:.1f} s)")
    print(f"ratio rebuild : baseline = {rate / base:.3f}")
    print(f"peak RSS of this process   {rss:>12,.0f} MB;  of a share's process {shares_rss:,.0f} MB")
    print(
        f"target >= {TARGET:,} events/s: {rate:,.0f}, "
        + ("met" if rate >= TARGET else f"missed by {TARGET - rate:,.0f} ({rate / TARGET:.0%} of it)")
    )
    one, one_s, seen = rebuild_one(url, only)
    one_rate = one / one_s
    ok = [s for s in seen if s["status"] == 200]
    shown = sorted({s["items"] for s in ok})
    print(f"rebuild: {only} alone  {one_rate:>12,.0f} events/s  ({one_s:.1f} s)")
    print(f"ratio one : all = {one_rate / rate:.3f};  one : baseline = {one_rate / base:.3f}")
    print(
        f"dashboard meanwhile: {len(seen)} answers, {len(ok)} of them 200;"
        f" items held shown {shown[0] if shown else '-'}..{shown[-1] if shown else '-'};"
        f" stale header on {sum(1 for s in seen if s['stale'])};"
        f" {max((s['ms'] for s in seen), default=0):,.0f} ms at most"
    )
    figures.record(
        "rebuild",
        {
            "events": rows,
            "seconds": round(took, 1),
            "events_per_s": round(rate),
            "baseline_rows_per_s": round(base),
            "ratio": round(rate / base, 3),
            "peak_rss_mb": round(rss),
            "share_peak_rss_mb": round(shares_rss),
            "one": only,
            "one_seconds": round(one_s, 1),
            "one_events_per_s": round(one_rate),
            "one_to_all": round(one_rate / rate, 3),
            "dashboard_answers": len(seen),
            "dashboard_ok": len(ok),
            "dashboard_items_shown": [shown[0], shown[-1]] if shown else [],
        },
        results,
    )


def main() -> None:
    parser = figures.arguments(__doc__)
    parser.add_argument("--events", type=int, default=5_000_000)
    parser.add_argument("--database", help="rebuild this database's log instead of building one")
    parser.add_argument("--keep", action="store_true", help="leave the database built in place")
    parser.add_argument("--only", default="town_power_inventory", help="the read model rebuilt alone")
    args = parser.parse_args()
    if args.database:
        run(args.database, None, args.results, args.only)
        return
    with figures.scratch_database(args.keep) as url:
        run(url, args.events, args.results, args.only)


if __name__ == "__main__":
    main()
