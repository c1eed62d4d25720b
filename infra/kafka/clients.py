"""Kafka wiring: topics, clients, and publishing the dead letters the intake stored."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC

import msgspec
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from contracts.deadletter import DeadLetter
from infra import contexts
from infra.settings import Settings, Topics
from infra.store.recorder import LedgerRecorder

_encoder = msgspec.json.Encoder()


def ensure_topics(bootstrap: str, settings: Settings, extra: list[str] | None = None) -> str:
    """Create our topics (and `extra` ones) if missing; return the cluster id (offsets are
    stored per cluster)."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="govledger-admin")
    try:
        existing = set(admin.list_topics())
        wanted = [*command_topics(settings.topics), settings.topics.dead_letters, *(extra or [])]
        missing = [NewTopic(t, settings.topics.partitions, 1) for t in wanted if t not in existing]
        if missing:
            try:
                admin.create_topics(missing)
            except TopicAlreadyExistsError:
                pass
        return str(admin.describe_cluster()["cluster_id"])
    finally:
        admin.close()


def command_consumer(bootstrap: str, settings: Settings) -> KafkaConsumer:
    return KafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=settings.consumer_group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        session_timeout_ms=settings.session_timeout_ms,
        heartbeat_interval_ms=settings.heartbeat_interval_ms,
        max_poll_records=settings.max_poll_records,
        fetch_max_wait_ms=settings.fetch_max_wait_ms,
        client_id="govledger-intake",
    )


def producer(bootstrap: str) -> KafkaProducer:
    return KafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5, client_id="govledger-producer")


class DeadLetterPublisher:
    """Publishes the dead letters stored with each batch, then marks them published.

    They were committed with the batch (an outbox), so a crash before publishing loses
    nothing: the next run publishes them. A crash after publishing and before marking
    publishes them again; each carries its id for consumers to drop repeats.
    """

    def __init__(self, recorder: LedgerRecorder, kafka: KafkaProducer, topic: str) -> None:
        self.recorder, self.kafka, self.topic = recorder, kafka, topic
        self.published = 0

    def __call__(self) -> int:
        count = 0
        while rows := self.recorder.unpublished_dead_letters():
            futures = []
            for row in rows:
                letter = DeadLetter(
                    id=row["id"],
                    topic=row["topic"],
                    partition=row["partition"],
                    offset=row["offset"],
                    message_id=row["message_id"],
                    message_type=row["message_type"],
                    rule=row["rule"],
                    error=row["error"],
                    original=bytes(row["original"]),
                    failed_at=row["failed_at"].astimezone(UTC),
                )
                key = row["message_id"] or f"{row['topic']}/{row['partition']}/{row['offset']}"
                futures.append(self.kafka.send(self.topic, key=key.encode(), value=_encoder.encode(letter)))
            self.kafka.flush()
            try:
                for future in futures:
                    future.get(timeout=30)  # raises if the broker did not take it: not marked
            except Exception:
                self._renew()
                raise
            self.recorder.mark_published([row["id"] for row in rows])
            count += len(rows)
        self.published += count
        return count

    def _renew(self) -> None:
        """A fresh producer after a failed send: a broker that lost its state rejects the
        old producer's id for good."""
        servers = self.kafka.config["bootstrap_servers"]
        self.kafka.close(timeout=0)
        self.kafka = producer(servers if isinstance(servers, str) else ",".join(servers))


def publish(
    kafka: KafkaProducer, topic: str, messages: Sequence[tuple[bytes | None, bytes]]
) -> dict[tuple[str, int], int]:
    """Publish (key, value) pairs; return, per partition, the offset just past the last one."""
    futures = [kafka.send(topic, key=key, value=value) for key, value in messages]
    kafka.flush()
    ends: dict[tuple[str, int], int] = {}
    for future in futures:
        meta = future.get(timeout=30)
        where = (meta.topic, meta.partition)
        ends[where] = max(ends.get(where, 0), meta.offset + 1)
    return ends


class _KeyProbe(msgspec.Struct):
    type: str = ""
    payload: dict[str, object] = {}


_key_probe = msgspec.json.Decoder(_KeyProbe)


def command_key(value: bytes) -> bytes | None:
    """The partition key of a command: what it is about (its context's key fields, as the
    context registry declares them), so that every command about one power item (one duty,
    town, unit, pool, transfer or appraised subject) lands on one partition, in order."""
    try:
        probe = _key_probe.decode(value)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    context = contexts.context_of_tag(probe.type)
    fields = context.key if context else ()
    key = next((probe.payload[f] for f in fields if isinstance(probe.payload.get(f), str)), None)
    return str(key).encode() if key else None


def command_topics(topics: Topics) -> list[str]:
    """The command topic of every topic family, once each."""
    return [topics.of_family(family) for family in contexts.FAMILIES]


def command_topic(value: bytes, topics: Topics) -> str:
    """The topic of a command's family, by its type (of any version, well formed or not);
    what names no known type goes to the powers topic, where the intake dead-letters it
    like any other bad message."""
    try:
        context = contexts.context_of_tag(_key_probe.decode(value).type)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return topics.commands
    return topics.of_family(context.family) if context and context.family else topics.commands
