"""Use cases of the town organisation (SPEC §3, 大部门制)."""

from __future__ import annotations

VALUE_TYPES: tuple[type, ...] = ()


class OrganisationUseCases:
    pass
