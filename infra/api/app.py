"""The Litestar application: routes, the role guard, problem details, the OpenAPI document.

Handlers are synchronous (psycopg, the ledger) and run in Litestar's thread pool; each
reads the read models in one read-only transaction. The OpenAPI document is at
/schema/openapi.json (and /schema), as JSON only: no page that loads scripts from elsewhere.
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme

from infra.api import access, dashboard, ops, problems
from infra.api.routes import audit, monitors
from infra.contexts import CONTEXTS
from infra.settings import Settings

# Routes that read several contexts (the district at a glance, the policy monitors, the
# audit registers) and the operators' routes; each context's own come from the registry.
SHARED_ROUTES = (*dashboard.ROUTES, *monitors.ROUTES, *audit.ROUTES, *ops.ROUTES)


class LedgerApi(Litestar):
    """The application, with what every answer gets at its edge, whatever route (or none)
    answers: `X-Content-Type-Options: nosniff`, and HEAD answered wherever GET is, as GET
    without the body (its headers, Content-Length among them, as GET's)."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}

        async def answer(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", ()) if k.lower() != NOSNIFF[0]]
                message = {**message, "headers": [*headers, NOSNIFF]}
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await super().__call__(scope, receive, answer)


NOSNIFF = (b"x-content-type-options", b"nosniff")


def create_app(ledger: Any, settings: Settings) -> Litestar:
    handlers = [*(h for context in CONTEXTS for h in context.routes), *SHARED_ROUTES]
    return LedgerApi(
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
        debug=False,
    )
