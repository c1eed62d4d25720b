"""Operations over the API: liveness and readiness (public), metrics and positions (operators).

`/health` answers while the process serves; `/ready` when PostgreSQL answers too (503 with
the reason otherwise). `/metrics` is the Prometheus exposition of the API process and of the
ledger's positions (event log head, each projection's and relay's position and lag), read
from PostgreSQL at each scrape; `/api/v1/ops/positions` gives the same positions as JSON.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response, get
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector

from infra.ops.observability import database_check
from infra.store.positions import PositionsCollector, ledger_positions, stalled_reason

OPERATORS: dict[str, Any] = {"roles": ("operator",)}


def _datastore(request: Request) -> Any:
    return request.app.state.ledger.recorder.datastore


def _json(status: int, found: Any) -> Response[bytes]:
    return Response(
        msgspec.json.encode(found),
        status_code=status,
        media_type="application/json",
        headers={"Cache-Control": "no-store"},
    )


@get("/health", sync_to_thread=False)
def health() -> Response[bytes]:
    """The API process is up and serving."""
    return _json(200, {"status": "alive", "worker": "api"})


@get("/ready", sync_to_thread=True)
def ready(request: Request) -> Response[bytes]:
    """The API can answer: PostgreSQL is reachable. A stalled read model does not make it
    unready (its answers are still the best there is, marked stale by a header); it is
    named here (`stalled`), and the projection worker's own /ready is 503 for it."""
    try:
        database_check(_datastore(request))()
        reason = stalled_reason(ledger_positions(_datastore(request)))
    except Exception as error:
        return _json(
            503,
            {
                "status": "not ready",
                "worker": "api",
                "reason": f"database unreachable: {type(error).__name__}",
            },
        )
    return _json(200, {"status": "ready", "worker": "api", **({"stalled": reason} if reason else {})})


def _registry(request: Request) -> CollectorRegistry:
    """The API process's registry, made once per app."""
    state = request.app.state
    if "ops_registry" not in state:
        registry = CollectorRegistry()
        ProcessCollector(registry=registry)
        PlatformCollector(registry=registry)
        registry.register(PositionsCollector(_datastore(request)))
        state["ops_registry"] = registry
    return state["ops_registry"]


@get("/metrics", sync_to_thread=True, opt=OPERATORS, security=[{"bearer": []}])
def metrics(request: Request) -> Response[bytes]:
    """Prometheus text exposition: the API process and the ledger's positions."""
    return Response(
        generate_latest(_registry(request)),
        media_type=CONTENT_TYPE_LATEST,
        headers={"Cache-Control": "no-store"},
    )


@get("/api/v1/ops/positions", sync_to_thread=True, opt=OPERATORS, security=[{"bearer": []}])
def positions(request: Request) -> Response[bytes]:
    """The event log's head and each projection's and relay's position and lag."""
    return _json(200, ledger_positions(_datastore(request)))


ROUTES: list[Any] = [health, ready, metrics, positions]
