"""The command-to-read-model latency benchmark at a tiny scale: the intake and projection
workers take every probe through to the read model under background load, and the run is
printed and recorded."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from tests.support import bench_line, run_benchmark


def test_the_latency_benchmark_sees_every_probe_in_the_read_model_and_records_the_run(
    pg_server_url: str, broker: str, tmp_path: Path
) -> None:
    out, run = run_benchmark(
        "benchmarks/latency.py",
        *("--probes", "20", "--rate", "50", "--settle", "1"),
        server_url=pg_server_url,
        scratch=tmp_path,
        GOVLEDGER_KAFKA_BOOTSTRAP=broker,
    )

    for path in (
        "publish -> power_items row visible",
        "of it: publish -> event stored",
        "baseline: publish -> plain consumer",
        "the same, fetch max wait 500 ms",
    ):
        assert bench_line(out, path, 20), path
    assert re.search(r"background: [\d,]+ delegation commands at [\d.]+/s", out)
    assert re.search(r"ratio p99 ledger : raw Kafka = \d+\.\d\d", out)
    assert re.search(r"target p99 < 250 ms: \d+\.\d\d ms, (met|missed)", out)
    exits = re.search(r"workers exited (\{.*?\});", out).group(1)
    assert "'intake': 0" in exits and "'project': 0" in exits  # both stopped cleanly on SIGTERM
    head, projected = re.search(r"at the end: ([\d,]+) events stored, ([\d,]+) projected", out).groups()
    assert 20 < int(projected.replace(",", "")) <= int(head.replace(",", ""))

    assert run["benchmark"] == "latency" and datetime.fromisoformat(run["date"])
    assert run["ledger"]["probes"] == 20 and run["ledger"]["unseen"] == 0
    assert run["stored"]["p50"] <= run["ledger"]["p50"]  # stored before it can be projected
    assert run["background_per_s"] > 0
