"""The API latency benchmark at a tiny scale: it serves the demo, drives every inventory
endpoint and /health without an error, then the closed-loop burst over the mixed set and
/health, prints and records its figures, and cleans up."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from tests.support import bench_database_dropped, run_benchmark

FIGURES = r"(\s+\d+\.\d\d){4}"
ENDPOINTS = ("/towns/{town}/powers", "/towns/{town}/duties", "/quotas/{unit}", "/pool", "/towns")
MIXED = ("/dashboard", "/towns/{town}/powers", "/cases", "/monitors")


def test_the_api_benchmark_drives_every_inventory_endpoint_and_records_the_run(
    pg_server_url: str, tmp_path: Path
) -> None:
    out, run = run_benchmark(
        "benchmarks/api.py",
        *("--rate", "50", "--seconds", "2", "--warmup", "0.5", "--burst", "80", "--concurrency", "8"),
        scratch=tmp_path,
        timeout=180,
        GOVLEDGER_BENCH_SERVER_URL=pg_server_url,
    )

    assert int(re.search(r"demo loaded: ([\d,]+) events", out).group(1).replace(",", "")) > 5000
    assert len(re.findall(r"^  /api/v1/\S+\s+200\s+[\d,]+ bytes", out, re.M)) >= len(ENDPOINTS)
    for endpoint in ENDPOINTS:
        assert re.search(re.escape(f"GET {endpoint}") + FIGURES + r"\s+20\s+0$", out, re.M), endpoint
    assert re.search(r"all inventory endpoints" + FIGURES + r"\s+100\s+0$", out, re.M)
    assert re.search(r"baseline: GET /health" + FIGURES + r"\s+100\s+0$", out, re.M)
    assert re.search(r"ratio p99 inventory : /health = \d+\.\d\d", out)
    assert re.search(r"target p99 < 20 ms: \d+\.\d\d ms, (met|missed)", out)
    burst = out[out.index("closed-loop burst, 8 clients at once") :]
    for endpoint in MIXED:
        assert re.search(re.escape(f"GET {endpoint}") + FIGURES + r"\s+20\s+0$", burst, re.M), endpoint
    assert re.search(r"all of the mixed set" + FIGURES + r"\s+80\s+0$", burst, re.M)
    assert re.search(r"baseline: GET /health" + FIGURES + r"\s+80\s+0$", burst, re.M)
    assert re.search(r"ratio p99 mixed : /health = \d+\.\d\d", burst)
    assert re.search(r"target p99 < 100 ms: \d+\.\d\d ms, (met|missed)", burst)
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
