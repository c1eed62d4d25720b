"""读模型运维记录 — the operators' acts on the read models, each recorded with who and why."""

from __future__ import annotations

from typing import Any

from aggregates.base import Context
from aggregates.command_batch import UseCases, use_case
from aggregates.operations.read_model import ReadModelRecord, SkipReasonRequired


class OperationsUseCases(UseCases):
    """读模型运维记录 — operators' acts on the read models, recorded."""

    @use_case
    def record_skip(self, ctx: Context, read_model: str, event_id: int, fault: dict[str, Any]) -> None:
        if not (ctx.reason or "").strip():
            raise SkipReasonRequired(f"skipping event {event_id} in {read_model} needs a reason")
        record = self._get_or_add(
            ReadModelRecord,
            ReadModelRecord.create_id(read_model),
            lambda: ReadModelRecord(read_model=read_model, ctx=ctx),
        )
        record.skip(event_id, fault, ctx)
