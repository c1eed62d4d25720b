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
    marked = {
        name: [{**row, "missed": row.get("met") is False} for row in rows] for name, rows in found.items()
    }
    paged = {
        name: {"title": policy_monitors.SECTIONS[name], **section}
        for name, section in paging.sections(marked).items()
    }
    return answer(
        request,
        {
            "on": day,
            "year": year or day.year,
            "missed": len(policy_monitors.missed(found)),
            "sections": paged,
        },
    )


ROUTES = [monitors]
