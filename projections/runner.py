"""Follows the event log and keeps the read models, one transaction per page of events.

The read models' rows and the position they reflect commit together, so a crash
replays at most the page in flight and never skips or doubles an event.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, ClassVar, Protocol

from eventsourcing.utils import get_topic

from aggregates.ledger import Ledger

POSITIONS = """CREATE TABLE IF NOT EXISTS projection_positions (
    name text PRIMARY KEY, position bigint NOT NULL)"""


class ReadModel(Protocol):
    """Its tables, how to empty them, and what an event does to them. A read model may also
    name the event classes it `handles`; when every one does, the runner reads only those."""

    tables: Sequence[str]
    truncate: Sequence[str]

    def apply(self, cursor: Any, event: Any) -> None: ...


class EventHandlers:
    """A read model given as a table of handlers, one per event class it handles."""

    tables: ClassVar[Sequence[str]]
    truncate: ClassVar[Sequence[str]]
    handlers: ClassVar[Mapping[type, Callable[[Any, Any], None]]]

    @property
    def handles(self) -> Collection[type]:
        return self.handlers.keys()

    def apply(self, cur: Any, event: Any) -> None:
        handler = self.handlers.get(type(event))
        if handler is not None:
            handler(cur, event)


def event_classes(aggregate: type) -> frozenset[type]:
    """Every event class an aggregate class defines."""
    return frozenset(v for v in vars(aggregate).values()
                     if isinstance(v, type) and issubclass(v, aggregate.Event))  # type: ignore[attr-defined]


def topics_read(read_models: Sequence[ReadModel]) -> tuple[str, ...]:
    """The topics of the events the read models handle; () for all, when one does not say."""
    topics: set[str] = set()
    for model in read_models:
        handled = getattr(model, "handles", None)
        if handled is None:
            return ()
        topics.update(get_topic(cls) for cls in handled)
    return tuple(sorted(topics))


class _PipelinedCursor:
    """The cursor read models get while the runner sends a page in pipeline mode.

    psycopg hands a pipelined cursor each statement's result as it arrives, and a fetch
    reads the result the cursor holds: an earlier statement's result (one read model's
    UPDATE) arriving after a later one was sent (another's UPDATE ... RETURNING) was read in
    its place ("the last operation didn't produce records"). A fetch here first waits for
    every statement sent before it, so it reads its own."""

    def __init__(self, cursor: Any, pipeline: Any) -> None:
        self._cursor, self._pipeline = cursor, pipeline

    def execute(self, *args: Any, **kwargs: Any) -> Any:
        return self._cursor.execute(*args, **kwargs)

    def fetchone(self) -> Any:
        self._pipeline.sync()
        return self._cursor.fetchone()

    def fetchall(self) -> Any:
        self._pipeline.sync()
        return self._cursor.fetchall()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)


class ProjectionRunner:
    def __init__(self, ledger: Ledger, read_models: Sequence[ReadModel], name: str = "read_models",
                 page: int = 5000) -> None:
        self.ledger, self.read_models, self.name, self.page = ledger, read_models, name, page
        self.topics = topics_read(read_models) or None
        self._by_page = [m for m in read_models if hasattr(m, "apply_page")]
        self._by_event = [m for m in read_models if not hasattr(m, "apply_page")]
        self.datastore = ledger.recorder.datastore  # type: ignore[attr-defined]
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(POSITIONS)
            for model in read_models:
                for ddl in model.tables:
                    cursor.execute(ddl)
            cursor.execute(
                "INSERT INTO projection_positions VALUES (%s, 0) ON CONFLICT DO NOTHING", (name,)
            )

    def position(self) -> int:
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute("SELECT position FROM projection_positions WHERE name = %s", (self.name,))
            row = cursor.fetchone()
            return int(row["position"])

    def head(self) -> int:
        return self.ledger.recorder.max_notification_id() or 0

    def run_once(self, until: int | None = None) -> int:
        """Project the next page of events (up to `until`); return how far the position moved.

        Only the events of the topics read are fetched; the position passes over the
        others (up to the head read first: every event below it is committed, as writers
        insert and commit under the events table lock)."""
        start, head = self.position(), self.head() if until is None else until
        if head <= start:
            return 0
        notifications = self.ledger.recorder.select_notifications(
            start=start, limit=self.page, stop=head, topics=self.topics or (), inclusive_of_start=False
        )
        upto = notifications[-1].id if len(notifications) == self.page else head
        to_event = self.ledger.mapper.to_domain_event
        events = [to_event(n) for n in notifications]
        with self.datastore.get_connection() as conn, conn.transaction():
            cursor = conn.cursor()
            cursor.execute(
                "SELECT position FROM projection_positions WHERE name = %s FOR UPDATE", (self.name,)
            )
            if cursor.fetchone()["position"] != start:
                raise RuntimeError("another projection runner moved the position meanwhile")
            for model in self._by_page:
                model.apply_page(cursor, events)  # type: ignore[attr-defined]
            if self._by_event:
                with conn.pipeline() as pipeline:  # statements go out without waiting for each answer
                    pipelined = _PipelinedCursor(cursor, pipeline)
                    for event in events:
                        for model in self._by_event:
                            model.apply(pipelined, event)  # type: ignore[attr-defined]
            cursor.execute(
                "UPDATE projection_positions SET position = %s WHERE name = %s", (upto, self.name)
            )
        return upto - start

    def catch_up(self, progress: Callable[[int, int], None] = lambda done, total: None) -> int:
        """Project everything stored up to now; return how far the position moved."""
        head, done = self.head(), 0
        while self.position() < head:
            done += self.run_once(head)
            progress(self.position(), head)
        return done

    def rebuild(self, progress: Callable[[int, int], None] = lambda done, total: None) -> int:
        """Empty the read models and project the whole log again."""
        with self.datastore.transaction(commit=True) as cursor:
            for model in self.read_models:
                for statement in model.truncate:
                    cursor.execute(statement)
            cursor.execute("UPDATE projection_positions SET position = 0 WHERE name = %s", (self.name,))
        return self.catch_up(progress)
