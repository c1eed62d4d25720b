"""The fault drills at a tiny size: kill -9 every worker once, poison messages, four intake
workers in one group, one read model made to fail on one event — each run's state digest
must equal the clean run's."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support import run_script


def test_the_drills_lose_and_double_nothing_at_a_tiny_size(pg_server_url: str, tmp_path: Path) -> None:
    out = tmp_path / "drills.json"

    run_script(
        *("-m", "benchmarks.drills", "--commands", "1200", "--kills", "1", "--only", "a,c,d,e", "--parallel"),
        *("--out", str(out)),
        timeout=240,
        GOVLEDGER_BENCH_SERVER_URL=pg_server_url,
        GOVLEDGER_SESSION_TIMEOUT_MS="3000",
    )

    results = json.loads(out.read_text())
    assert sorted(results) == [
        "a: kill -9 workers",
        "c: poison messages",
        "d: four intakes, one group",
        "e: a read model poisoned",
    ]
    for result in results.values():
        assert result["ok"] and result["differences"] == [] and result["crashes"] == []
        assert result["events"] > 1000
    kills = results["a: kill -9 workers"]
    assert kills["kills"] == {"intake": 1, "project": 1, "relay": 1, "linkage": 1}
    assert kills["relay"]["missing"] == 0 and kills["relay"]["distinct"] == kills["relay"]["expected"]
    letters = results["c: poison messages"]["dead_letters"]
    assert letters["bad_sent"] == 120 and letters["missing_or_wrong_reason"] == {}
    quotas = results["d: four intakes, one group"]["quotas"]
    assert quotas["received"] == quotas["sent"] > 0
    stalled = results["e: a read model poisoned"]["stalled"]
    assert stalled["read_model"] == "town_power_inventory" and stalled["event_id"] > 0
    assert "drill" in stalled["error"] and stalled["others_differing_meanwhile"] == []
