"""The Litestar application: routes, the role guard, problem details, the OpenAPI document.

Handlers are synchronous (psycopg, the ledger) and run in Litestar's thread pool; each
reads the read models in one read-only transaction. The OpenAPI document is at
/schema/openapi.json (and /schema), as JSON only: no page that loads scripts from elsewhere.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from litestar import Litestar
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme

from infra.api import access, dashboard, document, ops, problems
from infra.api.routes import audit, monitors
from infra.contexts import CONTEXTS
from infra.settings import Settings

# Routes that read several contexts (the district at a glance, the policy monitors, the
# audit registers) and the operators' routes; each context's own come from the registry.
access_log = logging.getLogger("infra.api.requests")
SHARED_ROUTES = (*dashboard.ROUTES, *monitors.ROUTES, *audit.ROUTES, *ops.ROUTES)


class LedgerApi(Litestar):
    """The application, with what every answer gets at its edge, whatever route (or none)
    answers: `X-Content-Type-Options: nosniff`; HEAD answered wherever GET is, as GET
    without the body (its headers, Content-Length among them, as GET's); and a line in the
    access log (`requests`)."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        started, method = time.perf_counter(), scope["method"]
        if method == "HEAD":
            scope = {**scope, "method": "GET"}
        state = scope.setdefault("state", {})  # where the guard leaves the principal
        status = 500  # unless an answer starts

        async def answer(message: Any) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", ()) if k.lower() != NOSNIFF[0]]
                message = {**message, "headers": [*headers, NOSNIFF]}
            elif method == "HEAD" and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        try:
            await super().__call__(scope, receive, answer)
        finally:
            requests(self.state.settings.api, method, scope["path"], status, started, state.get("principal"))


def requests(api: Any, method: str, path: str, status: int, started: float, principal: Any) -> None:
    """One line a request (method, path without its query, status, duration, the token's
    name, never the token), unless the access log is off; refusals for want of a token or a
    role (401, 403) are logged either way."""
    if api.access_log or status in (401, 403):
        access_log.info(
            "request",
            extra={
                "method": method,
                "path": path,
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "token": principal.name if principal else None,
            },
        )


NOSNIFF = (b"x-content-type-options", b"nosniff")


def create_app(ledger: Any, settings: Settings) -> Litestar:
    handlers = [*(h for context in CONTEXTS for h in context.routes), *SHARED_ROUTES]
    app = LedgerApi(
        route_handlers=handlers,
        guards=[access.guard],
        exception_handlers=problems.HANDLERS,
        state=State(
            {"ledger": ledger, "settings": settings, "tokens": access.TokenStore(ledger.recorder.datastore)}
        ),
        openapi_config=OpenAPIConfig(
            title="Grassroots Governance Ledger — read API",
            version="1",
            use_handler_docstrings=True,
            # The document only, as JSON: the browsable pages the framework offers (Redoc,
            # Swagger UI, Elements) load their scripts from public CDNs, which a government
            # network does not reach and which would run beside the dashboard's token.
            render_plugins=[JsonRenderPlugin()],
            description="Read models of the district-and-town governance reform: powers, duties,"
            " structures, quotas, the pool, monitors, appraisals, cases, audit trails.",
            components=Components(
                security_schemes={
                    "bearer": SecurityScheme(
                        type="http", scheme="bearer", description="a token from `govledger token issue`"
                    )
                }
            ),
        ),
        middleware=[access.personal_reads_limit(settings.api.personal_reads_per_minute)],
        debug=False,
        logging_config=None,  # the process's logging (infra/ops/logs.py) stays as configured
    )
    document.complete(app, settings)
    return app
