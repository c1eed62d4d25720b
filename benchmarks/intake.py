"""Intake backfill: delegation commands through Kafka into the event store.

Publishes the commands first, then starts `--workers` real `govledger intake` processes in
one consumer group and prints commands/s from the first committed batch to the last
(consume, decode, rules, one transaction per batch: events, hash chain, offsets, message
ids), the workers' peak RSS and CPU, beside a baseline measured in the same run on the
same PostgreSQL: raw batched INSERTs of as many rows as events were stored, 100 rows per
transaction.

    .venv/bin/python benchmarks/intake.py [--commands 1000000] [--workers 2]

Uses GOVLEDGER_KAFKA_BOOTSTRAP if set, else an embedded broker; creates and drops its
own database on GOVLEDGER_BENCH_SERVER_URL (default: the local PostgreSQL on 5432).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import figures
from benchmarks.drills.stack import Stack
from tests.support import delegate, encoded, register

TICKS = os.sysconf("SC_CLK_TCK")


def commands(count: int) -> list:
    items = [f"P{i:04d}" for i in range(700)]  # ~700 items per town, as in Jiangsu
    towns = [f"T{j:04d}" for j in range(count // (3 * len(items)) + 1)]
    out = list(map(register, items))
    for town in towns:
        for item in items:
            out.extend(delegate(item, town))
            if len(out) >= count + len(items):
                return out
    return out


def baseline(url: str, rows: int, payload: bytes) -> float:
    with psycopg.connect(url) as conn:
        conn.execute(
            "CREATE TABLE baseline (id uuid, version int, topic text, state bytea, PRIMARY KEY (id, version))"
        )
        conn.commit()
        started = time.perf_counter()
        for start in range(0, rows, 100):
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO baseline VALUES (%s, %s, %s, %s)",
                    [
                        (uuid.uuid4(), 1, "Delegation.Approved", payload)
                        for _ in range(min(100, rows - start))
                    ],
                )
            conn.commit()
        return rows / (time.perf_counter() - started)


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def run(count: int, workers: int, broker: str, logs: Path, results: Path) -> None:
    stack = Stack(figures.SERVER, broker, logs, "bench-intake", max_poll_records=2000)
    try:
        messages = encoded(commands(count))
        started = time.perf_counter()
        stack.publish(messages)
        published = time.perf_counter() - started
        roles = ["intake"] + [f"intake-{n}" for n in range(2, workers + 1)]
        started = time.time()  # wall-clock time, to compare with PostgreSQL's
        for role in roles:
            stack.start(role)
        while not stack.intake_done():
            if stack.crashed():
                raise SystemExit(f"a worker exited: {stack.crashed()} (logs in {stack.logs})")
            time.sleep(0.1)
        ended = time.time()
        # the first batch's transaction began at its rows' received_at (same machine, same clock)
        first = float(stack.query("SELECT extract(epoch FROM min(received_at)) FROM intake_messages"))
        pids = {role: p.pid for role, p in stack.workers.items()}
        rss = {role: peak_rss_mb(pid) for role, pid in pids.items()}
        cpu = {role: cpu_seconds(pid) for role, pid in pids.items()}
        stack.stop()
        applied, events = (
            stack.query("SELECT count(*) FROM intake_messages WHERE outcome = 'applied'"),
            stack.head(),
        )
        elapsed = max(ended - first, 1e-3)
        rate = len(messages) / elapsed
        base = baseline(stack.url, events, b"x" * len(messages[-1][1]))
        print(f"commands published        {len(messages):>10,}  ({len(messages) / published:,.0f}/s)")
        print(f"intake workers            {workers:>10}  (`govledger intake`, one consumer group)")
        print(f"intake: applied           {applied:>10,}")
        print(f"intake: events stored     {events:>10,}")
        print(
            f"intake: wall time         {elapsed:>10.1f} s from the first committed batch"
            f" (starting and joining the group before it: {first - started:.1f} s)"
        )
        print(f"intake: commands/s        {rate:>10,.0f}")
        print(f"intake: events/s          {events / elapsed:>10,.0f}")
        for role in roles:
            print(
                f"  {role:<10} peak RSS {rss[role]:>6,.0f} MB   CPU {cpu[role]:>6.1f} s"
                f" ({cpu[role] / elapsed:.2f} cores)"
            )
        print(f"baseline: raw INSERT rows/s (100 per transaction) {base:>10,.0f}")
        print(f"ratio intake commands/s : baseline rows/s = {rate / base:.2f}")
        print(
            f"target >= 10,000 commands/s: {rate:,.0f}, {'met' if rate >= 10_000 else 'missed'};"
            f" RSS < 500 MB: {max(rss.values()):,.0f} MB,"
            f" {'met' if max(rss.values()) < 500 else 'missed'}"
        )
        figures.record(
            "intake",
            {
                "commands": len(messages),
                "workers": workers,
                "events": events,
                "seconds": round(elapsed, 1),
                "commands_per_s": round(rate),
                "baseline_rows_per_s": round(base),
                "ratio": round(rate / base, 3),
                "peak_rss_mb": {r: round(v) for r, v in rss.items()},
                "cpu_s": {r: round(v, 1) for r, v in cpu.items()},
            },
            results,
        )
    finally:
        stack.close()


def main() -> None:
    parser = figures.arguments(__doc__)
    parser.add_argument("--commands", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    o = parser.parse_args()
    with figures.broker() as broker, tempfile.TemporaryDirectory() as logs:
        run(o.commands, o.workers, broker, Path(logs), o.results)


if __name__ == "__main__":
    main()
