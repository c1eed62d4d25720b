"""The OpenAPI document, completed with what the routes' signatures cannot say: what is
set per deployment (the purposes a personal-data read may give)."""

from __future__ import annotations

from typing import Any

from litestar.openapi.spec import OpenAPI, Schema

from infra.settings import Settings


def complete(openapi: OpenAPI, settings: Settings) -> None:
    """Fill in, before the document is first served, what the settings decide."""
    for parameter in _parameters(openapi, "/api/v1/people/{person}", "purpose"):
        if isinstance(parameter.schema, Schema):
            parameter.schema.enum = list(settings.api.purposes)
            parameter.schema.pattern = parameter.schema.min_length = parameter.schema.max_length = None


def _parameters(openapi: OpenAPI, path: str, name: str) -> list[Any]:
    item = (openapi.paths or {}).get(path)
    operation = item.get if item is not None else None
    return [p for p in (operation.parameters or []) if getattr(p, "name", None) == name] if operation else []
