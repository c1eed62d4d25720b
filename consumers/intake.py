"""指令接入 — the command intake: Kafka records in, rules applied, one transaction per batch.

Each poll is one batch. The batch's events, its consumed offsets, the message ids it saw
and its dead letters are saved in one PostgreSQL transaction, so a crash anywhere
neither loses nor doubles a command. Offsets live in PostgreSQL, not in Kafka: on
assignment the consumer seeks to them. A batch that collides with another writer
(the same aggregate or message id saved meanwhile) is retried from fresh state."""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Literal, get_args, get_origin

import msgspec
import psycopg
from eventsourcing.persistence import IntegrityError, InterfaceError, OperationalError, PersistenceError
from kafka import ConsumerRebalanceListener, KafkaConsumer, TopicPartition
from kafka.consumer.fetcher import ConsumerRecord

from aggregates.base import RuleViolation
from aggregates.ledger import Ledger
from consumers.handlers import CommandHandlers
from consumers.personal import DeadLetterSealer, Sealed
from contracts.envelope import Envelope

# Turning a Kafka record into a command, or into the reason it cannot be one.


MAX_MESSAGE_BYTES = 256 * 1024

# The rules any record can be dead-lettered with before its command reaches a use case.
MESSAGE_RULES = {
    "MessageTooLarge": f"The record is larger than {MAX_MESSAGE_BYTES // 1024} KiB.",
    "MalformedMessage": "The record is not a command of this contract: not JSON, an unknown type, "
    "a missing or unknown field, or a value of the wrong type or outside its constraints.",
    "UnsupportedVersion": "The command's `version` is not one the ledger reads for its type.",
    "WrongTopic": "The command was published on another family's topic; it belongs on the one the "
    "error names (its key's order holds only on its own topic).",
    "UnexpectedError": "The ledger failed on the command in a way no rule names; it is kept whole "
    "for an operator to replay once fixed.",
}


class _Probe(msgspec.Struct):
    type: Any = None
    message_id: Any = None
    version: Any = None


_probe = msgspec.json.Decoder(_Probe)


@dataclass(frozen=True)
class Decoded:
    command: Envelope | None
    message_id: str | None
    message_type: str | None
    rule: str | None = None
    error: str | None = None


def _probe_ids(raw: bytes) -> tuple[str | None, str | None, Any]:
    """What a record that is not a command can still tell: its message id, type and version."""
    try:
        probe = _probe.decode(raw)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None, None, None
    as_text = lambda v: v if isinstance(v, str) and 0 < len(v) <= 128 else None
    return as_text(probe.message_id), as_text(probe.type), probe.version


def versions_of(command: type) -> frozenset[int]:
    """The versions a command class reads: those its `version` field admits (a Literal), else 1."""
    version = next(f for f in msgspec.structs.fields(command) if f.name == "version")
    values = get_args(version.type) if get_origin(version.type) is Literal else ()
    return frozenset(v for v in values if isinstance(v, int)) or frozenset({1})


Upgrade = tuple[type, Callable[[Any], Envelope]]  # an earlier version's contract, and its upgrade


class CommandDecoder:
    """Decodes records into the commands of a tagged union (every context's, from the
    context registry), or says why a record is not one. With `topic_of` (a type tag -> the
    topic its family's commands travel on), a command on another topic is refused."""

    def __init__(
        self,
        command_type: Any,
        topic_of: Callable[[str], str | None] | None = None,
        earlier: Mapping[str, Upgrade] | None = None,
    ) -> None:
        self._decoder = msgspec.json.Decoder(command_type)
        # every message it reads, the earlier versions too (where their personal fields are found)
        self.message_types = (command_type, *(old for old, _upgrade in (earlier or {}).values()))
        self._topic_of = topic_of
        self._earlier: dict[str, tuple[msgspec.json.Decoder[Any], Callable[[Any], Envelope]]] = {
            tag: (msgspec.json.Decoder(old), upgrade) for tag, (old, upgrade) in (earlier or {}).items()
        }
        members = getattr(command_type, "__args__", (command_type,))
        self._versions = {
            tag: versions_of(member) | ({1} if tag in self._earlier else set())
            for member in members
            for tag in [member.__struct_config__.tag]
        }

    def decode(self, record: Any) -> Decoded:
        raw: bytes = record.value or b""
        if len(raw) > MAX_MESSAGE_BYTES:
            return Decoded(None, None, None, "MessageTooLarge", f"{len(raw)} bytes > {MAX_MESSAGE_BYTES}")
        try:
            command = self._decoder.decode(raw)
        except (msgspec.DecodeError, msgspec.ValidationError) as error:
            return self._not_current(record, raw, error)  # a version not read fails here too
        return self._on_its_topic(record, command)

    def _not_current(self, record: Any, raw: bytes, error: Exception) -> Decoded:
        """A record the current contracts do not read: an earlier version of a command, upgraded
        on the way in; a version not read at all; or no command (with what it can tell)."""
        message_id, message_type, version = _probe_ids(raw)
        if message_type in self._earlier and version in (None, 1):
            decoder, upgrade = self._earlier[message_type]
            try:
                return self._on_its_topic(record, upgrade(decoder.decode(raw)))
            except (msgspec.DecodeError, msgspec.ValidationError) as old_error:
                return Decoded(None, message_id, message_type, "MalformedMessage", f"version 1: {old_error}")
        known = self._versions.get(message_type or "")
        if known is not None and isinstance(version, int) and version not in known:
            said = f"{message_type} version {version} is not supported (read: {sorted(known)})"
            return Decoded(None, message_id, message_type, "UnsupportedVersion", said)
        return Decoded(None, message_id, message_type, "MalformedMessage", str(error))

    def _on_its_topic(self, record: Any, command: Envelope) -> Decoded:
        message_type = str(type(command).__struct_config__.tag)
        expected = self._topic_of(message_type) if self._topic_of else None
        topic = getattr(record, "topic", None)
        if expected is not None and topic is not None and topic != expected:
            return Decoded(
                None,
                command.message_id,
                message_type,
                "WrongTopic",
                f"{message_type} was published on {topic}; it belongs on {expected}",
            )
        return Decoded(command, command.message_id, message_type)


log = logging.getLogger(__name__)
ATTEMPTS = 5


@dataclass
class IntakeProgress:
    """What a batch consumed, beside the events it produced."""

    consumer_group: str
    cluster_id: str
    next_offsets: dict[tuple[str, int], int] = field(default_factory=dict)
    messages: list[tuple[str, str, str, int, int]] = field(default_factory=list)
    dead_letters: list[tuple[str, int, int, str | None, str | None, str, str, bytes]] = field(
        default_factory=list
    )


@dataclass
class IntakeStats:
    applied: int = 0
    refused: int = 0
    duplicates: int = 0
    dead_lettered: int = 0
    events: int = 0
    batches: int = 0

    def count(self, outcome: str) -> None:
        name = outcome.replace("-", "_")
        setattr(self, name, getattr(self, name) + 1)

    def add(self, other: IntakeStats) -> None:
        for name in (f.name for f in fields(self)):
            setattr(self, name, getattr(self, name) + getattr(other, name))


class Intake:
    def __init__(
        self,
        ledger: Ledger,
        consumer_group: str,
        cluster_id: str,
        handlers: CommandHandlers,
        decoder: CommandDecoder,
    ) -> None:
        self.ledger, self.handlers, self.decoder = ledger, handlers, decoder
        # the ledger's recorder, which also keeps the intake's offsets, message ids and dead
        # letters in the batch's transaction (infra/store/recorder.py)
        self.recorder: Any = ledger.recorder
        self.consumer_group, self.cluster_id = consumer_group, cluster_id
        self.positions: dict[tuple[str, int], int] = {}
        self.stats = IntakeStats()
        self.committed = IntakeProgress(consumer_group, cluster_id)
        self.sealer = DeadLetterSealer(*decoder.message_types)

    def stored_offsets(self) -> dict[tuple[str, int], int]:
        return self.recorder.stored_offsets(self.consumer_group, self.cluster_id)

    def process(self, records: list[ConsumerRecord]) -> IntakeStats:
        """Apply one batch of records and commit it, retrying on a write collision."""
        decoded = [self.decoder.decode(record) for record in records]
        for attempt in range(1, ATTEMPTS + 1):
            try:
                stats = self._apply_and_commit(records, decoded)
                break
            except IntegrityError as error:
                if attempt == ATTEMPTS:
                    raise
                log.warning("batch collided with another writer (%s); retrying", error)
        for record in records:
            self.positions[(record.topic, record.partition)] = record.offset + 1
        self.stats.add(stats)
        return stats

    def _apply_and_commit(self, records: list[ConsumerRecord], decoded: list[Decoded]) -> IntakeStats:
        stats = IntakeStats(batches=1)
        progress = IntakeProgress(self.consumer_group, self.cluster_id)
        commands = [d.command for d in decoded if d.command is not None]
        seen = self.recorder.seen_message_ids([command.message_id for command in commands])
        self.ledger.prefetch(i for command in commands for i in self.handlers.touches(command))
        with self.ledger.batch() as batch:
            for record, item in zip(records, decoded):
                progress.next_offsets[(record.topic, record.partition)] = record.offset + 1
                where = (record.topic, record.partition, record.offset)
                if item.command is not None and item.message_id in seen:
                    stats.duplicates += 1
                    continue
                if item.command is None:
                    outcome, rule, error = "dead-lettered", item.rule, item.error
                else:
                    outcome, rule, error = self._apply(item.command)
                    seen.add(item.command.message_id)
                    progress.messages.append((item.command.message_id, outcome, *where))
                stats.count(outcome)
                if rule is not None:
                    original, said = self._sealed(record, item, error or rule)
                    progress.dead_letters.append(
                        (*where, item.message_id, item.message_type, rule, said, original)
                    )
            stats.events = len(batch.events)
            self.ledger.commit(batch, intake=progress)
        self.committed = progress  # what the last committed batch recorded (for its metrics)
        return stats

    def _sealed(self, record: ConsumerRecord, item: Decoded, error: str) -> tuple[bytes, str]:
        """A dead letter's original and error as they are stored and published: its personal
        fields sealed with their owners' keys (consumers/personal.py), none of them in the error."""
        sealed = self.sealer.seal(self.ledger.vault, record.value or b"", item.command, record.timestamp)
        return sealed.original, sealed.scrub(error)

    def _apply(self, command: Any) -> tuple[str, str | None, str | None]:
        """Apply one command: its outcome, and the rule it broke and the error, if any.

        `applied`; `refused` when the use case recorded the refusal as evidence (its
        events are kept, and the sender still hears of it through a dead letter);
        `dead-lettered` when it broke a rule and left no trace, or when the command's own
        code failed unexpectedly (kept whole for replay once fixed), so one poison message
        cannot stop the intake. Database errors are not the command's fault: they abort
        the batch, which is then replayed.
        """
        try:
            result = self.handlers.apply(self.ledger, command)
        except (PersistenceError, psycopg.Error):
            raise
        except RuleViolation as exc:
            return "dead-lettered", exc.rule, str(exc) or exc.rule
        except Exception as exc:
            # the traceback as `log.exception` gives it, without the command's personal values
            hidden = Sealed(b"", self.sealer.personal_values(command))
            trace = hidden.scrub("".join(traceback.format_exception(exc)).rstrip())
            log.error("unexpected error applying %s", command.message_id, extra={"error": trace})
            return "dead-lettered", "UnexpectedError", f"{type(exc).__name__}: {exc}"
        if isinstance(result, RuleViolation):
            return "refused", result.rule, str(result) or result.rule
        return "applied", None, None


class IntakeWorker:
    """Runs an Intake over a KafkaConsumer until told to stop."""

    def __init__(
        self,
        intake: Intake,
        consumer: KafkaConsumer,
        topics: list[str],
        after_commit: Callable[[], Any] = lambda: None,
        max_records: int = 2000,
    ) -> None:
        self.intake, self.consumer, self.topics = intake, consumer, topics
        self.after_commit, self.max_records = after_commit, max_records

    def _on_assigned(self, assigned: list[TopicPartition]) -> None:
        stored = self._waiting_out_the_database(self.intake.stored_offsets, lambda: False)
        for tp in assigned:
            offset = stored.get((tp.topic, tp.partition))
            if offset is None:
                self.consumer.seek_to_beginning(tp)
            else:
                self.consumer.seek(tp, offset)

    def run(self, should_stop: Callable[[], bool]) -> IntakeStats:
        worker = self

        class Listener(ConsumerRebalanceListener):
            def on_partitions_revoked(self, revoked: Any) -> None:
                pass

            def on_partitions_assigned(self, assigned: Any) -> None:
                worker._on_assigned(list(assigned))

        if self.consumer.subscription() != set(self.topics):  # a later run goes on as it was
            self.consumer.subscribe(self.topics, listener=Listener())
        self._publish_dead_letters()  # left over from a previous run
        while not should_stop():
            polled = self.consumer.poll(timeout_ms=200, max_records=self.max_records)
            records = [r for batch in polled.values() for r in batch]
            if records:
                self._process(records, should_stop)
        return self.intake.stats

    def _process(self, records: list[ConsumerRecord], should_stop: Callable[[], bool]) -> None:
        """Apply the batch; the same records are retried while the database is away (a
        commit that did happen finds its message ids seen), so nothing polled is skipped."""
        self._waiting_out_the_database(lambda: self.intake.process(records), should_stop)
        self._publish_dead_letters()

    def _waiting_out_the_database(self, step: Callable[[], Any], should_stop: Callable[[], bool]) -> Any:
        delay = 0.5
        while True:
            try:
                return step()
            except (OperationalError, InterfaceError, psycopg.OperationalError) as error:
                if should_stop():
                    raise
                log.warning("database unavailable (%s); retrying in %.1f s", error, delay)
                time.sleep(delay)
                delay = min(delay * 2, 10.0)

    def _publish_dead_letters(self) -> None:
        try:
            self.after_commit()
        except Exception as error:
            log.warning("dead letters not published yet (%s)", error)
