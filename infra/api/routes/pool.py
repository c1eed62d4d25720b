"""Pool (编制周转池): each pool's balance and draws, and the draws soon due."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Request, Response, get
from litestar.params import QueryParameter

from infra.api.answers import Page
from infra.api.paging import answer
from infra.api.queries import (
    Filter,
    On,
    Paging,
    Window,
    readers,
    reading,
)
from infra.api.scope import Attribution
from infra.axes import TURNOVER_POOL
from projections.pool import balance as pool_balance

WithinDays = Annotated[int, QueryParameter(ge=0, le=3660, description="days ahead of `on`")]


@get("/api/v1/pool", sync_to_thread=True, **readers(Attribution(towns=("town",))))
def pools(request: Request, pool: Filter = None, *, window: Window) -> Response[Any]:
    """编制周转池 — each pool's balance and every draw with its status; with `as_of` /
    `known_at`, the balances that day and the draws with quotas out then."""
    return answer(request, window.sections(window.read(request, TURNOVER_POOL, pool)))  # 404 when unknown


@get("/api/v1/pool/expiring", sync_to_thread=True, **readers(Attribution(towns=("town",))))
def expiring(
    request: Request, within_days: WithinDays = 30, on: On = None, *, paging: Paging
) -> Response[Page[dict[str, Any]]]:
    """即将到期 — outstanding draws whose term ends within `within_days` of `on` (or ended
    and not yet returned by the clock), soonest first, with the days left."""
    day = on or date.today()
    with reading(request) as cur:
        rows = pool_balance.expiring_draws(cur, within_days, day)
    return answer(request, paging.page(rows))


ROUTES = [pools, expiring]
