"""社区工作者名册 — the community workers of each community, town and district on a day, on both
time axes; the recruitment batches; the districts' scales and the cities' standards.

Every act on a worker is a dated row (`effective_on`, China Standard Time; `recorded_at`, when
the ledger recorded it) with the worker's post type, pay grade and whether in post after it:
the register on day D as the ledger stood at K is each worker's latest row effective by D among
those recorded by K. A register's town and district are those the units of administration gave
it when it opened.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from aggregates.community_workers.register import WorkerRegister
from aggregates.community_workers.scale import WorkerScale
from aggregates.community_workers.standard import WorkerStandard
from projections.jurisdictions.tree import up_to
from projections.runner import EventHandlers

TABLES = [
    """CREATE TABLE IF NOT EXISTS community_worker_registers (
        register_id uuid PRIMARY KEY, community text UNIQUE NOT NULL, town text NOT NULL,
        district text NOT NULL, opened_on date NOT NULL, recorded_at timestamptz NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS community_worker_rows (
        register_id uuid NOT NULL, version int NOT NULL, worker text NOT NULL, post_type text NOT NULL,
        pay_grade int NOT NULL, in_post boolean NOT NULL, recruitment text NOT NULL,
        effective_on date NOT NULL, recorded_at timestamptz NOT NULL,
        PRIMARY KEY (register_id, version, worker))""",
    """CREATE INDEX IF NOT EXISTS community_worker_rows_worker
        ON community_worker_rows (register_id, worker, version)""",
    """CREATE TABLE IF NOT EXISTS community_worker_batches (
        register_id uuid NOT NULL, version int NOT NULL, recruitment text NOT NULL, method text NOT NULL,
        count int NOT NULL, document_no text, effective_on date NOT NULL,
        recorded_at timestamptz NOT NULL, PRIMARY KEY (register_id, version))""",
    """CREATE TABLE IF NOT EXISTS community_worker_scales (
        district text PRIMARY KEY, post_types jsonb NOT NULL, pay_grades int NOT NULL,
        promotion_step int NOT NULL, effective_on date NOT NULL, recorded_at timestamptz NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS community_worker_cities (
        standard_id uuid PRIMARY KEY, city text UNIQUE NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS community_worker_standards (
        standard_id uuid NOT NULL, version int NOT NULL, standard int NOT NULL,
        effective_on date NOT NULL, recorded_at timestamptz NOT NULL,
        PRIMARY KEY (standard_id, version))""",
]
TRUNCATE = [
    "TRUNCATE community_worker_registers, community_worker_rows, community_worker_batches,"
    " community_worker_scales, community_worker_cities, community_worker_standards"
]
_ROW = "INSERT INTO community_worker_rows VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"


def _recruited(cur: Any, e: Any) -> None:
    b, key = e.batch, (e.originator_id, e.originator_version)
    cur.execute(
        "INSERT INTO community_worker_batches VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        (*key, b.recruitment, b.method, b.count, e.ctx.document_no, e.on, e.timestamp),
    )
    for w in b.workers:
        cur.execute(_ROW, (*key, w.worker, w.post_type, w.pay_grade, True, b.recruitment, e.on, e.timestamp))


def _changed(in_post: bool) -> Any:
    """A handler recording a worker's departure (`in_post` False) or promotion, from the row before."""

    def handle(cur: Any, e: Any) -> None:
        cur.execute(
            "SELECT post_type, pay_grade, recruitment FROM community_worker_rows"
            " WHERE register_id = %s AND worker = %s ORDER BY version DESC LIMIT 1",
            (e.originator_id, e.worker),
        )
        before = cur.fetchone()
        post, grade = (e.post_type, e.pay_grade) if in_post else (before["post_type"], before["pay_grade"])
        row = (e.originator_id, e.originator_version, e.worker, post, grade, in_post, before["recruitment"])
        cur.execute(_ROW, (*row, e.on, e.timestamp))

    return handle


def _scale(cur: Any, e: Any) -> None:
    d = e.details
    types = [{"post_type": t.code, "name": t.name} for t in d.post_types]
    cur.execute(
        "INSERT INTO community_worker_scales VALUES (%s, %s::jsonb, %s, %s, %s, %s)",
        (
            e.district,
            json.dumps(types, ensure_ascii=False),
            d.pay_grades,
            d.promotion_step,
            e.on,
            e.timestamp,
        ),
    )


_HANDLERS: dict[type, Any] = {
    WorkerRegister.Opened: lambda cur, e: cur.execute(
        "INSERT INTO community_worker_registers VALUES (%s, %s, %s, %s, %s, %s)",
        (e.originator_id, e.community, e.town, e.district, e.on, e.timestamp),
    ),
    WorkerRegister.Recruited: _recruited,
    WorkerRegister.Departed: _changed(in_post=False),
    WorkerRegister.Promoted: _changed(in_post=True),
    WorkerScale.Defined: _scale,
    WorkerStandard.Opened: lambda cur, e: cur.execute(
        "INSERT INTO community_worker_cities VALUES (%s, %s)", (e.originator_id, e.city)
    ),
    WorkerStandard.Set: lambda cur, e: cur.execute(
        "INSERT INTO community_worker_standards VALUES (%s, %s, %s, %s, %s)",
        (e.originator_id, e.originator_version, e.standard, e.on, e.timestamp),
    ),
}


class CommunityWorkerRegister(EventHandlers):
    """社区工作者名册 — the community workers in post, their batches, scales and standards."""

    tables, truncate, handlers = TABLES, TRUNCATE, _HANDLERS


_WHERE = (
    "(%(community)s::text IS NULL OR r.community = %(community)s)"
    " AND (%(town)s::text IS NULL OR r.town = %(town)s)"
    " AND (%(district)s::text IS NULL OR r.district = %(district)s) AND r.recorded_at <= %(known)s"
)


def _params(on: date, known_at: datetime | None, where: dict[str, str | None]) -> dict[str, Any]:
    """The query's parameters: its day, its recorded-time bound, and `where` it looks: one
    `community`, `town` or `district` (none of them: everywhere)."""
    unknown = set(where) - {"community", "town", "district"}
    if unknown:
        raise TypeError(f"no register is kept by {sorted(unknown)}")
    return {"on": on, "known": up_to(known_at), "community": None, "town": None, "district": None, **where}


def workers_on(
    cur: Any, on: date, known_at: datetime | None = None, **where: str | None
) -> list[dict[str, Any]]:
    """The community workers in post on `on` as the ledger stood at `known_at` (now: None), of
    one community, town or district (`where`; all, without): where, who, post type, pay grade,
    the batch that took them on and the day of the last act on them."""
    cur.execute(
        "SELECT r.community, r.town, r.district, w.worker, w.post_type, w.pay_grade, w.recruitment,"
        " w.effective_on AS since FROM community_worker_registers r CROSS JOIN LATERAL"
        " (SELECT DISTINCT ON (x.worker) x.* FROM community_worker_rows x"
        " WHERE x.register_id = r.register_id AND x.effective_on <= %(on)s AND x.recorded_at <= %(known)s"
        f" ORDER BY x.worker, x.version DESC) w WHERE w.in_post AND {_WHERE}"
        " ORDER BY r.district, r.town, r.community, w.worker",
        _params(on, known_at, where),
    )
    return list(cur.fetchall())


def community_counts(workers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per community, of `workers_on`'s rows: where it lies, its workers, and how many hold each
    post type."""
    found: dict[str, dict[str, Any]] = {}
    for w in workers:
        row = found.setdefault(
            w["community"],
            {
                "community": w["community"],
                "town": w["town"],
                "district": w["district"],
                "workers": 0,
                "by_post": {},
            },
        )
        row["workers"] += 1
        row["by_post"][w["post_type"]] = row["by_post"].get(w["post_type"], 0) + 1
    return list(found.values())


def recruitments(
    cur: Any, on: date, known_at: datetime | None = None, **where: str | None
) -> list[dict[str, Any]]:
    """The recruitment batches taken on by `on` as recorded by `known_at`, of one community, town
    or district (`where`): where, which batch, how (公开招聘 or 在岗登记), how many, under which
    文号, on which day."""
    cur.execute(
        "SELECT r.community, r.town, r.district, b.recruitment, b.method, b.count, b.document_no,"
        " b.effective_on AS on_day FROM community_worker_batches b JOIN community_worker_registers r"
        " ON r.register_id = b.register_id WHERE b.effective_on <= %(on)s AND b.recorded_at <= %(known)s"
        f" AND {_WHERE} ORDER BY b.effective_on, r.community, b.version",
        _params(on, known_at, where),
    )
    return list(cur.fetchall())


def scales(cur: Any, on: date, known_at: datetime | None = None) -> list[dict[str, Any]]:
    """岗级体系 — each district's scale defined by `on`: its post types, grades and step."""
    cur.execute(
        "SELECT district, post_types, pay_grades, promotion_step, effective_on AS since"
        " FROM community_worker_scales WHERE effective_on <= %(on)s AND recorded_at <= %(known)s"
        " ORDER BY district",
        {"on": on, "known": up_to(known_at)},
    )
    return list(cur.fetchall())


def standards(cur: Any, on: date, known_at: datetime | None = None) -> list[dict[str, Any]]:
    """配备标准 — each city's standard in force on `on` (the latest set on or before it)."""
    cur.execute(
        "SELECT DISTINCT ON (c.city) c.city, s.standard, s.effective_on AS since"
        " FROM community_worker_standards s JOIN community_worker_cities c ON c.standard_id = s.standard_id"
        " WHERE s.effective_on <= %(on)s AND s.recorded_at <= %(known)s"
        " ORDER BY c.city, s.effective_on DESC, s.version DESC",
        {"on": on, "known": up_to(known_at)},
    )
    return list(cur.fetchall())


def sections_on(cur: Any, on: date, known_at: datetime | None = None, **where: str | None) -> dict[str, Any]:
    """The register's sections on `on` as the ledger stood at `known_at`, of one community, town
    or district (`where`), as `/api/v1/community-workers` pages them and `govledger
    community-workers register` shows them: per community, the workers, the recruitment
    batches, the districts' scales and the cities' standards."""
    workers = workers_on(cur, on, known_at, **where)
    return {
        "communities": community_counts(workers),
        "workers": workers,
        "recruitments": recruitments(cur, on, known_at, **where),
        "scales": scales(cur, on, known_at),
        "standards": standards(cur, on, known_at),
    }
