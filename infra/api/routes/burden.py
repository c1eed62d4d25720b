"""Burden reduction (减负): what a department imposes on towns and cleared, what falls on a town,
and the impositions refused for want of approval."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get

from infra.api.access import AUDITOR, allow
from infra.api.answers import DepartmentBurden, Page, TownBurdenRow
from infra.api.paging import answer
from infra.api.queries import (
    Code,
    Filter,
    Paging,
    Window,
    known,
    readers,
    reading,
)
from infra.api.scope import Attribution
from infra.axes import department_burden as department_view
from infra.axes import town_burden as town_view
from projections.burden.refused import refused_impositions


@get(
    "/api/v1/departments/{department:str}/burden",
    sync_to_thread=True,
    **readers(Attribution(department_path="department", towns=("towns",))),
)
def department_burden(request: Request, department: Code, window: Window) -> Response[DepartmentBurden]:
    """What the department imposes on towns (考核指标、督查检查、会议、报表) and what it cleared,
    with the reasons (清理); with `as_of` / `known_at`, on that day as the ledger stood then.
    404 when the registry holds nothing of the department (as of then)."""
    with reading(request) as cur:
        found = known(lambda: department_view(cur, department, window.time))
    return answer(request, {"department": department, **window.sections(found)})


@get(
    "/api/v1/towns/{town:str}/burden",
    sync_to_thread=True,
    **readers(Attribution(town_path="town", departments=("department",))),
)
def town_burden(request: Request, town: Code, window: Window) -> Response[Page[TownBurdenRow]]:
    """Everything departments impose on the town; with `as_of` / `known_at`, what fell on it
    that day as the ledger stood then. 404 for a town of no district's baseline."""
    with reading(request) as cur:
        rows = known(lambda: town_view(cur, town, window.time))
    return answer(request, window.page(rows))


@get(
    "/api/v1/audit/refused-impositions",
    sync_to_thread=True,
    **allow(AUDITOR, scope=Attribution(towns=("town",), departments=("department",))),
)
def refused(
    request: Request, department: Filter = None, town: Filter = None, *, paging: Paging
) -> Response[Page[dict[str, Any]]]:
    """部门擅自向镇街摊派 — impositions refused for want of the district's approval (一事一报),
    a row per town, oldest first, kept as evidence beside the refused push-downs."""
    with reading(request) as cur:
        rows = refused_impositions(cur, department, town)
    return answer(request, paging.page(rows))


ROUTES = [department_burden, town_burden, refused]
