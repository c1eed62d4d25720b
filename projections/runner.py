"""Follows the event log and keeps the read models, one transaction per page of events.

Each read model keeps its own position (a row of `projection_positions`, named after it),
and its rows and that position commit together, so a crash replays at most the page in
flight and never skips or doubles an event. One runner may keep many read models, sharing
each page it reads among them; in a worker (`retries` set) each read model applies the page
under a savepoint of its own, so one that fails holds back no other: after `retries`
failures at the same event it stops there, `stalled`, until it is resumed, skipped past
that event by an operator, or rebuilt.

A rebuild is blue/green: the read models are built from the log into tables of the same
names in a schema of their own (`SHADOW`), while the live tables keep answering, and once
caught up to the head they take the live tables' place in one transaction.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import queue
import re
import sys
import threading
import time
from collections.abc import Callable, Collection, Generator, Iterable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager, suppress
from typing import Any, ClassVar, NamedTuple, Protocol, runtime_checkable

import psycopg
from eventsourcing import persistence
from eventsourcing.domain import Aggregate
from psycopg.sql import SQL, Identifier

from aggregates.ledger import Ledger
from aggregates.stored_topics import stored_topics

log = logging.getLogger("govledger.projections")

POSITIONS = """CREATE TABLE IF NOT EXISTS projection_positions (
    name text PRIMARY KEY, position bigint NOT NULL)"""
# What each position says beside the number: the version of the read model its tables were
# built by, its state (live, failing, stalled or rebuilding), the failures in a row at the
# event it stopped at, and that event and error (`fault`).
POSITION_COLUMNS = {
    "version": "integer NOT NULL DEFAULT 1",
    "state": "text NOT NULL DEFAULT 'live'",
    "failures": "integer NOT NULL DEFAULT 0",
    "fault": "jsonb",
}
LEGACY = "read_models"  # the one position every read model shared before each had its own
SHADOW = "read_model_shadow"  # the schema a rebuild builds the read models in
RETIRED = "read_model_retired"  # where the tables a rebuild replaced wait to be dropped
BUILDING = "@shadow"  # the suffix of the positions of read models being built in SHADOW
REBUILD_LOCK = 72_220_231  # the advisory lock a rebuild holds: one at a time per database

# Errors that say the database is out of reach or busy, not that a read model is wrong:
# waited out by the worker, never counted against a read model.
OUTAGES: tuple[type[BaseException], ...] = (
    psycopg.OperationalError,
    psycopg.InterfaceError,
    persistence.OperationalError,  # the same, as the library's datastore raises them
    persistence.InterfaceError,
)


class Moved(RuntimeError):
    """Another runner moved a position this one was about to move: read the positions again."""


# (read model names, prefix and suffix of their positions, share, schema) -> a runner of that share
RunnerOf = Callable[[Sequence[str], str, str, tuple[int, int], str | None], "ProjectionRunner"]


def model_name(model: Any) -> str:
    """A read model's name: its `name`, else its class name in snake case (TownPowerInventory:
    town_power_inventory). Its position, metrics and `rebuild --only` go by it."""
    declared = getattr(model, "name", None)
    if isinstance(declared, str) and declared:
        return declared
    cls = model if isinstance(model, type) else type(model)
    return re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()


def model_version(model: Any) -> int:
    """A read model's version (`version` in its class, 1 when it has none). Changing it makes
    the projection worker rebuild the read model blue/green by itself."""
    return int(getattr(model, "version", 1))


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


class Undecodable(NamedTuple):
    """An event the ledger could not turn back into its class (a shape no upcast knows): the
    read models that read its topic fail at it, the others pass over it."""

    topic: str
    originator_id: Any
    originator_version: int
    error: Exception


class _Page(NamedTuple):
    start: int  # the position before it
    upto: int  # the position after it
    events: list[Any]
    ids: list[int]  # each event's notification id


class Fault(NamedTuple):
    """Where and why a read model failed: the event's notification id, what it is, the error."""

    position: int  # the read model's position: every event before the one at fault
    event_id: int
    originator_id: str
    originator_version: int
    topic: str
    error: str

    def describe(self) -> dict[str, Any]:
        return {**self._asdict(), "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


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
    retry_delay = 0.5  # seconds before a failing read model is tried again, doubling each time

    def __init__(
        self,
        ledger: Ledger,
        read_models: Sequence[ReadModel],
        name: str = "",
        page: int = 5000,
        share: tuple[int, int] | None = None,
        setup: bool = True,
        *,
        suffix: str = "",
        schema: str | None = None,
        retries: int | None = None,
        indexes: bool = True,
    ) -> None:
        """`name`: a prefix of the read models' positions (`name/model`), for runners that keep
        the same read models apart. `share` (k, n): project only the events of share k of the
        aggregates split n ways. `setup`: create the tables, query indexes (unless `indexes`
        is false) and positions if missing (a share's runner, started by a rebuild that did
        so, leaves that alone). `suffix` and `schema`: the positions and tables of read models
        being built elsewhere (a rebuild's). `retries`: a failing read model stalls after
        that many failures at one event while the others go on (a worker's runner); None: a
        failure is raised, and the page rolled back for all."""
        self.ledger, self.read_models, self.name, self.page = ledger, list(read_models), name, page
        self.share, self.suffix, self.schema, self.retries = share, suffix, schema, retries
        if share is not None and share[0] != 0:
            self.analyse_after = sys.maxsize  # the first share refreshes the tables' statistics for all
        self.rows = {id(m): self.row(m) for m in self.read_models}
        self.topics = topics_read(self.read_models) or None
        self._handled = {id(m): _handled(m) for m in self.read_models}
        self._topics_of = {id(m): _topics(m) for m in self.read_models}
        self.outdated: set[str] = set()  # names of read models whose tables an earlier version built
        self.paused: set[str] = set()  # names of read models this runner leaves alone for now
        self._retry_at: dict[str, float] = {}  # failing read models: when to try each again
        # the ledger's PostgreSQL recorder (infra/store/recorder.py), used beyond eventsourcing's
        # recorder interface: its datastore, and the events of some topics or of a share read
        recorder: Any = ledger.recorder
        self.recorder, self.datastore = recorder, recorder.datastore
        self.live_schema = "public"
        if schema is not None:
            with self.datastore.transaction(commit=False) as cursor:
                cursor.execute("SELECT current_schema() AS s")
                self.live_schema = cursor.fetchone()["s"]
        if setup:
            self._setup(indexes)

    def row(self, model: Any) -> str:
        """The name of the model's position."""
        return (
            f"{self.name}/{model_name(model)}{self.suffix}" if self.name else model_name(model) + self.suffix
        )

    def _setup(self, indexes: bool) -> None:
        """The positions (in the live schema, always), then the tables of the read models
        whose tables this version builds (in the runner's schema)."""
        rows = list(self.rows.values())
        with self.datastore.transaction(commit=True) as cursor:
            prepare_positions(cursor)
            cursor.execute("SELECT name, version FROM projection_positions WHERE name = ANY(%s)", (rows,))
            versions = {r["name"]: r["version"] for r in cursor.fetchall()}
            if not self.name and not self.suffix:  # the position kept before each read model had its own
                cursor.execute("SELECT position FROM projection_positions WHERE name = %s", (LEGACY,))
                legacy = cursor.fetchone()
                if legacy is not None:
                    for row in rows:
                        if row not in versions:
                            cursor.execute(
                                "INSERT INTO projection_positions (name, position) VALUES (%s, %s)",
                                (row, legacy["position"]),
                            )
                            versions[row] = 1
                    cursor.execute("DELETE FROM projection_positions WHERE name = %s", (LEGACY,))
            current = []
            for model in self.read_models:
                stored = versions.get(self.rows[id(model)])
                if stored is not None and stored != model_version(model):
                    self.outdated.add(model_name(model))  # its tables wait for a rebuild
                    continue
                current.append(model)
                cursor.execute(
                    "INSERT INTO projection_positions (name, position, version) VALUES (%s, 0, %s)"
                    " ON CONFLICT DO NOTHING",
                    (self.rows[id(model)], model_version(model)),
                )
        with self._transaction() as cursor:
            wanted = [ddl for model in current for ddl in model.tables]
            wanted += list(query_indexes(current).values()) if indexes else []
            present = _present(cursor)
            for ddl in wanted:  # only what is missing: an index made anew locks its table, even if it exists
                if (match := _CREATES.match(ddl)) is None or match[1] not in present:
                    cursor.execute(ddl)

    @contextmanager
    def _transaction(self, commit: bool = True) -> Iterator[Any]:
        """A transaction whose unqualified table names are the runner's schema's first."""
        with self.datastore.transaction(commit=commit) as cursor:
            self._search_path(cursor)
            yield cursor

    def _search_path(self, cursor: Any) -> None:
        if self.schema is not None:
            cursor.execute(
                SQL("SET LOCAL search_path TO {}, {}").format(
                    Identifier(self.schema), Identifier(self.live_schema)
                )
            )

    # -- positions ------------------------------------------------------------------------

    def states(self) -> dict[str, dict[str, Any]]:
        """Each read model's position row, by read model name."""
        names = {self.rows[id(m)]: model_name(m) for m in self.read_models}
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(
                "SELECT name, position, version, state, failures, fault FROM projection_positions"
                " WHERE name = ANY(%s)",
                (list(names),),
            )
            return {names[r["name"]]: dict(r) for r in cursor.fetchall()}

    def position(self) -> int:
        """How far every read model of the runner has come: the least of their positions."""
        found = self.states()
        missing = [model_name(m) for m in self.read_models if model_name(m) not in found]
        if missing:
            raise LookupError(f"no position of {', '.join(missing)}")
        return min(state["position"] for state in found.values())

    def head(self) -> int:
        return self.ledger.recorder.max_notification_id() or 0

    def _active(self, waiting: bool) -> dict[int, int]:
        """The positions of the read models to project now, by id of the read model: all but
        those outdated, paused or stalled (a stalled one stays where it stopped until it is
        resumed, skipped past that event or rebuilt, whoever runs the runner: a command line
        catching up reads the others), and (with `waiting`) but those failing whose next
        try has not come yet."""
        states, now, at = self.states(), time.monotonic(), {}
        for model in self.read_models:
            name = model_name(model)
            if name in self.outdated or name in self.paused or name not in states:
                continue
            if states[name]["state"] == "stalled" or (waiting and self._retry_at.get(name, 0.0) > now):
                continue
            at[id(model)] = int(states[name]["position"])
        return at

    # -- projecting -----------------------------------------------------------------------

    def run_once(self, until: int | None = None) -> int:
        """Project the next page of events (up to `until`); return how far the position of the
        read models furthest behind moved.

        Only the events of the topics read are fetched; the positions pass over the
        others (up to the head read first: every event below it is committed, as writers
        insert and commit under the events table lock)."""
        at = self._active(waiting=self.retries is not None)
        if not at:
            return 0
        start, head = min(at.values()), self.head() if until is None else until
        if head <= start:
            return 0
        page = self._read(start, head)
        self._apply(page, at)
        return page.upto - start

    def catch_up(
        self, progress: Callable[[int, int], None] = lambda done, total: None, until: int | None = None
    ) -> int:
        """Project everything stored up to now (or up to `until`); return how far the
        position of the read models furthest behind moved.

        Pages are read and decoded in a thread, up to `read_ahead` pages ahead of the one being
        written, so PostgreSQL's part of either (reading; writing, committing) overlaps the
        Python of the other."""
        at = self._active(waiting=False)
        if not at:
            return 0
        start = min(at.values())
        head, done = self.head() if until is None else until, 0
        if head <= start:
            return 0
        analyse_at = self.analyse_after
        with closing(self._pages(start, head)) as pages:
            for page in pages:
                at = self._apply(page, at)
                done = page.upto - start
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
            with self._transaction() as cursor:
                cursor.execute(SQL("ANALYZE {}").format(SQL(", ").join(map(Identifier, tables))))

    def _read(self, start: int, head: int) -> _Page:
        notifications = self.recorder.select_stored_after(
            start, head, self.topics or (), self.page, self.share
        )
        upto = notifications[-1].id if len(notifications) == self.page else head
        to_event = self.ledger.mapper.to_domain_event
        events = []
        for n in notifications:
            try:
                events.append(to_event(n))
            except Exception as error:  # a shape no upcast knows: at fault where it is read
                events.append(Undecodable(n.topic, n.originator_id, n.originator_version, error))
        return _Page(start, upto, events, [n.id for n in notifications])

    def _apply(self, page: _Page, at: dict[int, int]) -> dict[int, int]:
        """The page's events in each read model that has not yet taken them, and their
        positions moved, in one transaction; returns the positions now.

        Without `retries`, a read model's failure is raised and nothing of the page kept.
        With them, each read model applies the page under a savepoint: one that fails keeps
        the events before the one at fault and notes the failure (stalling at the
        `retries`th in a row); the others go on. An outage of the database is raised
        either way, to be waited out."""
        rows = sorted(self.rows[id(m)] for m in self.read_models if id(m) in at)
        with self.datastore.get_connection() as conn, conn.transaction():
            cursor = conn.cursor()
            self._search_path(cursor)
            cursor.execute(
                "SELECT name, position FROM projection_positions WHERE name = ANY(%s)"
                " ORDER BY name FOR UPDATE",
                (rows,),
            )
            stored = {r["name"]: r["position"] for r in cursor.fetchall()}
            moved, faults = {}, {}
            for model in self.read_models:
                key, row = id(model), self.rows[id(model)]
                if key not in at:
                    continue
                if stored.get(row) != at[key]:
                    raise Moved(f"{row}: another projection runner moved the position meanwhile")
                if at[key] >= page.upto:
                    continue
                events = self._after(page, at[key])
                if self.retries is None:
                    self._apply_model(conn, cursor, model, events)
                    moved[key] = page.upto
                    continue
                try:
                    with conn.transaction():
                        self._apply_model(conn, cursor, model, events)
                    moved[key] = page.upto
                except OUTAGES:
                    raise
                except Exception:
                    fault = self._locate(conn, cursor, model, events, at[key])
                    if fault is None:
                        moved[key] = page.upto
                    else:
                        moved[key], faults[key] = fault.position, fault
            failures = self._store_positions(cursor, moved, faults)
        self._note(moved, faults, failures)
        return {**at, **moved}

    @staticmethod
    def _after(page: _Page, position: int) -> list[tuple[int, Any]]:
        if position <= page.start:
            return list(zip(page.ids, page.events))
        return [(i, e) for i, e in zip(page.ids, page.events) if i > position]

    def _apply_model(self, conn: Any, cursor: Any, model: Any, events: Sequence[tuple[int, Any]]) -> None:
        """The events in one read model (an undecodable one of its topics raises its error)."""
        handled, topics = self._handled[id(model)], self._topics_of[id(model)]
        taken = []
        for _, event in events:
            if isinstance(event, Undecodable):
                if topics is None or event.topic in topics:
                    break  # the events before it first, then its error
                continue
            taken.append(event)
        else:
            event = None
        if isinstance(model, ReadModelByPage):
            model.apply_page(cursor, taken)
        elif handled is None or any(type(e) in handled for e in taken):
            with conn.pipeline() as pipeline:  # statements go out without waiting for each answer
                pipelined = _PipelinedCursor(cursor, pipeline)
                for e in taken:
                    if handled is None or type(e) in handled:
                        model.apply(pipelined, e)
        if isinstance(event, Undecodable):
            raise event.error

    def _locate(
        self, conn: Any, cursor: Any, model: Any, events: Sequence[tuple[int, Any]], position: int
    ) -> Fault | None:
        """The page failed in the read model: its events applied one at a time, each under a
        savepoint, up to the one at fault; None if none fails alone."""
        for event_id, event in events:
            try:
                with conn.transaction():
                    self._apply_model(conn, cursor, model, [(event_id, event)])
            except OUTAGES:
                raise
            except Exception as error:
                topic = event.topic if isinstance(event, Undecodable) else _topic_of(event)
                return Fault(
                    position,
                    event_id,
                    str(event.originator_id),
                    int(event.originator_version),
                    topic,
                    f"{type(error).__name__}: {error}"[:2000],
                )
            position = event_id
        return None

    def _store_positions(
        self, cursor: Any, moved: dict[int, int], faults: dict[int, Fault]
    ) -> dict[int, int]:
        """The positions moved; for each read model at fault, its failures in a row at that
        event (stalled at the `retries`th). Returns those failures."""
        rows = {id(m): self.rows[id(m)] for m in self.read_models}
        clean = [k for k in moved if k not in faults]
        if clean:
            cursor.execute(
                "UPDATE projection_positions p SET position = v.position, failures = 0, fault = NULL,"
                " state = CASE WHEN p.state IN ('failing', 'stalled') THEN 'live' ELSE p.state END"
                " FROM unnest(%s::text[], %s::bigint[]) AS v(name, position) WHERE p.name = v.name",
                ([rows[k] for k in clean], [moved[k] for k in clean]),
            )
        failures = {}
        for key, fault in faults.items():
            cursor.execute(
                "UPDATE projection_positions SET failures = CASE WHEN position = %(at)s"
                " AND fault->>'event_id' = %(event)s THEN failures + 1 ELSE 1 END,"
                " position = %(at)s, fault = %(fault)s::jsonb WHERE name = %(name)s RETURNING failures",
                {
                    "at": fault.position,
                    "event": str(fault.event_id),
                    "fault": json.dumps(fault.describe(), ensure_ascii=False),
                    "name": rows[key],
                },
            )
            failures[key] = n = int(cursor.fetchone()["failures"])
            cursor.execute(
                "UPDATE projection_positions SET state = %s WHERE name = %s",
                ("stalled" if self._stalls(n) else "failing", rows[key]),
            )
        return failures

    def _stalls(self, failures: int) -> bool:
        """Whether that many failures in a row at one event stall the read model there."""
        return self.retries is not None and failures >= self.retries

    def _note(self, moved: dict[int, int], faults: dict[int, Fault], failures: dict[int, int]) -> None:
        """The log of what the page did to failing read models (a stall at ERROR, once), and
        when to try each again."""
        for model in self.read_models:
            key, name = id(model), model_name(model)
            if key in faults:
                fault, n = faults[key], failures[key]
                where = {"read_model": name, "failures": n, **fault._asdict()}
                if self._stalls(n):
                    self._retry_at.pop(name, None)
                    log.error(
                        "read model %s stalled at event %s (%s) after %s failures: %s",
                        name,
                        fault.event_id,
                        fault.topic,
                        n,
                        fault.error,
                        extra=where,
                    )
                else:
                    self._retry_at[name] = time.monotonic() + self.retry_delay * 2 ** (n - 1)
                    log.warning(
                        "read model %s failed at event %s (failure %s): %s",
                        name,
                        fault.event_id,
                        n,
                        fault.error,
                        extra=where,
                    )
            elif key in moved:
                self._retry_at.pop(name, None)

    # -- operators' acts ------------------------------------------------------------------

    def resume(self) -> list[str]:
        """The runner's stalled read models set going again (after a fix): each is tried
        again at the event it stopped at. Returns their names."""
        rows = {self.rows[id(m)]: model_name(m) for m in self.read_models}
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                "UPDATE projection_positions SET state = 'live', failures = 0"
                " WHERE name = ANY(%s) AND state IN ('stalled', 'failing') RETURNING name",
                (list(rows),),
            )
            resumed = sorted(rows[r["name"]] for r in cursor.fetchall())
        self._retry_at.clear()
        return resumed

    def skip(self, name: str, event_id: int) -> dict[str, Any]:
        """Move the read model `name` past the event `event_id` it stalled or fails at, without
        applying it; returns its fault as recorded. Refused (ValueError) unless that event is
        the one at fault."""
        [model] = self.named([name])
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                "SELECT position, state, fault FROM projection_positions WHERE name = %s FOR UPDATE",
                (self.rows[id(model)],),
            )
            found = cursor.fetchone()
            fault = found["fault"] if found else None
            if (
                not fault
                or found["state"] not in ("stalled", "failing")
                or int(fault["event_id"]) != event_id
            ):
                at = f"at event {fault['event_id']}" if fault else "at no event"
                raise ValueError(
                    f"{name} is {found['state'] if found else 'unknown'} {at}: only the event a read model"
                    f" stalled or fails at may be skipped, not {event_id}"
                )
            cursor.execute(
                "UPDATE projection_positions SET position = %s, state = 'live', failures = 0, fault = NULL"
                " WHERE name = %s",
                (event_id, self.rows[id(model)]),
            )
        self._retry_at.pop(name, None)
        return dict(fault)

    # -- rebuilding -----------------------------------------------------------------------

    def rebuild(
        self,
        progress: Callable[[int, int], None] = lambda done, total: None,
        processes: int = 1,
        runner_of: RunnerOf | None = None,
        only: Collection[str] | None = None,
    ) -> int:
        """Build the read models (those named in `only`, else all) again from the log,
        blue/green: into tables of their own in the schema SHADOW while the live ones keep
        answering (and keep being projected onto, by a worker), their query indexes built
        once at the end; then, caught up to the head, they take the live tables' place in one
        transaction, and their positions the shadow's. Returns how many positions the build
        passed. One rebuild at a time per database (an advisory lock says so).

        With `processes` > 1 and `runner_of`, the `per_aggregate` read models are projected by
        that many processes at once, each over a share of the aggregates (a runner of each
        share from `runner_of`, in a process of its own), while this one projects the others."""
        models = self.named(only)
        with self.datastore.get_connection() as held:  # the advisory lock lives with this session
            held.autocommit = True
            if not held.execute("SELECT pg_try_advisory_lock(%s) AS got", (REBUILD_LOCK,)).fetchone()["got"]:
                raise RuntimeError("another rebuild is running on this database")
            try:
                return self._rebuild(models, progress, processes, runner_of)
            finally:
                held.execute("SELECT pg_advisory_unlock(%s)", (REBUILD_LOCK,))
                held.autocommit = False

    def named(self, only: Collection[str] | None) -> list[Any]:
        """The runner's read models named in `only` (all when None); ValueError naming any
        name that is no read model's, and the names there are."""
        if only is None:
            return list(self.read_models)
        known = model_names(self.read_models)
        unknown = sorted(set(only) - set(known))
        if unknown:
            raise ValueError(f"no read model {', '.join(unknown)}; there are {', '.join(known)}")
        return [m for m in self.read_models if model_name(m) in only]

    def _rebuild(
        self,
        models: list[Any],
        progress: Callable[[int, int], None],
        processes: int,
        runner_of: RunnerOf | None,
    ) -> int:
        with self.datastore.transaction(commit=True) as cursor:
            prepare_positions(cursor)
            cursor.execute(SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(Identifier(SHADOW)))
            cursor.execute(SQL("CREATE SCHEMA {}").format(Identifier(SHADOW)))
            cursor.execute("DELETE FROM projection_positions WHERE name LIKE %s", (f"%{BUILDING}%",))
        builder = ProjectionRunner(
            self.ledger, models, self.name, self.page, suffix=BUILDING, schema=SHADOW, indexes=False
        )
        shared = per_aggregate(models)
        head = self.head()
        if processes > 1 and runner_of is not None and shared:
            done = builder._build_in_shares(head, processes, runner_of, shared, progress)
        else:
            done = builder.catch_up(progress)
        with builder._transaction() as cursor:
            for ddl in query_indexes(models).values():
                cursor.execute(ddl)
        builder.analyse()  # the tables were filled in bulk: the readers' queries plan on them next
        builder.catch_up(progress)  # what came meanwhile, before the live positions are held
        self._swap(builder, models)
        return done

    def _build_in_shares(
        self,
        head: int,
        processes: int,
        runner_of: RunnerOf,
        shared: list[Any],
        progress: Callable[[int, int], None],
    ) -> int:
        """The per-aggregate read models projected up to head by processes of their own, one
        share of the aggregates each, and the others here; then the per-aggregate read
        models' positions moved to head and the shares' positions dropped, together."""
        names = [f"share-{k}-of-{processes}" for k in range(processes)]
        shared_names = model_names(shared)
        others = [m for m in self.read_models if m not in shared]
        with self.datastore.transaction(commit=True) as cursor:
            for share in names:
                for model in shared:
                    cursor.execute(
                        "INSERT INTO projection_positions (name, position, version) VALUES (%s, 0, %s)",
                        (f"{self.rows[id(model)]}/{share}", model_version(model)),
                    )
        context = multiprocessing.get_context("spawn")
        reports: Any = context.Queue()
        workers = [
            context.Process(
                target=_project_share,
                name=share,
                daemon=True,
                args=(
                    runner_of,
                    shared_names,
                    self.name,
                    f"{self.suffix}/{share}",
                    (k, processes),
                    self.schema,
                    head,
                    reports,
                ),
            )
            for k, share in enumerate(names)
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
                ProjectionRunner(
                    self.ledger,
                    others,
                    self.name,
                    self.page,
                    setup=False,
                    suffix=self.suffix,
                    schema=self.schema,
                ).catch_up(lambda position, total: report("others", position), until=head)
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
            for model in shared:
                row = self.rows[id(model)]
                cursor.execute("DELETE FROM projection_positions WHERE starts_with(name, %s)", (f"{row}/",))
                cursor.execute("UPDATE projection_positions SET position = %s WHERE name = %s", (head, row))
        if shown[0] < head:
            progress(head, head)
        return head

    def _swap(self, builder: ProjectionRunner, models: list[Any]) -> None:
        """The built tables in the live ones' place and the live positions at the built
        ones', in one transaction; the replaced tables dropped after it. The live positions
        are held meanwhile (a worker's page waits), and what came since the build's last
        page is built first, so the live read models never go back."""
        live = sorted(self.rows[id(m)] for m in models)
        tables = read_model_tables(models)
        with self.datastore.get_connection() as conn, conn.transaction():
            cursor = conn.cursor()
            cursor.execute(
                "SELECT name FROM projection_positions WHERE name = ANY(%s) ORDER BY name FOR UPDATE", (live,)
            )
            builder.catch_up()  # by connections of its own; the live positions stay where they are
            at = builder.states()
            cursor.execute(SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(Identifier(RETIRED)))
            cursor.execute(SQL("CREATE SCHEMA {}").format(Identifier(RETIRED)))
            for table in tables:
                cursor.execute(
                    SQL("ALTER TABLE IF EXISTS {}.{} SET SCHEMA {}").format(
                        Identifier(builder.live_schema), Identifier(table), Identifier(RETIRED)
                    )
                )
                cursor.execute(
                    SQL("ALTER TABLE {}.{} SET SCHEMA {}").format(
                        Identifier(SHADOW), Identifier(table), Identifier(builder.live_schema)
                    )
                )
            for model in models:
                cursor.execute(
                    "INSERT INTO projection_positions AS p (name, position, version) VALUES (%s, %s, %s)"
                    " ON CONFLICT (name) DO UPDATE SET position = excluded.position,"
                    " version = excluded.version, state = 'live', failures = 0, fault = NULL",
                    (self.rows[id(model)], at[model_name(model)]["position"], model_version(model)),
                )
                cursor.execute("DELETE FROM projection_positions WHERE name = %s", (builder.rows[id(model)],))
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(Identifier(RETIRED)))
            cursor.execute(SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(Identifier(SHADOW)))
        for model in models:
            self.outdated.discard(model_name(model))
            self._retry_at.pop(model_name(model), None)


def prepare_positions(cursor: Any) -> None:
    """The positions' table, with every column this version reads (added to an older one)."""
    cursor.execute(POSITIONS)
    cursor.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_name = 'projection_positions' AND table_schema = current_schema()"
    )
    present = {r["column_name"] for r in cursor.fetchall()}
    for column, kind in POSITION_COLUMNS.items():
        if column not in present:
            cursor.execute(f"ALTER TABLE projection_positions ADD COLUMN IF NOT EXISTS {column} {kind}")


_CREATES = re.compile(r"\s*CREATE (?:UNIQUE )?(?:TABLE|INDEX) IF NOT EXISTS (\w+)", re.IGNORECASE)


def _present(cursor: Any) -> set[str]:
    """The tables and indexes of the schema statements create in (the runner's). Runners set
    up while a worker writes those tables (an API started, a rebuild begun) run only the
    CREATE statements of what is missing: CREATE INDEX IF NOT EXISTS takes its table's share
    lock before it looks, and would deadlock with the worker's pages."""
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'i', 'p')"
    )
    return {row["relname"] for row in cursor.fetchall()}


def model_names(read_models: Iterable[Any]) -> list[str]:
    return [model_name(m) for m in read_models]


def _topics(model: Any) -> frozenset[str] | None:
    handled = _handled(model)
    return None if handled is None else frozenset(t for cls in handled for t in stored_topics(cls))


def _topic_of(event: Any) -> str:
    return f"{type(event).__module__}:{type(event).__qualname__}"


def _project_share(
    runner_of: RunnerOf,
    names: Sequence[str],
    prefix: str,
    suffix: str,
    share: tuple[int, int],
    schema: str | None,
    head: int,
    reports: Any,
) -> None:
    """A share of a rebuild, in a process of its own."""
    runner = runner_of(names, prefix, suffix, share, schema)
    label = f"share-{share[0]}-of-{share[1]}"
    try:
        runner.catch_up(lambda position, total: reports.put((label, position)), until=head)
    finally:
        runner.ledger.close()
