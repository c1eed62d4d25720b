"""The as-of benchmark at a tiny scale: it runs, prints its figures and cleans up after itself."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]


def _exists(server: str, database: str) -> bool:
    with psycopg.connect(server) as conn:
        return (
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone() is not None
        )


def test_the_as_of_benchmark_prints_every_figure_at_a_tiny_scale(pg_server_url: str) -> None:
    env = {**os.environ, "GOVLEDGER_BENCH_SERVER_URL": pg_server_url}

    done = subprocess.run(
        [sys.executable, "benchmarks/as_of.py", "--events", "8000", "--queries", "30"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )

    out = done.stdout
    assert done.returncode == 0, done.stderr
    assert re.search(r"towns x items\s+2 x 700", out)
    assert re.search(r"refused 0,", out)
    stored = int(re.search(r"events stored\s+([\d,]+)", out).group(1).replace(",", ""))
    assert stored >= 7000
    for figure in ("load: wall time", "projection: wall time"):
        assert re.search(figure + r"\s+[\d.]+ s\s+[\d,]+ events/s", out), figure
    for path in (
        "as of (day D, known at K)",
        "known now (town_powers)",
        "baseline: holding_versions by town",
    ):
        assert re.search(re.escape(path) + r"(\s+\d+\.\d\d){4}\s+\d+", out), path
    assert len(re.findall(r"ratio .* : baseline\s+p50 \d+\.\d\d\s+p99 \d+\.\d\d", out)) == 2
    assert "as of now == current inventory on 30 of 30 samples" in out
    assert "Execution Time" in out
    database = re.search(r"database (govledger_bench_\w+): dropped", out).group(1)
    assert not _exists(pg_server_url, database)
