"""行政层级 — the units of administration as a tree, and their resident population (常住人口), on
both time axes: what was registered by a day, as the ledger stood at a moment.

Each registration is a row with the day it takes effect (`effective_on`, China Standard Time)
and when the ledger recorded it (`recorded_at`); so is each count of residents. A town known
only by `town.register` is a row of its own (`source` `town`): it stands in the tree under the
district whose code is its district's name there, until its own registration as a unit of
administration (under the same code) takes its place. A unit's residents on a day are its own
count in force then (the latest counted on or before it, a correction of that day winning);
a unit never counted has the sum of its units' (a town of its communities', a district of
its towns'), marked `summed`, or none.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from aggregates.jurisdictions.jurisdiction import Jurisdiction
from aggregates.organisation.town import Town
from projections.runner import EventHandlers

TABLES = [
    """CREATE TABLE IF NOT EXISTS jurisdiction_rows (
        id uuid NOT NULL, code text NOT NULL, source text NOT NULL, name text NOT NULL,
        level text NOT NULL, kind text NOT NULL, parent text, district_name text,
        effective_on date NOT NULL, recorded_at timestamptz NOT NULL, PRIMARY KEY (code, source))""",
    "CREATE INDEX IF NOT EXISTS jurisdiction_rows_id ON jurisdiction_rows (id)",
    """CREATE TABLE IF NOT EXISTS jurisdiction_resident_rows (
        unit_id uuid NOT NULL, version int NOT NULL, residents int NOT NULL,
        effective_on date NOT NULL, recorded_at timestamptz NOT NULL, PRIMARY KEY (unit_id, version))""",
]
TRUNCATE = ["TRUNCATE jurisdiction_rows, jurisdiction_resident_rows"]
_ROW = "INSERT INTO jurisdiction_rows VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"


def _registered(cur: Any, e: Any) -> None:
    d = e.details
    row = (e.originator_id, e.code, "jurisdiction", d.name, d.level, d.kind, d.parent, None, e.on)
    cur.execute(_ROW, (*row, e.timestamp))


def _town(cur: Any, e: Any) -> None:
    """A town known by `town.register`: at the town level, under no parent of its own."""
    d = e.details
    row = (e.originator_id, e.code, "town", d.name, "town", d.kind, None, d.district, e.ctx.effective_on)
    cur.execute(_ROW, (*row, e.timestamp))


_HANDLERS: dict[type, Any] = {
    Jurisdiction.Registered: _registered,
    Jurisdiction.ResidentsCounted: lambda cur, e: cur.execute(
        "INSERT INTO jurisdiction_resident_rows VALUES (%s, %s, %s, %s, %s)",
        (e.originator_id, e.originator_version, e.residents, e.on, e.timestamp),
    ),
    Town.Registered: _town,
}


class JurisdictionTree(EventHandlers):
    """行政层级 — the units of administration and their residents, on both time axes."""

    tables, truncate, handlers = TABLES, TRUNCATE, _HANDLERS


def up_to(known_at: datetime | None) -> Any:
    """The recorded-time bound of a query: `known_at`, or none (now and ever after)."""
    return "infinity" if known_at is None else known_at


def units_on(cur: Any, on: date, known_at: datetime | None = None) -> dict[str, dict[str, Any]]:
    """Every unit registered by `on` as the ledger stood at `known_at` (now: None), by code:
    name, level, kind, parent (a town known only by `town.register`: the district its district's
    name is the code of, if registered), `town` (the town-level unit it is or lies in) and
    `source` (`jurisdiction`, or `town.register`)."""
    cur.execute(
        "SELECT DISTINCT ON (code) code, source, name, level, kind, parent, district_name"
        " FROM jurisdiction_rows WHERE effective_on <= %(on)s AND recorded_at <= %(known)s"
        " ORDER BY code, source = 'jurisdiction' DESC",
        {"on": on, "known": up_to(known_at)},
    )
    units = {row["code"]: dict(row) for row in cur.fetchall()}
    for unit in units.values():
        named = unit.pop("district_name")
        if unit["source"] == "town":
            unit["source"] = "town.register"
            district = units.get(named or "")
            unit["parent"] = named if district and district["level"] == "district" else None
    for unit in units.values():
        unit["town"] = (
            unit["code"]
            if unit["level"] == "town"
            else unit["parent"]
            if unit["level"] == "community"
            else None
        )
    return units


def counts_in_force(cur: Any, on: date, known_at: datetime | None = None) -> dict[str, dict[str, Any]]:
    """Each unit's own count of residents in force on `on` (its latest counted on or before
    it, as recorded by `known_at`), by code: residents and the day counted."""
    cur.execute(
        "SELECT DISTINCT ON (j.code) j.code, r.residents, r.effective_on AS counted_on"
        " FROM jurisdiction_resident_rows r JOIN jurisdiction_rows j ON j.id = r.unit_id"
        " WHERE r.effective_on <= %(on)s AND r.recorded_at <= %(known)s"
        " ORDER BY j.code, r.effective_on DESC, r.version DESC",
        {"on": on, "known": up_to(known_at)},
    )
    return {
        row["code"]: {"residents": row["residents"], "counted_on": row["counted_on"]}
        for row in cur.fetchall()
    }


def children_of(units: dict[str, dict[str, Any]]) -> dict[str | None, list[str]]:
    """The codes of each unit's units, in code order (None: the units with no parent known)."""
    children: dict[str | None, list[str]] = {}
    for code in sorted(units):
        parent = units[code]["parent"]
        children.setdefault(parent if parent in units else None, []).append(code)
    return children


def residents_of(
    units: dict[str, dict[str, Any]], counts: dict[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """Each unit's residents on the day: its own count in force, or else the sum of its units'
    (`summed`), or none (null) when neither it nor any unit under it was counted."""
    children, found = children_of(units), {}

    def resolve(code: str) -> dict[str, Any]:
        if code not in found:
            own = counts.get(code)
            if own is not None:
                found[code] = {**own, "summed": False}
            else:
                parts = [resolve(child)["residents"] for child in children.get(code, [])]
                known = [n for n in parts if n is not None]
                found[code] = {"residents": sum(known) if known else None, "counted_on": None, "summed": True}
        return found[code]

    for code in units:
        resolve(code)
    return found


def _walk(children: dict[str | None, list[str]], root: str | None, depth: int) -> Iterator[tuple[str, int]]:
    for code in children.get(root, []):
        yield code, depth
        yield from _walk(children, code, depth + 1)


def jurisdiction_tree(
    cur: Any, under: str | None, on: date, known_at: datetime | None = None
) -> list[dict[str, Any]]:
    """The unit `under` and every unit beneath it (every unit, from the top, without one), depth
    first in code order, each with its depth below the first and its residents on `on`; empty
    when `under` was not registered by then."""
    units = units_on(cur, on, known_at)
    if under is not None and under not in units:
        return []
    children, people = children_of(units), residents_of(units, counts_in_force(cur, on, known_at))
    order = [(under, 0), *_walk(children, under, 1)] if under is not None else list(_walk(children, None, 0))
    return [{**units[code], "depth": depth, **people[code]} for code, depth in order if code is not None]


def residents_on(
    cur: Any, unit: str | None, on: date, known_at: datetime | None = None
) -> list[dict[str, Any]]:
    """常住人口 — the unit's residents on `on` (every unit's with a figure, without one): its own
    count in force, or the sum of its units' (`summed`); empty for a unit not registered then."""
    units = units_on(cur, on, known_at)
    people = residents_of(units, counts_in_force(cur, on, known_at))
    wanted = [unit] if unit is not None else sorted(units)
    return [
        {
            "unit": code,
            "name": units[code]["name"],
            "level": units[code]["level"],
            "town": units[code]["town"],
            **people[code],
        }
        for code in wanted
        if code in units and (unit is not None or people[code]["residents"] is not None)
    ]


def resident_counts(cur: Any, unit: str, known_at: datetime | None = None) -> list[dict[str, Any]]:
    """Every count of the unit's residents, by the day counted, as recorded by `known_at`: the
    figure, when it was recorded, and whether a later record of that day replaced it."""
    cur.execute(
        "SELECT r.effective_on AS counted_on, r.residents, r.recorded_at, r.version <> max(r.version)"
        " OVER (PARTITION BY r.effective_on) AS corrected FROM jurisdiction_resident_rows r"
        " JOIN jurisdiction_rows j ON j.id = r.unit_id WHERE j.code = %(unit)s"
        " AND r.recorded_at <= %(known)s ORDER BY r.effective_on, r.version",
        {"unit": unit, "known": up_to(known_at)},
    )
    return list(cur.fetchall())
