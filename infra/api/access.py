"""Who may read what: bearer tokens, one role each, stored only as their SHA-256 digest.

Roles: `reader` (the dashboard's data), `auditor` (everything a reader sees, and trails,
as-of queries and personal data, each personal read recorded), `operator` (metrics and the
workers' positions), `sender` (an upstream system checking a batch of commands before it
publishes them: the dry run only). A handler names the roles it admits in `opt={"roles": ...}`
(`allow(...)` builds that); one guard on the whole app checks them: no or unknown token →
401, a known token of another role → 403. A token is shown once when issued
(`govledger token issue`) and never stored in clear; revoking takes effect within `TTL`.
Personal-data reads are also limited per token and minute (`personal_reads_limit`).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware.base import DefineMiddleware
from litestar.middleware.rate_limit import RateLimitConfig, RateLimitMiddleware

READER, AUDITOR, OPERATOR, SENDER = "reader", "auditor", "operator", "sender"
ROLES = (READER, AUDITOR, OPERATOR, SENDER)
TTL = 5.0  # seconds a looked-up token is trusted before it is read again


@dataclass(frozen=True)
class Principal:
    name: str
    role: str


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def allow(*roles: str) -> dict[str, Any]:
    """Keyword arguments of a route handler that admits these roles (and documents the
    bearer scheme in the OpenAPI document)."""
    return {"opt": {"roles": roles}, "security": [{"bearer": []}]}


class TokenStore:
    """The api_tokens table (infra/store/schema.py), with a short cache of what was looked up."""

    def __init__(self, datastore: Any) -> None:
        self.datastore = datastore
        self._seen: dict[str, tuple[float, Principal | None]] = {}

    def issue(self, name: str, role: str) -> str:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
        token = "gl_" + secrets.token_urlsafe(32)
        with self.datastore.transaction(commit=True) as cur:
            cur.execute(
                "INSERT INTO api_tokens VALUES (%s, %s, %s, %s, NULL) ON CONFLICT (name)"
                " DO UPDATE SET role = EXCLUDED.role, digest = EXCLUDED.digest,"
                " issued_at = EXCLUDED.issued_at, revoked_at = NULL",
                (name, role, digest(token), datetime.now(UTC)),
            )
        return token

    def revoke(self, name: str) -> bool:
        with self.datastore.transaction(commit=True) as cur:
            cur.execute(
                "UPDATE api_tokens SET revoked_at = %s WHERE name = %s AND revoked_at IS NULL",
                (datetime.now(UTC), name),
            )
            return cur.rowcount == 1

    def listed(self) -> list[dict[str, Any]]:
        with self.datastore.transaction(commit=False) as cur:
            cur.execute("SELECT name, role, issued_at, revoked_at FROM api_tokens ORDER BY name")
            return list(cur.fetchall())

    def seen(self, token: str) -> tuple[bool, Principal | None]:
        """(whether the token was looked up within `TTL`, its principal then), without reading
        the database: for a caller that must not block."""
        seen = self._seen.get(digest(token))
        if seen and time.monotonic() - seen[0] < TTL:
            return True, seen[1]
        return False, None

    def principal(self, token: str) -> Principal | None:
        known, found = self.seen(token)
        if known:
            return found
        key, now = digest(token), time.monotonic()
        with self.datastore.transaction(commit=False) as cur:
            cur.execute("SELECT name, role FROM api_tokens WHERE digest = %s AND revoked_at IS NULL", (key,))
            row = cur.fetchone()
        found = Principal(row["name"], row["role"]) if row else None
        if len(self._seen) > 10_000:
            self._seen.clear()
        self._seen[key] = (now, found)
        return found


def bearer(connection: ASGIConnection) -> str | None:
    return bearer_token(connection.headers.get("authorization", ""))


def bearer_token(authorization: str) -> str | None:
    """The token of an `Authorization: Bearer <token>` header's value, if it is one."""
    scheme, _, token = authorization.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """The app's one guard: public handlers name no roles; the others need a token of one."""
    roles = handler.opt.get("roles")
    if not roles:
        return
    token = bearer(connection)
    principal = connection.app.state.tokens.principal(token) if token else None
    if principal is None:
        raise NotAuthorizedException(
            "a valid bearer token is required", headers={"WWW-Authenticate": 'Bearer realm="govledger"'}
        )
    connection.state.principal = principal  # named in the access log, refused or not
    if principal.role not in roles:
        raise PermissionDeniedException(
            f"role {principal.role!r} may not read this; it needs {' or '.join(roles)}"
        )


def require(connection: ASGIConnection, role: str, why: str) -> Principal:
    """Inside a handler: this request needs `role` (e.g. an as-of query needs an auditor)."""
    principal: Principal = connection.state.principal
    if principal.role != role:
        raise PermissionDeniedException(f"{why} needs the {role} role")
    return principal


class _Limited(RateLimitMiddleware):
    """Litestar's rate limit, with `Retry-After` (seconds) beside its RateLimit-* headers."""

    def create_response_headers(self, cache_object: Any) -> dict[str, str]:
        headers = super().create_response_headers(cache_object)
        return {**headers, "Retry-After": str(max(1, cache_object.reset - int(time.time())))}


def _holder(request: Request[Any, Any, Any]) -> str:
    """Whose reads are counted: the token's name (a request without a known token is refused
    by the guard after this, and counted under no one's)."""
    token = bearer(request)
    principal = request.app.state.tokens.principal(token) if token else None
    return f"token:{principal.name}" if principal else "token:-"


def personal_reads_limit(per_minute: int) -> DefineMiddleware:
    """At most `per_minute` personal-data reads a token a minute, in this process; then 429."""
    return RateLimitConfig(
        rate_limit=("minute", per_minute),
        identifier_for_request=_holder,
        check_throttle_handler=lambda request: request.url.path.startswith(PERSONAL),
        middleware_class=_Limited,
    ).middleware


PERSONAL = "/api/v1/people/"
