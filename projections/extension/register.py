"""事项延伸台账 — items extended from towns to their communities and villages, and the cases
handled under them, on both time axes.

Each act is a row per community (`extension_acts`: extended or withdrawn, with the batch and
department of the delegation the town holds the item by), `effective_on` the day it takes
effect (China Standard Time), `recorded_at` when the ledger recorded it. A community takes
the item in on day D, as the ledger stood at K, when its latest act effective by D among
those recorded by K is an extension, and the town's delegation had not ended by D as known
at K (`extension_lapses`: a recall or transfer ends what rests on it). Counts
(`extension_handled`) are dated by their period: on day D they add up every period ended by
D, each period's latest count recorded by K.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from aggregates.extension.item_extension import ItemExtension
from aggregates.powers.delegation import Delegation
from projections.runner import EventHandlers

TABLES = [
    """CREATE TABLE IF NOT EXISTS extension_keys (
        extension_id uuid PRIMARY KEY, item text NOT NULL, town text NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS extension_keys_town ON extension_keys (town)",
    """CREATE TABLE IF NOT EXISTS extension_acts (
        extension_id uuid NOT NULL, version int NOT NULL, community text NOT NULL, act text NOT NULL,
        batch text, department text, delegation_id uuid, effective_on date NOT NULL,
        recorded_at timestamptz NOT NULL, PRIMARY KEY (extension_id, version, community))""",
    "CREATE INDEX IF NOT EXISTS extension_acts_community ON extension_acts (community)",
    """CREATE TABLE IF NOT EXISTS extension_lapses (
        delegation_id uuid NOT NULL, version int NOT NULL, ended_on date NOT NULL,
        recorded_at timestamptz NOT NULL, PRIMARY KEY (delegation_id, version))""",
    """CREATE TABLE IF NOT EXISTS extension_handled (
        extension_id uuid NOT NULL, version int NOT NULL, community text NOT NULL, period text NOT NULL,
        first_day date NOT NULL, last_day date NOT NULL, count int NOT NULL,
        recorded_at timestamptz NOT NULL, PRIMARY KEY (extension_id, version))""",
]
TRUNCATE = ["TRUNCATE extension_keys, extension_acts, extension_lapses, extension_handled"]


def _extended(cur: Any, e: Any) -> None:
    cur.execute("SELECT item, town FROM extension_keys WHERE extension_id = %s", (e.originator_id,))
    key = cur.fetchone()
    delegation = Delegation.create_id(e.batch, key["item"], key["town"])
    for community in e.communities:
        cur.execute(
            "INSERT INTO extension_acts VALUES (%s, %s, %s, 'extended', %s, %s, %s, %s, %s)",
            (
                e.originator_id,
                e.originator_version,
                community,
                e.batch,
                e.department,
                delegation,
                e.on,
                e.timestamp,
            ),
        )


def _withdrawn(cur: Any, e: Any) -> None:
    for community in e.communities:
        cur.execute(
            "INSERT INTO extension_acts VALUES (%s, %s, %s, 'withdrawn', NULL, NULL, NULL, %s, %s)",
            (e.originator_id, e.originator_version, community, e.on, e.timestamp),
        )


def _lapsed(cur: Any, e: Any) -> None:
    cur.execute(
        "INSERT INTO extension_lapses VALUES (%s, %s, %s, %s)",
        (e.originator_id, e.originator_version, e.ended_on, e.timestamp),
    )


_HANDLERS: dict[type, Any] = {
    ItemExtension.Opened: lambda cur, e: cur.execute(
        "INSERT INTO extension_keys VALUES (%s, %s, %s)", (e.originator_id, e.item, e.town)
    ),
    ItemExtension.Extended: _extended,
    ItemExtension.Withdrawn: _withdrawn,
    ItemExtension.HandledRecorded: lambda cur, e: cur.execute(
        "INSERT INTO extension_handled VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        (
            e.originator_id,
            e.originator_version,
            e.community,
            e.period,
            e.first_day,
            e.last_day,
            e.count,
            e.timestamp,
        ),
    ),
    Delegation.Recalled: _lapsed,
    Delegation.Transferred: _lapsed,
}


class ExtensionRegister(EventHandlers):
    """事项延伸台账 — what each town extended to which communities, and the cases they handled."""

    tables, truncate, handlers = TABLES, TRUNCATE, _HANDLERS


_WHERE = (
    "(%(town)s::text IS NULL OR k.town = %(town)s) AND (%(community)s::text IS NULL"
    " OR a.community = %(community)s)"
)
# each community's latest act under each extension, effective by the day, known by the moment
_LATEST = (
    "SELECT DISTINCT ON (a.extension_id, a.community) a.*, k.item, k.town FROM extension_acts a"
    f" JOIN extension_keys k ON k.extension_id = a.extension_id WHERE {_WHERE}"
    " AND a.recorded_at <= %(known)s AND a.effective_on <= %(on)s"
    " ORDER BY a.extension_id, a.community, a.effective_on DESC, a.version DESC"
)
# each period's latest count, for periods ended by the day, known by the moment
_COUNTS = (
    "SELECT DISTINCT ON (h.extension_id, h.community, h.period) h.*, k.item, k.town,"
    " (SELECT a.department FROM extension_acts a WHERE a.extension_id = h.extension_id"
    " AND a.act = 'extended' ORDER BY a.version LIMIT 1) AS department"
    " FROM extension_handled h JOIN extension_keys k ON k.extension_id = h.extension_id"
    " WHERE (%(town)s::text IS NULL OR k.town = %(town)s)"
    " AND (%(community)s::text IS NULL OR h.community = %(community)s)"
    " AND h.recorded_at <= %(known)s AND h.last_day <= %(on)s"
    " ORDER BY h.extension_id, h.community, h.period, h.version DESC"
)


def _args(town: str | None, community: str | None, on: date, known_at: datetime) -> dict[str, Any]:
    return {"town": town, "community": community, "on": on, "known": known_at}


def extended_as_of(
    cur: Any, town: str | None, community: str | None, on: date, known_at: datetime
) -> list[dict[str, Any]]:
    """The communities taking each item in on `on` (of `town`, of `community`, or all), as
    known at `known_at`: the item's department, the batch of the town's delegation, since when,
    and the cases handled by then (every period ended by `on`)."""
    cur.execute(
        "SELECT l.town, l.item, l.community, l.department, l.batch, l.effective_on AS since,"
        " coalesce(c.handled, 0)::int AS handled"
        f" FROM ({_LATEST}) l LEFT JOIN (SELECT extension_id, community, sum(count) AS handled"
        f" FROM ({_COUNTS}) f GROUP BY extension_id, community) c"
        " ON c.extension_id = l.extension_id AND c.community = l.community"
        " WHERE l.act = 'extended' AND NOT EXISTS (SELECT 1 FROM extension_lapses x"
        " WHERE x.delegation_id = l.delegation_id AND x.ended_on <= %(on)s AND x.recorded_at <= %(known)s)"
        " ORDER BY l.town, l.item, l.community",
        _args(town, community, on, known_at),
    )
    return list(cur.fetchall())


def handled_as_of(
    cur: Any, town: str | None, community: str | None, on: date, known_at: datetime
) -> list[dict[str, Any]]:
    """Every count of cases handled for a period ended by `on`, as known at `known_at`: the
    figures over time, period by period."""
    cur.execute(
        "SELECT town, item, community, department, period, first_day, last_day, count"
        f" FROM ({_COUNTS}) f ORDER BY town, first_day, item, community, last_day",
        _args(town, community, on, known_at),
    )
    return list(cur.fetchall())


def items_as_of(cur: Any, town: str | None, on: date, known_at: datetime) -> list[dict[str, Any]]:
    """Each item a town extended (of `town`, or all): how many communities take it in on `on`
    and the cases handled under it by then (withdrawn communities' counts included), as known
    at `known_at`."""
    totals: dict[tuple[str, str], dict[str, Any]] = defaultdict(dict)
    for row in extended_as_of(cur, town, None, on, known_at):
        found = totals[row["town"], row["item"]]
        found.setdefault("department", row["department"])
        found["communities"] = found.get("communities", 0) + 1
    for row in handled_as_of(cur, town, None, on, known_at):
        found = totals[row["town"], row["item"]]
        found.setdefault("department", row["department"])
        found["handled"] = found.get("handled", 0) + row["count"]
    return [
        {
            "town": key[0],
            "item": key[1],
            "department": found["department"],
            "communities": found.get("communities", 0),
            "handled": found.get("handled", 0),
        }
        for key, found in sorted(totals.items())
    ]


def town_view(read: Any) -> Any:
    """A per-town query (`read(cur, town, community, on, known)`) as `(cur, town, on, known)`."""
    return lambda cur, town, on, known_at: read(cur, town, None, on, known_at)
