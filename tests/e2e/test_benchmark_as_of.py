"""The as-of benchmark at a tiny scale: it runs, prints its figures and cleans up after itself."""

from __future__ import annotations

import re

from tests.support import bench_database_dropped, run_script


def test_the_as_of_benchmark_prints_every_figure_at_a_tiny_scale(pg_server_url: str) -> None:
    out = run_script(
        "benchmarks/as_of.py",
        *("--events", "8000", "--queries", "30"),
        timeout=240,
        GOVLEDGER_BENCH_SERVER_URL=pg_server_url,
    )

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
    assert bench_database_dropped(pg_server_url, out)
