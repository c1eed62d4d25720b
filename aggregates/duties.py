"""Use cases of duty admission (SPEC §2)."""

from __future__ import annotations

VALUE_TYPES: tuple[type, ...] = ()


class DutyUseCases:
    pass
