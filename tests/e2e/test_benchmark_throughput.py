"""The intake and rebuild benchmarks at a tiny scale: they run, print every figure, append
their JSON line to the results file and clean up after themselves."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import psycopg

from infra import contexts
from tests.support import bench_database_dropped, run_benchmark


def _run(script: str, *args: str, server: str, scratch: Path) -> tuple[str, Any]:
    """What the benchmark printed and the run it recorded, run on the server without a broker."""
    return run_benchmark(
        script, *args, server_url=server, scratch=scratch, timeout=300, GOVLEDGER_KAFKA_BOOTSTRAP=None
    )


def _number(pattern: str, out: str) -> int:
    found = re.search(pattern, out)
    assert found, pattern
    return int(found.group(1).replace(",", ""))


def test_the_intake_benchmark_runs_two_workers_and_applies_every_command(
    pg_server_url: str, tmp_path: Path
) -> None:
    out, line = _run(
        "benchmarks/intake.py", "--commands", "3000", "--workers", "2", server=pg_server_url, scratch=tmp_path
    )

    published = _number(r"commands published\s+([\d,]+)", out)
    assert published >= 3000
    assert _number(r"intake: applied\s+([\d,]+)", out) == published
    events = _number(r"intake: events stored\s+([\d,]+)", out)
    assert events > published
    for role in ("intake", "intake-2"):
        assert re.search(rf"  {role}\s+peak RSS\s+[\d,]+ MB\s+CPU\s+[\d.]+ s", out), role
    assert re.search(r"ratio intake commands/s : baseline rows/s = \d+\.\d\d", out)
    assert re.search(r"target >= 10,000 commands/s: [\d,]+, (met|missed); RSS < 500 MB", out)
    assert (line["benchmark"], line["commands"], line["workers"], line["events"]) == (
        "intake",
        published,
        2,
        events,
    )
    with psycopg.connect(pg_server_url) as conn:
        assert not conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE 'govledger_drill_bench_intake%'"
        ).fetchall()


def test_the_rebuild_benchmark_rebuilds_the_whole_log_with_progress(
    pg_server_url: str, tmp_path: Path
) -> None:
    out, line = _run("benchmarks/rebuild.py", "--events", "8000", server=pg_server_url, scratch=tmp_path)

    stored = _number(r"log built: .* ([\d,]+) events in", out)
    assert stored >= 7000
    assert _number(r"events in the log\s+([\d,]+)", out) == stored
    assert re.search(rf"rebuild 100.0%\s+{stored:,} of {stored:,}", out)
    assert re.search(rf"rebuild: {len(contexts.read_models())} read models, reading \d+ event topics", out)
    assert re.search(r"baseline: ordered read\s+[\d,]+ rows/s", out)
    assert re.search(r"ratio rebuild : baseline = \d+\.\d{3}", out)
    assert re.search(r"target >= 50,000 events/s: [\d,]+, (met|missed)", out)
    assert re.search(r"rebuild: town_power_inventory alone\s+[\d,]+ events/s", out)
    assert re.search(r"ratio one : all = \d+\.\d{3}", out)
    shown = re.search(
        r"dashboard meanwhile: (\d+) answers, (\d+) of them 200; items held shown (\d+)\.\.(\d+)", out
    )
    assert (
        shown and int(shown[1]) == int(shown[2]) > 0 and int(shown[3]) == int(shown[4]) > 0
    )  # never emptied
    assert (line["benchmark"], line["events"]) == ("rebuild", stored)
    assert bench_database_dropped(pg_server_url, out)
