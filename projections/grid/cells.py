"""网格台账 — the grid's cells per town and community, with their members and teams, on both
time axes.

One row per cell (registered on, retired on), per membership (joined on, left on), per role
held (since, until) and per formation of a team, each with the day it took effect and when
the ledger recorded it. The grid on day D as the ledger stood at K counts what took effect by
D among what was recorded by K: a member whose leaving took effect by D but was recorded
after K is still a member then.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from aggregates.grid.cell import GridCell
from projections.runner import EventHandlers

TABLES = [
    """CREATE TABLE IF NOT EXISTS grid_cells (
        id uuid PRIMARY KEY, code text UNIQUE NOT NULL, town text NOT NULL, community text NOT NULL,
        name text NOT NULL, level text NOT NULL, registered_on date NOT NULL,
        registered_at timestamptz NOT NULL, retired_on date, retired_at timestamptz, reason text,
        document_no text)""",
    "CREATE INDEX IF NOT EXISTS grid_cells_by_place ON grid_cells (town, community)",
    "CREATE INDEX IF NOT EXISTS grid_cells_by_community ON grid_cells (community)",
    """CREATE TABLE IF NOT EXISTS grid_members (
        cell_id uuid NOT NULL, seq int NOT NULL, member text NOT NULL, kind text NOT NULL,
        drawn_from text, joined_on date NOT NULL, joined_at timestamptz NOT NULL, left_on date,
        left_at timestamptz, PRIMARY KEY (cell_id, seq))""",
    """CREATE TABLE IF NOT EXISTS grid_roles (
        cell_id uuid NOT NULL, seq int NOT NULL, member text NOT NULL, role text NOT NULL,
        since date NOT NULL, since_at timestamptz NOT NULL, until date, until_at timestamptz,
        PRIMARY KEY (cell_id, seq))""",
    """CREATE TABLE IF NOT EXISTS grid_teams (
        cell_id uuid NOT NULL, seq int NOT NULL, model text NOT NULL, grid_members int NOT NULL,
        posts int NOT NULL, officers int NOT NULL, effective_on date NOT NULL,
        recorded_at timestamptz NOT NULL, PRIMARY KEY (cell_id, seq))""",
]
TRUNCATE = ["TRUNCATE grid_cells, grid_members, grid_roles, grid_teams"]


_MEMBERSHIPS = ("grid_members", "left_on", "left_at")
_ROLES = ("grid_roles", "until", "until_at")


def _ended(cur: Any, e: Any, member: str | None, *tables: tuple[str, str, str]) -> None:
    """The open rows of `member` (of everyone: None) in `tables` (memberships, roles) end on
    the event's day."""
    for table, start, end in tables:
        cur.execute(
            f"UPDATE {table} SET {start} = %(on)s, {end} = %(at)s WHERE cell_id = %(cell)s"
            f" AND {start} IS NULL AND (%(member)s::text IS NULL OR member = %(member)s)",
            {"on": e.on, "at": e.timestamp, "cell": e.originator_id, "member": member},
        )


def _retired(cur: Any, e: Any) -> None:
    cur.execute(
        "UPDATE grid_cells SET retired_on = %s, retired_at = %s, reason = %s, document_no = %s WHERE id = %s",
        (e.on, e.timestamp, e.ctx.reason, e.ctx.document_no, e.originator_id),
    )
    _ended(cur, e, None, _MEMBERSHIPS, _ROLES)


_HANDLERS: dict[type, Any] = {
    GridCell.Registered: lambda cur, e: cur.execute(
        "INSERT INTO grid_cells VALUES (%s, %s, %s, %s, %s, %s, %s, %s, NULL, NULL, NULL, NULL)",
        (
            e.originator_id,
            e.code,
            e.details.town,
            e.details.community,
            e.details.name,
            e.details.level,
            e.on,
            e.timestamp,
        ),
    ),
    GridCell.Retired: _retired,
    GridCell.MemberAdded: lambda cur, e: cur.execute(
        "INSERT INTO grid_members VALUES (%s, %s, %s, %s, %s, %s, %s, NULL, NULL)",
        (e.originator_id, e.originator_version, e.member, e.kind, e.drawn_from, e.on, e.timestamp),
    ),
    GridCell.MemberRemoved: lambda cur, e: _ended(cur, e, e.member, _MEMBERSHIPS, _ROLES),
    GridCell.TeamFormed: lambda cur, e: cur.execute(
        "INSERT INTO grid_teams VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        (
            e.originator_id,
            e.originator_version,
            e.places.model,
            e.places.grid_members,
            e.places.posts,
            e.places.officers,
            e.on,
            e.timestamp,
        ),
    ),
    GridCell.RoleAppointed: lambda cur, e: cur.execute(
        "INSERT INTO grid_roles VALUES (%s, %s, %s, %s, %s, %s, NULL, NULL)",
        (e.originator_id, e.originator_version, e.member, e.role, e.on, e.timestamp),
    ),
    GridCell.RoleRelieved: lambda cur, e: _ended(cur, e, e.member, _ROLES),
}


class GridCells(EventHandlers):
    """网格台账 — cells, members, roles and teams, each dated on both time axes."""

    tables, truncate, handlers = TABLES, TRUNCATE, _HANDLERS


def _in_force(alias: str, start: str, end: str) -> str:
    """Whether a row of `alias` dated from `start` to `end` (columns of days, each beside its
    recorded time `<start>_at`, `<end>_at`) had started and not ended on %(on)s, as the ledger
    stood at %(known)s."""
    at = lambda column: f"{alias}.{column.removesuffix('_on')}_at"
    return (
        f"{alias}.{start} <= %(on)s AND {at(start)} <= %(known)s AND NOT ({alias}.{end} IS NOT NULL"
        f" AND {alias}.{end} <= %(on)s AND {at(end)} <= %(known)s)"
    )


CELL = _in_force("c", "registered_on", "retired_on")
MEMBER = _in_force("m", "joined_on", "left_on")
ROLE = _in_force("r", "since", "until")


def _team(cell_id: str) -> str:
    """The query of the team of the cell whose id `cell_id` gives, as formed by %(on)s."""
    return (
        "SELECT t.model, t.grid_members, t.posts, t.officers, t.effective_on AS since FROM grid_teams t"
        f" WHERE t.cell_id = {cell_id} AND t.effective_on <= %(on)s AND t.recorded_at <= %(known)s"
        " ORDER BY t.effective_on DESC, t.seq DESC LIMIT 1"
    )


def _axes(on: date | None, known_at: datetime | None) -> dict[str, Any]:
    return {"on": on or date.today(), "known": known_at or datetime.now().astimezone()}


def cells(
    cur: Any,
    town: str | None = None,
    community: str | None = None,
    on: date | None = None,
    known_at: datetime | None = None,
) -> list[dict[str, Any]]:
    """The cells in force on `on` (today) as the ledger stood at `known_at` (now), of a town
    and/or a community: each with its members by kind, its team's model, head and size."""
    cur.execute(
        "SELECT c.code AS cell, c.name, c.town, c.community, c.level, c.registered_on AS since,"
        " count(m.member)::int AS members,"
        " count(m.member) FILTER (WHERE m.kind = 'full_time')::int AS full_time,"
        " count(m.member) FILTER (WHERE m.kind = 'part_time')::int AS part_time,"
        " count(m.member) FILTER (WHERE m.kind = 'mobile')::int AS mobile,"
        f" (SELECT team.model FROM ({_team('c.id')}) team) AS model,"
        f" (SELECT r.member FROM grid_roles r WHERE r.cell_id = c.id AND r.role = 'head' AND {ROLE}"
        " ORDER BY r.seq DESC LIMIT 1) AS head,"
        f" (SELECT count(*) FROM grid_roles r WHERE r.cell_id = c.id AND {ROLE})::int AS team"
        f" FROM grid_cells c LEFT JOIN grid_members m ON m.cell_id = c.id AND {MEMBER}"
        f" WHERE {CELL} AND (%(town)s::text IS NULL OR c.town = %(town)s)"
        " AND (%(community)s::text IS NULL OR c.community = %(community)s)"
        " GROUP BY c.id ORDER BY c.town, c.community, c.code",
        {**_axes(on, known_at), "town": town, "community": community},
    )
    return list(cur.fetchall())


def cell(
    cur: Any, code: str, on: date | None = None, known_at: datetime | None = None
) -> dict[str, Any] | None:
    """One cell on `on` as known at `known_at`: its details (`retired_on` once retired by
    then), its team's places, and its members then with the role each held; None when the
    ledger knew no such cell by then."""
    axes = {**_axes(on, known_at), "code": code}
    cur.execute(
        "SELECT c.id, c.code AS cell, c.name, c.town, c.community, c.level, c.registered_on AS since,"
        " CASE WHEN c.retired_on <= %(on)s AND c.retired_at <= %(known)s THEN c.retired_on END AS retired_on"
        " FROM grid_cells c WHERE c.code = %(code)s AND c.registered_on <= %(on)s"
        " AND c.registered_at <= %(known)s",
        axes,
    )
    found = cur.fetchone()
    if found is None:
        return None
    cur.execute(_team("%(id)s"), {**axes, "id": found["id"]})
    team = cur.fetchone()
    cur.execute(
        "SELECT m.member, m.kind, m.drawn_from, m.joined_on, r.role, r.since AS role_since"
        f" FROM grid_members m LEFT JOIN grid_roles r ON r.cell_id = m.cell_id AND r.member = m.member"
        f" AND {ROLE} WHERE m.cell_id = %(id)s AND {MEMBER} ORDER BY m.seq",
        {**axes, "id": found["id"]},
    )
    members = list(cur.fetchall())
    del found["id"]
    return {**found, "team": team, "members": members}
