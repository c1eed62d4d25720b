"""Appraisals (考核): league tables, a subject's history, missing scores, scheme versions —
what `govledger appraisals` shows, from the same projections."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from litestar import Request, Response, get
from litestar.params import QueryParameter

from infra.api.answers import LeagueRow, Page
from infra.api.paging import answer
from infra.api.queries import READERS, TEXT, Code, Filter, Paging, readers, reading, unknown
from infra.api.scope import Attribution, rows_in
from projections.appraisals import league as appraisal_league
from projections.appraisals import schemes as appraisal_schemes

SubjectKind = Literal["stationed-agency", "stationed-person", "town", "department"]
Kind = Annotated[SubjectKind, QueryParameter(description="the kind of subject appraised")]
Period = Annotated[
    str,
    QueryParameter(
        min_length=1,
        max_length=20,
        pattern=TEXT,
        description="the appraisal period, e.g. 2021, 2021-Q3, 2021-07",
    ),
]
KindFilter = Annotated[
    SubjectKind | None, QueryParameter(description="only appraisals of this kind of subject")
]
PeriodFilter = Annotated[
    str | None,
    QueryParameter(min_length=1, max_length=20, pattern=TEXT, description="only appraisals of this period"),
]


@get("/api/v1/appraisals/league", sync_to_thread=True, **readers(Attribution(towns=("town",))))
def league(
    request: Request, period: Period, kind: Kind = "stationed-agency", town: Filter = None, *, paging: Paging
) -> Response[Page[LeagueRow]]:
    """考核排名 — the finalised appraisals of the period and kind (of one host town, if given),
    ranked by grade then total, with scores by party and the three linkage rates."""
    with reading(request) as cur:
        rows = appraisal_league.league_table(cur, period, kind, town)
    return answer(request, paging.page(rows))


@get(
    "/api/v1/appraisals/subjects/{subject:str}",
    sync_to_thread=True,
    **readers(Attribution(towns=("town",), single=True)),
)
def history(request: Request, subject: Code, paging: Paging) -> Response[Page[dict[str, Any]]]:
    """Every appraisal of the subject, period by period: status, scores, total, grade, veto,
    corrections and the result applied. 404 when the subject was never appraised."""
    with reading(request) as cur:
        rows = rows_in(request, appraisal_league.subject_history(cur, subject))
    if not rows:  # or none in the token's scope
        raise unknown(f"appraisal of subject {subject!r}")
    return answer(request, paging.page(rows))


@get("/api/v1/appraisals/missing", sync_to_thread=True, **readers(Attribution(towns=("town",))))
def missing(
    request: Request, period: PeriodFilter = None, kind: KindFilter = None, *, paging: Paging
) -> Response[Page[dict[str, Any]]]:
    """Open appraisals still waiting for a weighted party's score: one row per missing party."""
    with reading(request) as cur:
        rows = appraisal_league.missing_scores(cur, period, kind)
    return answer(request, paging.page(rows))


@get("/api/v1/appraisals/schemes", sync_to_thread=True, **READERS)
def schemes(request: Request, code: Filter = None, *, paging: Paging) -> Response[Page[dict[str, Any]]]:
    """考核方案 — each scheme's versions, oldest first: weights, grade bands, since when, why."""
    with reading(request) as cur:
        rows = appraisal_schemes.scheme_versions(cur, code)
    return answer(request, paging.page(rows))


ROUTES = [league, history, missing, schemes]
