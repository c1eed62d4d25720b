"""What the relay put on the events topics, against what the store holds: every published
event there (no gap), each at least once; repeats are allowed (at-least-once) and counted."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import msgspec
from kafka import KafkaConsumer

from benchmarks.drills.stack import Stack
from infra.contexts import FAMILIES, published


class _Published(msgspec.Struct):
    event_id: str


_decoder = msgspec.json.Decoder(_Published)


def expected_ids(stack: Stack, page: int = 10_000) -> set[str]:
    """The ids of the stored events the relay publishes (`aggregate:version`)."""
    ledger, start, ids = stack.ledger, 0, set()
    while notifications := ledger.recorder.select_notifications(
        start=start, limit=page, inclusive_of_start=False
    ):
        for n in notifications:
            if published(ledger.mapper.to_domain_event(n)):
                ids.add(f"{n.originator_id}:{n.originator_version}")
        start = notifications[-1].id
    return ids


def relay_check(stack: Stack, patience_s: float = 60) -> dict[str, Any]:
    """Read the topics until every expected event was seen (or `patience_s` passed), then on
    until they are quiet for a moment, counting repeats."""
    wanted = expected_ids(stack)
    topics = stack.settings.topics.event_topics(list(FAMILIES)).values()
    consumer = KafkaConsumer(
        *topics, bootstrap_servers=stack.broker, group_id=None, auto_offset_reset="earliest"
    )
    seen: Counter[str] = Counter()
    deadline, quiet = time.monotonic() + patience_s, 0
    while time.monotonic() < deadline and quiet < 3:
        batches = consumer.poll(timeout_ms=500)
        for records in batches.values():
            seen.update(_decoder.decode(record.value).event_id for record in records)
        quiet = quiet + 1 if not batches and wanted <= set(seen) else 0
    consumer.close()
    return {
        "expected": len(wanted),
        "records": sum(seen.values()),
        "distinct": len(seen),
        "duplicates": sum(seen.values()) - len(seen),
        "missing": len(wanted - set(seen)),
        "unknown": len(set(seen) - wanted),
    }
