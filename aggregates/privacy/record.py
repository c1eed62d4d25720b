"""个人信息处理记录 — who read a person's personal data, and its erasure with the legal basis.

The personal data itself lives sealed in other events (one key per person, outside the
log); this record holds what an auditor asks about it: every read through the CLI or the
API (who, in which role and system, for which purpose, which fields, found or not) and
the erasure (the key destroyed, on which legal basis). Nothing here is personal data.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from aggregates.base import Context, RuleViolation, natural_id
from aggregates.command_batch import UseCases, use_case

if TYPE_CHECKING:
    from aggregates.base import DecoratedCreated, DecoratedEvent

VALUE_TYPES: tuple[type, ...] = ()


class VaultMissing(RuntimeError):
    """Personal data arrived but no vault is configured: refuse rather than store clear text."""


class PersonalDataErased(RuleViolation):
    """The person's personal data was erased; nothing more is sealed for them."""


class ErasureBasisRequired(RuleViolation):
    """An erasure names its legal basis (e.g. 《个人信息保护法》第四十七条)."""


class PurposeRequired(RuleViolation):
    """Reading personal data needs a stated purpose."""


class PersonalRecord(Aggregate):
    """个人信息处理记录 — the reads and the erasure of one person's personal data."""

    @staticmethod
    def create_id(person: str) -> UUID:
        return natural_id("personal-record", person)

    @event("Opened")
    def __init__(self, person: str, ctx: Context) -> None:
        self.person, self.reads, self.erased = person, 0, False
        # who read and found nothing, on the day of the last such read: (actor, day) pairs
        self.unfound: frozenset[tuple[str, date]] = frozenset()

    def read(self, purpose: str, fields: tuple[str, ...], found: bool, ctx: Context) -> None:
        """Record a read; a read that found nothing is recorded once per reader and day (a
        reader trying ids that do not exist adds one event per id and day, not per try)."""
        if found or (ctx.actor, ctx.effective_on) not in self.unfound:
            self.record_read(purpose, fields, found, ctx)

    @event("ReadRecorded")
    def record_read(self, purpose: str, fields: tuple[str, ...], found: bool, ctx: Context) -> None:
        self.reads += 1
        if not found:
            day = ctx.effective_on
            self.unfound = frozenset(k for k in self.unfound if k[1] == day) | {(ctx.actor, day)}

    def erase(self, basis: str, ctx: Context) -> None:
        if not self.erased:
            self._erased(basis=basis, ctx=ctx)

    @event("Erased")
    def _erased(self, basis: str, ctx: Context) -> None:
        self.erased = True

    if TYPE_CHECKING:  # the event classes that the @event methods above define at class creation
        Opened = DecoratedCreated
        ReadRecorded = Erased = DecoratedEvent


class PrivacyUseCases(UseCases):
    """个人信息处理记录 — every read of a person's data recorded, and its erasure."""

    def _personal_record(self, ctx: Context, person: str) -> PersonalRecord:
        return self._get_or_add(
            PersonalRecord, PersonalRecord.create_id(person), lambda: PersonalRecord(person=person, ctx=ctx)
        )

    @use_case
    def record_personal_data_read(
        self, ctx: Context, person: str, purpose: str, fields: tuple[str, ...], found: bool
    ) -> None:
        if not purpose.strip():
            raise PurposeRequired(f"reading the personal data of {person} needs a purpose")
        self._personal_record(ctx, person).read(purpose, tuple(fields), found, ctx)

    @use_case
    def record_erasure(self, ctx: Context, person: str, basis: str) -> None:
        if not basis.strip():
            raise ErasureBasisRequired(f"erasing the personal data of {person} needs a legal basis")
        self._personal_record(ctx, person).erase(basis, ctx)
