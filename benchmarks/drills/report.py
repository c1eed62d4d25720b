"""The drills' common command line, their results (benchmarks/results/drills.json) and table."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import figures
from benchmarks.drills.stack import Site
from infra.ops.embedded import EmbeddedBroker
from infra.store.checksum import differences

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "results" / "drills.json"


def result(name: str, work: Any, clean: Any, outcome: Any, ok: bool = True, **details: Any) -> dict[str, Any]:
    """One drill's record: what ran, how long, and whether the state matched the clean run.
    It is ok when it matched, no worker crashed in either run, and the drill's own `ok` holds."""
    found = differences(clean.digest, outcome.digest)
    return {
        "drill": name,
        "ok": ok and not found and not outcome.crashes and not clean.crashes,
        "commands": work.commands,
        "events": outcome.digest["events"],
        "clean_events": clean.digest["events"],
        "seconds": round(outcome.seconds, 1),
        "clean_seconds": round(clean.seconds, 1),
        "crashes": outcome.crashes,
        "clean_crashes": clean.crashes,
        "differences": found,
        **details,
    }


def write(results: list[dict[str, Any]], path: Path = RESULTS) -> None:
    """Merge into the results file, one record per drill (the latest run of each)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    kept = json.loads(path.read_text()) if path.exists() else {}
    for record in results:
        kept[record["drill"]] = {**record, "at": time.strftime("%Y-%m-%d %H:%M:%S")}
    path.write_text(json.dumps(kept, indent=2, ensure_ascii=False, default=str) + "\n")


def table(results: list[dict[str, Any]]) -> str:
    lines = [f"{'drill':<34} {'ok':<4} {'commands':>9} {'events':>9} {'clean':>9} {'s':>7}  notes"]
    for r in results:
        notes = {
            k: v
            for k, v in r.items()
            if k
            in (
                "kills",
                "restarts",
                "relay",
                "dead_letters",
                "quotas",
                "conflicts_retried",
                "stalled",
                "crashes",
                "clean_crashes",
            )
            and v
        }
        lines.append(
            f"{r['drill']:<34} {'yes' if r['ok'] else 'NO':<4} {r['commands']:>9,}"
            f" {r['events']:>9,} {r['clean_events']:>9,} {r['seconds']:>7.1f}  {notes}"
        )
        lines += [f"    differs: {line}" for line in r["differences"][:10]]
    return "\n".join(lines)


def options(doc: str, argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--commands", type=int, default=100_000)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--server", default=figures.SERVER, help="PostgreSQL to create databases on")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--only", default="a,b,c,d,e", help="which drills (python -m benchmarks.drills)")
    parser.add_argument("--parallel", action="store_true", help="drill (a) beside the others")
    return parser.parse_args(argv)


def main(
    doc: str, drills: Callable[[argparse.Namespace], list[dict[str, Any]]], argv: list[str] | None = None
) -> int:
    """Parse the options, start a broker, run the drills (the options' `site`: where they run),
    write and print the results."""
    chosen = options(doc, argv)
    with tempfile.TemporaryDirectory(prefix="govledger-drills-") as state, EmbeddedBroker(state) as broker:
        chosen.site = Site(
            chosen.server, broker.bootstrap, Path(tempfile.mkdtemp(prefix="govledger-drill-logs-"))
        )
        results = drills(chosen)
    write(results, chosen.out)
    print(table(results))
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main(__doc__, lambda _: []))
