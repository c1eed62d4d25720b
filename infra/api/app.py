"""The Litestar application: routes, the role guard, problem details, the OpenAPI document.

Handlers are synchronous (psycopg, the ledger) and run in Litestar's thread pool; each
reads the read models in one read-only transaction. The OpenAPI document is at
/schema/openapi.json (and /schema), as JSON only: no page that loads scripts from elsewhere.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from litestar import Litestar
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme

from infra.api import access, dashboard, document, ops, problems, reference
from infra.api.cache import Views
from infra.api.queries import DEPENDENCIES
from infra.api.routes import audit, check, monitors
from infra.contexts import CONTEXTS
from infra.settings import Settings
from projections.runner import model_name

# Routes that read several contexts (the district at a glance, the policy monitors, the
# audit registers), the operators' routes, the contract's reference (public pages) and the
# senders' dry run; each context's own come from the registry.
access_log = logging.getLogger("infra.api.requests")
SHARED_ROUTES = (
    *dashboard.ROUTES,
    *monitors.ROUTES,
    *audit.ROUTES,
    *ops.ROUTES,
    *reference.ROUTES,
    *check.ROUTES,
)


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
        views: Views = self.state.views
        keyed = await views.key(scope) if views.candidate(scope) else None
        kept = views.get(keyed[0]) if keyed else None
        composing = None  # this request composes the answer others with its key wait for
        if keyed and kept is None:
            if (pending := views.composing.get(keyed[0])) is not None:
                await pending.wait()
                kept = views.get(keyed[0])
            else:
                composing = views.composing[keyed[0]] = asyncio.Event()
        start: dict[str, Any] = {}

        async def answer(message: Any) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", ()) if k.lower() != NOSNIFF[0]]
                headers += _stale(views, scope) if kept is None else []
                message = {**message, "headers": [*headers, NOSNIFF]}
                start.update(message)
            elif message["type"] == "http.response.body":
                if keyed and kept is None and status == 200 and not message.get("more_body"):  # composed
                    views.keep(keyed[0], status, start["headers"], message.get("body", b""))
                if method == "HEAD":
                    message = {**message, "body": b""}
            await send(message)

        try:
            if kept is not None and keyed is not None:
                state["principal"] = keyed[1]
                await replay(kept, scope, answer)
            else:
                await super().__call__(scope, receive, answer)
        finally:
            if composing is not None and keyed is not None:
                del views.composing[keyed[0]]
                composing.set()
            requests(self.state.settings.api, method, scope["path"], status, started, state.get("principal"))


async def replay(kept: tuple[int, list[tuple[bytes, bytes]], bytes], scope: Any, answer: Any) -> None:
    """A kept answer again: 304 with its ETag to a client that holds it, else the whole of it."""
    status, headers, body = kept
    tag = dict(headers).get(b"etag", b"")
    wanted = {t.strip() for t in dict(scope["headers"]).get(b"if-none-match", b"").split(b",")}
    if tag and (tag in wanted or b"*" in wanted):
        short = [(k, v) for k, v in headers if k in (b"etag", b"cache-control")]
        await answer({"type": "http.response.start", "status": 304, "headers": short})
        await answer({"type": "http.response.body", "body": b""})
        return
    await answer({"type": "http.response.start", "status": status, "headers": headers})
    await answer({"type": "http.response.body", "body": body})


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
# Each route module's read models: those of the context it belongs to.
READ_MODELS_OF = {
    handler.fn.__module__: tuple(model_name(make) for make in context.read_models)
    for context in CONTEXTS
    for handler in context.routes
}


def _stale(views: Views, scope: Any) -> list[tuple[bytes, bytes]]:
    """`Govledger-Stale` on an answer from read models that are stalled or being rebuilt for
    a new version: each with its state, position, events behind and the event it stalled
    at. An answer without it is as current as the projection worker keeps the read models."""
    if not views.stale:
        return []
    fn = getattr(scope.get("route_handler"), "fn", None)
    fn = getattr(fn, "func", fn)  # a synchronous handler, as the framework wraps it to run in a thread
    names = READ_MODELS_OF.get(getattr(fn, "__module__", ""), ())
    found = [views.stale[name] for name in names if name in views.stale]
    return [(b"govledger-stale", ", ".join(found).encode())] if found else []


def create_app(ledger: Any, settings: Settings) -> Litestar:
    handlers = [*(h for context in CONTEXTS for h in context.routes), *SHARED_ROUTES]
    tokens = access.TokenStore(ledger.recorder.datastore)
    app = LedgerApi(
        route_handlers=handlers,
        guards=[access.guard],
        dependencies=DEPENDENCIES,
        exception_handlers=problems.HANDLERS,
        state=State(
            {
                "ledger": ledger,
                "settings": settings,
                "tokens": tokens,
                "views": Views(tokens, ledger.recorder.datastore),
            }
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


def from_environment() -> Litestar:
    """The application of one worker process (`GOVLEDGER_API_WORKERS` above one), made from
    the settings in the environment, with the process's logging as every worker's."""
    from infra import bootstrap
    from infra.ops import logs

    settings = Settings.from_env()
    logs.configure(settings.ops)
    return create_app(bootstrap.build_ledger(settings.database_url), settings)
