"""Town organisation (大部门制): from a decoded command to its use case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

HANDLERS: dict[type, Callable[..., None]] = {}
TOUCHES: dict[type, Callable[[Any], list[UUID]]] = {}
