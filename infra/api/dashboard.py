"""The district at a glance (区镇治理一览): `/api/v1/dashboard` and the page `/dashboard`.

The API answer (readers and auditors) holds every figure of one day (`dashboard_figures`).
The page is public and holds no data: its script asks for a bearer token (kept in the
tab's sessionStorage, or passed as `#token=...`, a fragment that never reaches the server),
fetches the answer with it and draws the tables and the SVG charts itself. Everything the
page loads comes from this server, which its Content-Security-Policy enforces.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from litestar import Request, Response, get
from litestar.datastructures import CacheControlHeader
from litestar.params import Parameter
from litestar.static_files import create_static_files_router
from typing_extensions import Annotated

from infra.api.access import AUDITOR, READER, allow
from infra.api.app import reading
from infra.api.dashboard_figures import dashboard as figures
from infra.api.paging import answer

STATIC = Path(__file__).parent / "static"
OnDay = Annotated[date | None, Parameter(description="the day shown (today when absent)")]
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self';"
                               " connect-src 'self'; img-src 'self' data:; base-uri 'none';"
                               " form-action 'self'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-cache",
}


@get("/api/v1/dashboard", sync_to_thread=True, **allow(READER, AUDITOR))
def dashboard(request: Request, on: OnDay = None) -> Response[Any]:
    """The district on one day: towns' powers by kind, the sink-down monitors against their
    targets, the pool and its draws coming due, open and overdue cases, and the district-wide
    linkage rates of each of the 30 days ending on the day."""
    with reading(request) as cur:
        found = figures(cur, on or date.today())
    return answer(request, found)


@get("/dashboard", sync_to_thread=False, include_in_schema=False)
def page() -> Response[bytes]:
    """The dashboard page: no data in it, only the script that asks for a token."""
    return Response((STATIC / "dashboard.html").read_bytes(), media_type="text/html",
                    headers=PAGE_HEADERS)


assets = create_static_files_router(
    path="/dashboard/static", directories=[STATIC], name="dashboard-static",
    cache_control=CacheControlHeader(no_cache=True))

ROUTES = [dashboard, page, assets]
