"""擅自下派记录 — push-downs refused because the duty was not admitted (部门擅自将责任甩给镇街).

One row per refused attempt: the department that tried, the duty, the town, the day it
was to take effect, when the ledger recorded it, who sent it and in which message.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from aggregates.duties.admission import DutyAdmission
from projections.runner import EventHandlers

# What every refused attempt keeps as evidence after what was attempted (here a push-down, in
# `projections/burden/refused.py` an imposition): the day it was to take effect, when the
# ledger recorded it, who sent it and in which message.
EVIDENCE = """attempted_on date NOT NULL, effective_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL, message_id text NOT NULL, actor text NOT NULL,
        role text NOT NULL, system text NOT NULL, correlation_id text"""
TABLES = [
    f"""CREATE TABLE IF NOT EXISTS refused_pushdowns (
        event_id text PRIMARY KEY, admission_id uuid NOT NULL, department text NOT NULL,
        duty text NOT NULL, town text NOT NULL, admission text NOT NULL, detail text NOT NULL,
        {EVIDENCE})""",
    "CREATE INDEX IF NOT EXISTS refused_pushdowns_department ON refused_pushdowns (department)",
    "CREATE INDEX IF NOT EXISTS refused_pushdowns_town ON refused_pushdowns (town)",
]
TRUNCATE = ["TRUNCATE refused_pushdowns"]


class RefusedPushdowns(EventHandlers):
    tables, truncate = TABLES, TRUNCATE
    handlers = {
        DutyAdmission.PushDownRefused: lambda cur, e: record_refusal(
            cur, "refused_pushdowns", e, e.department, e.duty, e.town, e.admission, e.detail
        )
    }


def record_refusal(cur: Any, table: str, e: Any, *attempted: Any) -> None:
    """A row of a table of refused attempts: the attempt's key and its file's id, what was
    attempted (`attempted`, in the table's order), then its `EVIDENCE`."""
    row = (event_key(e), e.originator_id, *attempted, *evidence(e))
    cur.execute(f"INSERT INTO {table} VALUES ({', '.join(['%s'] * len(row))})", row)


def event_key(e: Any) -> str:
    """The refused attempt's own key: its file's id and version."""
    return f"{e.originator_id}:{e.originator_version}"


def evidence(e: Any) -> tuple[Any, ...]:
    """The `EVIDENCE` columns of a refused attempt's event, in order."""
    ctx = e.ctx
    return (
        e.on,
        ctx.effective_at,
        e.timestamp,
        ctx.message_id,
        ctx.actor,
        ctx.role,
        ctx.system,
        ctx.correlation_id,
    )


def refused_pushdowns(
    cur: Any,
    department: str | None = None,
    town: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> list[dict[str, Any]]:
    """The refused attempts, oldest first; filtered by department, town and attempted day
    (`since` inclusive, `until` exclusive)."""
    columns = "department, duty, town, attempted_on, recorded_at, admission, detail"
    return refusals(cur, "refused_pushdowns", columns, department, town, since, until)


def refusals(
    cur: Any,
    table: str,
    columns: str,
    department: str | None,
    town: str | None,
    since: date | None = None,
    until: date | None = None,
) -> list[dict[str, Any]]:
    """The `columns` of a table of refused attempts with the sender's message, actor, role and
    system, oldest first; filtered by department, town and attempted day (`since` inclusive,
    `until` exclusive)."""
    cur.execute(
        f"SELECT {columns}, message_id, actor, role, system FROM {table}"
        " WHERE (%(department)s::text IS NULL OR department = %(department)s)"
        " AND (%(town)s::text IS NULL OR town = %(town)s)"
        " AND (%(since)s::date IS NULL OR attempted_on >= %(since)s)"
        " AND (%(until)s::date IS NULL OR attempted_on < %(until)s)"
        " ORDER BY recorded_at, event_id",
        {"department": department, "town": town, "since": since, "until": until},
    )
    return list(cur.fetchall())


def refusals_by_department(cur: Any) -> list[dict[str, Any]]:
    """Per department: refused attempts, on how many duties and towns, and the latest one."""
    cur.execute(
        "SELECT department, count(*) AS attempts, count(DISTINCT duty) AS duties,"
        " count(DISTINCT town) AS towns, max(recorded_at) AS latest FROM refused_pushdowns"
        " GROUP BY department ORDER BY attempts DESC, department"
    )
    return list(cur.fetchall())
