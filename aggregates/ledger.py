"""The ledger application: one event log for every context, the batches commands stage in.

Its use cases are each context's (`aggregates/<context>/use_cases.py`); `Ledger.of` composes
them, as the context registry (`infra/contexts.py`) lists them, into the application the
intake, the projections and the API run.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Mapper, Transcoder

from aggregates import stored_topics
from aggregates.base import transcodings
from aggregates.command_batch import CommandBatch, UseCases
from aggregates.transcoder import MsgspecJSONTranscoder
from aggregates.typed_decoding import LedgerMapper


class Ledger(Application[UUID]):
    """The Grassroots Governance Ledger: every move of powers, people and quotas."""

    name = "Ledger"
    cache_size = 200_000

    def __init__(self, env: dict[str, str] | None = None) -> None:
        stored_topics.register()  # events stored under older module names still read
        super().__init__(env)
        self.open_batch: CommandBatch | None = None
        self._cache: OrderedDict[UUID, Aggregate] = OrderedDict()
        self._absent: set[UUID] = set()
        self.vault: Any = None  # seals personal data (infra.store.vault), set by the composition root

    def construct_mapper(self) -> Mapper[UUID]:
        if self.factory.env.get(self.factory.MAPPER_TOPIC):
            return super().construct_mapper()
        return self.factory.mapper(transcoder=self.construct_transcoder(), mapper_class=LedgerMapper)

    def construct_transcoder(self) -> Transcoder:
        transcoder = MsgspecJSONTranscoder()
        self.register_transcodings(transcoder)
        return transcoder

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        value_types = [t for cls in type(self).__mro__ for t in vars(cls).get("value_types", ())]
        for transcoding in transcodings(*value_types):
            transcoder.register(transcoding)

    @classmethod
    def of(cls, *use_cases: type[UseCases]) -> type[Ledger]:
        """The ledger with the given contexts' use cases."""
        return type("GovernanceLedger", (*use_cases, cls), {"name": cls.name})

    def find(self, aggregate_id: UUID) -> Aggregate | None:
        """The aggregate as last saved, or None when there is none."""
        cached = self._cache.get(aggregate_id)
        if cached is not None:
            self._cache.move_to_end(aggregate_id)
            return cached
        if aggregate_id in self._absent:
            return None
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None

    def prefetch(self, aggregate_ids: Iterable[UUID]) -> None:
        """Load, in one read, the aggregates a batch is about to touch.

        Works with recorders that can read many aggregates at once (`select_events_of`);
        with others, aggregates are loaded one by one as they are touched.
        """
        read_many = getattr(self.recorder, "select_events_of", None)
        wanted = {i for i in aggregate_ids if i not in self._cache}
        self._absent = set()
        if not wanted or read_many is None:
            return
        stored_by_id: dict[UUID, list[Any]] = defaultdict(list)
        for stored in read_many(list(wanted)):
            stored_by_id[stored.originator_id].append(stored)
        to_event = self.mapper.to_domain_event
        for aggregate_id in wanted:
            aggregate: Aggregate | None = None
            for stored in stored_by_id.get(aggregate_id, ()):
                # the log holds aggregate events only (the mapper's signature says domain events)
                aggregate = cast(Aggregate.Event, to_event(stored)).mutate(aggregate)
            if aggregate is None:
                self._absent.add(aggregate_id)
            else:
                self._cache[aggregate_id] = aggregate
        self._trim_cache()

    def _trim_cache(self) -> None:
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    @contextmanager
    def batch(self) -> Iterator[CommandBatch]:
        """Open a batch; use cases called meanwhile stage their events in it."""
        assert self.open_batch is None, "batches do not nest"
        self.open_batch = CommandBatch(self.find)
        try:
            yield self.open_batch
        finally:
            self.open_batch = None

    def commit(self, batch: CommandBatch, **recorder_kwargs: Any) -> Sequence[int]:
        """Save the batch's events in one transaction (with whatever the recorder adds);
        return their positions in the log.

        Straight to the recorder: the library's event store would also wrap every event
        in a Recording for followers notified in process, which this application has none
        of (projections and the relay read the log)."""
        to_stored = self.mapper.to_stored_event
        stored = [to_stored(event) for event in batch.events]
        try:
            positions = self.recorder.insert_events(stored, **recorder_kwargs)
        except IntegrityError:
            self.forget_cache()  # another writer moved on: reload everything
            raise
        for aggregate_id, aggregate in batch.changed.items():
            self._cache[aggregate_id] = aggregate
            self._cache.move_to_end(aggregate_id)
        self._trim_cache()
        batch.saved()
        return positions or []

    def forget_cache(self) -> None:
        self._cache.clear()
        self._absent.clear()
