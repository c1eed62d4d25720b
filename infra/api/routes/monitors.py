"""Monitors (政策监测): every policy monitor against its target, across the contexts."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Request, Response, get

from infra.api.paging import answer
from infra.api.queries import On, Paging, Year, readers, reading
from infra.api.scope import Attribution, scoped
from projections import monitors as policy_monitors


@get(
    "/api/v1/monitors",
    sync_to_thread=True,
    **readers(Attribution(towns=("town",), departments=("department",))),
)
def monitors(request: Request, on: On = None, year: Year = None, *, paging: Paging) -> Response[Any]:
    """政策监测 — every policy monitor against its target on `on`; each row says whether it
    `missed` its target (the command line's ✗), and `missed` counts them all."""
    day = on or date.today()
    with reading(request) as cur:
        found = scoped(request, policy_monitors.monitors(cur, day, year or day.year))  # `missed` of these
    built = policy_monitors.answer(found, day, year or day.year)
    paged = paging.sections({name: section["items"] for name, section in built["sections"].items()})
    sections = {
        name: {"title": section["title"], **paged[name]} for name, section in built["sections"].items()
    }
    return answer(request, {**built, "sections": sections})


ROUTES = [monitors]
