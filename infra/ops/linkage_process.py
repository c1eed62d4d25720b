"""Running the linkage beside the ledger in one go: the faust worker in its own process, and
a loop that takes in commands and relays events until a condition holds (the demo, tests)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import msgspec
from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition

from consumers.linkage import SOURCE_FAMILIES
from consumers.linkage.app import catalogue_group
from contracts.linkage.commands import ClockTick
from infra.kafka.clients import client_options
from infra.settings import Settings


class LinkageProcess:
    """`govledger linkage` as a child process with the given settings; its log in `log`."""

    def __init__(self, settings: Settings, bootstrap: str, log: Path) -> None:
        self.settings, self.bootstrap, self.log = settings, bootstrap, log
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> LinkageProcess:
        env = {**os.environ, **self.settings.to_env(), "GOVLEDGER_KAFKA_BOOTSTRAP": self.bootstrap}
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "infra.cli.main", "linkage"],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=Path(__file__).resolve().parents[2],
            )
        return self

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def committed(bootstrap: str, group: str, settings: Settings | None = None) -> Counter[str]:
    """How many records of each topic the consumer group has committed (offsets start at 0);
    reached as `settings` say (without them, in plaintext, as the embedded broker)."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, **client_options(settings or Settings()))
    try:
        offsets = admin.list_group_offsets({group: None}).get(group, {})
    finally:
        admin.close()
    counts: Counter[str] = Counter()
    for tp, meta in offsets.items():
        counts[tp.topic] += max(meta.offset, 0)
    return counts


def ends(bootstrap: str, topics: list[str], settings: Settings | None = None) -> Counter[str]:
    """How many records each topic holds (the sum of its partitions' end offsets); reached as
    `committed` is."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, **client_options(settings or Settings()))
    try:
        partitions = [
            TopicPartition(topic, p) for topic in topics for p in consumer.partitions_for_topic(topic) or ()
        ]
        counts: Counter[str] = Counter()
        for tp, offset in consumer.end_offsets(partitions).items():
            counts[tp.topic] += offset
        return counts
    finally:
        consumer.close()


def caught_up(bootstrap: str, settings: Settings, relay: Any) -> bool:
    """Whether the linkage worker has read every event the relay published to its topics (the
    catalogue's by its reader, the cases' by the group), and its agents everything they
    passed on to each other (its internal topic): a report sent before the catalogue holds
    a delegation would be routed without it."""
    events = settings.topics.event_topics(list(SOURCE_FAMILIES))
    cases = events.pop("linkage")
    read = committed(bootstrap, catalogue_group(settings.linkage.app_id), settings)
    done = committed(bootstrap, settings.linkage.app_id, settings)
    if not all(read[topic] >= relay.stats.by_topic[topic] for topic in events.values()):
        return False
    if done[cases] < relay.stats.by_topic[cases]:
        return False
    internal = [f"{settings.linkage.app_id}-tally"]
    return all(done[topic] >= held for topic, held in ends(bootstrap, internal, settings).items())


def tick(producer: Any, settings: Settings, at: datetime) -> None:
    """Move the deadline clock to `at` (when it runs on ticks)."""
    producer.send(settings.topics.ticks, value=msgspec.json.encode(ClockTick(at=at)))
    producer.flush()


def pump(
    worker: Any, relay: Any, until: Callable[[], bool], timeout: float, linkage: LinkageProcess | None = None
) -> bool:
    """Take in commands and relay the events they made, round after round, until `until()`
    holds (True) or `timeout` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        relay.catch_up()
        if until():
            return True
        if linkage is not None and not linkage.alive():
            raise RuntimeError(f"the linkage worker stopped; see {linkage.log}")
        round_ends = time.monotonic() + 0.5
        worker.run(lambda ends=round_ends: time.monotonic() > ends)
    relay.catch_up()
    return until()
