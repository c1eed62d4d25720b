"""Use cases of sink-down transfers (SPEC §4, 力量下沉) (stub: the use cases are being written)."""

from __future__ import annotations

from aggregates.command_batch import UseCases

VALUE_TYPES: tuple[type, ...] = ()


class SinkDownUseCases(UseCases):
    pass
