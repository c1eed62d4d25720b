"""考核方案 — every version of every appraisal scheme: its kind, cadence, weights and bands.

Part of the appraisal league's read model (its tables and handlers are included there).
"""

from __future__ import annotations

from typing import Any

from aggregates.appraisals.scheme import AppraisalScheme

SCHEME_TABLES = [
    """CREATE TABLE IF NOT EXISTS appraisal_schemes (
        scheme_id uuid NOT NULL, code text NOT NULL, version int NOT NULL, title text NOT NULL,
        subject_kind text NOT NULL, cadence text NOT NULL, weights text NOT NULL,
        bands text NOT NULL, since date NOT NULL, reason text, document_no text,
        PRIMARY KEY (code, version))""",
]
SCHEME_TRUNCATE = ["TRUNCATE appraisal_schemes"]


def _version(cur: Any, e: Any, version: int) -> None:
    if version == 1:
        code, title, kind = e.code, e.details.title, e.details.subject_kind
    else:
        cur.execute(
            "SELECT code, title, subject_kind FROM appraisal_schemes WHERE scheme_id = %s AND version = 1",
            (e.originator_id,),
        )
        code, title, kind = cur.fetchone().values()
    t = e.terms
    cur.execute(
        "INSERT INTO appraisal_schemes VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (
            e.originator_id,
            code,
            version,
            title,
            kind,
            t.cadence,
            " / ".join(f"{w.party} {w.weight}" for w in t.weights),
            " / ".join(f"{b.grade} ≥ {b.floor}" for b in t.bands),
            e.ctx.effective_on,
            e.ctx.reason,
            e.ctx.document_no,
        ),
    )


SCHEME_HANDLERS: dict[type, Any] = {
    AppraisalScheme.Defined: lambda cur, e: _version(cur, e, 1),
    AppraisalScheme.Revised: lambda cur, e: _version(cur, e, e.version),
}


def scheme_versions(cur: Any, code: str | None = None) -> list[dict[str, Any]]:
    """Each scheme's versions, oldest first: weights ("town 40 / society 30 / department 30"),
    bands ("excellent ≥ 90 / … / failing ≥ 0"), since when, and why it was revised."""
    cur.execute(
        "SELECT code, version, title, subject_kind, cadence, weights, bands, since, reason,"
        " document_no FROM appraisal_schemes WHERE %(code)s::text IS NULL OR code = %(code)s"
        " ORDER BY code, version",
        {"code": code},
    )
    return list(cur.fetchall())
