"""Use cases of power items and delegations (SPEC §1)."""

from __future__ import annotations

from uuid import UUID

from aggregates.base import Context, RuleViolation
from aggregates.command_batch import UseCases, use_case
from aggregates.powers.delegation import (
    MODES,
    AdmissionReview,
    BatchAlreadyDeclared,
    Delegation,
    DelegationAlreadyFiled,
    DelegationBatch,
    Evaluation,
    Finding,
    InvalidMode,
    SupportPackage,
)
from aggregates.powers.holding import PowerHolding
from aggregates.powers.item import ItemAlreadyRegistered, ItemDetails, ItemNotCatalogued, PowerItem


class DelegationNotFiled(RuleViolation):
    """No delegation was filed for that item and town in that batch."""


class PowerUseCases(UseCases):
    """权力事项与赋权 — power items catalogued, and delegations filed, reviewed, approved, recalled."""

    value_types = (ItemDetails, AdmissionReview, Finding, SupportPackage, Evaluation)

    def _item(self, code: str) -> PowerItem:
        return self._found(
            PowerItem,
            PowerItem.create_id(code),
            lambda: ItemNotCatalogued(f"power item {code} is not in the catalogue"),
        )

    def _delegation(self, batch: str, item: str, town: str) -> Delegation:
        return self._found(
            Delegation,
            Delegation.create_id(batch, item, town),
            lambda: DelegationNotFiled(f"no delegation of {item} to {town} in batch {batch}"),
        )

    def _delegation_named(self, delegation_id: UUID) -> str:
        """A delegation as a sender names it: by its batch (the item and town are the slot's)."""
        found = self._get(Delegation, delegation_id)
        return f"the delegation of batch {found.batch}" if found else f"the delegation {delegation_id}"

    def _holding(self, item: str, town: str, ctx: Context) -> PowerHolding:
        return self._get_or_add(
            PowerHolding,
            PowerHolding.create_id(item, town),
            lambda: PowerHolding(item=item, town=town, ctx=ctx),
        )

    @use_case
    def register_power_item(self, ctx: Context, code: str, details: ItemDetails) -> None:
        self._create_once(
            PowerItem,
            PowerItem.create_id(code),
            new=lambda: PowerItem(code=code, details=details, ctx=ctx),
            same=lambda registered: registered.details == details,
            conflict=lambda: ItemAlreadyRegistered(f"power item {code} is registered with other details"),
        )

    @use_case
    def amend_power_item(self, ctx: Context, code: str, details: ItemDetails) -> None:
        self._item(code).amend(details, ctx)

    @use_case
    def retire_power_item(self, ctx: Context, code: str) -> None:
        self._item(code).retire(ctx)

    @use_case
    def declare_batch(self, ctx: Context, code: str, title: str) -> None:
        self._create_once(
            DelegationBatch,
            DelegationBatch.create_id(code),
            new=lambda: DelegationBatch(code=code, title=title, ctx=ctx),
            same=lambda declared: declared.title == title,
            conflict=lambda: BatchAlreadyDeclared(f"batch {code} is declared with another title"),
        )

    @use_case
    def propose_delegation(self, ctx: Context, batch: str, item: str, town: str, mode: str) -> None:
        if mode not in MODES:
            raise InvalidMode(f"unknown mode {mode!r}")
        power = self._item(item)
        power.ensure_delegable()
        department = power.details.department
        self._create_once(
            Delegation,
            Delegation.create_id(batch, item, town),
            new=lambda: Delegation(
                batch=batch, item=item, town=town, mode=mode, department=department, ctx=ctx
            ),
            same=lambda filed: filed.same_filing(mode, department),
            conflict=lambda: DelegationAlreadyFiled(f"{item} to {town} in batch {batch} was filed otherwise"),
        )

    @use_case
    def start_admission_review(self, ctx: Context, batch: str, item: str, town: str, body: str) -> None:
        self._delegation(batch, item, town).start_review(body, ctx)

    @use_case
    def approve_delegation(
        self,
        ctx: Context,
        batch: str,
        item: str,
        town: str,
        review: AdmissionReview,
        support: SupportPackage,
    ) -> None:
        delegation = self._delegation(batch, item, town)
        delegation.ensure_approvable(review)
        self._item(item).ensure_delegable()
        holding = self._holding(item, town, ctx)
        holding.ensure_free(delegation.id, ctx.effective_on, self._delegation_named)
        delegation.approve(review, support, ctx)
        holding.take(delegation.id, ctx.effective_on, ctx)

    @use_case
    def reject_delegation(
        self, ctx: Context, batch: str, item: str, town: str, review: AdmissionReview
    ) -> None:
        self._delegation(batch, item, town).reject(review, ctx)

    @use_case
    def evaluate_delegation(
        self, ctx: Context, batch: str, item: str, town: str, evaluation: Evaluation
    ) -> None:
        self._delegation(batch, item, town).evaluate(evaluation, ctx)

    @use_case
    def recall_delegation(self, ctx: Context, batch: str, item: str, town: str) -> None:
        delegation = self._delegation(batch, item, town)
        delegation.recall(ctx)
        self._holding(item, town, ctx).release(delegation.id, ctx.effective_on, ctx)

    @use_case
    def transfer_delegation(self, ctx: Context, batch: str, item: str, town: str, to_unit: str) -> None:
        delegation = self._delegation(batch, item, town)
        delegation.transfer(to_unit, ctx)
        self._holding(item, town, ctx).release(delegation.id, ctx.effective_on, ctx)
