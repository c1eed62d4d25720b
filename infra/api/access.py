"""Who may read what: bearer tokens, one role each, stored only as their SHA-256 digest.

Roles: `reader` (the dashboard's data), `auditor` (everything a reader sees, and trails,
as-of queries and personal data, each personal read recorded), `operator` (metrics and the
workers' positions), `sender` (an upstream system checking a batch of commands before it
publishes them: the dry run only). A handler names the roles it admits in `opt={"roles": ...}`
(`allow(...)` builds that); one guard on the whole app checks them: no or unknown token →
401, a known token of another role → 403. A token also has a scope (`infra/api/scope.py`:
every answer is narrowed to it, a route not attributed for it is 403, one thing outside it
404) and may have an end: past `expires_at` it is 401 ("token expired at …"). A token is
shown once when issued (`govledger token issue`) and never stored in clear; revoking takes
effect within `TTL`. Its last use is recorded at most once a minute (`USE_EVERY`).
Personal-data reads are also limited per token and minute (`personal_reads_limit`).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware.base import DefineMiddleware
from litestar.middleware.rate_limit import RateLimitConfig, RateLimitMiddleware

from infra.api import scope as scopes
from infra.api.scope import Attribution, Scope
from infra.axes import moment

READER, AUDITOR, OPERATOR, SENDER = "reader", "auditor", "operator", "sender"
ROLES = (READER, AUDITOR, OPERATOR, SENDER)
TTL = 5.0  # seconds a looked-up token is trusted before it is read again
USE_EVERY = timedelta(minutes=1)  # a token's last use is recorded at most this often


@dataclass(frozen=True)
class Principal:
    name: str
    role: str
    scope: Scope = scopes.WHOLE
    expires_at: datetime | None = None

    def expired(self, now: datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or datetime.now(UTC))


DEFAULT_EXPIRY = "90d"  # a token issued without `--expires`; "never" for none


def expiry(text: str, now: datetime | None = None) -> datetime | None:
    """When a token issued now ends: `Nd` or `Nh` from now, an ISO day (its end, China time)
    or time, or `never` (None); ValueError otherwise."""
    text, now = text.strip(), now or datetime.now(UTC)
    if text.lower() == "never":
        return None
    if text[:-1].isdigit() and text[-1:].lower() in ("d", "h") and int(text[:-1]) > 0:
        unit = "days" if text[-1].lower() == "d" else "hours"
        return now + timedelta(**{unit: int(text[:-1])})
    try:
        found = moment(text)
    except ValueError:
        raise ValueError(f"expires {text!r}: Nd, Nh, an ISO day or time, or never") from None
    if found <= now:
        raise ValueError(f"expires {text!r}: already past")
    return found


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def allow(*roles: str, scope: Attribution | None = None) -> dict[str, Any]:
    """Keyword arguments of a route handler that admits these roles (and documents the
    bearer scheme in the OpenAPI document); `scope`, how its answers are attributed to towns
    and departments — without it, the route is refused to scoped tokens."""
    return {"opt": {"roles": roles, "scope": scope}, "security": [{"bearer": []}]}


class TokenStore:
    """The api_tokens table (infra/store/schema.py), with a short cache of what was looked up."""

    def __init__(self, datastore: Any) -> None:
        self.datastore = datastore
        self._seen: dict[str, tuple[float, Principal | None]] = {}

    def issue(
        self, name: str, role: str, scope: Scope | str = "all", expires_at: datetime | None = None
    ) -> str:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
        scope = Scope.parse(scope) if isinstance(scope, str) else scope
        token = "gl_" + secrets.token_urlsafe(32)
        with self.datastore.transaction(commit=True) as cur:
            cur.execute(
                "INSERT INTO api_tokens (name, role, digest, issued_at, revoked_at, scope, expires_at)"
                " VALUES (%s, %s, %s, %s, NULL, %s, %s) ON CONFLICT (name)"
                " DO UPDATE SET role = EXCLUDED.role, digest = EXCLUDED.digest,"
                " issued_at = EXCLUDED.issued_at, revoked_at = NULL, scope = EXCLUDED.scope,"
                " expires_at = EXCLUDED.expires_at, last_used_at = NULL",
                (name, role, digest(token), datetime.now(UTC), scope.text, expires_at),
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
            cur.execute(
                "SELECT name, role, scope, issued_at, expires_at, last_used_at, revoked_at"
                " FROM api_tokens ORDER BY name"
            )
            return list(cur.fetchall())

    def _used(self, key: str, last: datetime | None) -> None:
        """Records the token's use, unless it was recorded within `USE_EVERY` (tokens are
        looked up at most every `TTL` seconds, so this writes at most once a minute a token)."""
        now = datetime.now(UTC)
        if last is not None and now - last < USE_EVERY:
            return
        with self.datastore.transaction(commit=True) as cur:
            cur.execute(
                "UPDATE api_tokens SET last_used_at = %s WHERE digest = %s"
                " AND (last_used_at IS NULL OR last_used_at < %s)",
                (now, key, now - USE_EVERY),
            )

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
            cur.execute(
                "SELECT name, role, scope, expires_at, last_used_at FROM api_tokens"
                " WHERE digest = %s AND revoked_at IS NULL",
                (key,),
            )
            row = cur.fetchone()
            scope = Scope.parse(row["scope"]).resolved(cur) if row else None
        found = Principal(row["name"], row["role"], scope, row["expires_at"]) if row and scope else None
        if row and found and not found.expired():
            self._used(key, row["last_used_at"])
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
    if principal.expired():
        assert principal.expires_at is not None
        raise NotAuthorizedException(
            f"token expired at {principal.expires_at.astimezone(UTC).isoformat(timespec='seconds')}",
            headers={"WWW-Authenticate": 'Bearer realm="govledger", error="invalid_token"'},
        )
    connection.state.principal = principal  # named in the access log, refused or not
    if principal.role not in roles:
        raise PermissionDeniedException(
            f"role {principal.role!r} may not read this; it needs {' or '.join(roles)}"
        )
    scopes.check(principal.scope, handler.opt.get("scope"), connection.path_params)


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
