"""The OpenAPI document, completed with what the routes' signatures cannot say, so that a
client built from it meets no answer it does not describe:

- every error is problem details (RFC 9457, `application/problem+json`): 400 where a
  parameter is refused, 401 and 403 on every operation that needs a token, 404 on every
  `/api/v1` view (an unknown code), 429 where reads are limited, 503 when not ready;
- each guarded operation names its roles, in its description and as a security requirement;
  public ones require none;
- `/health`, `/ready` and `/api/v1/ops/positions` answer JSON objects, `/metrics`
  Prometheus text;
- a moment (`at`, `known_at`) is a day or an RFC 3339 date-time;
- what the deployment sets (the purposes a personal-data read may give).
"""

from __future__ import annotations

from litestar import Litestar
from litestar.openapi.spec import (
    Components,
    OpenAPI,
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Parameter,
    Reference,
    Schema,
)
from litestar.routes import HTTPRoute

from infra.api import problems
from infra.settings import Settings

PROBLEM = Schema(
    type=OpenAPIType.OBJECT,
    description="problem details (RFC 9457)",
    required=["type", "title", "status"],
    properties={
        "type": Schema(type=OpenAPIType.STRING),
        "title": Schema(type=OpenAPIType.STRING),
        "status": Schema(type=OpenAPIType.INTEGER),
        "instance": Schema(type=OpenAPIType.STRING),
        "detail": Schema(type=OpenAPIType.STRING),
        "invalid_params": Schema(
            type=OpenAPIType.ARRAY,
            items=Schema(
                type=OpenAPIType.OBJECT,
                properties={
                    "key": Schema(type=OpenAPIType.STRING),
                    "message": Schema(type=OpenAPIType.STRING),
                    "source": Schema(type=OpenAPIType.STRING),
                },
            ),
        ),
    },
)
STATUS = Schema(
    type=OpenAPIType.OBJECT,
    required=["status", "worker"],
    properties={
        "status": Schema(type=OpenAPIType.STRING),
        "worker": Schema(type=OpenAPIType.STRING),
        "reason": Schema(type=OpenAPIType.STRING),
    },
)
MOMENT = [
    Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.DATE),
    Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.DATE_TIME),
]
MOMENTS = ("at", "known_at")
POSITIONS = Schema(
    type=OpenAPIType.OBJECT,
    required=["head", "projections", "relays"],
    properties={
        "head": Schema(type=OpenAPIType.INTEGER, description="the last position in the event log"),
        "projections": Schema(type=OpenAPIType.OBJECT, description="per projection: position and lag"),
        "relays": Schema(type=OpenAPIType.OBJECT, description="per relay: position and lag"),
    },
)
HEX = "[0-9a-fA-F]"
ENTITY = Schema(
    type=OpenAPIType.STRING,
    min_length=1,
    max_length=300,
    pattern=f"^({HEX}{{8}}-{HEX}{{4}}-{HEX}{{4}}-{HEX}{{4}}-{HEX}{{12}}|[^/\\x00]+(/[^/\\x00]+)+)$",
    description="an aggregate id, or a natural key KIND/CODE (`town/JB-CICHENG`)",
)
WHY = {
    400: "a parameter is refused: `detail` and `invalid_params` name it",
    401: "no token, or one not known (or revoked)",
    403: "the token's role may not read this",
    404: "nothing of that code (or not found as of that day)",
    429: "past the reads a token may make a minute: retry after `Retry-After` seconds",
    503: "not ready: `reason` says why",
}


def complete(app: Litestar, settings: Settings) -> None:
    """Complete the app's document in place, before it is first served."""
    openapi = app.openapi_schema
    components = openapi.components if isinstance(openapi.components, Components) else Components()
    components.schemas = {**(components.schemas or {}), "Problem": PROBLEM}
    openapi.components = components
    for path, method, operation, roles in _operations(app, openapi):
        _answers(path, method, operation, roles)
        _moments(operation)
    for parameter in _parameters(openapi, "/api/v1/audit/trail/{entity}", "entity"):
        parameter.schema = ENTITY  # a path (framework: "uri"), of which the key is the rest
    for parameter in _parameters(openapi, "/api/v1/people/{person}", "purpose"):
        purposes = list(settings.api.purposes)
        parameter.schema = Schema(type=OpenAPIType.STRING, enum=purposes, description=_described(parameter))


def _operations(app: Litestar, openapi: OpenAPI) -> list[tuple[str, str, Operation, tuple[str, ...]]]:
    """(path, method, operation, roles) of every documented operation."""
    roles: dict[tuple[str, str], tuple[str, ...]] = {}
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            for verb, handler in route.route_handler_map.items():
                roles[(route.path_format, verb.lower())] = tuple(handler[0].opt.get("roles", ()))
    found: list[tuple[str, str, Operation, tuple[str, ...]]] = []
    for path, item in (openapi.paths or {}).items():
        for method in ("get", "post", "put", "patch", "delete"):
            operation = getattr(item, method, None)
            if isinstance(operation, Operation):
                found.append((path, method, operation, roles.get((path, method), ())))
    return found


def _answers(path: str, method: str, operation: Operation, roles: tuple[str, ...]) -> None:
    responses = dict(operation.responses or {})
    if path in ("/health", "/ready"):
        responses["200"] = _json("the process's state", STATUS)
        if path == "/ready":
            responses["503"] = _json(WHY[503], STATUS)
    elif path == "/api/v1/ops/positions":
        responses["200"] = _json("the log's head and each projection's and relay's position", POSITIONS)
    elif path == "/metrics":
        responses["200"] = OpenAPIResponse(
            description="Prometheus text exposition",
            content={"text/plain": OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING))},
        )
    codes = [400] if operation.parameters or "400" in responses else []
    if roles:
        codes += [401, 403]
        operation.security = [{"bearer": []}]
        who = " or ".join(roles)
        operation.description = f"Role: {who}.\n\n{operation.description or ''}".strip()
    else:
        operation.security = []
    if path.startswith("/api/v1/") and path != "/api/v1/ops/positions":
        codes.append(404)
    if path.startswith("/api/v1/people/"):
        codes.append(429)
    for code in codes:
        responses[str(code)] = _problem(code)
    operation.responses = responses


def _problem(code: int) -> OpenAPIResponse:
    return OpenAPIResponse(
        description=f"{problems.HTTP_TITLES[code]}: {WHY[code]}",
        content={problems.MEDIA_TYPE: OpenAPIMediaType(schema=Reference(ref="#/components/schemas/Problem"))},
    )


def _json(description: str, schema: Schema) -> OpenAPIResponse:
    return OpenAPIResponse(
        description=description, content={"application/json": OpenAPIMediaType(schema=schema)}
    )


def _moments(operation: Operation) -> None:
    for parameter in operation.parameters or []:
        if isinstance(parameter, Parameter) and parameter.name in MOMENTS:
            parameter.schema = Schema(one_of=MOMENT, description=_described(parameter))


def _described(parameter: Parameter) -> str | None:
    return parameter.schema.description if isinstance(parameter.schema, Schema) else None


def _parameters(openapi: OpenAPI, path: str, name: str) -> list[Parameter]:
    item = (openapi.paths or {}).get(path)
    operation = item.get if item is not None else None
    found = operation.parameters or [] if operation else []
    return [p for p in found if isinstance(p, Parameter) and p.name == name]
