"""试运行 — a dry run of the intake: what a batch of commands would do, saving nothing.

An upstream team checks a batch before publishing it (`govledger check`, `POST /api/v1/check`).
Each record goes through the intake's own decoder (`CommandDecoder`, as the registry builds
it) and each command through the intake's own `Intake._apply`, in order, in one batch of a
throwaway copy of the ledger that is never committed:

- the copy reads the live store (or an empty ledger in memory) and holds its own batch,
  cache and vault, so a dry run shares no state with the ledger the API or a worker uses;
- later lines see what earlier lines did (the batch's working copies), as in the intake;
- message ids are looked up in the store, read only, and among the earlier lines;
- nothing is written: the batch is dropped, the copy refuses to commit, and its vault seals
  personal data with no key made or kept.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import PersistenceError
from kafka.consumer.fetcher import ConsumerRecord

from aggregates.command_batch import CommandBatch
from aggregates.ledger import Ledger
from aggregates.privacy.record import PersonalDataErased, PersonalRecord
from consumers.handlers import CommandHandlers
from consumers.intake import CommandDecoder, Decoded, Intake

OUTCOMES = ("applied", "refused", "dead-lettered", "duplicate")
PASSING = ("applied", "duplicate")  # what a batch may hold and still go out as it is
CHUNK = 2000  # records whose aggregates are read in one go (the intake's batch)
IN_MEMORY = {"PERSISTENCE_MODULE": "eventsourcing.popo"}


@dataclass(frozen=True)
class Verdict:
    """What the intake would do with one line: its outcome, the rule it breaks and the error
    (as its dead letter would say), and how many events it would store."""

    line: int
    message_id: str | None
    message_type: str | None
    outcome: str  # one of OUTCOMES
    rule: str | None = None
    error: str | None = None
    events: int = 0


def totals(verdicts: Sequence[Verdict]) -> dict[str, int]:
    """The lines, the count of each outcome and the events the batch would store."""
    counted = Counter(v.outcome for v in verdicts)
    return {
        "lines": len(verdicts),
        **{outcome: counted[outcome] for outcome in OUTCOMES},
        "events": sum(v.events for v in verdicts),
    }


def passes(verdicts: Sequence[Verdict]) -> bool:
    """Whether every line would be applied (or ignored as already seen)."""
    return all(v.outcome in PASSING for v in verdicts)


def records(
    lines: Iterable[tuple[int, bytes]],
    topic_of: Callable[[bytes], str],
    key_of: Callable[[bytes], bytes | None],
) -> list[ConsumerRecord]:
    """The numbered lines as the intake would read them once published: on the topic and with
    the key `govledger publish` gives them, the line's number as the offset."""
    return [
        ConsumerRecord(
            topic=topic_of(value),
            partition=0,
            leader_epoch=None,
            offset=number,
            timestamp=0,
            timestamp_type=0,
            key=key_of(value),
            value=value,
            headers=[],
            checksum=None,
            serialized_key_size=-1,
            serialized_value_size=len(value),
            serialized_header_size=-1,
        )
        for number, value in lines
    ]


def check(
    ledger: Ledger, handlers: CommandHandlers, decoder: CommandDecoder, batch: Sequence[Any]
) -> list[Verdict]:
    """The verdict on each record (in order), were the intake to read them now from the
    ledger's store; the ledger itself is left as it was, and so is its store."""
    dry = throwaway(ledger)
    intake = Intake(dry, "dry-run", "", handlers, decoder)
    seen_in_store: Callable[[list[str]], set[str]] = getattr(
        dry.recorder, "seen_message_ids", lambda ids: set()
    )
    verdicts: list[Verdict] = []
    seen: set[str] = set()
    with dry.batch() as staged:
        for start in range(0, len(batch), CHUNK):
            chunk = batch[start : start + CHUNK]
            decoded = [decoder.decode(record) for record in chunk]
            commands = [d.command for d in decoded if d.command is not None]
            seen |= seen_in_store([c.message_id for c in commands if c.message_id not in seen])
            dry.prefetch(i for command in commands for i in handlers.touches(command))
            verdicts += [_verdict(intake, staged, seen, r, d) for r, d in zip(chunk, decoded)]
    return verdicts


def _verdict(intake: Intake, staged: CommandBatch, seen: set[str], record: Any, item: Decoded) -> Verdict:
    """One record, decided as `Intake._apply_and_commit` decides it."""
    line, message_id, message_type = record.offset, item.message_id, item.message_type
    if item.command is None:
        return Verdict(line, message_id, message_type, "dead-lettered", item.rule, item.error)
    if item.command.message_id in seen:
        return Verdict(line, message_id, message_type, "duplicate")
    before = len(staged.events)
    outcome, rule, error = intake._apply(item.command)
    seen.add(item.command.message_id)
    return Verdict(line, message_id, message_type, outcome, rule, error, len(staged.events) - before)


# The throwaway copy.


class SavingRefused(PersistenceError):
    """A dry run tried to save: a fault of the dry run, never of the command (so the intake's
    `_apply` lets it through rather than blame the line)."""


class _Throwaway(Ledger):
    """Mixed in before the ledger's own class: its use cases as they are, on a store it
    only reads."""

    def commit(self, batch: CommandBatch, **recorder_kwargs: Any) -> Sequence[int]:
        raise SavingRefused(f"a dry run saves nothing: the {len(batch.events)} events staged are dropped")

    def close(self) -> None:
        """Nothing to close: the store is the live ledger's, which stays open."""


_KINDS: dict[type[Ledger], type[Ledger]] = {}


def throwaway(ledger: Ledger) -> Ledger:
    """A copy of the ledger that reads its store but shares nothing else with it: a batch, a
    cache and a vault of its own, and no commit."""
    kind = type(ledger)
    if kind not in _KINDS:
        _KINDS[kind] = type(f"DryRun{kind.__name__}", (_Throwaway, kind), {"name": kind.name})
    dry = _KINDS[kind].__new__(_KINDS[kind])
    dry.__dict__.update(ledger.__dict__)  # its store, mapper and repository, read through
    dry.open_batch, dry._cache, dry._absent = None, OrderedDict(), set()
    dry.vault = SealingAside(dry.find)
    return dry


def empty(kind: type[Ledger]) -> Ledger:
    """A ledger of that kind with nothing in it, in memory, to check a batch against from scratch."""
    return kind(env=IN_MEMORY)


class SealingAside:
    """The dry run's vault: seals with no key made or kept, and refuses a person whose personal
    data was erased (their record of processing says so), as the ledger's vault would."""

    def __init__(self, find: Callable[[UUID], Any]) -> None:
        self.find = find

    def seal(self, person: str, fields: dict[str, str]) -> str:
        record = self.find(PersonalRecord.create_id(person))
        if isinstance(record, PersonalRecord) and record.erased:
            raise PersonalDataErased(f"the personal data of {person} was erased")
        return "dry-run"


def numbered(lines: Iterable[bytes]) -> Iterator[tuple[int, bytes]]:
    """The non-blank lines of a JSON-lines file with their numbers (from 1), stripped as
    `govledger publish` strips them."""
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield number, line.strip()
