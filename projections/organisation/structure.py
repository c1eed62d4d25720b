"""镇街机构设置 — each town's big units, who supervises each, and the plaques it cleared."""

from __future__ import annotations

from typing import Any

from aggregates.organisation.town import Town
from projections.runner import EventHandlers

TABLES = [
    """CREATE TABLE IF NOT EXISTS town_organisations (
        id uuid PRIMARY KEY, code text UNIQUE NOT NULL, name text NOT NULL,
        district text NOT NULL, kind text NOT NULL, model text NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS town_units (
        town_id uuid NOT NULL, code text NOT NULL, seq int NOT NULL, name text NOT NULL,
        kind text NOT NULL, type text NOT NULL, status text NOT NULL, since date NOT NULL,
        until date, merged_into text, PRIMARY KEY (town_id, code))""",
    """CREATE TABLE IF NOT EXISTS town_supervision (
        town_id uuid NOT NULL, seq int NOT NULL, unit text NOT NULL, leader text NOT NULL,
        leader_name text NOT NULL, since date NOT NULL, until date, ended_by text,
        PRIMARY KEY (town_id, seq))""",
    """CREATE TABLE IF NOT EXISTS town_plaques (
        town_id uuid NOT NULL, name text NOT NULL, unit text, registered_on date NOT NULL,
        removed_on date, reason text, document_no text, PRIMARY KEY (town_id, name))""",
]
TRUNCATE = ["TRUNCATE town_organisations, town_units, town_supervision, town_plaques"]
_UNIT = "INSERT INTO town_units VALUES (%s, %s, %s, %s, %s, %s, 'active', %s, NULL, NULL)"


def _established(cur: Any, e: Any, code: str) -> None:
    d = e.details
    cur.execute(_UNIT, (e.originator_id, code, e.originator_version, d.name, d.kind, d.type, e.on))


def _end(cur: Any, e: Any, units: list[str], status: str, into: str | None) -> None:
    cur.execute(
        "UPDATE town_units SET status = %s, until = %s, merged_into = %s"
        " WHERE town_id = %s AND code = ANY(%s)",
        (status, e.on, into, e.originator_id, units),
    )
    cur.execute(
        "UPDATE town_supervision SET until = %s, ended_by = %s"
        " WHERE town_id = %s AND unit = ANY(%s) AND ended_by IS NULL",
        (e.on, status, e.originator_id, units),
    )


def _merged(cur: Any, e: Any) -> None:
    _end(cur, e, list(e.sources), "merged", e.code)
    _established(cur, e, e.code)


_HANDLERS: dict[type, Any] = {
    Town.Registered: lambda cur, e: cur.execute(
        "INSERT INTO town_organisations VALUES (%s, %s, %s, %s, %s, %s)",
        (e.originator_id, e.code, e.details.name, e.details.district, e.details.kind, e.details.model),
    ),
    Town.UnitEstablished: lambda cur, e: _established(cur, e, e.code),
    Town.UnitsMerged: _merged,
    Town.UnitAbolished: lambda cur, e: _end(cur, e, [e.code], "abolished", None),
    Town.SupervisorAssigned: lambda cur, e: cur.execute(
        "INSERT INTO town_supervision VALUES (%s, %s, %s, %s, %s, %s, NULL, NULL)",
        (e.originator_id, e.originator_version, e.unit, e.leader, e.leader_name, e.on),
    ),
    Town.SupervisorReleased: lambda cur, e: cur.execute(
        "UPDATE town_supervision SET until = %s, ended_by = 'released'"
        " WHERE town_id = %s AND unit = %s AND leader = %s AND ended_by IS NULL",
        (e.on, e.originator_id, e.unit, e.leader),
    ),
    Town.PlaqueRegistered: lambda cur, e: cur.execute(
        "INSERT INTO town_plaques VALUES (%s, %s, %s, %s, NULL, NULL, NULL)",
        (e.originator_id, e.name, e.unit, e.on),
    ),
    Town.PlaqueRemoved: lambda cur, e: cur.execute(
        "UPDATE town_plaques SET removed_on = %s, reason = %s, document_no = %s"
        " WHERE town_id = %s AND name = %s",
        (e.on, e.ctx.reason, e.ctx.document_no, e.originator_id, e.name),
    ),
}


class TownStructure(EventHandlers):
    tables, truncate, handlers = TABLES, TRUNCATE, _HANDLERS


_OF_TOWN = "JOIN town_organisations t ON t.id = u.town_id WHERE t.code = %(town)s"


def town_structure(cur: Any, town: str) -> list[dict[str, Any]]:
    """The town's current units, in order of establishment, with their supervising leader."""
    cur.execute(
        "SELECT u.code, u.name, u.kind, u.type, u.since, s.leader, s.leader_name"
        " FROM town_units u LEFT JOIN town_supervision s ON s.town_id = u.town_id"
        f" AND s.unit = u.code AND s.ended_by IS NULL {_OF_TOWN} AND u.status = 'active'"
        " ORDER BY u.seq",
        {"town": town},
    )
    return list(cur.fetchall())


def unit_history(cur: Any, town: str) -> list[dict[str, Any]]:
    """Every unit the town ever had, ended ones included (merged into which, and when)."""
    cur.execute(
        "SELECT u.code, u.name, u.kind, u.type, u.status, u.since, u.until, u.merged_into"
        f" FROM town_units u {_OF_TOWN} ORDER BY u.seq",
        {"town": town},
    )
    return list(cur.fetchall())


def town_model(cur: Any, town: str) -> dict[str, Any] | None:
    """The town's name, district, kind and declared model, with its active units by kind."""
    cur.execute(
        "SELECT code, name, district, kind, model FROM town_organisations WHERE code = %(town)s",
        {"town": town},
    )
    found = cur.fetchone()
    if found is None:
        return None
    counts: dict[str, int] = {}
    for unit in town_structure(cur, town):
        counts[unit["kind"]] = counts.get(unit["kind"], 0) + 1
    return {**found, "units_by_kind": counts}


def removed_plaques(cur: Any, town: str) -> list[dict[str, Any]]:
    """清理机构牌子: the plaques the town took down, when, why and under which document."""
    cur.execute(
        "SELECT u.name, u.unit, u.registered_on, u.removed_on, u.reason, u.document_no"
        f" FROM town_plaques u {_OF_TOWN} AND u.removed_on IS NOT NULL ORDER BY u.name",
        {"town": town},
    )
    return list(cur.fetchall())


def plaques_removed(cur: Any, town: str) -> int:
    """How many plaques the town took down (清理机构牌子)."""
    return len(removed_plaques(cur, town))
