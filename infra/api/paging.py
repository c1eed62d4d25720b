"""Pages of rows and conditional responses (ETag / If-None-Match → 304).

A list comes back as {"items", "total", "limit", "offset", "next"}, `next` being the
offset of the following page or null. Every JSON answer carries an ETag of its body: a
dashboard polling a read model that has not moved gets 304 and no body.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

import msgspec
from litestar import Request, Response
from litestar.params import Parameter

from infra.api.scope import page_of, scoped

Limit = Annotated[int, Parameter(ge=1, le=1000, description="rows per page (at most 1000)")]
Offset = Annotated[int, Parameter(ge=0, description="rows to skip")]
CACHE = "private, no-cache"  # read models move: revalidate every time, by ETag


def page(rows: list[Any], limit: int, offset: int) -> dict[str, Any]:
    return page_of(rows, limit, offset)


def etag(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def answer(request: Request, found: Any) -> Response[Any]:
    """`found` as JSON with its ETag, as the token's scope sees it (`scope.scoped`); 304
    without a body when the client has it already."""
    body = msgspec.json.encode(scoped(request, found))
    tag = etag(body)
    headers = {"ETag": tag, "Cache-Control": CACHE}
    wanted = request.headers.get("if-none-match", "")
    if tag in {t.strip() for t in wanted.split(",")} or wanted.strip() == "*":
        return Response(b"", status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)
