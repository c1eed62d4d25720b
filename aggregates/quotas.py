"""Use cases of the quota ledgers (SPEC §3, 编制) (stub: the use cases are being written)."""

from __future__ import annotations

from aggregates.command_batch import UseCases

VALUE_TYPES: tuple[type, ...] = ()


class QuotaUseCases(UseCases):
    pass
