"""Two linkage workers in one consumer group on a real broker: they split the case events'
partitions between them, each reads the whole catalogue, and every case is routed right
whichever worker its partition landed on."""

from __future__ import annotations

import json
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import msgspec
from kafka import KafkaConsumer, KafkaProducer

from consumers.linkage import SOURCE_FAMILIES
from contracts.linkage import commands as c
from infra.kafka import clients as kafka
from infra.ops.linkage_process import LinkageProcess
from infra.settings import Linkage, Settings
from tests.integration.intake.published import T0, holding, item, raw, reported
from tests.support import own_topics

ITEMS, TOWNS, CASES = 12, 4, 120


def _held(log: Path, topic: str) -> set[int]:
    """The partitions of `topic` the worker last said it holds (its log's JSON lines)."""
    held: set[int] = set()
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("{") and '"partitions assigned"' in line:
            named = json.loads(line)["partitions"]
            held = {int(p.rpartition("/")[2]) for p in named if p.rpartition("/")[0] == topic}
    return held


def test_two_workers_split_the_partitions_and_route_every_case_right(broker: str, tmp_path) -> None:
    tag = uuid.uuid4().hex[:8]
    settings = Settings(
        topics=own_topics(f"scale.{tag}", partitions=4),
        linkage=Linkage(app_id=f"test-scale-{tag}", clock="ticks"),
        session_timeout_ms=6000,
    )
    topics = settings.topics.event_topics(list(SOURCE_FAMILIES))
    kafka.ensure_topics(
        broker, settings, extra=[*topics.values(), settings.topics.ticks, settings.topics.metrics]
    )
    producer = KafkaProducer(bootstrap_servers=broker, acks="all")
    for i in range(ITEMS):
        code = f"P{i:02d}"
        producer.send(topics["powers"], key=code.encode(), value=raw(item(code, f"D{i % 3}")))
        for t in range(TOWNS):
            if (i + t) % 2:  # half the pairs delegated
                producer.send(
                    topics["powers"], key=code.encode(), value=raw(holding(code, f"T{t}", date(2021, 7, 1)))
                )
    producer.flush()

    expected = {}
    with (
        LinkageProcess(settings, broker, tmp_path / "first.log"),
        LinkageProcess(settings, broker, tmp_path / "second.log"),
    ):
        logs, cases_topic = [tmp_path / "first.log", tmp_path / "second.log"], topics["linkage"]
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            held = [_held(log, cases_topic) for log in logs]
            if all(held) and held[0] | held[1] == {0, 1, 2, 3}:
                break
            time.sleep(1)
        for n in range(CASES):
            i, t = n % ITEMS, n % TOWNS
            case = f"S{tag}-{n:03d}"
            producer.send(
                topics["linkage"],
                key=case.encode(),
                value=raw(reported(case, f"T{t}", T0 + timedelta(seconds=n), item=f"P{i:02d}")),
            )
            expected[case] = ("town", f"T{t}") if (i + t) % 2 else ("district", f"D{i % 3}")
        producer.flush()
        consumer = KafkaConsumer(
            settings.topics.linkage,
            bootstrap_servers=broker,
            auto_offset_reset="earliest",
            consumer_timeout_ms=60_000,
        )
        routed = {}
        for record in consumer:
            dispatch = msgspec.json.decode(record.value, type=c.DispatchCase).payload
            routed[dispatch.case] = (dispatch.tier, dispatch.lead)
            if len(routed) >= CASES:
                break
        consumer.close()
    producer.close()

    assert len(held) == 2 and all(held) and not held[0] & held[1]  # both working, nothing shared
    assert held[0] | held[1] == {0, 1, 2, 3}
    assert routed == expected
