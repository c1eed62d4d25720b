"""Follows the event log and keeps the read models, one transaction per page of events.

The read models' rows and the position they reflect commit together, so a crash
replays at most the page in flight and never skips or doubles an event.
"""

from __future__ import annotations

import multiprocessing
import queue
import re
import sys
import threading
from collections.abc import Callable, Collection, Generator, Iterable, Mapping, Sequence
from contextlib import closing, suppress
from typing import Any, ClassVar, NamedTuple, Protocol, runtime_checkable

from eventsourcing.domain import Aggregate
from psycopg.sql import SQL, Identifier

from aggregates.ledger import Ledger
from aggregates.stored_topics import stored_topics

POSITIONS = """CREATE TABLE IF NOT EXISTS projection_positions (
    name text PRIMARY KEY, position bigint NOT NULL)"""
# The position of read models being rebuilt in shares: nothing may project onto them meanwhile
# (or after a rebuild cut off, until one runs again to its end).
REBUILDING = -1


class Rebuilding(RuntimeError):
    """The read models are being rebuilt in shares, or a rebuild in shares was cut off."""


RunnerOf = Callable[[str, tuple[int, int]], "ProjectionRunner"]  # (name, share) -> a runner of the share


class ReadModel(Protocol):
    """Its tables, how to empty them, and what an event does to them. A read model may also
    name the event classes it `handles` (when every one does, the runner reads only those)
    and its `query_indexes`: indexes only its readers use, not its own statements, which a
    rebuild drops and builds again at its end (sorting a table once instead of inserting
    into the index row by row: several times faster on PostgreSQL's side). A read model is
    `per_aggregate` when each event changes only rows of its own aggregate, read nothing
    but them, and its rows do not depend on the order of different aggregates' events: a
    rebuild may then project shares of the aggregates in separate processes at once."""

    @property
    def tables(self) -> Sequence[str]: ...
    @property
    def truncate(self) -> Sequence[str]: ...


@runtime_checkable
class ReadModelByEvent(ReadModel, Protocol):
    """A read model that takes the events one at a time."""

    def apply(self, cursor: Any, event: Any) -> None: ...


@runtime_checkable
class ReadModelByPage(ReadModel, Protocol):
    """A read model that takes a page of events at once (`projections/staging.py`)."""

    def apply_page(self, cursor: Any, events: Sequence[Any]) -> None: ...


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


def updating(
    table: str, assignments: str, values: Callable[[Any], Sequence[Any]] = lambda e: ()
) -> Callable[[Any, Any], None]:
    """A handler updating the row of the event's aggregate (`id`) in `table`: `assignments`
    in SQL, their placeholders filled in order by `values(event)`."""
    statement = f"UPDATE {table} SET {assignments} WHERE id = %s"
    return lambda cur, e: cur.execute(statement, (*values(e), e.originator_id))


def event_classes(aggregate: type[Aggregate]) -> frozenset[type]:
    """Every event class an aggregate class defines."""
    return frozenset(
        v for v in vars(aggregate).values() if isinstance(v, type) and issubclass(v, aggregate.Event)
    )


def topics_read(read_models: Sequence[ReadModel]) -> tuple[str, ...]:
    """The topics of the events the read models handle; () for all, when one does not say."""
    topics: set[str] = set()
    for model in read_models:
        handled = getattr(model, "handles", None)
        if handled is None:
            return ()
        topics.update(topic for cls in handled for topic in stored_topics(cls))
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


def query_indexes(read_models: Iterable[Any]) -> dict[str, str]:
    """The read models' query indexes by name, each with the statement that creates it."""
    indexes = {}
    for model in read_models:
        for ddl in getattr(model, "query_indexes", ()):
            match = re.match(r"CREATE (?:UNIQUE )?INDEX IF NOT EXISTS (\w+) ON ", ddl)
            if match is None:
                raise ValueError(f"a query index is created by CREATE INDEX IF NOT EXISTS name ON ...: {ddl}")
            indexes[match[1]] = ddl
    return indexes


def per_aggregate(read_models: Iterable[Any]) -> list[Any]:
    """The read models a rebuild may project in shares of the aggregates."""
    return [model for model in read_models if getattr(model, "per_aggregate", False)]


def read_model_tables(read_models: Iterable[Any]) -> list[str]:
    """The tables of the given read models, from their `truncate` statements."""
    names: list[str] = []
    for model in read_models:
        for statement in model.truncate:
            names += [n.strip() for n in statement.split(None, 1)[1].split(",")]
    return names


def _handled(model: ReadModel) -> frozenset[type] | None:
    handled = getattr(model, "handles", None)
    return None if handled is None else frozenset(handled)


class _Page(NamedTuple):
    start: int  # the position before it
    upto: int  # the position after it
    events: list[Any]


class ProjectionRunner:
    # A catch-up refreshes the planner's statistics of the read models' tables once it has
    # passed this many positions, and again each time it has passed twice as many as at the
    # last refresh: the statistics of tables filled in bulk lag behind autovacuum, and a
    # page's set-based statements planned on them (an empty table's) scan whole tables
    # instead of joining the page's keys through their indexes. Doubling keeps the tables
    # within twice the size their statistics describe at a handful of ANALYZE passes (each
    # costs seconds on millions of rows).
    analyse_after = 500_000
    read_ahead = 3  # pages read and decoded before the one being written is done

    def __init__(
        self,
        ledger: Ledger,
        read_models: Sequence[ReadModel],
        name: str = "read_models",
        page: int = 5000,
        share: tuple[int, int] | None = None,
        setup: bool = True,
    ) -> None:
        """`share` (k, n): project only the events of share k of the aggregates split n ways.
        `setup`: create the tables, query indexes and position if missing (a share's runner,
        started by a rebuild that did so, leaves that alone)."""
        self.ledger, self.read_models, self.name, self.page = ledger, read_models, name, page
        self.share = share
        if share is not None and share[0] != 0:
            self.analyse_after = sys.maxsize  # the first share refreshes the tables' statistics for all
        self.topics = topics_read(read_models) or None
        self._by_page = [m for m in read_models if isinstance(m, ReadModelByPage)]
        self._by_event = [
            (m, _handled(m))
            for m in read_models
            if isinstance(m, ReadModelByEvent) and not isinstance(m, ReadModelByPage)
        ]
        self._models_of: dict[type, list[ReadModelByEvent]] = {}  # per event class, the _by_event reading it
        # the ledger's PostgreSQL recorder (infra/store/recorder.py), used beyond eventsourcing's
        # recorder interface: its datastore, and the events of some topics or of a share read
        recorder: Any = ledger.recorder
        self.recorder, self.datastore = recorder, recorder.datastore
        if not setup:
            return
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(POSITIONS)
            for model in read_models:
                for ddl in model.tables:
                    cursor.execute(ddl)
            for ddl in query_indexes(read_models).values():
                cursor.execute(ddl)
            cursor.execute("INSERT INTO projection_positions VALUES (%s, 0) ON CONFLICT DO NOTHING", (name,))

    def position(self) -> int:
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute("SELECT position FROM projection_positions WHERE name = %s", (self.name,))
            row = cursor.fetchone()
            return int(row["position"])

    def _start(self) -> int:
        start = self.position()
        if start == REBUILDING:
            raise Rebuilding(f"{self.name}: being rebuilt, or a rebuild was cut off (run the rebuild again)")
        return start

    def head(self) -> int:
        return self.ledger.recorder.max_notification_id() or 0

    def run_once(self, until: int | None = None) -> int:
        """Project the next page of events (up to `until`); return how far the position moved.

        Only the events of the topics read are fetched; the position passes over the
        others (up to the head read first: every event below it is committed, as writers
        insert and commit under the events table lock)."""
        start, head = self._start(), self.head() if until is None else until
        if head <= start:
            return 0
        return self._apply(self._read(start, head))

    def catch_up(
        self, progress: Callable[[int, int], None] = lambda done, total: None, until: int | None = None
    ) -> int:
        """Project everything stored up to now (or up to `until`); return how far the position moved.

        Pages are read and decoded in a thread, up to `read_ahead` pages ahead of the one being
        written, so PostgreSQL's part of either (reading; writing, committing) overlaps the
        Python of the other."""
        head, done, start = self.head() if until is None else until, 0, self._start()
        if head <= start:
            return 0
        analyse_at = self.analyse_after
        with closing(self._pages(start, head)) as pages:
            for page in pages:
                done += self._apply(page)
                if done >= analyse_at:
                    self.analyse()
                    analyse_at = 2 * done
                progress(page.upto, head)
        return done

    def _pages(self, start: int, head: int) -> Generator[_Page, None, None]:
        """The pages from start up to head, read and decoded by a thread of their own."""
        pages: queue.Queue[_Page | BaseException | None] = queue.Queue(self.read_ahead)
        stop = threading.Event()

        def read() -> None:
            at = start
            try:
                while at < head and not stop.is_set():
                    page = self._read(at, head)
                    pages.put(page)
                    at = page.upto
            except BaseException as error:
                pages.put(error)
                return
            pages.put(None)

        reader = threading.Thread(target=read, name="projection-read-ahead", daemon=True)
        reader.start()
        try:
            while (item := pages.get()) is not None:
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            stop.set()
            while reader.is_alive():  # a reader waiting to hand over a page is let go
                with suppress(queue.Empty):
                    pages.get(timeout=0.05)
            reader.join()

    def analyse(self) -> None:
        """Refresh the planner's statistics of every read model's table."""
        tables = read_model_tables(self.read_models)
        if tables:
            with self.datastore.transaction(commit=True) as cursor:
                cursor.execute(SQL("ANALYZE {}").format(SQL(", ").join(map(Identifier, tables))))

    def _read(self, start: int, head: int) -> _Page:
        notifications = self.recorder.select_stored_after(
            start, head, self.topics or (), self.page, self.share
        )
        upto = notifications[-1].id if len(notifications) == self.page else head
        to_event = self.ledger.mapper.to_domain_event
        return _Page(start, upto, [to_event(n) for n in notifications])

    def _apply(self, page: _Page) -> int:
        """The page's events in the read models and the position moved past it, in one transaction."""
        events = page.events
        models_of = self._models_of
        by_event = []
        for event in events:
            models = models_of.get(type(event))
            if models is None:
                models = models_of[type(event)] = [
                    m for m, handled in self._by_event if handled is None or type(event) in handled
                ]
            for model in models:
                by_event.append((model, event))
        with self.datastore.get_connection() as conn, conn.transaction():
            cursor = conn.cursor()
            cursor.execute(
                "SELECT position FROM projection_positions WHERE name = %s FOR UPDATE", (self.name,)
            )
            if cursor.fetchone()["position"] != page.start:
                raise RuntimeError("another projection runner moved the position meanwhile")
            for paged in self._by_page:
                paged.apply_page(cursor, events)
            if by_event:
                with conn.pipeline() as pipeline:  # statements go out without waiting for each answer
                    pipelined = _PipelinedCursor(cursor, pipeline)
                    for model, event in by_event:
                        model.apply(pipelined, event)
            cursor.execute(
                "UPDATE projection_positions SET position = %s WHERE name = %s", (page.upto, self.name)
            )
        return page.upto - page.start

    def rebuild(
        self,
        progress: Callable[[int, int], None] = lambda done, total: None,
        processes: int = 1,
        runner_of: RunnerOf | None = None,
    ) -> int:
        """Empty the read models and project the whole log again (their query indexes built
        once at the end).

        With `processes` > 1 and `runner_of`, the `per_aggregate` read models are projected by
        that many processes at once, each over a share of the aggregates (a runner of each
        share from `runner_of`, in a process of its own), while this one projects the others;
        the position says REBUILDING until every share is done."""
        indexes = query_indexes(self.read_models)
        shared = per_aggregate(self.read_models)
        in_shares = processes > 1 and runner_of is not None and bool(shared)
        head = self.head()
        with self.datastore.transaction(commit=True) as cursor:
            for model in self.read_models:
                for statement in model.truncate:
                    cursor.execute(statement)
            for name in indexes:
                cursor.execute(SQL("DROP INDEX IF EXISTS {}").format(Identifier(name)))
            cursor.execute("DELETE FROM projection_positions WHERE starts_with(name, %s)", (f"{self.name}/",))
            cursor.execute(
                "UPDATE projection_positions SET position = %s WHERE name = %s",
                (REBUILDING if in_shares else 0, self.name),
            )
        if in_shares:
            assert runner_of is not None
            done = self._rebuild_in_shares(
                head, processes, runner_of, progress, [m for m in self.read_models if m not in shared]
            )
        else:
            done = self.catch_up(progress)
        with self.datastore.transaction(commit=True) as cursor:
            for ddl in indexes.values():
                cursor.execute(ddl)
        self.analyse()  # the tables were filled in bulk: the readers' queries plan on them next
        return done

    def _rebuild_in_shares(
        self,
        head: int,
        processes: int,
        runner_of: RunnerOf,
        progress: Callable[[int, int], None],
        others: list[ReadModel],
    ) -> int:
        """The shares projected up to head by processes of their own and the other read models
        here; then the position moved to head and the shares' positions dropped, together."""
        names = [f"{self.name}/share-{k}-of-{processes}" for k in range(processes)]
        with self.datastore.transaction(commit=True) as cursor:
            for name in [*names, f"{self.name}/others"]:
                cursor.execute("INSERT INTO projection_positions VALUES (%s, 0)", (name,))
        context = multiprocessing.get_context("spawn")
        reports: Any = context.Queue()
        workers = [
            context.Process(
                target=_project_share,
                name=name,
                daemon=True,
                args=(runner_of, name, (k, processes), head, reports),
            )
            for k, name in enumerate(names)
        ]
        at, shown = dict.fromkeys([*names, "others"], 0), [0]

        def report(name: str, position: int) -> None:  # progress: where the slowest part is
            at[name] = position
            while True:
                try:
                    at.__setitem__(*reports.get_nowait())
                except queue.Empty:
                    break
            if min(at.values()) > shown[0]:
                shown[0] = min(at.values())
                progress(shown[0], head)

        for worker in workers:
            worker.start()
        try:
            if others:  # (a runner of no read model would read every event)
                ProjectionRunner(self.ledger, others, f"{self.name}/others", self.page, setup=False).catch_up(
                    lambda position, total: report("others", position), until=head
                )
            at["others"] = head
            while any(w.is_alive() for w in workers):
                for worker in workers:
                    worker.join(0.2)
                    if worker.exitcode not in (None, 0):
                        raise RuntimeError(f"{worker.name}: its process ended with {worker.exitcode}")
                report("others", head)
            failed = [w.name for w in workers if w.exitcode != 0]
            if failed:
                raise RuntimeError(f"{', '.join(failed)}: its process failed")
        finally:
            for worker in workers:
                if worker.is_alive():
                    worker.terminate()
                worker.join()
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute("DELETE FROM projection_positions WHERE starts_with(name, %s)", (f"{self.name}/",))
            cursor.execute("UPDATE projection_positions SET position = %s WHERE name = %s", (head, self.name))
        if shown[0] < head:
            progress(head, head)
        return head


def _project_share(runner_of: RunnerOf, name: str, share: tuple[int, int], head: int, reports: Any) -> None:
    """A share of a rebuild, in a process of its own."""
    runner = runner_of(name, share)
    try:
        runner.catch_up(lambda position, total: reports.put((name, position)), until=head)
    finally:
        runner.ledger.close()
