"""Linkage deadline clock: one tick over a million open cases, the timetable beside the full scan.

Builds the clock states of --held open cases as `fold` leaves them in the worker's table
(dispatched, signed for or in hand; town, district and city), --due of them owing one command
at the tick: a sign-for deadline passed, a resolution deadline passed, or a resolution
supervised a day ago and still open (escalation). The other cases' deadlines lie ahead, or
were met or supervised already. At each scale (10,000, 100,000 and --held cases) it times,
in the same run, one tick of a `Timetable` rebuilt from the states (what a worker does on
its start and on each rebalance) beside the baseline: `due`, the full scan of every state
that each tick made before; then the next tick, a clock interval later, when a few more fell
due. Each tick must send what the full scan owes, less what was sent already. Prints ms per
tick and their ratio, the memory the timetable holds beside the states' own at the largest
scale (tracemalloc), and the process's peak RSS.

    .venv/bin/python benchmarks/linkage_clock.py [--held 1000000] [--due 1000] [--repeat 3]
"""

from __future__ import annotations

import gc
import resource
import statistics
import sys
import time
import tracemalloc
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aggregates.linkage.deadlines import ESCALATE_AFTER
from benchmarks import figures
from consumers.linkage import clock

CHINA = timezone(timedelta(hours=8))
NOW = datetime(2021, 12, 1, 9, tzinfo=CHINA)
INTERVAL = timedelta(seconds=5)  # GOVLEDGER_LINKAGE_CLOCK_INTERVAL_S
TIERS = ("town", "town", "district", "city")
MB = 2**20


def _at(delta: timedelta) -> str:
    return (NOW + delta).isoformat()


# deadlines on a minute grid, a day either side of the tick: a few thousand strings shared
PASSED = [_at(-timedelta(minutes=m)) for m in range(1, 1_441)]
AHEAD = [_at(timedelta(minutes=m)) for m in range(1, 1_441)]
FAR = [_at(timedelta(days=d, minutes=m)) for d in range(1, 10) for m in range(0, 1_440, 7)]
ESCALATING = [_at(-ESCALATE_AFTER - timedelta(minutes=m)) for m in range(1, 1_441)]


def state(n: int, kind: int, owes: bool) -> dict[str, Any]:
    """Case n's clock state: owing one command at NOW if `owes`, else nothing until later;
    `kind` (0-9) says which."""
    s: dict[str, Any] = dict(
        case=f"C{n:07d}",
        round=1,
        tier=TIERS[n % len(TIERS)],
        lead=f"T{n % 1257:04d}",
        status="dispatched",
        sign_for_by=PASSED[n % 1440],
        resolve_by=FAR[n % len(FAR)],
        signed=False,
        supervised=[],
        version=1 + n % 7,
    )
    if owes:
        if kind < 6:  # the sign-for deadline passed
            return s
        s.update(status="signed", signed=True)
        if kind < 9:  # the resolution deadline passed
            s["resolve_by"] = PASSED[n % 1440]
        else:  # supervised for its resolution a day ago, still open: escalated
            s.update(tier="town", resolve_by=ESCALATING[n % 1440])
            s["supervised"] = [f"resolve@{s['resolve_by']}"]
        return s
    if kind < 4:  # to sign for
        s["sign_for_by"] = AHEAD[n % 1440]
    elif kind < 8:  # signed for, or in hand
        s.update(status="handling" if kind % 2 else "signed", signed=True)
    elif kind < 9:  # supervised for signing, resolution ahead
        s["supervised"] = [f"sign_for@{s['sign_for_by']}"]
    else:  # supervised for its resolution, escalation tomorrow
        s.update(status="handling", signed=True, tier="district", resolve_by=PASSED[n % 1440])
        s["supervised"] = [f"resolve@{s['resolve_by']}"]
    return s


def table(held: int, due: int) -> list[dict[str, Any]]:
    """`held` states, `due` of them owing, spread evenly through the table."""
    stride = max(1, held // due)
    return [
        state(n, (n // stride) % 10, True)
        if n % stride == 0 and n // stride < due
        else state(n, n % 10, False)
        for n in range(held)
    ]


def ms(seconds: list[float]) -> float:
    return round(statistics.median(seconds) * 1000, 2)


def run(held: int, due: int, repeat: int, measure_memory: bool) -> dict[str, Any]:
    if measure_memory:
        gc.collect()
        tracemalloc.start()
    states = table(held, due)
    if measure_memory:
        states_bytes = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
    now = NOW.astimezone(UTC)
    scans, rebuilds, ticks, following = [], [], [], []
    for _ in range(repeat):
        started = time.perf_counter()
        owed = clock.due(states, now)
        scans.append(time.perf_counter() - started)
    for _ in range(repeat):
        started = time.perf_counter()
        timetable = clock.Timetable.rebuild(states)
        rebuilds.append(time.perf_counter() - started)
        started = time.perf_counter()
        sent = timetable.due(now)
        ticks.append(time.perf_counter() - started)
        started = time.perf_counter()
        again = timetable.due(now + INTERVAL)
        following.append(time.perf_counter() - started)
        examined = timetable.examined
        del timetable  # before the next is built
    later = {c.message_id for c in clock.due(states, now + INTERVAL)} - {c.message_id for c in owed}
    assert len(owed) == due, len(owed)
    assert sorted(c.message_id for c in sent) == sorted(c.message_id for c in owed)
    assert {c.message_id for c in again} == later
    figures_ = {
        "held": held,
        "due": due,
        "scan_ms": ms(scans),
        "tick_ms": ms(ticks),
        "ratio": round(statistics.median(scans) / statistics.median(ticks), 1),
        "next_tick_ms": ms(following),
        "rebuild_s": round(statistics.median(rebuilds), 2),
        "examined": examined,
    }
    print(
        f"{held:>10,} {due:>6,} {figures_['scan_ms']:>12,.1f} {figures_['tick_ms']:>10,.2f}"
        f" {figures_['ratio']:>9,.0f}x {figures_['next_tick_ms']:>12,.3f} {figures_['rebuild_s']:>10,.2f}"
        f" {examined:>9,}"
    )
    if measure_memory:
        gc.collect()
        tracemalloc.start()
        timetable = clock.Timetable.rebuild(states)
        timetable_bytes = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        figures_.update(
            timetable_mb=round(timetable_bytes / MB, 1),
            states_mb=round(states_bytes / MB, 1),
            bytes_per_case=round(timetable_bytes / len(timetable)),
        )
    return figures_


def main() -> None:
    parser = figures.arguments(__doc__)
    parser.add_argument("--held", type=int, default=1_000_000, help="open cases at the largest scale")
    parser.add_argument("--due", type=int, default=1_000, help="cases owing a command at the tick")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (medians printed)")
    args = parser.parse_args()
    scales = sorted({s for s in (10_000, 100_000) if s < args.held} | {args.held})
    print(
        f"{'held':>10} {'due':>6} {'full scan ms':>12} {'tick ms':>10} {'ratio':>10}"
        f" {'next tick ms':>12} {'rebuild s':>10} {'examined':>9}"
    )
    rows = [run(held, min(args.due, held), args.repeat, held == scales[-1]) for held in scales]
    largest = rows[-1]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"timetable of {largest['held']:,} cases: {largest['timetable_mb']:,.1f} MB"
        f" ({largest['bytes_per_case']} bytes a case) beside {largest['states_mb']:,.1f} MB"
        " of clock states in the table (tracemalloc)\n"
        f"target: a tick < 1 s at 1,000,000 held with 1,000 due\n"
        f"peak RSS of this process {peak:,.0f} MB"
    )
    figures.record("linkage_clock", {"scales": rows, "peak_rss_mb": round(peak)}, args.results)


if __name__ == "__main__":
    main()
