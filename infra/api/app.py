"""The Litestar application: routes, the role guard, problem details, the OpenAPI document.

Handlers are synchronous (psycopg, the ledger) and run in Litestar's thread pool; each
reads the read models in one read-only transaction. The OpenAPI document is at
/schema/openapi.json, browsable at /schema.
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme

from infra.api import access, dashboard, ops, problems
from infra.api.routes import audit, monitors
from infra.contexts import CONTEXTS
from infra.settings import Settings

# Routes that read several contexts (the district at a glance, the policy monitors, the
# audit registers) and the operators' routes; each context's own come from the registry.
SHARED_ROUTES = (*dashboard.ROUTES, *monitors.ROUTES, *audit.ROUTES, *ops.ROUTES)


def create_app(ledger: Any, settings: Settings) -> Litestar:
    handlers = [*(h for context in CONTEXTS for h in context.routes), *SHARED_ROUTES]
    return Litestar(
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
