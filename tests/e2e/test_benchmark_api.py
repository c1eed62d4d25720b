"""The API latency benchmark at a tiny scale: it serves the demo, drives every inventory
endpoint and /health without an error, then the closed-loop burst over the mixed set and
/health, prints and records its figures, and cleans up."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from tests.support import bench_database_dropped, bench_line, run_benchmark

ENDPOINTS = ("/towns/{town}/powers", "/towns/{town}/duties", "/quotas/{unit}", "/pool", "/towns")
MIXED = ("/dashboard", "/towns/{town}/powers", "/cases", "/monitors")


def test_the_api_benchmark_drives_every_inventory_endpoint_and_records_the_run(
    pg_server_url: str, tmp_path: Path
) -> None:
    out, run = run_benchmark(
        "benchmarks/api.py",
        *("--rate", "50", "--seconds", "2", "--warmup", "0.5", "--burst", "80", "--concurrency", "8"),
        server_url=pg_server_url,
        scratch=tmp_path,
    )

    assert int(re.search(r"demo loaded: ([\d,]+) events", out).group(1).replace(",", "")) > 5000
    assert len(re.findall(r"^  /api/v1/\S+\s+200\s+[\d,]+ bytes", out, re.M)) >= len(ENDPOINTS)
    phases = out.split("closed-loop burst, 8 clients at once")
    assert len(phases) == 2  # the open-loop phases, then the burst
    for text, name, every, endpoints, each, total, target in (
        (phases[0], "inventory", "all inventory endpoints", ENDPOINTS, 20, 100, 20),
        (phases[1], "mixed", "all of the mixed set", MIXED, 20, 80, 100),
    ):
        for endpoint in endpoints:
            assert bench_line(text, f"GET {endpoint}", each), endpoint
        assert bench_line(text, every, total)
        assert bench_line(text, "baseline: GET /health", total)
        assert re.search(rf"ratio p99 {name} : /health = \d+\.\d\d", text)
        assert re.search(rf"target p99 < {target} ms: \d+\.\d\d ms, (met|missed)", text)
    assert bench_database_dropped(pg_server_url, out)

    assert run["benchmark"] == "api" and datetime.fromisoformat(run["date"])
    assert (run["inventory"]["requests"], run["inventory"]["errors"]) == (100, 0)
    assert set(run["inventory"]["endpoints"]) == set(ENDPOINTS)
    assert run["inventory"]["p50"] <= run["inventory"]["p99"] <= run["inventory"]["max"]
    assert run["ratio_p99"] == round(run["inventory"]["p99"] / run["baseline_health"]["p99"], 2)
    found = run["burst"]
    assert (found["requests"], found["concurrency"], found["mixed"]["errors"]) == (80, 8, 0)
    assert set(found["mixed"]["endpoints"]) == set(MIXED)
    assert found["ratio_p99"] == round(found["mixed"]["p99"] / found["baseline_health"]["p99"], 2)
