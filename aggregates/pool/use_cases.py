"""Use cases of the staffing turnover pool (SPEC §5, 编制周转池)."""

from __future__ import annotations

from datetime import date

from aggregates.base import Context
from aggregates.command_batch import UseCases, use_case
from aggregates.pool.staffing_pool import (
    DrawTerms,
    PoolAlreadyEstablished,
    PoolDetails,
    PoolNotEstablished,
    StaffingPool,
)

VALUE_TYPES: tuple[type, ...] = (PoolDetails, DrawTerms)


class PoolUseCases(UseCases):
    """编制周转池 — the district's staffing turnover pool: contributions in, draws out and back."""

    value_types = VALUE_TYPES

    def _pool(self, code: str) -> StaffingPool:
        return self._found(
            StaffingPool,
            StaffingPool.create_id(code),
            lambda: PoolNotEstablished(f"staffing pool {code} is not established: send pool.establish first"),
        )

    @use_case
    def establish_pool(self, ctx: Context, pool: str, details: PoolDetails) -> None:
        self._create_once(
            StaffingPool,
            StaffingPool.create_id(pool),
            new=lambda: StaffingPool(code=pool, details=details, ctx=ctx),
            same=lambda established: established.details == details,
            conflict=lambda: PoolAlreadyEstablished(
                f"establishing staffing pool {pool}: it is established with other details; a pool code is "
                "established once, with the same details"
            ),
        )

    @use_case
    def contribute_to_pool(self, ctx: Context, pool: str, unit: str, count: int) -> None:
        self._pool(pool).contribute(unit, count, ctx)

    @use_case
    def request_draw(self, ctx: Context, pool: str, draw: str, terms: DrawTerms) -> None:
        self._pool(pool).request_draw(draw, terms, ctx)

    @use_case
    def approve_draw(self, ctx: Context, pool: str, draw: str) -> None:
        self._pool(pool).approve_draw(draw, ctx)

    @use_case
    def reject_draw(self, ctx: Context, pool: str, draw: str) -> None:
        self._pool(pool).reject_draw(draw, ctx)

    @use_case
    def return_draw(self, ctx: Context, pool: str, draw: str, count: int | None = None) -> None:
        self._pool(pool).return_draw(draw, count, ctx)

    @use_case
    def renew_draw(self, ctx: Context, pool: str, draw: str, until: date) -> None:
        self._pool(pool).renew_draw(draw, until, ctx)

    @use_case
    def expire_due_draws(self, ctx: Context, pool: str, on: date) -> int:
        """The clock command: draws whose term ended by `on` return by themselves."""
        return self._pool(pool).expire_due(on, ctx)
