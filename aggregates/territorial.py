"""Use cases of territorial duties and joint-enforcement scenarios (SPEC §2)."""

from __future__ import annotations

VALUE_TYPES: tuple[type, ...] = ()


class TerritorialUseCases:
    pass
