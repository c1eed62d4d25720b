"""The Litestar application: routes, the role guard, problem details, the OpenAPI document.

Handlers are synchronous (psycopg, the ledger) and run in Litestar's thread pool; each
reads the read models in one read-only transaction. The OpenAPI document is at
/schema/openapi.json, browsable at /schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module
from typing import Any

from litestar import Litestar, Request
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme

from infra.api import access, problems
from infra.settings import Settings

ROUTE_MODULES = (
    "infra.api.routes.towns",
    "infra.api.dashboard",
    "infra.api.routes.staffing",
    "infra.api.routes.appraisals",
    "infra.api.routes.linkage",
    "infra.api.routes.audit",
    "infra.api.ops",
)


@contextmanager
def reading(request: Request) -> Iterator[Any]:
    """A dict-row cursor on the read models, in a transaction that writes nothing."""
    with request.app.state.ledger.recorder.datastore.transaction(commit=False) as cur:
        yield cur


def create_app(ledger: Any, settings: Settings, modules: tuple[str, ...] = ROUTE_MODULES) -> Litestar:
    handlers = [h for name in modules for h in import_module(name).ROUTES]
    return Litestar(
        route_handlers=handlers,
        guards=[access.guard],
        exception_handlers=problems.HANDLERS,
        state=State({"ledger": ledger, "settings": settings,
                     "tokens": access.TokenStore(ledger.recorder.datastore)}),
        openapi_config=OpenAPIConfig(
            title="Grassroots Governance Ledger — read API", version="1",
            use_handler_docstrings=True,
            description="Read models of the district-and-town governance reform: powers, duties,"
                        " structures, quotas, the pool, monitors, appraisals, cases, audit trails.",
            components=Components(security_schemes={
                "bearer": SecurityScheme(type="http", scheme="bearer",
                                         description="a token from `govledger token issue`")}),
        ),
        debug=False,
    )
