"""读模型运维记录 — operators' acts on the read models: nothing arrives on Kafka and nothing is
published (audit records for auditors)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from aggregates.operations.read_model import ReadModelRecord

HANDLERS: dict[type, Callable[..., Any]] = {}
TOUCHES: dict[type, Callable[[Any], list[UUID]]] = {}
RULES: dict[type, tuple[type[Exception], ...]] = {}
PUBLISHED: dict[type, tuple[type, Any]] = {}
INTERNAL: set[type] = {ReadModelRecord.Opened, ReadModelRecord.EventSkipped}
