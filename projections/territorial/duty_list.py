"""属地管理事项责任清单 — each district's territorial duties: who leads, who cooperates, how.

The list is district-wide; the party `TOWN` is read as the town asked about. Every
registration, amendment and retirement is kept as a revision, with who, when and why.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from psycopg.types.json import Jsonb

from aggregates.territorial.duty import TOWN, TerritorialDuty
from projections.runner import EventHandlers

TABLES = [
    """CREATE TABLE IF NOT EXISTS territorial_duties (
        id uuid PRIMARY KEY, district text NOT NULL, code text NOT NULL, name text NOT NULL,
        domain text NOT NULL, lead text NOT NULL, lead_duty text NOT NULL,
        cooperating jsonb NOT NULL, cooperating_units text[] NOT NULL, mechanisms text[] NOT NULL,
        guideline text NOT NULL, example text NOT NULL, flow text NOT NULL,
        revision int NOT NULL, since date NOT NULL, retired_on date, UNIQUE (district, code))""",
    """CREATE TABLE IF NOT EXISTS territorial_duty_revisions (
        duty_id uuid NOT NULL, version int NOT NULL, change text NOT NULL,
        effective_on date NOT NULL, recorded_at timestamptz NOT NULL, actor text NOT NULL,
        reason text, document_no text, terms jsonb, PRIMARY KEY (duty_id, version))""",
]
TRUNCATE = ["TRUNCATE territorial_duties, territorial_duty_revisions"]
_FIELDS = (
    "name",
    "domain",
    "lead",
    "lead_duty",
    "cooperating",
    "cooperating_units",
    "mechanisms",
    "guideline",
    "example",
    "flow",
)


def _cooperating(t: Any) -> list[dict[str, str]]:
    return [{"unit": p.unit, "duty": p.duty} for p in t.cooperating]


def _columns(t: Any) -> tuple[Any, ...]:
    g = t.guidance
    return (
        t.name,
        t.domain,
        t.lead.unit,
        t.lead.duty,
        Jsonb(_cooperating(t)),
        [p.unit for p in t.cooperating],
        list(t.mechanisms),
        g.guideline,
        g.example,
        g.flow,
    )


def _snapshot(t: Any) -> Jsonb:
    return Jsonb(
        {
            "name": t.name,
            "domain": t.domain,
            "lead": {"unit": t.lead.unit, "duty": t.lead.duty},
            "cooperating": _cooperating(t),
            "mechanisms": list(t.mechanisms),
            "guideline": t.guidance.guideline,
            "example": t.guidance.example,
            "flow": t.guidance.flow,
        }
    )


def _revision(cur: Any, e: Any, change: str, terms: Any = None) -> None:
    ctx = e.ctx
    cur.execute(
        "INSERT INTO territorial_duty_revisions VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (
            e.originator_id,
            e.originator_version,
            change,
            ctx.effective_on,
            e.timestamp,
            ctx.actor,
            ctx.reason,
            ctx.document_no,
            None if terms is None else _snapshot(terms),
        ),
    )


def _registered(cur: Any, e: Any) -> None:
    cur.execute(
        "INSERT INTO territorial_duties VALUES"
        " (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 1, %s, NULL)",
        (e.originator_id, e.district, e.code, *_columns(e.terms), e.ctx.effective_on),
    )
    _revision(cur, e, "registered", e.terms)


def _amended(cur: Any, e: Any) -> None:
    assignments = ", ".join(f"{name} = %s" for name in _FIELDS)
    cur.execute(
        f"UPDATE territorial_duties SET {assignments}, revision = revision + 1, since = %s WHERE id = %s",
        (*_columns(e.terms), e.ctx.effective_on, e.originator_id),
    )
    _revision(cur, e, "amended", e.terms)


def _retired(cur: Any, e: Any) -> None:
    cur.execute(
        "UPDATE territorial_duties SET retired_on = %s WHERE id = %s", (e.ctx.effective_on, e.originator_id)
    )
    _revision(cur, e, "retired")


_HANDLERS: dict[type, Any] = {
    TerritorialDuty.Registered: _registered,
    TerritorialDuty.Amended: _amended,
    TerritorialDuty.Retired: _retired,
}


class TerritorialDutyList(EventHandlers):
    tables, truncate, handlers = TABLES, TRUNCATE, _HANDLERS


def territorial_duties_for(cur: Any, town: str, district: str | None = None) -> list[dict[str, Any]]:
    """The duties in force for `town`, with `TOWN` read as that town.

    Lists are district-wide: pass the town's district when several districts share the
    ledger (without it, every district's list is read as applying to the town).
    """
    cur.execute(
        "SELECT district, code, name, domain, lead, lead_duty, cooperating, mechanisms,"
        " guideline, example, flow, revision, since FROM territorial_duties"
        " WHERE retired_on IS NULL AND (%(district)s::text IS NULL OR district = %(district)s)"
        " ORDER BY district, domain, code",
        {"district": district},
    )
    rows = list(cur.fetchall())
    for row in rows:
        row["lead"], row["cooperating"] = read_for(town, row["lead"], row["cooperating"])
    return rows


def read_for(town: str, lead: str, cooperating: Iterable[dict[str, str]]) -> tuple[str, list[dict[str, str]]]:
    """A district-wide duty's lead and cooperating parties as `town` reads them: `TOWN` is that town."""
    here = lambda unit: town if unit == TOWN else unit
    return here(lead), [{**p, "unit": here(p["unit"])} for p in cooperating]


def territorial_duty_history(cur: Any, district: str, code: str) -> list[dict[str, Any]]:
    """Every revision of one duty, oldest first: what changed, when, by whom, why."""
    cur.execute(
        "SELECT r.* FROM territorial_duty_revisions r JOIN territorial_duties d ON d.id = r.duty_id"
        " WHERE d.district = %s AND d.code = %s ORDER BY r.version",
        (district, code),
    )
    return list(cur.fetchall())
