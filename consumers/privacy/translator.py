"""个人信息处理记录 — who read a person's data and its erasure: nothing arrives on Kafka and
nothing is published (audit records for auditors; subscribers hold person ids only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from aggregates.privacy.record import PersonalRecord

HANDLERS: dict[type, Callable[..., Any]] = {}
TOUCHES: dict[type, Callable[[Any], list[UUID]]] = {}
RULES: dict[type, tuple[type[Exception], ...]] = {}
PUBLISHED: dict[type, tuple[type, Any]] = {}
INTERNAL: set[type] = {PersonalRecord.Opened, PersonalRecord.ReadRecorded, PersonalRecord.Erased}
