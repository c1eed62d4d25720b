"""Drill (c): bad messages — malformed, oversized, wrongly typed, of an unknown version,
breaking a rule — mixed at random into the good ones (`--commands`, one bad per ten good):
every bad one must reach the dead-letter topic with its reason, every good one must be
applied (the state equals a clean run of the good ones alone), and no worker may crash.

    .venv/bin/python -m benchmarks.drills.poison [--commands 100000]
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from typing import Any

import msgspec
from kafka import KafkaConsumer

from benchmarks.drills import pipeline, report
from benchmarks.drills.faults import bad_messages, mixed
from benchmarks.drills.stack import Site, Stack
from benchmarks.drills.workload import Workload, workload
from contracts.deadletter import DeadLetter

ROLES = pipeline.PLAIN_ROLES


def dead_letters(stack: Stack) -> dict[bytes, list[str]]:
    """Every letter on the dead-letter topic: the rules given for each original message."""
    consumer = KafkaConsumer(
        stack.settings.topics.dead_letters,
        bootstrap_servers=stack.broker,
        group_id=None,
        auto_offset_reset="earliest",
        consumer_timeout_ms=1500,
        fetch_max_bytes=64 * 1024 * 1024,
    )
    letters: dict[bytes, list[str]] = defaultdict(list)
    for record in consumer:
        letter = msgspec.json.decode(record.value, type=DeadLetter)
        letters[letter.original].append(letter.rule)
    consumer.close()
    return letters


def drill(
    site: Site, commands: int, clean: pipeline.Outcome | None = None, linkage: bool = False
) -> dict[str, Any]:
    good = workload(commands, linkage=linkage)
    clean = clean or pipeline.reference(site, good, ROLES)
    bad = bad_messages(max(1, commands // 10))
    work = Workload([mixed(good.phases[0], bad), *good.phases[1:]], good.reports)
    with site.stack("poison") as stack:
        outcome = pipeline.run(stack, work, (*ROLES, "linkage") if linkage else ROLES)
        letters = dead_letters(stack)
    wrong = Counter(rule for value, rule in bad.items() if rule not in letters.get(value, []))
    return report.result(
        "c: poison messages",
        work,
        clean,
        outcome,
        ok=not wrong,
        dead_letters={
            "bad_sent": len(bad),
            "by_rule": dict(Counter(bad.values())),
            "missing_or_wrong_reason": dict(wrong),
            "repeated": sum(len(v) - 1 for v in letters.values() if v and len(v) > 1),
        },
    )


if __name__ == "__main__":
    sys.exit(report.main(__doc__, lambda o: [drill(o.site, o.commands)]))
