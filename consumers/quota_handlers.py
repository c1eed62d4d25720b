"""Quota ledgers (编制): from a decoded command to its use case (stub)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

HANDLERS: dict[type, Callable[..., Any]] = {}
TOUCHES: dict[type, Callable[[Any], list[UUID]]] = {}
