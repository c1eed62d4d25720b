"""镇街职责清单 (准入事项) — the duties each town carries through admission, and where each stands.

`duty_admissions`: one row per (department, duty) with its latest round. `admitted_duties`:
one row per (admission, town) once admitted — `admitted`, `recalled` (an adjustment left
the town out, 上收) or `cancelled` (取消) — with when it came, ended and was pushed down.
A town re-admitted later gets its row back as `admitted` from the new day.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from aggregates.duties.admission import DutyAdmission as A
from projections.runner import EventHandlers

TABLES = [
    """CREATE TABLE IF NOT EXISTS duty_admissions (
        id uuid PRIMARY KEY, department text NOT NULL, duty text NOT NULL, name text,
        category text, basis text, towns text[], status text NOT NULL, round int NOT NULL,
        reviewing_body text, decided_by text, document_no text, admitted_on date,
        adjusted_on date, ended_on date, UNIQUE (department, duty))""",
    """CREATE TABLE IF NOT EXISTS admitted_duties (
        admission_id uuid NOT NULL, town text NOT NULL, department text NOT NULL,
        duty text NOT NULL, name text NOT NULL, category text NOT NULL, status text NOT NULL,
        since date NOT NULL, ended_on date, pushed_down_on date, document_no text,
        PRIMARY KEY (admission_id, town))""",
    "CREATE INDEX IF NOT EXISTS admitted_duties_town ON admitted_duties (town, status)",
]
TRUNCATE = ["TRUNCATE duty_admissions, admitted_duties"]

_ADMIT = """INSERT INTO admitted_duties
    SELECT a.id, t, a.department, a.duty, a.name, a.category, 'admitted', %(on)s, NULL, NULL,
           %(doc)s FROM duty_admissions a, unnest(a.towns) t WHERE a.id = %(id)s
    ON CONFLICT (admission_id, town) DO UPDATE SET status = 'admitted', since = EXCLUDED.since,
        ended_on = NULL, pushed_down_on = NULL, document_no = EXCLUDED.document_no,
        name = EXCLUDED.name, category = EXCLUDED.category
    WHERE admitted_duties.status <> 'admitted'"""
_END = """UPDATE admitted_duties SET status = %(status)s, ended_on = %(on)s
    WHERE admission_id = %(id)s AND status = 'admitted'
    AND (%(towns)s::text[] IS NULL OR town = ANY(%(towns)s))"""


def _set(cur: Any, e: Any, assignments: str, **params: Any) -> None:
    cur.execute(
        f"UPDATE duty_admissions SET {assignments} WHERE id = %(id)s", {"id": e.originator_id, **params}
    )


def _terms(e: Any) -> dict[str, Any]:
    t = e.terms
    return {"name": t.name, "category": t.category, "basis": t.basis, "towns": list(t.towns)}


def _admitted(cur: Any, e: Any) -> None:
    _set(
        cur,
        e,
        "status = 'admitted', decided_by = %(by)s, document_no = %(doc)s, admitted_on = %(on)s",
        by=e.decided_by,
        doc=e.ctx.document_no,
        on=e.on,
    )
    cur.execute(_ADMIT, {"id": e.originator_id, "on": e.on, "doc": e.ctx.document_no})


def _adjusted(cur: Any, e: Any) -> None:
    _set(
        cur,
        e,
        "name = %(name)s, category = %(category)s, basis = %(basis)s,"
        " towns = %(towns)s, adjusted_on = %(on)s, document_no = %(doc)s",
        **_terms(e),
        on=e.on,
        doc=e.ctx.document_no,
    )
    params = {"id": e.originator_id, "on": e.on, "doc": e.ctx.document_no}
    cur.execute(_END, {**params, "status": "recalled", "towns": list(e.recalled)})
    cur.execute(_ADMIT, params)
    cur.execute(
        "UPDATE admitted_duties SET name = %(name)s, category = %(category)s WHERE admission_id = %(id)s",
        {**params, **_terms(e)},
    )


def _cancelled(cur: Any, e: Any) -> None:
    _set(cur, e, "status = 'cancelled', ended_on = %(on)s", on=e.on)
    cur.execute(_END, {"id": e.originator_id, "on": e.on, "status": "cancelled", "towns": None})


_HANDLERS: dict[type, Any] = {
    A.Opened: lambda cur, e: cur.execute(
        "INSERT INTO duty_admissions (id, department, duty, status, round) VALUES (%s, %s, %s, 'none', 0)",
        (e.originator_id, e.department, e.duty),
    ),
    A.Applied: lambda cur, e: _set(
        cur,
        e,
        "name = %(name)s, category = %(category)s, basis = %(basis)s, towns = %(towns)s,"
        " status = 'applied', round = round + 1, reviewing_body = NULL, decided_by = NULL,"
        " document_no = NULL, admitted_on = NULL, adjusted_on = NULL, ended_on = NULL",
        **_terms(e),
    ),
    A.Reviewed: lambda cur, e: _set(cur, e, "status = 'reviewed', reviewing_body = %(b)s", b=e.review.body),
    A.Rejected: lambda cur, e: _set(cur, e, "status = 'rejected', reviewing_body = %(b)s", b=e.review.body),
    A.Admitted: _admitted,
    A.Adjusted: _adjusted,
    A.Cancelled: _cancelled,
    A.PushedDown: lambda cur, e: cur.execute(
        "UPDATE admitted_duties SET pushed_down_on = %s WHERE admission_id = %s AND town = %s",
        (e.on, e.originator_id, e.town),
    ),
}


class TownDutyList(EventHandlers):
    tables, truncate, handlers = TABLES, TRUNCATE, _HANDLERS


def town_duties(cur: Any, town: str, on: date | None = None) -> list[dict[str, Any]]:
    """The town's duties that came through admission: all of them, recalled and cancelled
    ones marked by `status`; or, given a day, those the town carried on that day."""
    in_force = "" if on is None else " AND since <= %(on)s AND (ended_on IS NULL OR ended_on > %(on)s)"
    cur.execute(
        "SELECT department, duty, name, category, status, since, ended_on, pushed_down_on,"
        f" document_no FROM admitted_duties WHERE town = %(town)s{in_force}"
        " ORDER BY status <> 'admitted', category, department, duty",
        {"town": town, "on": on},
    )
    return list(cur.fetchall())


def town_duty_counts(cur: Any) -> list[dict[str, Any]]:
    """Per town and category: duties carried now, and duties recalled or cancelled."""
    cur.execute(
        "SELECT town, category, count(*) FILTER (WHERE status = 'admitted') AS admitted,"
        " count(*) FILTER (WHERE status <> 'admitted') AS ended FROM admitted_duties"
        " GROUP BY town, category ORDER BY town, category"
    )
    return list(cur.fetchall())


def admission_statuses(cur: Any) -> list[dict[str, Any]]:
    """How many duties stand at each step (`none`: only refused push-downs, never applied)."""
    cur.execute("SELECT status, count(*) AS n FROM duty_admissions GROUP BY status ORDER BY status")
    return list(cur.fetchall())
