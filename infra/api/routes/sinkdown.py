"""Sink-down (力量下沉): the roster of who is sunk down where."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get

from infra.api.answers import Page
from infra.api.paging import answer
from infra.api.queries import Filter, On, Paging, readers, reading
from infra.api.scope import Attribution
from projections.sinkdown import roster as sink_down_roster


@get(
    "/api/v1/sinkdown",
    sync_to_thread=True,
    **readers(Attribution(towns=("town",), departments=("department",))),
)
def sinkdown(
    request: Request, town: Filter = None, department: Filter = None, on: On = None, *, paging: Paging
) -> Response[Page[dict[str, Any]]]:
    """力量下沉花名册 — who is sunk down where (person ids only): today's roster, or the one
    in force on `on`."""
    with reading(request) as cur:
        rows = sink_down_roster.roster(cur, town, department, on)
    return answer(request, paging.page(rows))


ROUTES = [sinkdown]
