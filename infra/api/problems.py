"""Errors as problem details (RFC 9457, application/problem+json), never a stack trace.

HTTP errors keep their status and say what was wrong; anything else is logged with a
reference and answered as a bare 500 carrying only that reference.
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.plugins.problem_details import ProblemDetailsConfig, ProblemDetailsPlugin

log = logging.getLogger("infra.api.errors")
MEDIA_TYPE = "application/problem+json"


def problem(
    request: Request,
    status: int,
    title: str,
    detail: str = "",
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response[dict[str, Any]]:
    body = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "instance": request.url.path,
        **({"detail": detail} if detail else {}),
        **extra,
    }
    return Response(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


# A quoted value in a message is shown only when short and not like a secret (a token, a
# password); otherwise it is elided, so that an error never hands back what the client sent.
SHOWN = 32
SECRET = re.compile(r"gl_|bearer|token|secret|passw|key", re.IGNORECASE)
FIELDS = ("key", "message", "source")  # of each invalid parameter the framework names
QUOTED = re.compile(r"(['`\"])(.*?)\1")


def _elided(message: str) -> str:
    def keep(m: re.Match[str]) -> str:
        value = m.group(2)
        return (
            m.group(0) if len(value) <= SHOWN and not SECRET.search(value) else f"{m.group(1)}…{m.group(1)}"
        )

    return QUOTED.sub(keep, message)


def _http(request: Request, exc: HTTPException) -> Response[dict[str, Any]]:
    title = HTTP_TITLES.get(exc.status_code, "Error")
    extra: dict[str, Any] = {}
    detail = exc.detail if exc.detail != title else ""
    if isinstance(exc, ValidationException) and exc.extra:
        invalid = [
            {
                k: _elided(v) if k == "message" else v
                for k, v in e.items()
                if k in ("key", "message", "source")
            }
            for e in exc.extra
            if isinstance(e, dict)
        ]
        extra["invalid_params"] = invalid
        if detail.startswith("Validation failed for"):  # the framework's, which repeats the query
            named = sorted({str(e["key"]) for e in invalid if "key" in e})
            detail = f"invalid parameter{'s' if len(named) > 1 else ''}: {', '.join(named)}" if named else ""
    return problem(request, exc.status_code, title, _elided(detail), exc.headers, **extra)


def _unexpected(request: Request, exc: Exception) -> Response[dict[str, Any]]:
    reference = uuid.uuid4().hex[:12]
    principal = request.scope.get("state", {}).get("principal")
    log.error(
        "unhandled error",
        exc_info=exc,
        extra={
            "reference": reference,
            "path": request.url.path,
            "method": request.method,
            "token": principal.name if principal else None,
        },
    )
    return problem(request, 500, "Internal Server Error", f"reference {reference}")


HTTP_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
PLUGIN = ProblemDetailsPlugin(ProblemDetailsConfig(enable_for_all_http_exceptions=False))
HANDLERS: dict[Any, Any] = {HTTPException: _http, Exception: _unexpected}
