"""A keyed table's rows as one page of events leaves them, written once at the page's end.

A read model that keeps rows by key (an id) stages what a page of events does to them: rows
added in the page are kept in memory and changed there; changes to rows of earlier pages
are merged per row. At the end of the page the new rows go in by one COPY and the changes
by one UPDATE per set of columns changed, joined to the arrays of new values. The rows end
as the same events applied one statement at a time would leave them, in a handful of
statements instead of several per event.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar


class DuplicateRow(ValueError):
    """A row was added twice under one key in one page."""


class _Staged:
    table: str
    columns: tuple[str, ...]
    _types: dict[str, tuple[str, int]]

    def _column_types(self, cur: Any) -> dict[str, str]:
        return {name: sql for name, (sql, _) in self._described(cur).items()}

    def _described(self, cur: Any) -> dict[str, tuple[str, int]]:
        if not self._types:
            self._types = column_types(cur, self.table)
        return self._types

    def _copy(self, cur: Any, rows: Iterable[Sequence[Any]]) -> None:
        """The rows in by one binary COPY (a third of the time of text, on both ends)."""
        described = self._described(cur)
        with cur.copy(f"COPY {self.table} ({', '.join(self.columns)}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types([described[name][1] for name in self.columns])
            for row in rows:
                copy.write_row(row)


class StagedRows(_Staged):
    def __init__(self, table: str, columns: Sequence[str], key: str = "id") -> None:
        self.table, self.columns, self.key = table, tuple(columns), key
        self._at = {column: i for i, column in enumerate(self.columns)}
        self._key_at = self._at[key]
        self._types: dict[str, tuple[str, int]] = {}
        self.added: dict[Any, list[Any]] = {}
        self.changed: dict[Any, dict[str, Any]] = {}

    def add(self, row: Iterable[Any]) -> None:
        """A new row, its values in the order of the columns."""
        values = list(row)
        key = values[self._key_at]
        if key in self.added:
            raise DuplicateRow(f"{self.table}: {self.key} {key} added twice")
        self.added[key] = values
        self.changed.pop(key, None)  # staged before there was a row: they changed nothing

    def set(self, key: Any, **values: Any) -> None:
        """Set columns of the row with this key; nothing happens where there is none."""
        row = self.added.get(key)
        if row is None:
            self.changed.setdefault(key, {}).update(values)
            return
        at = self._at
        for column, value in values.items():
            row[at[column]] = value

    def clear(self) -> None:
        self.added, self.changed = {}, {}

    def write(self, cur: Any) -> None:
        """Write what the page did and start the next page empty."""
        if self.added:
            self._copy(cur, self.added.values())
        by_columns: dict[tuple[str, ...], list[tuple[Any, dict[str, Any]]]] = defaultdict(list)
        for key, values in self.changed.items():
            by_columns[tuple(sorted(values))].append((key, values))
        for columns, rows in by_columns.items():
            self._update(cur, columns, rows)
        self.clear()

    def _update(self, cur: Any, columns: tuple[str, ...], rows: list[tuple[Any, dict[str, Any]]]) -> None:
        types = self._column_types(cur)
        names = (self.key, *columns)
        arrays = [[key for key, _ in rows]] + [[values[c] for _, values in rows] for c in columns]
        unnest = ", ".join(f"%s::{types[name]}[]" for name in names)
        cur.execute(
            f"UPDATE {self.table} AS t SET {', '.join(f'{c} = v.{c}' for c in columns)}"
            f" FROM unnest({unnest}) AS v({', '.join(names)}) WHERE t.{self.key} = v.{self.key}",
            arrays,
        )


def column_types(cur: Any, table: str) -> dict[str, tuple[str, int]]:
    """Each column's type as SQL names it (to cast the arrays a set-based UPDATE joins) and
    its oid (for binary COPY)."""
    cur.execute(
        "SELECT attname AS name, format_type(atttypid, atttypmod) AS type, atttypid::int AS oid"
        " FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
        (table,),
    )
    return {row["name"]: (row["type"], row["oid"]) for row in cur.fetchall()}


class StagedVersions(_Staged):
    """A table of versions on the recording axis: each version of a thing (by key) is open,
    `recorded_until` NULL, until the next is recorded.

    Versions opened in the page are kept in memory and closed there; the open versions of
    earlier pages the page will close are read first (`read_open`, one statement), their
    closing written as one UPDATE before the page's versions go in by one COPY."""

    def __init__(self, table: str, key: str, fields: Sequence[str]) -> None:
        self.table, self.key, self.fields = table, key, tuple(fields)
        self.columns = (key, *self.fields, "recorded_from", "recorded_until")
        self._types: dict[str, tuple[str, int]] = {}
        self.clear()

    def clear(self) -> None:
        self.opened: list[list[Any]] = []  # [key, fields, recorded_from, recorded_until]
        self.current: dict[Any, list[list[Any]]] = {}  # open versions opened in the page
        self.earlier: dict[Any, list[dict[str, Any]]] = {}  # open versions of earlier pages
        self.read: set[Any] = set()
        self.closes: list[tuple[Any, Any]] = []

    def read_open(self, cur: Any, keys: Sequence[Any]) -> None:
        """Read the open versions of earlier pages for these keys (before the page is applied)."""
        self.read.update(keys)
        if not keys:
            return
        cur.execute(
            f"SELECT {', '.join((self.key, *self.fields))} FROM {self.table}"
            f" WHERE {self.key} = ANY(%s) AND recorded_until IS NULL",
            (list(keys),),
        )
        for row in cur.fetchall():
            self.earlier.setdefault(row.pop(self.key), []).append(row)

    def open(self, key: Any, fields: dict[str, Any], at: Any) -> None:
        """Open a version of `key` recorded at `at` (its values: `fields`, by column name)."""
        version = [key, {name: fields[name] for name in self.fields}, at, None]
        self.opened.append(version)
        self.current.setdefault(key, []).append(version)

    def close(self, key: Any, at: Any) -> list[dict[str, Any]]:
        """Close every open version of `key` at `at`; return their values."""
        if key not in self.read and key not in self.current:
            raise LookupError(f"{self.table}: the open versions of {key} were not read before the page")
        closed = []
        earlier = self.earlier.pop(key, None)
        if earlier:
            self.closes.append((key, at))
            closed.extend(earlier)
        for version in self.current.pop(key, ()):
            version[3] = at
            closed.append(dict(version[1]))
        return closed

    def write(self, cur: Any) -> None:
        if self.closes:
            types = self._column_types(cur)
            cur.execute(
                f"UPDATE {self.table} AS t SET recorded_until = v.at FROM unnest("
                f"%s::{types[self.key]}[], %s::{types['recorded_until']}[]) AS v(key, at)"
                f" WHERE t.{self.key} = v.key AND t.recorded_until IS NULL",
                ([key for key, _ in self.closes], [at for _, at in self.closes]),
            )
        if self.opened:
            fields = self.fields
            self._copy(
                cur,
                (
                    (key, *(values[name] for name in fields), recorded_from, recorded_until)
                    for key, values, recorded_from, recorded_until in self.opened
                ),
            )
        self.clear()


class StagedHandlers:
    """A read model written a page at a time: its handlers stage rows, the page's end writes them.

    `handlers` maps each event class handled to a function of the read model and the event;
    `prepare` may first read, in one statement per table, the rows of earlier pages the
    page's events need; `staged` are written after the last event, in their order."""

    tables: ClassVar[Sequence[str]]
    truncate: ClassVar[Sequence[str]]
    handlers: ClassVar[dict[type, Any]]
    staged: Sequence[StagedRows | StagedVersions]

    @property
    def handles(self) -> Iterable[type]:
        return self.handlers.keys()

    def prepare(self, cur: Any, events: Sequence[Any]) -> None:
        """Read what the page needs from earlier pages (nothing, unless a read model says)."""

    def apply_page(self, cur: Any, events: Sequence[Any]) -> None:
        for rows in self.staged:
            rows.clear()  # a page that failed may have left rows staged
        handlers = self.handlers
        mine = [e for e in events if type(e) in handlers]
        if not mine:
            return
        self.prepare(cur, mine)
        for event in mine:
            handlers[type(event)](self, event)
        self.write(cur)

    def write(self, cur: Any) -> None:
        for rows in self.staged:
            rows.write(cur)
