"""Use cases of the burden-reduction registry (减负): take the baseline, approve, impose, clear.

An imposition refused for want of approval does not raise: it records `ImpositionRefused` on
the item's file and returns the `ImpositionNotApproved` it would have raised, so the attempt
is saved with the batch (as a refused duty push-down is, `aggregates/duties/use_cases.py`).
The baseline travels keyed by its district, the items by their department: an item that
arrives before its district's baseline is refused (`BaselineNotTaken`) and retried.
"""

from __future__ import annotations

from aggregates.base import Context
from aggregates.burden.registry import (
    BaselineAlreadyTaken,
    BaselineNotTaken,
    BurdenApproval,
    BurdenBaseline,
    BurdenItem,
    BurdenItemNotInForce,
    BurdenTerms,
    ImpositionNotApproved,
)
from aggregates.command_batch import UseCases, use_case

VALUE_TYPES: tuple[type, ...] = (BurdenTerms, BurdenApproval)


class BurdenUseCases(UseCases):
    """减负 — a district's baseline; what its departments impose on its towns, approved and cleared."""

    value_types = VALUE_TYPES

    def _burden_baseline(self, district: str) -> BurdenBaseline:
        return self._found(
            BurdenBaseline,
            BurdenBaseline.create_id(district),
            lambda: BaselineNotTaken(f"{district} has taken no burden-reduction baseline yet"),
        )

    def _burden_item(self, ctx: Context, department: str, code: str, district: str) -> BurdenItem:
        """The item's file, opened on its first act, of that district only."""
        item = self._get_or_add(
            BurdenItem,
            BurdenItem.create_id(department, code),
            lambda: BurdenItem(department=department, code=code, district=district, ctx=ctx),
        )
        item.check_district(district)
        return item

    @use_case
    def take_burden_baseline(self, ctx: Context, district: str, towns: tuple[str, ...]) -> None:
        """减负基线 — from the effective day on, new items in the district need approval."""
        named, on = BurdenBaseline.checked_towns(tuple(towns), ctx), ctx.effective_on
        self._create_once(
            BurdenBaseline,
            BurdenBaseline.create_id(district),
            new=lambda: BurdenBaseline(district=district, towns=named, on=on, ctx=ctx),
            same=lambda taken: taken.same(named, on),
            conflict=lambda: BaselineAlreadyTaken(f"{district}'s baseline was taken otherwise"),
        )

    @use_case
    def approve_burden_item(
        self, ctx: Context, department: str, code: str, district: str, terms: BurdenTerms, approved_by: str
    ) -> None:
        """一事一报 — the district approves one new item (a named body, a 文号)."""
        towns = self._burden_baseline(district).expand(terms)
        approval = BurdenApproval(approved_by, ctx.document_no or "", ctx.effective_on, terms, towns)
        self._burden_item(ctx, department, code, district).approve(approval, ctx)

    @use_case
    def impose_burden_item(
        self, ctx: Context, department: str, code: str, district: str, terms: BurdenTerms
    ) -> ImpositionNotApproved | None:
        """None when the item now falls on its towns; else why it was refused, recorded."""
        baseline = self._burden_baseline(district)
        towns = baseline.expand(terms)
        return self._burden_item(ctx, department, code, district).impose(terms, towns, baseline.on, ctx)

    @use_case
    def clear_burden_item(self, ctx: Context, department: str, code: str) -> None:
        """清理 — the item no longer falls on the towns from the effective day, for a reason."""
        self._found(
            BurdenItem,
            BurdenItem.create_id(department, code),
            lambda: BurdenItemNotInForce(f"{department} never imposed {code}"),
        ).clear_item(ctx)
