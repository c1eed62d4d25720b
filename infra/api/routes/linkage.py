"""The linkage (区镇联动): the case register, one case with its history, and the parties'
rates — what `govledger cases` and `govledger metrics` show, from the same projections."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get
from litestar.exceptions import ValidationException
from litestar.params import FromQuery, QueryParameter

from infra.api.answers import Page
from infra.api.paging import answer
from infra.api.queries import Code, Filter, Paging, instant, readers, reading, unknown
from infra.api.scope import Attribution, admitted
from projections.grid import cases as grid_cases
from projections.linkage import cases as linkage_cases
from projections.linkage import metrics as linkage_metrics

At = Annotated[
    str | None,
    QueryParameter(
        min_length=1,
        max_length=64,
        description="the moment `overdue` is judged at: a day (its end, China time)"
        " or an ISO time; now when absent",
    ),
]
Period = Annotated[
    str,
    QueryParameter(
        max_length=10,
        pattern=linkage_metrics.PERIOD,
        description="a year, month or day: 2021, 2021-12 or 2021-12-01",
    ),
]


class CaseRow(msgspec.Struct):
    """A linkage case (区镇联动案件) as the register stands, with `overdue` at the asked time."""

    number: str
    town: str
    source: str
    category: str | None
    item: str | None
    priority: str
    tier: str | None
    status: str
    lead: str | None
    cooperating: list[str]
    basis: str | None
    reference: str | None
    round: int
    sign_for_by: datetime | None
    resolve_by: datetime | None
    signed_at: datetime | None
    resolved_at: datetime | None
    outcome: str | None
    satisfaction: str | None
    supervisions: int
    escalations: int
    merged_into: str | None
    reported_at: datetime
    closed_at: datetime | None
    overdue: bool


class CaseEvent(msgspec.Struct):
    """One event of a case: what, when it took effect, who, which party, its gist, why."""

    version: int
    event: str
    effective_at: datetime
    actor: str
    party: str | None
    detail: str
    reason: str | None


class CaseDetail(msgspec.Struct):
    case: CaseRow
    history: Page[CaseEvent]


CASE = Attribution(towns=("town",), departments=("lead", "cooperating"))  # a case is its town's
ONE_CASE = Attribution(towns=("town",), departments=("lead", "cooperating"), single=True)


@get("/api/v1/cases", sync_to_thread=True, **readers(CASE))
def cases(
    request: Request,
    town: Filter = None,
    party: Filter = None,
    cell: Filter = None,
    community: Filter = None,
    open: FromQuery[bool] = False,
    overdue_only: Annotated[bool, QueryParameter(name="overdue")] = False,
    at: At = None,
    *,
    paging: Paging,
) -> Response[Page[CaseRow]]:
    """案件台账 — the case register, oldest report first: of one town, of one party (leading or
    cooperating), of one grid cell or of one community's cells (网格), only the open ones (not
    resolved, closed or merged), only the overdue ones; each row says whether it is `overdue`
    at `at`."""
    moment = instant("at", at) if at else datetime.now(UTC)
    with reading(request) as cur:
        rows = grid_cases.register(cur, moment, cell, community, town, party, open, overdue_only)
    return answer(request, paging.page(rows))


@get("/api/v1/cases/{number:str}", sync_to_thread=True, **readers(ONE_CASE))
def case(request: Request, number: Code, at: At = None, *, paging: Paging) -> Response[CaseDetail]:
    """One case as the register stands, and its history event by event. 404 when unknown."""
    moment = instant("at", at) if at else datetime.now(UTC)
    with reading(request) as cur:
        row = linkage_cases.case(cur, number)
        if row is None or not admitted(request, row):  # outside the token's scope: as unknown
            raise unknown(f"case {number!r}")
        history, overdue = linkage_cases.case_history(cur, number), linkage_cases.overdue_numbers(cur, moment)
    return answer(request, {"case": {**row, "overdue": number in overdue}, "history": paging.page(history)})


@get(
    "/api/v1/linkage/metrics",
    sync_to_thread=True,
    **readers(Attribution(towns=("party",), departments=("party",))),
)
def metrics(
    request: Request, period: Period, party: Filter = None, *, paging: Paging
) -> Response[Page[dict[str, Any]]]:
    """联动考评指标 — per party, the period's counts and its response, on-time resolution,
    resolution and satisfaction rates."""
    try:
        linkage_metrics.period_days(period)
    except ValueError as e:
        raise ValidationException(f"period: {e}") from e
    with reading(request) as cur:
        rows = linkage_metrics.metrics(cur, period)
    rows = [r for r in rows if r["party"] == party] if party else rows
    return answer(request, paging.page(rows))


ROUTES = [cases, case, metrics]
