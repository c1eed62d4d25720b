"""减负 — the burden-reduction registry: what district departments impose on towns, and its baseline.

A department imposes indicators (考核指标), inspections (督查检查), meetings (会议) and forms
(报表) on a district's towns, each with its basis and the towns it falls on (all of the
district's, or a list). Seed 002: "从25个部门考核清单中'清理不合理指标'73项 … 明确新增街道检查
考核事项，按'一事一报'原则，由区委区政府统筹安排实施".

The baseline (减负基线) is a day the district declares, with its towns. An item imposed with an
effective day before the baseline is an existing one (存量) and needs no approval; an item
imposed on or after it is new (增量) and needs the district's approval of that one item (一事
一报: a named body, a 文号) covering its kind and towns from a day no later. An imposition
without one is refused, and the attempt itself is recorded on the item's file, like a refused
duty push-down (部门擅自向镇街摊派). A cleared (清理) item imposed again needs a new approval.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, TypeAlias
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from aggregates.base import Context, RuleViolation, natural_id, require_document, require_reason

if TYPE_CHECKING:
    from aggregates.base import DecoratedCreated, DecoratedEvent

# The terms of the registry: its vocabulary, values and rule errors.


KINDS = ("indicator", "inspection", "meeting", "form")  # 考核指标 督查检查 会议 报表, in this order


class InvalidBurdenTerms(RuleViolation):
    """A kind outside indicator, inspection, meeting and form; a name, basis or town left
    empty; a town not of the district's baseline; or an item named under another district."""


class BaselineNotTaken(RuleViolation):
    """Nothing is imposed on or approved for a district's towns before its burden-reduction
    baseline is taken; the sender retries once it is."""


class BaselineAlreadyTaken(RuleViolation):
    """A district's baseline is taken once: its day and its towns stay as first taken."""


class BurdenDocumentRequired(RuleViolation):
    """The baseline and each approval are the district's decisions: they carry a 文号, and an
    approval names the approving body."""


class BurdenItemInForce(RuleViolation):
    """An item in force is neither approved nor imposed anew with other terms: clear it first."""


class ApprovalAlreadyGiven(RuleViolation):
    """An item's approval stands as given; the same approval again records nothing."""


class BurdenItemNotInForce(RuleViolation):
    """Only an item in force is cleared (清理), and on a day no earlier than it was imposed."""


class ImpositionNotApproved(RuleViolation):
    """部门擅自向镇街摊派: an item imposed on or after the district's baseline without the
    district's approval (一事一报) covering its kind and towns on that day."""


@dataclass(frozen=True)
class BurdenTerms:
    """What is imposed: its kind, name, basis (依据: the law, policy or document), and the towns
    named (none: every town of the district)."""

    kind: str
    name: str
    basis: str
    towns: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "towns", tuple(sorted(set(self.towns))))  # stored as a list
        if self.kind not in KINDS or not (
            self.name.strip() and self.basis.strip() and all(map(str.strip, self.towns))
        ):
            raise InvalidBurdenTerms(
                f"{self.kind!r}: one of {', '.join(KINDS)}, a name and a basis are required, towns non-empty"
            )


@dataclass(frozen=True)
class BurdenApproval:
    """一事一报: the district's approval of one item — by whom, under which 文号, from which
    day, for which kind and towns (all of the district's expanded when given)."""

    approved_by: str
    document_no: str
    on: date
    terms: BurdenTerms
    towns: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "towns", tuple(self.towns))  # stored as a list

    def uncovered(self, kind: str, towns: tuple[str, ...], on: date) -> str | None:
        """Why this approval does not cover an imposition of `kind` on `towns` on `on`, or None."""
        outside = sorted(set(towns) - set(self.towns))
        if kind != self.terms.kind:
            return f"approved as a {self.terms.kind}, imposed as a {kind}"
        if outside:
            return f"approved for {', '.join(self.towns)} only, not {', '.join(outside)}"
        if on < self.on:
            return f"approved only from {self.on}"
        return None


# The item's terms until it is first imposed (an alias, so that the rule reader, which
# follows every class named in a body, does not take opening a file for making terms).
MaybeTerms: TypeAlias = BurdenTerms | None


class BurdenBaseline(Aggregate):
    """减负基线 — a district's burden-reduction baseline: from its day on, new items need approval."""

    @staticmethod
    def create_id(district: str) -> UUID:
        return natural_id("burden-baseline", district)

    @event("Taken")
    def __init__(self, district: str, towns: tuple[str, ...], on: date, ctx: Context) -> None:
        self.district, self.towns, self.on = district, tuple(towns), on

    @staticmethod
    def checked_towns(towns: tuple[str, ...], ctx: Context) -> tuple[str, ...]:
        """The towns as stored, sorted once each; a baseline names at least one and a 文号."""
        named = tuple(sorted(set(towns)))
        InvalidBurdenTerms.check(bool(named) and all(map(str.strip, named)), "a baseline names its towns")
        require_document(
            ctx, BurdenDocumentRequired, "taking a burden-reduction baseline needs its document number"
        )
        return named

    def same(self, towns: tuple[str, ...], on: date) -> bool:
        return (self.towns, self.on) == (towns, on)

    def expand(self, terms: BurdenTerms) -> tuple[str, ...]:
        """The towns the terms fall on: those named, all of them the district's; or every town."""
        outside = sorted(set(terms.towns) - set(self.towns))
        if outside:
            raise InvalidBurdenTerms(f"{', '.join(outside)}: not towns of {self.district}")
        return terms.towns or self.towns

    if TYPE_CHECKING:  # the event class that the @event method above defines at class creation
        Taken = DecoratedCreated


class BurdenItem(Aggregate):
    """减负事项 — one item of a department's: approved, imposed, cleared, and imposition refused."""

    @staticmethod
    def create_id(department: str, code: str) -> UUID:
        return natural_id("burden-item", department, code)

    @event("Opened")
    def __init__(self, department: str, code: str, district: str, ctx: Context) -> None:
        self.department, self.code, self.district = department, code, district
        self.status, self.round, self.refused = "none", 0, 0
        self.terms: MaybeTerms = None
        self.towns: tuple[str, ...] = ()  # the towns it falls on, all of them named
        self.since: date | None = None
        self.existing = False  # imposed before the district's baseline (存量)
        self.approval: BurdenApproval | None = None  # the approval not yet used, or in force
        self.cleared_on: date | None = None

    def check_district(self, district: str) -> None:
        if district != self.district:
            raise InvalidBurdenTerms(
                f"{self.code} of {self.department} is {self.district}'s, not {district}'s"
            )

    def approve(self, approval: BurdenApproval, ctx: Context) -> None:
        """一事一报 — the district approves this one item, before it is imposed."""
        if self.status == "imposed":
            raise BurdenItemInForce(f"{self.code} of {self.department} is in force since {self.since}")
        if self.approval is not None:
            ApprovalAlreadyGiven.check(approval == self.approval, f"{self.code} was approved otherwise")
            return
        if not (approval.approved_by.strip() and approval.document_no.strip()):
            raise BurdenDocumentRequired(
                f"approving {self.code} of {self.department} names its body and 文号"
            )
        self._approved(approval=approval, ctx=ctx)

    @event("Approved")
    def _approved(self, approval: BurdenApproval, ctx: Context) -> None:
        self.status, self.approval = "approved", approval

    def impose(
        self, terms: BurdenTerms, towns: tuple[str, ...], baseline: date, ctx: Context
    ) -> ImpositionNotApproved | None:
        """Lay the item on its towns; on or after the baseline, refused and recorded unless
        approved (returns why); the same imposition again records nothing."""
        on = ctx.effective_on
        if self.status == "imposed":
            BurdenItemInForce.check((terms, towns) == (self.terms, self.towns), f"{self.code} is in force")
            return None
        existing = on < baseline
        why = None if existing else self._unapproved(terms.kind, towns, on)
        if why is not None:
            self._refused(
                department=self.department,
                code=self.code,
                district=self.district,
                terms=terms,
                towns=towns,
                status=self.status,
                detail=why,
                on=on,
                ctx=ctx,
            )
            return ImpositionNotApproved(
                f"{self.department} may not impose {self.code} ({terms.name}): {why}"
            )
        approval = None if existing else self.approval
        self._imposed(terms=terms, towns=towns, existing=existing, approval=approval, on=on, ctx=ctx)
        return None

    def _unapproved(self, kind: str, towns: tuple[str, ...], on: date) -> str | None:
        if self.approval is None:
            cleared = f" since it was cleared on {self.cleared_on}" if self.cleared_on else ""
            return f"new since the baseline and not approved by the district (一事一报){cleared}"
        return self.approval.uncovered(kind, towns, on)

    @event("Imposed")
    def _imposed(
        self,
        terms: BurdenTerms,
        towns: tuple[str, ...],
        existing: bool,
        approval: BurdenApproval | None,  # what it stands on (none for an existing item)
        on: date,
        ctx: Context,
    ) -> None:
        self.status, self.round = "imposed", self.round + 1
        self.terms, self.towns, self.existing, self.since = terms, tuple(towns), existing, on

    @event("ImpositionRefused")
    def _refused(
        self,
        department: str,
        code: str,
        district: str,
        terms: BurdenTerms,
        towns: tuple[str, ...],
        status: str,
        detail: str,
        on: date,
        ctx: Context,
    ) -> None:
        self.refused += 1

    def clear_item(self, ctx: Context) -> None:
        """清理 — the item no longer falls on the towns from the effective day on; for a reason."""
        on = ctx.effective_on
        if self.status == "cleared":
            return
        if self.status != "imposed" or on < (self.since or on):
            raise BurdenItemNotInForce(
                f"{self.code} of {self.department} is {self.status} (since {self.since})"
            )
        require_reason(ctx, "clearing a burden item")
        self._cleared(on=on, ctx=ctx)

    @event("Cleared")
    def _cleared(self, on: date, ctx: Context) -> None:
        self.status, self.cleared_on, self.approval = "cleared", on, None

    if TYPE_CHECKING:  # the event classes that the @event methods above define at class creation
        Opened = DecoratedCreated
        Approved = Imposed = ImpositionRefused = Cleared = DecoratedEvent
