"""Use cases of the quota ledgers (SPEC §3, 编制台账): 核定, occupancy, transfers, plans."""

from __future__ import annotations

from aggregates.base import Context
from aggregates.command_batch import UseCases, use_case
from aggregates.quotas.quota_ledger import (
    KINDS,
    LEADERSHIP,
    LEVELS,
    LedgerDetails,
    QuotaLedger,
    QuotaLedgerNotOpened,
    TransferApproval,
    UnitLevelMismatch,
    check,
)

VALUE_TYPES: tuple[type, ...] = (LedgerDetails, TransferApproval)


def _kind(unit: str, kind: str) -> str:
    check(kind in KINDS, f"{unit}: unknown kind of quota {kind!r}; the kinds are {', '.join(KINDS)}")
    return kind


class QuotaUseCases(UseCases):
    """编制台账 — a unit's quotas approved and occupied, transfers between units, yearly plans."""

    value_types = VALUE_TYPES

    def _quota_ledger(self, unit: str) -> QuotaLedger:
        ledger = self._found(
            QuotaLedger,
            QuotaLedger.create_id(unit),
            lambda: QuotaLedgerNotOpened(f"no quota ledger is opened for {unit}: send its quota.open first"),
        )
        ledger.ensure_opened()
        return ledger

    @use_case
    def open_quota_ledger(self, ctx: Context, unit: str, level: str, details: LedgerDetails) -> None:
        check(
            level in LEVELS,
            f"opening the quota ledger of {unit} at level {level!r}: the level is one of {', '.join(LEVELS)}",
        )
        existing = self._get(QuotaLedger, QuotaLedger.create_id(unit))
        if existing is None:
            self._staged.add(QuotaLedger(unit=unit, level=level, details=details, ctx=ctx))
        else:
            existing.open(level, details, ctx)

    @use_case
    def approve_quotas(self, ctx: Context, unit: str, kind: str, approved: int) -> None:
        self._quota_ledger(unit).approve(_kind(unit, kind), approved, ctx)

    @use_case
    def occupy_quotas(self, ctx: Context, unit: str, kind: str, count: int) -> None:
        self._quota_ledger(unit).occupy(_kind(unit, kind), count, ctx)

    @use_case
    def vacate_quotas(self, ctx: Context, unit: str, kind: str, count: int) -> None:
        self._quota_ledger(unit).vacate(_kind(unit, kind), count, ctx)

    @use_case
    def set_leadership_posts(self, ctx: Context, unit: str, approved: int) -> None:
        """中层领导职数总量 — one approved total for the unit's mid-level leadership posts."""
        self._quota_ledger(unit).approve(LEADERSHIP, approved, ctx)

    @use_case
    def occupy_leadership_posts(self, ctx: Context, unit: str, count: int) -> None:
        self._quota_ledger(unit).occupy(LEADERSHIP, count, ctx)

    @use_case
    def vacate_leadership_posts(self, ctx: Context, unit: str, count: int) -> None:
        self._quota_ledger(unit).vacate(LEADERSHIP, count, ctx)

    @use_case
    def transfer_quotas(
        self,
        ctx: Context,
        unit: str,
        to_unit: str,
        to_level: str,
        kind: str,
        count: int,
        approval: TransferApproval | None = None,
    ) -> None:
        """Moves quotas between two ledgers in one command; the receiving ledger may not be
        opened yet (its opening travels on another partition) and is then started here."""
        source = self._quota_ledger(unit)
        check(
            to_level in LEVELS,
            f"moving {count} {kind} quotas from {unit} to {to_unit} at level {to_level!r}: the level is one "
            f"of {', '.join(LEVELS)}",
        )
        target = self._get(QuotaLedger, QuotaLedger.create_id(to_unit))
        if target is not None and target.level != to_level:
            raise UnitLevelMismatch(
                f"moving {count} {kind} quotas from {unit} to {to_unit} as a {to_level} unit: the ledger "
                f"of {to_unit} is at the {target.level} level; name {target.level}"
            )
        source.transfer_out(to_unit, to_level, _kind(unit, kind), count, approval, ctx)
        if target is None:
            target = self._staged.add(QuotaLedger(unit=to_unit, level=to_level, details=None, ctx=ctx))
        target.transfer_in(unit, source.level, kind, count, approval, ctx)

    @use_case
    def plan_staffing(self, ctx: Context, unit: str, year: int, kind: str, planned: int) -> None:
        """用编计划 — the unit's planned intake of a kind for the year."""
        self._quota_ledger(unit).plan(year, kind, planned, ctx)
