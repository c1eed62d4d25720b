"""镇街职责清单沿革 — a town's duty lists on both time axes: in force on a day, known at a moment.

Each row of `duty_carry_versions` is one version of what the ledger said about a town
carrying an admitted duty: `effective_from`/`effective_until` is when the town carries it
(a recall or cancellation ends it), `recorded_from`/`recorded_until` when the ledger said
so. A recall recorded today ending the duty last month closes the open version at today's
recording time and opens one ending last month. The duty's name and category are dated
rows of their own (`duty_terms_rows`), set at admission and by each adjustment.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from aggregates.duties.admission import DutyAdmission as A
from projections.duties.overview import compose
from projections.organisation.structure import town_model
from projections.runner import EventHandlers
from projections.territorial.history import territorial_duties_as_of

TABLES = [
    """CREATE TABLE IF NOT EXISTS duty_files (
        admission_id uuid PRIMARY KEY, department text NOT NULL, duty text NOT NULL,
        name text, category text, towns text[])""",
    """CREATE TABLE IF NOT EXISTS duty_terms_rows (
        admission_id uuid NOT NULL, version int NOT NULL, name text NOT NULL,
        category text NOT NULL, effective_on date NOT NULL, recorded_at timestamptz NOT NULL,
        PRIMARY KEY (admission_id, version))""",
    """CREATE TABLE IF NOT EXISTS duty_carry_versions (
        admission_id uuid NOT NULL, town text NOT NULL, effective_from date NOT NULL,
        effective_until date, ended text, recorded_from timestamptz NOT NULL,
        recorded_until timestamptz)""",
    "CREATE INDEX IF NOT EXISTS duty_carry_versions_town ON duty_carry_versions (town, recorded_from)",
    """CREATE INDEX IF NOT EXISTS duty_carry_versions_admission
        ON duty_carry_versions (admission_id, town) WHERE recorded_until IS NULL""",
]
TRUNCATE = ["TRUNCATE duty_files, duty_terms_rows, duty_carry_versions"]


def _open(alias: str) -> str:
    """The version saying, as the ledger stands now, that the town carries the duty still."""
    return f"{alias}.recorded_until IS NULL AND {alias}.effective_until IS NULL"


def _file(cur: Any, e: Any, t: Any) -> None:
    cur.execute(
        "UPDATE duty_files SET name = %s, category = %s, towns = %s WHERE admission_id = %s",
        (t.name, t.category, list(t.towns), e.originator_id),
    )


def _carried(cur: Any, e: Any) -> None:
    """Dated terms from the effective day; towns named and not carrying it yet begin to."""
    p = {"id": e.originator_id, "v": e.originator_version, "on": e.on, "at": e.timestamp}
    cur.execute(
        "INSERT INTO duty_terms_rows SELECT admission_id, %(v)s, name, category, %(on)s,"
        " %(at)s FROM duty_files WHERE admission_id = %(id)s",
        p,
    )
    cur.execute(
        "INSERT INTO duty_carry_versions SELECT f.admission_id, t, %(on)s, NULL, NULL,"
        " %(at)s, NULL FROM duty_files f, unnest(f.towns) t WHERE f.admission_id = %(id)s"
        " AND NOT EXISTS (SELECT 1 FROM duty_carry_versions c WHERE c.admission_id = %(id)s"
        f" AND c.town = t AND {_open('c')})",
        p,
    )


def _ended(cur: Any, e: Any, ended: str, towns: list[str] | None) -> None:
    cur.execute(
        f"WITH closed AS (UPDATE duty_carry_versions v SET recorded_until = %(at)s"
        f" WHERE admission_id = %(id)s AND {_open('v')} AND (%(towns)s::text[] IS NULL"
        " OR town = ANY(%(towns)s)) RETURNING admission_id, town, effective_from)"
        " INSERT INTO duty_carry_versions SELECT admission_id, town, effective_from,"
        " %(on)s, %(ended)s, %(at)s, NULL FROM closed",
        {"id": e.originator_id, "at": e.timestamp, "on": e.on, "ended": ended, "towns": towns},
    )


def _adjusted(cur: Any, e: Any) -> None:
    _file(cur, e, e.terms)
    _ended(cur, e, "recalled", list(e.recalled))
    _carried(cur, e)


_HANDLERS: dict[type, Any] = {
    A.Opened: lambda cur, e: cur.execute(
        "INSERT INTO duty_files (admission_id, department, duty) VALUES (%s, %s, %s)",
        (e.originator_id, e.department, e.duty),
    ),
    A.Applied: lambda cur, e: _file(cur, e, e.terms),
    A.Admitted: _carried,
    A.Adjusted: _adjusted,
    A.Cancelled: lambda cur, e: _ended(cur, e, "cancelled", None),
}


class DutyHistory(EventHandlers):
    tables, truncate, handlers = TABLES, TRUNCATE, _HANDLERS


def admitted_duties_as_of(cur: Any, town: str, on: date, known_at: datetime) -> list[dict[str, Any]]:
    """For each admitted duty the town had begun to carry by `on`, as known at `known_at`:
    its latest spell then, and whether it had ended by `on` (`ended`: recalled, cancelled)."""
    known = "recorded_from <= %(known)s AND (recorded_until IS NULL OR recorded_until > %(known)s)"
    cur.execute(
        "SELECT f.department, f.duty, n.name, n.category, c.effective_from AS since,"
        " c.effective_until AS ended_on, CASE WHEN c.effective_until <= %(on)s THEN c.ended END"
        " AS ended FROM (SELECT DISTINCT ON (admission_id) * FROM duty_carry_versions"
        f" WHERE town = %(town)s AND {known} AND effective_from <= %(on)s"
        " ORDER BY admission_id, effective_from DESC, recorded_from DESC) c"
        " JOIN duty_files f ON f.admission_id = c.admission_id CROSS JOIN LATERAL"
        " (SELECT name, category FROM duty_terms_rows t WHERE t.admission_id = c.admission_id"
        " AND t.recorded_at <= %(known)s AND t.effective_on <= %(on)s"
        " ORDER BY t.effective_on DESC, t.version DESC LIMIT 1) n"
        " ORDER BY n.category, f.department, f.duty",
        {"town": town, "on": on, "known": known_at},
    )
    return list(cur.fetchall())


def duty_lists_as_of(cur: Any, town: str, on: date, known_at: datetime) -> dict[str, list[dict[str, Any]]]:
    """The town's basic, cooperating and recalled duties on `on`, as the ledger stood at
    `known_at`: the same lists as `town_duty_overview.duty_lists`, on both time axes."""
    admitted = admitted_duties_as_of(cur, town, on, known_at)
    model = town_model(cur, town)  # the town's district, when its organisation is known
    territorial = territorial_duties_as_of(cur, town, model["district"] if model else None, on, known_at)
    return compose(
        town,
        [d for d in admitted if d["ended"] is None],
        [d for d in admitted if d["ended"] is not None],
        territorial,
    )
