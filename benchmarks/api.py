"""Read API latency under a fixed load: the inventory endpoints at 200 requests/s, open loop.

Loads the demo's powers, duties, organisation, quotas, pool and sink-down commands into a
database of its own (through the use cases, as the intake would apply them), projects them,
serves the API as deployed (`govledger api`, uvicorn, one process) and a reader's token, then
drives the inventory endpoints in turn — a town's powers and duties, a unit's quotas, the
pool, the towns — at a fixed rate with an open-loop client (benchmarks/open_loop.py: latency
from each request's scheduled moment, so queueing counts). Baseline, same run, same rate and
client: /health (no database, no token); ratio of the p99s. Target: p99 < 20 ms.

Then a closed-loop burst, as a wall of dashboards opening at once would send: `--burst`
requests (2,000) from `--concurrency` clients (50), each sending its next as soon as its last
is answered, over the dashboard, a town's powers, the day's cases and the policy monitors
(the demo's day of cases, 2021-12-01, reported into the same database); beside it, in the
same run, the same burst of /health; ratio of the p99s. Target: p99 < 100 ms.

    .venv/bin/python benchmarks/api.py [--rate 200] [--seconds 20] [--burst 2000] [--concurrency 50]
                                       [--workers 1]
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import msgspec
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import figures
from benchmarks.open_loop import drive, measure, measure_burst, request
from infra.api.access import TokenStore
from infra.bootstrap import build_ledger, build_projections
from infra.contexts import Command, touches
from infra.demo import duties as demo_duties
from infra.demo import grid as demo_grid
from infra.demo import linkage as demo_linkage
from infra.demo import organisation as demo_organisation
from infra.demo import powers as demo_scenario
from infra.demo import quotas as demo_quotas
from infra.demo import sinkdown as demo_sink_down
from infra.demo import territorial as demo_territorial
from infra.settings import Settings
from projections.powers.inventory import town_powers
from projections.territorial.scenarios import scenarios_in
from tests.support import apply_all, free_ports, http_get

TARGET_P99_MS = 20.0
TARGET_BURST_P99_MS = 100.0
HEALTH = "/health"
BURST_DAY = "2021-12-01"  # the demo's day of cases
_command = msgspec.json.Decoder(Command)


def _decoded(messages: list[tuple[Any, bytes]]) -> list[Any]:
    """The commands, without the demo's deliberately malformed messages (dead-lettered)."""
    out = []
    for _key, value in messages:
        try:
            out.append(_command.decode(value))
        except (msgspec.DecodeError, msgspec.ValidationError):
            pass
    return out


def load(url: str) -> tuple[int, str]:
    """The demo's commands (all but the linkage day and the appraisals; the grid's cells, which
    the day's reports name, included) applied through the use cases in batches of 1,000, as
    the intake does, and projected; the events, a reader's token."""
    ledger = build_ledger(url)
    commands = _decoded(
        demo_scenario.demo_commands()
        + demo_duties.demo_commands()
        + demo_territorial.demo_commands()
        + demo_organisation.demo_commands()
        + demo_grid.town_commands()
        + demo_grid.demo_commands()  # the cells the day's cases are reported in
        + demo_quotas.demo_commands()
        + demo_sink_down.demo_commands()
    )
    for start in range(0, len(commands), 1000):
        chunk = commands[start : start + 1000]
        ledger.prefetch(i for command in chunk for i in touches(command))
        with ledger.batch() as batch:
            apply_all(ledger, chunk)  # the demo's deliberate refusals are left out, as in the intake
            ledger.commit(batch)
    runner = build_projections(ledger, Settings())
    events = runner.catch_up()
    apply_all(ledger, _decoded(cases_reported(ledger)))  # the day's cases, as the grid reports them
    events += runner.catch_up()
    token = TokenStore(ledger.recorder.datastore).issue("bench-reader", "reader")
    ledger.close()
    return events, token


def cases_reported(ledger: Any) -> list[tuple[Any, bytes]]:
    """The demo's forty reports of its day of cases in 慈城镇 (routing them is the linkage
    worker's, which this benchmark does not run: they stand reported)."""
    with ledger.recorder.datastore.transaction(commit=False) as cur:
        held = [row["code"] for row in town_powers(cur, demo_linkage.TOWN, demo_linkage.DAY.date())]
        cur.execute("SELECT DISTINCT code FROM power_item_versions ORDER BY code")
        not_held = [row["code"] for row in cur.fetchall() if row["code"] not in set(held)]
        scenario = scenarios_in(cur, demo_linkage.TOWN)[0]["category"]
    return demo_linkage.reports(held, not_held, scenario)


# (endpoint, path) of the burst: what a district's screens read, on the town of the cases
MIXED = [
    ("/dashboard", f"/api/v1/dashboard?on={BURST_DAY}"),
    ("/towns/{town}/powers", f"/api/v1/towns/{demo_linkage.TOWN}/powers"),
    ("/cases", "/api/v1/cases"),
    ("/monitors", f"/api/v1/monitors?on={BURST_DAY}"),
]


def paths(url: str) -> list[tuple[str, str]]:
    """(endpoint, path) in the order they are sent: each endpoint on a few of the demo's codes."""
    with psycopg.connect(url) as conn:
        held = [
            r[0]
            for r in conn.execute(
                "SELECT town FROM delegations GROUP BY town ORDER BY count(*) DESC, town LIMIT 4"
            )
        ]
        duties = [
            r[0]
            for r in conn.execute(
                "SELECT town FROM admitted_duties GROUP BY town ORDER BY count(*) DESC, town LIMIT 4"
            )
        ]
        units = [r[0] for r in conn.execute("SELECT unit FROM quota_units ORDER BY unit LIMIT 4")]
    out = []
    for i in range(4):
        out += [
            ("/towns/{town}/powers", f"/api/v1/towns/{held[i % len(held)]}/powers"),
            ("/towns/{town}/duties", f"/api/v1/towns/{duties[i % len(duties)]}/duties"),
            ("/quotas/{unit}", f"/api/v1/quotas/{units[i % len(units)]}"),
            ("/pool", "/api/v1/pool"),
            ("/towns", "/api/v1/towns"),
        ]
    return out


def serve(url: str, port: int, log: Path, workers: int) -> Any:
    """`govledger api` on `port` with `workers` processes, once it answers /ready."""
    env = {"GOVLEDGER_DATABASE_URL": url, "GOVLEDGER_API_PORT": str(port), "GOVLEDGER_API_HOST": "127.0.0.1"}
    api = figures.child("api", {**env, "GOVLEDGER_API_WORKERS": str(workers)}, log)
    deadline = time.monotonic() + 60
    while http_get(port, "/ready")[0] != 200:
        if api.poll() is not None or time.monotonic() > deadline:
            figures.stop(api)
            raise RuntimeError(f"the API did not start: {log.read_text()[-2000:]}")
        time.sleep(0.2)
    return api


def report(name: str, every: str, found: dict[str, Any], health: dict[str, Any], target: float) -> float:
    """Print the table (each endpoint, `every` of them, the baseline), the rates and CPU, the
    ratio of the p99s and the target; return the ratio."""
    counts = lambda f: f"{f['requests']:>10}{f['errors']:>8}"
    print(figures.header("endpoint (ms)", f"{'requests':>10}{'errors':>8}"))
    for label, one in found["endpoints"].items():
        print(figures.row(f"GET {label}", one, counts(one)))
    print(figures.row(every, found, counts(found)))
    print(figures.row(f"baseline: GET {HEALTH}", health, counts(health)))
    for label, one in ((name, found), ("baseline", health)):
        late = one["client_send_lag_max_ms"]  # an open loop's; a closed loop sends when answered
        print(
            f"{label}: achieved {one['achieved_per_s']:,.1f} requests/s; CPU: the server"
            f" {one['server_cpu_cores']:.2f} cores, the client {one['client_cpu_cores']:.2f}"
            + (f"; the client sent each at most {late:.1f} ms late" if late else "")
            + (f"; errors {one['errors_by_kind']}" if one["errors"] else "")
        )
    ratio = found["p99"] / health["p99"]
    print(f"ratio p99 {name} : /health = {ratio:.2f}")
    print(
        f"target p99 < {target:.0f} ms: {found['p99']:.2f} ms, "
        + ("met" if found["p99"] < target else "missed")
    )
    return ratio


def run(
    rate: float, seconds: float, warmup: float, total: int, concurrency: int, workers: int, results: Path
) -> None:
    with figures.scratch_database() as url, tempfile.TemporaryDirectory() as tmp:
        clock, load_average = time.perf_counter(), os.getloadavg()[0]
        events, token = load(url)
        print(
            f"demo loaded: {events:,} events projected in {time.perf_counter() - clock:.1f} s;"
            f" the machine's load average (1 min) before: {load_average:.1f}"
        )
        port, auth = free_ports(), {"Authorization": f"Bearer {token}"}
        api = serve(url, port, Path(tmp) / "api.log", workers)
        try:
            for label, path in dict.fromkeys(paths(url)):
                status, body = http_get(port, path, auth)
                print(f"  {path:<44} {status} {len(body):>7,} bytes  ({label})")
            inventory = [(label, request(path, auth)) for label, path in paths(url)]
            health = [(HEALTH, request(HEALTH, {}))]
            asyncio.run(drive(port, inventory + health, rate, warmup))  # not counted
            print(
                f"open-loop asyncio client, {rate:.0f} requests/s for {seconds:.0f} s a phase"
                f" (after {warmup:.0f} s of warm-up); latency from each request's scheduled moment"
            )
            loaded = measure(port, inventory, rate, seconds, api.pid)
            idle = measure(port, health, rate, seconds, api.pid)
            burst_set = [(label, request(path, auth)) for label, path in MIXED]
            for label, path in MIXED:
                status, body = http_get(port, path, auth)
                print(f"  {path:<44} {status} {len(body):>7,} bytes  ({label})")
            burst_mixed = measure_burst(port, burst_set, total, concurrency, api.pid)
            burst_health = measure_burst(port, health, total, concurrency, api.pid)
        finally:
            figures.stop(api)
        ratio = report("inventory", "all inventory endpoints", loaded, idle, TARGET_P99_MS)
        print(f"closed-loop burst, {concurrency} clients at once; latency from sending to the last byte")
        burst_ratio = report("mixed", "all of the mixed set", burst_mixed, burst_health, TARGET_BURST_P99_MS)
    figures.record(
        "api",
        {
            "rate_per_s": rate,
            "workers": workers,
            "seconds": seconds,
            "events": events,
            "load_average_1m": round(load_average, 2),
            "client": "open-loop asyncio",
            "inventory": loaded,
            "baseline_health": idle,
            "ratio_p99": round(ratio, 2),
            "target_p99_ms": TARGET_P99_MS,
            "burst": {
                "requests": total,
                "concurrency": concurrency,
                "client": "closed-loop asyncio",
                "mixed": burst_mixed,
                "baseline_health": burst_health,
                "ratio_p99": round(burst_ratio, 2),
                "target_p99_ms": TARGET_BURST_P99_MS,
            },
        },
        results,
    )


def main() -> None:
    parser = figures.arguments(__doc__)
    parser.add_argument("--rate", type=float, default=200.0, help="requests a second (200)")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each phase (20)")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of load not counted (3)")
    parser.add_argument("--burst", type=int, default=2000, help="requests in the closed-loop burst (2000)")
    parser.add_argument("--concurrency", type=int, default=50, help="clients of the burst at once (50)")
    parser.add_argument("--workers", type=int, default=1, help="API processes (GOVLEDGER_API_WORKERS; 1)")
    args = parser.parse_args()
    run(args.rate, args.seconds, args.warmup, args.burst, args.concurrency, args.workers, args.results)


if __name__ == "__main__":
    main()
