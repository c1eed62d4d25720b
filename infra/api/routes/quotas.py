"""Quotas (编制): the yearly staffing plans and a unit's quota ledger with its transfers."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Request, Response, get

from infra.api.paging import answer
from infra.api.queries import (
    Code,
    Paging,
    Window,
    Year,
    readers,
    reading,
)
from infra.api.scope import Attribution
from infra.axes import QUOTA_LEDGER
from projections.quotas import ledgers as quota_ledgers


@get(
    "/api/v1/quotas/plans",
    sync_to_thread=True,
    **readers(Attribution(towns=("unit",), departments=("unit",), whole=("share",))),
)
def plans(request: Request, year: Year = None, *, paging: Paging) -> Response[Any]:
    """用编计划 — each unit's planned intake for the year by kind, and the towns' share of the
    plan against its target (null when the year has no plan)."""
    year = year or date.today().year
    with reading(request) as cur:
        share, rows = quota_ledgers.plan_share(cur, year), quota_ledgers.staffing_plans(cur, year)
    return answer(request, {"year": year, "share": share, "plans": paging.page(rows)})


@get(
    "/api/v1/quotas/{unit:str}",
    sync_to_thread=True,
    **readers(Attribution(town_path="unit", department_path="unit")),
)
def quotas(request: Request, unit: Code, window: Window) -> Response[Any]:
    """编制台账 — the unit's quotas by kind (approved, occupied, available) and its transfers;
    with `as_of` / `known_at`, on that day as the ledger stood then. 404 for an unknown unit."""
    found = window.read(request, QUOTA_LEDGER, unit)  # 404 when unknown
    return answer(request, {"unit": unit, **window.sections(found)})


ROUTES = [plans, quotas]
