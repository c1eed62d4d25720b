"""读模型运维记录 — what an operator did to a read model by hand, for auditors.

A read model that fails on an event stalls there (`projections/runner.py`) and never passes
it by itself. An operator may move it past that event without applying it, and that is
recorded here: which read model, which event (its position in the log, aggregate, version
and topic), the error it met, who skipped it and why. The read model's rows then lack what
that event would have done, until a rebuild with a fixed read model puts it back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from aggregates.base import Context, RuleViolation, natural_id

if TYPE_CHECKING:
    from aggregates.base import DecoratedCreated, DecoratedEvent

VALUE_TYPES: tuple[type, ...] = ()


class SkipReasonRequired(RuleViolation):
    """Skipping an event in a read model needs a stated reason."""


class ReadModelRecord(Aggregate):
    """The operators' acts on one read model (`read-model/<name>` in the audit trail)."""

    @staticmethod
    def create_id(read_model: str) -> UUID:
        return natural_id("read-model", read_model)

    @event("Opened")
    def __init__(self, read_model: str, ctx: Context) -> None:
        self.read_model, self.skipped = read_model, 0

    @event("EventSkipped")
    def skip(self, event_id: int, fault: dict[str, Any], ctx: Context) -> None:
        """The read model moved past the event `event_id` without applying it (`fault`: where
        and why it had stalled, as the runner recorded it)."""
        self.skipped += 1

    if TYPE_CHECKING:  # the event classes that the @event methods above define at class creation
        Opened = DecoratedCreated
        EventSkipped = DecoratedEvent
