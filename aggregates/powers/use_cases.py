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
            lambda: ItemNotCatalogued(
                f"power item {code} is not in the catalogue: send its power_item.register first"
            ),
        )

    def _delegation(self, batch: str, item: str, town: str) -> Delegation:
        return self._found(
            Delegation,
            Delegation.create_id(batch, item, town),
            lambda: DelegationNotFiled(
                f"no delegation of {item} to {town} was filed in batch {batch}: send its delegation.propose "
                "first"
            ),
        )

    def _delegation_named(self, delegation_id: UUID) -> str:
        """A delegation as a sender names it: by its item, town and batch, never its id."""
        found = self._get(Delegation, delegation_id)
        return found.named if found else "a delegation not in the ledger"

    def _declared(self, code: str) -> str:
        """How the batch was declared."""
        declared = self._get(DelegationBatch, DelegationBatch.create_id(code))
        return f"it is declared as {declared.title!r}" if declared else "it is declared otherwise"

    def _filed(self, batch: str, item: str, town: str) -> str:
        """How the delegation of the item to the town in the batch was filed."""
        filed = self._get(Delegation, Delegation.create_id(batch, item, town))
        return f"it was filed as {filed.mode} from {filed.department}" if filed else "it was filed otherwise"

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
            conflict=lambda: ItemAlreadyRegistered(
                f"registering power item {code}: it is registered with other details; "
                "send power_item.amend to change them"
            ),
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
            conflict=lambda: BatchAlreadyDeclared(
                f"declaring batch {code} as {title!r}: {self._declared(code)}; "
                "declare the new batch under another code"
            ),
        )

    @use_case
    def propose_delegation(self, ctx: Context, batch: str, item: str, town: str, mode: str) -> None:
        if mode not in MODES:
            raise InvalidMode(
                f"delegating {item} to {town} in batch {batch} by mode {mode!r}: "
                f"the mode is one of {', '.join(sorted(MODES))}"
            )
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
            conflict=lambda: DelegationAlreadyFiled(
                f"proposing {item} to {town} in batch {batch} as {mode} from {department}: "
                f"{self._filed(batch, item, town)}; file the other in a later batch"
            ),
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
