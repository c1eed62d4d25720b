"""Commands applied one after another and saved together, each one all or nothing.

The library saves the events of many aggregates in one transaction; this adds the
per-command rollback a batch needs: a command works on copies of the aggregates it
touches, and only a command that returns without raising hands its copies (and their
new events) to the batch. Copies are shallow: aggregate attributes hold immutable
values only (strings, dates, decimals, UUIDs, frozen dataclasses), which the tests check.
"""

from __future__ import annotations

import copy
import functools
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from aggregates.base import RuleViolation

Loader = Callable[[UUID], Aggregate | None]
F = TypeVar("F", bound=Callable[..., Any])
A = TypeVar("A", bound=Aggregate)


def _working_copy(aggregate: Aggregate) -> Aggregate:
    work = copy.copy(aggregate)
    work.__dict__["_pending_events"] = []
    return work


class CommandBatch:
    def __init__(self, load: Loader) -> None:
        self._load = load
        self.changed: dict[UUID, Aggregate] = {}
        self.events: list[Any] = []
        self._work: dict[UUID, Aggregate | None] | None = None
        self._loaded: dict[UUID, Aggregate | None] = {}  # as saved, read once for the whole batch

    @property
    def in_command(self) -> bool:
        return self._work is not None

    def get(self, aggregate_id: UUID) -> Aggregate | None:
        assert self._work is not None, "aggregates are read inside a command"
        if aggregate_id not in self._work:
            base = self._base(aggregate_id)
            self._work[aggregate_id] = None if base is None else _working_copy(base)
        return self._work[aggregate_id]

    def _base(self, aggregate_id: UUID) -> Aggregate | None:
        """The aggregate as an earlier command of the batch left it, else as saved (loaded once
        a batch, however many of its commands read it)."""
        changed = self.changed.get(aggregate_id)
        if changed is not None:
            return changed
        if aggregate_id not in self._loaded:
            self._loaded[aggregate_id] = self._load(aggregate_id)
        return self._loaded[aggregate_id]

    def read(self, aggregate_id: UUID) -> Aggregate | None:
        """The aggregate as the batch has it, for reading only (no working copy is made: the
        command must not change it), or None where there is none."""
        assert self._work is not None, "aggregates are read inside a command"
        if aggregate_id in self._work:
            return self._work[aggregate_id]
        return self._base(aggregate_id)

    def add(self, aggregate: A) -> A:
        assert self._work is not None, "aggregates are added inside a command"
        self._work[aggregate.id] = aggregate
        return aggregate

    def saved(self) -> None:
        """The batch's events are saved: what it changed is now the aggregates as saved."""
        self._loaded.update(self.changed)
        self.events, self.changed = [], {}

    @contextmanager
    def command(self) -> Iterator[CommandBatch]:
        self._work = {}
        try:
            yield self
            for aggregate_id, aggregate in self._work.items():
                if aggregate is not None and aggregate.pending_events:
                    self.events.extend(aggregate.collect_events())
                    self.changed[aggregate_id] = aggregate
        finally:
            self._work = None


class UseCases:
    """Base of each context's use cases (`aggregates/<context>/use_cases.py`), which the
    ledger is composed of: the batch their commands stage in, and the value objects their
    events carry (registered with the ledger's transcoder)."""

    open_batch: CommandBatch | None
    value_types: tuple[type, ...] = ()

    @property
    def _staged(self) -> CommandBatch:
        assert self.open_batch is not None, "use cases run inside a batch"
        return self.open_batch

    def _get(self, kind: type[A], aggregate_id: UUID) -> A | None:
        """The `kind` aggregate of that id as the batch has it, or None where there is none."""
        return cast("A | None", self._staged.get(aggregate_id))

    def _read(self, kind: type[A], aggregate_id: UUID) -> A | None:
        """The `kind` aggregate of that id as the batch has it, for reading only (cheaper: no
        working copy; a command that changes what it read this way corrupts the batch), or
        None where there is none."""
        return cast("A | None", self._staged.read(aggregate_id))

    def _found(self, kind: type[A], aggregate_id: UUID, missing: Callable[[], RuleViolation]) -> A:
        """The `kind` aggregate of that id as the batch has it; where there is none, the rule
        `missing` makes is raised."""
        found = self._get(kind, aggregate_id)
        if found is None:
            raise missing()
        return found

    def _get_or_add(self, kind: type[A], aggregate_id: UUID, new: Callable[[], A]) -> A:
        """The `kind` aggregate of that id as the batch has it, or the one `new` makes, added."""
        found = self._get(kind, aggregate_id)
        return self._staged.add(new()) if found is None else found

    def _create_once(
        self,
        kind: type[A],
        aggregate_id: UUID,
        new: Callable[[], A],
        same: Callable[[A], bool],
        conflict: Callable[[], RuleViolation],
    ) -> None:
        """Add the `kind` aggregate `new` makes where the batch has none of that id. A command
        resent unchanged records nothing; where the existing one is not `same` as asked, the
        rule `conflict` makes is raised."""
        existing = self._get(kind, aggregate_id)
        if existing is None:
            self._staged.add(new())
        elif not same(existing):
            raise conflict()


# How often a command run on its own is tried against a version conflict (another process
# saved the same aggregate since this one read it) before the conflict is raised; between
# tries, a random pause of up to BACKOFF × 2^try seconds (at most MAX_PAUSE), so that two
# writers that keep meeting on one aggregate fall out of step (the one that just saved is
# otherwise always quicker, its copy being current).
ATTEMPTS = 12
BACKOFF = 0.005
MAX_PAUSE = 0.5


def use_case(method: F) -> F:
    """Run the method as one command: inside the open batch, or in a batch of its own.

    In a batch of its own (a writer outside the intake: the API, the command line, a clock),
    a version conflict on saving means another process moved one of the aggregates on
    meanwhile: the ledger has then dropped what it had cached, and the command is run again
    on the aggregates as they now stand. The intake, which opens its own batches, retries
    whole batches (consumers/intake.py)."""

    @functools.wraps(method)
    def run(app: Any, *args: Any, **kwargs: Any) -> Any:
        batch: CommandBatch | None = app.open_batch
        if batch is not None and batch.in_command:
            return method(app, *args, **kwargs)
        if batch is not None:
            with batch.command():
                return method(app, *args, **kwargs)
        for attempt in range(1, ATTEMPTS + 1):
            with app.batch() as batch:
                with batch.command():
                    result = method(app, *args, **kwargs)
                try:
                    app.commit(batch)
                except IntegrityError:
                    if attempt == ATTEMPTS:
                        raise
                    time.sleep(random.uniform(0, min(MAX_PAUSE, BACKOFF * 2**attempt)))
                    continue
            return result
        raise AssertionError("unreachable: the last attempt returns or raises")

    return cast(F, run)
