"""What the relay put on the events topics, against what the store holds: every published
event there (no gap), each at least once; repeats are allowed (at-least-once) and counted."""

from __future__ import annotations

from collections import Counter
from typing import Any

import msgspec
from kafka import KafkaConsumer

from benchmarks.drills.stack import Stack
from infra.event_contracts import FAMILIES, published


class _Published(msgspec.Struct):
    event_id: str


_decoder = msgspec.json.Decoder(_Published)


def expected_ids(stack: Stack, page: int = 10_000) -> set[str]:
    """The ids of the stored events the relay publishes (`aggregate:version`)."""
    ledger, start, ids = stack.ledger, 0, set()
    while notifications := ledger.recorder.select_notifications(
            start=start, limit=page, inclusive_of_start=False):
        for n in notifications:
            if published(ledger.mapper.to_domain_event(n)):
                ids.add(f"{n.originator_id}:{n.originator_version}")
        start = notifications[-1].id
    return ids


def relay_check(stack: Stack) -> dict[str, Any]:
    topics = stack.settings.topics.event_topics(list(FAMILIES)).values()
    consumer = KafkaConsumer(*topics, bootstrap_servers=stack.broker, group_id=None,
                             auto_offset_reset="earliest", consumer_timeout_ms=1500)
    seen: Counter[str] = Counter(_decoder.decode(record.value).event_id for record in consumer)
    consumer.close()
    wanted = expected_ids(stack)
    return {"expected": len(wanted), "records": sum(seen.values()), "distinct": len(seen),
            "duplicates": sum(seen.values()) - len(seen), "missing": len(wanted - set(seen)),
            "unknown": len(set(seen) - wanted)}
