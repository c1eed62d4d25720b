"""属地管理事项沿革 — a district's territorial duties on both time axes: in force, and known since.

One row per registration, amendment and retirement: `effective_on` is the day it takes
effect, `recorded_at` when the ledger recorded it. The list on day D as the ledger stood
at K takes, for each duty, its latest terms effective by D among those recorded by K,
unless a retirement effective by D was recorded by K.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from psycopg.types.json import Jsonb

from aggregates.territorial.duty import TerritorialDuty
from projections.runner import EventHandlers
from projections.territorial.duty_list import read_for

TABLES = [
    """CREATE TABLE IF NOT EXISTS territorial_duty_rows (
        duty_id uuid NOT NULL, version int NOT NULL, district text NOT NULL, code text NOT NULL,
        terms jsonb, effective_on date NOT NULL, recorded_at timestamptz NOT NULL,
        PRIMARY KEY (duty_id, version))""",
    """CREATE INDEX IF NOT EXISTS territorial_duty_rows_district
        ON territorial_duty_rows (district, recorded_at)""",
]
TRUNCATE = ["TRUNCATE territorial_duty_rows"]


def _terms(t: Any) -> Jsonb | None:
    """The terms as listed (None for a retirement)."""
    if t is None:
        return None
    return Jsonb(
        {
            "name": t.name,
            "domain": t.domain,
            "lead": t.lead.unit,
            "cooperating": [{"unit": p.unit, "duty": p.duty} for p in t.cooperating],
        }
    )


def _registered(cur: Any, e: Any) -> None:
    cur.execute(
        "INSERT INTO territorial_duty_rows VALUES (%s, %s, %s, %s, %s, %s, %s)",
        (
            e.originator_id,
            e.originator_version,
            e.district,
            e.code,
            _terms(e.terms),
            e.ctx.effective_on,
            e.timestamp,
        ),
    )


def _changed(cur: Any, e: Any) -> None:
    """An amendment or a retirement, listed under the district and code of the registration."""
    cur.execute(
        "INSERT INTO territorial_duty_rows SELECT duty_id, %s, district, code, %s, %s, %s"
        " FROM territorial_duty_rows WHERE duty_id = %s AND version = 1",
        (
            e.originator_version,
            _terms(getattr(e, "terms", None)),
            e.ctx.effective_on,
            e.timestamp,
            e.originator_id,
        ),
    )


_HANDLERS: dict[type, Any] = {
    TerritorialDuty.Registered: _registered,
    TerritorialDuty.Amended: _changed,
    TerritorialDuty.Retired: _changed,
}


class TerritorialHistory(EventHandlers):
    tables, truncate, handlers = TABLES, TRUNCATE, _HANDLERS


def territorial_duties_as_of(
    cur: Any, town: str, district: str | None, on: date, known_at: datetime
) -> list[dict[str, Any]]:
    """The duties in force for `town` on `on` as known at `known_at`, `TOWN` read as the town;
    `since` is the day their terms took effect."""
    cur.execute(
        "SELECT * FROM (SELECT DISTINCT ON (duty_id) district, code, terms,"
        " effective_on AS since FROM territorial_duty_rows r"
        " WHERE (%(district)s::text IS NULL OR district = %(district)s)"
        " AND recorded_at <= %(known)s AND effective_on <= %(on)s AND terms IS NOT NULL"
        " AND NOT EXISTS (SELECT 1 FROM territorial_duty_rows x WHERE x.duty_id = r.duty_id"
        " AND x.terms IS NULL AND x.recorded_at <= %(known)s AND x.effective_on <= %(on)s)"
        " ORDER BY duty_id, effective_on DESC, version DESC) t"
        " ORDER BY district, terms->>'domain', code",
        {"district": district, "on": on, "known": known_at},
    )
    rows = []
    for r in cur.fetchall():
        lead, cooperating = read_for(town, r["terms"]["lead"], r["terms"]["cooperating"])
        rows.append(
            {
                "district": r["district"],
                "code": r["code"],
                "name": r["terms"]["name"],
                "lead": lead,
                "since": r["since"],
                "cooperating": cooperating,
            }
        )
    return rows
