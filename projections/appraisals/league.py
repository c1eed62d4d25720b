"""考核排名 — league tables per period and subject kind, each subject's history, missing scores.

The league follows the bulletins of 接诉即办: ranked by grade then weighted total, with the
"three rates" — 响应率 (response/sign-for on time), 解决率 (resolution), 满意率
(satisfaction) — from the latest linkage evidence attached to each appraisal (None when
the linkage has published none).
"""

from __future__ import annotations

from typing import Any

from aggregates.appraisals.appraisal import Appraisal
from projections.appraisals.schemes import SCHEME_HANDLERS, SCHEME_TABLES, SCHEME_TRUNCATE
from projections.runner import EventHandlers, updating

TABLES = [
    *SCHEME_TABLES,
    """CREATE TABLE IF NOT EXISTS appraisals (
        id uuid PRIMARY KEY, subject text NOT NULL, period text NOT NULL, name text NOT NULL,
        kind text NOT NULL, town text, scheme text NOT NULL, scheme_version int NOT NULL,
        status text NOT NULL, opened_on date NOT NULL, total numeric(5, 2), grade text,
        vetoed boolean NOT NULL, veto_reason text, vetoed_on date, finalised_on date,
        bonus_tier text, honour boolean, promotion boolean, applied_on date)""",
    "CREATE INDEX IF NOT EXISTS appraisals_by_period ON appraisals (period, kind, status)",
    "CREATE INDEX IF NOT EXISTS appraisals_by_subject ON appraisals (subject, period)",
    """CREATE TABLE IF NOT EXISTS appraisal_scores (
        appraisal_id uuid NOT NULL, seq int NOT NULL, party text NOT NULL,
        weight numeric(5, 2) NOT NULL, score numeric(5, 2), evidence text, scored_on date,
        corrections int NOT NULL, PRIMARY KEY (appraisal_id, party))""",
    """CREATE TABLE IF NOT EXISTS appraisal_evidence (
        appraisal_id uuid NOT NULL, seq int NOT NULL, metrics_message_id text NOT NULL,
        response_on_time numeric NOT NULL, on_time_resolution numeric NOT NULL,
        resolution numeric NOT NULL, satisfaction numeric NOT NULL, cases int NOT NULL,
        attached_on date NOT NULL, PRIMARY KEY (appraisal_id, seq))""",
]
TRUNCATE = [*SCHEME_TRUNCATE, "TRUNCATE appraisals, appraisal_scores, appraisal_evidence"]
GRADE_ORDER = "array_position(ARRAY['excellent','good','competent','basic','failing'], a.grade)"


def _opened(cur: Any, e: Any) -> None:
    o = e.opening
    cur.execute(
        "INSERT INTO appraisals VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 'open', %s,"
        " NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
        (
            e.originator_id,
            e.subject,
            e.period,
            o.name,
            o.kind,
            o.town,
            o.scheme,
            o.version,
            e.ctx.effective_on,
        ),
    )
    for seq, w in enumerate(e.terms.weights):
        cur.execute(
            "INSERT INTO appraisal_scores VALUES (%s, %s, %s, %s, NULL, NULL, NULL, 0)",
            (e.originator_id, seq, w.party, w.weight),
        )


def _scored(cur: Any, e: Any, corrections: int) -> None:
    s = e.score
    cur.execute(
        "UPDATE appraisal_scores SET score = %s, evidence = %s, scored_on = %s,"
        " corrections = corrections + %s WHERE appraisal_id = %s AND party = %s",
        (s.score, s.evidence, s.on, corrections, e.originator_id, s.party),
    )


def _attached(cur: Any, e: Any) -> None:
    v = e.evidence
    cur.execute(
        "INSERT INTO appraisal_evidence VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (
            e.originator_id,
            e.originator_version,
            v.metrics_message_id,
            v.response_on_time,
            v.on_time_resolution,
            v.resolution,
            v.satisfaction,
            v.cases,
            e.on,
        ),
    )


_HANDLERS: dict[type, Any] = {
    **SCHEME_HANDLERS,
    Appraisal.Opened: _opened,
    Appraisal.Scored: lambda cur, e: _scored(cur, e, 0),
    Appraisal.ScoreCorrected: lambda cur, e: _scored(cur, e, 1),
    Appraisal.EvidenceAttached: _attached,
    Appraisal.Vetoed: updating(
        "appraisals", "vetoed = true, veto_reason = %s, vetoed_on = %s", lambda e: (e.veto.reason, e.veto.on)
    ),
    Appraisal.Finalised: updating(
        "appraisals",
        "status = 'finalised', total = %s, grade = %s, finalised_on = %s",
        lambda e: (e.total, e.grade, e.on),
    ),
    Appraisal.ResultApplied: updating(
        "appraisals",
        "status = 'applied', bonus_tier = %s, honour = %s, promotion = %s, applied_on = %s",
        lambda e: (e.result.bonus_tier, e.result.honour, e.result.promotion, e.on),
    ),
}


class AppraisalLeague(EventHandlers):
    tables, truncate, handlers = TABLES, TRUNCATE, _HANDLERS


def _with_scores(cur: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each row with its scores by party, in the scheme's order ({"town": Decimal("88.50"), …};
    None where the party has not scored yet)."""
    ids = [row.pop("id") for row in rows]
    cur.execute(
        "SELECT appraisal_id, party, score FROM appraisal_scores WHERE appraisal_id = ANY(%s) ORDER BY seq",
        (ids,),
    )
    scores: dict[Any, dict[str, Any]] = {i: {} for i in ids}
    for s in cur.fetchall():
        scores[s["appraisal_id"]][s["party"]] = s["score"]
    return [{**row, "scores": scores[i]} for row, i in zip(rows, ids)]


_LATEST_RATES = (
    " LEFT JOIN LATERAL (SELECT response_on_time AS response_rate, resolution AS resolution_rate,"
    " satisfaction AS satisfaction_rate, cases FROM appraisal_evidence v"
    " WHERE v.appraisal_id = a.id ORDER BY v.seq DESC LIMIT 1) r ON true"
)


def league_table(cur: Any, period: str, kind: str, town: str | None = None) -> list[dict[str, Any]]:
    """The finalised appraisals of the period and kind (of one host town, if given), ranked
    by grade then total (ties share a rank), with their scores and the three rates."""
    cur.execute(
        f"SELECT a.id, rank() OVER (ORDER BY {GRADE_ORDER}, a.total DESC) AS rank, a.subject,"
        " a.name, a.town, a.scheme, a.scheme_version, a.total, a.grade, a.vetoed,"
        " r.response_rate, r.resolution_rate, r.satisfaction_rate, r.cases, a.bonus_tier,"
        f" a.honour, a.promotion FROM appraisals a {_LATEST_RATES}"
        " WHERE a.period = %(period)s AND a.kind = %(kind)s AND a.status <> 'open'"
        " AND (%(town)s::text IS NULL OR a.town = %(town)s) ORDER BY rank, a.subject",
        {"period": period, "kind": kind, "town": town},
    )
    return _with_scores(cur, list(cur.fetchall()))


def subject_history(cur: Any, subject: str) -> list[dict[str, Any]]:
    """Every appraisal of the subject, period by period, with its outcome and corrections."""
    cur.execute(
        "SELECT a.id, a.period, a.kind, a.name, a.town, a.scheme, a.scheme_version, a.status,"
        " a.total, a.grade, a.vetoed, a.veto_reason, a.bonus_tier, a.honour, a.promotion,"
        " (SELECT sum(corrections) FROM appraisal_scores s WHERE s.appraisal_id = a.id)::int"
        " AS corrections FROM appraisals a WHERE a.subject = %s ORDER BY a.period",
        (subject,),
    )
    return _with_scores(cur, list(cur.fetchall()))


def missing_scores(cur: Any, period: str | None = None, kind: str | None = None) -> list[dict[str, Any]]:
    """Open appraisals still waiting for a weighted party's score: one row per missing party."""
    cur.execute(
        "SELECT a.period, a.kind, a.subject, a.name, a.town, a.scheme, s.party, s.weight,"
        " a.opened_on FROM appraisals a JOIN appraisal_scores s ON s.appraisal_id = a.id"
        " WHERE a.status = 'open' AND s.score IS NULL"
        " AND (%(period)s::text IS NULL OR a.period = %(period)s)"
        " AND (%(kind)s::text IS NULL OR a.kind = %(kind)s)"
        " ORDER BY a.period, a.kind, a.subject, s.seq",
        {"period": period, "kind": kind},
    )
    return list(cur.fetchall())
