"""What the benchmarks share: the PostgreSQL server and a scratch database on it, a broker,
percentiles, child workers, the command line and the results file (one JSON line a run in
benchmarks/results/bench.jsonl, dated, so runs can be compared)."""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parents[1]
SERVER = os.environ.get("GOVLEDGER_BENCH_SERVER_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
RESULTS = ROOT / "benchmarks" / "results" / "bench.jsonl"
QUANTILES = {"p50": 0.50, "p95": 0.95, "p99": 0.99, "max": 1.0}


@contextmanager
def scratch_database(keep: bool = False) -> Iterator[str]:
    """A database of its own on SERVER, dropped afterwards unless kept; yields its URL."""
    name = f"govledger_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = SERVER.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        if not keep:
            with psycopg.connect(SERVER, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE {name} WITH (FORCE)")
        print(f"database {name}: {'kept, ' + url if keep else 'dropped'}")


@contextmanager
def broker() -> Iterator[str]:
    """GOVLEDGER_KAFKA_BOOTSTRAP if set, else an embedded broker for the run."""
    from infra.ops.embedded import EmbeddedBroker

    configured = os.environ.get("GOVLEDGER_KAFKA_BOOTSTRAP")
    if configured:
        yield configured
        return
    with tempfile.TemporaryDirectory() as state, EmbeddedBroker(state) as running:
        yield running.bootstrap


def percentiles(ms: Sequence[float]) -> dict[str, float]:
    """p50, p95, p99 and max of the samples (nearest rank), in their unit; NaN when empty."""
    ordered = sorted(ms)
    if not ordered:
        return {name: float("nan") for name in QUANTILES}
    n = len(ordered)
    return {name: round(ordered[max(0, math.ceil(q * n) - 1)], 2) for name, q in QUANTILES.items()}


def row(label: str, figures: dict[str, float], extra: str = "") -> str:
    """One printed line: a label, then p50 p95 p99 max."""
    return f"{label:<34}" + "".join(f"{figures[k]:>9.2f}" for k in QUANTILES) + extra


def header(label: str, extra: str = "") -> str:
    return f"{label:<34}" + "".join(f"{k:>9}" for k in QUANTILES) + extra


def child(kind: str, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """`govledger KIND` as a child process, its output in `log`."""
    with open(log, "wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "infra.cli.main", kind],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def started(kind: str, env: dict[str, str], log: Path, timeout: float = 60.0) -> subprocess.Popen[bytes]:
    """`child`, once it has logged that it started (its schema statements done: two workers
    running the library's CREATE OR REPLACE FUNCTION at once can fail one of them)."""
    process, deadline = child(kind, env, log), time.monotonic() + timeout
    while b" started" not in log.read_bytes():
        if process.poll() is not None or time.monotonic() > deadline:
            stop(process)
            raise RuntimeError(f"{kind} did not start:\n{log.read_text()[-2000:]}")
        time.sleep(0.1)
    return process


def stop(process: subprocess.Popen[bytes], grace: float = 20.0) -> int | None:
    """SIGTERM, then SIGKILL after `grace` seconds; the exit code."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


def arguments(doc: str) -> argparse.ArgumentParser:
    """A benchmark's command line, described by the first line of its `doc`, with `--results`:
    the file `record` appends the run to."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--results", type=Path, default=RESULTS, help="the JSON-lines file")
    return parser


def record(benchmark: str, figures: dict[str, Any], path: Path = RESULTS) -> None:
    """Append the run to the results file: date, benchmark, commit, machine, figures."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    line = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "benchmark": benchmark,
        "commit": commit or None,
        "host": platform.node(),
        "cpus": os.cpu_count(),
        **figures,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
    print(f"results appended to {path}")
