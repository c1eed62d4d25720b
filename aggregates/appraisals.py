"""Use cases of appraisals (SPEC §6, 考核) (stub: the use cases are being written)."""

from __future__ import annotations

from aggregates.command_batch import UseCases

VALUE_TYPES: tuple[type, ...] = ()


class AppraisalUseCases(UseCases):
    pass
