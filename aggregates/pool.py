"""Use cases of the staffing turnover pool (SPEC §5, 编制周转池) (stub: the use cases are being written)."""

from __future__ import annotations

from aggregates.command_batch import UseCases

VALUE_TYPES: tuple[type, ...] = ()


class PoolUseCases(UseCases):
    pass
