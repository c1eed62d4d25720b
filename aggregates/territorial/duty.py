"""属地管理事项 — a district's territorial duty: who leads, who cooperates, by which mechanisms.

"一清单、一导则、一范例、一流程、七机制": a lead party (主体责任), cooperating parties (配合责任),
the mechanisms out of seven, and references to a guideline, an example and a flow. A duty is
district-wide, applying to every town and street alike: the town is the party `TOWN` (属地镇街).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from aggregates.base import Context, ListEntry, RuleViolation, natural_id

if TYPE_CHECKING:
    from aggregates.base import DecoratedCreated, DecoratedEvent

TOWN = "TOWN"  # the town or street on whose territory the duty arises
# 七机制: 协作、会商、处理结果通报、预防预警、工作建议、联络、争议协商 (in the report's order)
MECHANISMS = (
    "collaboration",
    "consultation",
    "result_notification",
    "early_warning",
    "work_suggestion",
    "liaison",
    "dispute_negotiation",
)


class InvalidDutyTerms(RuleViolation):
    """A name, domain, party or party's responsibility left empty."""


class LeadAlsoCooperating(RuleViolation):
    """主体责任方不得同时为配合责任方: the lead party is not also a cooperating party."""


class PartyListedTwice(RuleViolation):
    """A cooperating party is listed once."""


class BoundaryUndefined(RuleViolation):
    """明晰区、镇街责任边界: the town and at least one district department are parties."""


class NoMechanism(RuleViolation):
    """At least one of the seven mechanisms applies."""


class UnknownMechanism(RuleViolation):
    """七机制: only the seven mechanisms (see MECHANISMS)."""


class GuidanceIncomplete(RuleViolation):
    """一导则、一范例、一流程: the guideline, the example and the flow are all referenced."""


class TerritorialDutyAlreadyRegistered(RuleViolation):
    """The code is taken in the district's list by a duty with other terms; amend it instead."""


class TerritorialDutyNotListed(RuleViolation):
    """No such duty in the district's list."""


class TerritorialDutyRetired(RuleViolation):
    """A retired duty can no longer be amended."""


@dataclass(frozen=True)
class ResponsibleParty:
    """A party (department code, or `TOWN`) and what it answers for."""

    unit: str
    duty: str

    def __post_init__(self) -> None:
        if not (self.unit.strip() and self.duty.strip()):
            raise InvalidDutyTerms(
                f"a party {self.unit!r} answering for {self.duty!r}: a party names its unit (a department "
                f"code or {TOWN}) and what it answers for"
            )


@dataclass(frozen=True)
class TerritorialGuidance:
    """一导则、一范例、一流程 — references to the guideline, the example and the flow chart."""

    guideline: str
    example: str
    flow: str

    def __post_init__(self) -> None:
        for name in ("guideline", "example", "flow"):
            if not getattr(self, name).strip():
                raise GuidanceIncomplete(
                    f"the guidance references no {name}: reference the guideline, the example and the flow"
                )


@dataclass(frozen=True)
class TerritorialDutyTerms:
    name: str
    domain: str
    lead: ResponsibleParty
    cooperating: tuple[ResponsibleParty, ...]
    mechanisms: tuple[str, ...]
    guidance: TerritorialGuidance

    def __post_init__(self) -> None:
        if not (self.name.strip() and self.domain.strip()):
            raise InvalidDutyTerms(
                f"a territorial duty named {self.name!r} in domain {self.domain!r}: state both its name "
                "and its domain"
            )
        units = [party.unit for party in self.cooperating]
        if self.lead.unit in units:
            raise LeadAlsoCooperating(
                f"territorial duty {self.name!r}: {self.lead.unit} both leads and cooperates; "
                "drop it from the cooperating parties"
            )
        if len(set(units)) != len(units):
            twice = sorted({unit for unit in units if units.count(unit) > 1})
            raise PartyListedTwice(
                f"territorial duty {self.name!r}: the cooperating parties {units} name {', '.join(twice)} "
                "more than once; list each once"
            )
        if TOWN not in (self.lead.unit, *units) or {self.lead.unit, *units} == {TOWN}:
            raise BoundaryUndefined(
                f"territorial duty {self.name!r} with parties {[self.lead.unit, *units]}: the town ({TOWN}) "
                "and at least one district department are both parties"
            )
        unknown = set(self.mechanisms) - set(MECHANISMS)
        if unknown:
            raise UnknownMechanism(
                f"territorial duty {self.name!r}: unknown mechanisms {sorted(unknown)}; the mechanisms "
                f"are {', '.join(MECHANISMS)}"
            )
        if not self.mechanisms:
            raise NoMechanism(
                f"territorial duty {self.name!r} names no mechanism: name at least one of "
                f"{', '.join(MECHANISMS)}"
            )
        # Stored as tuples in the canonical order (replay hands back lists).
        object.__setattr__(self, "cooperating", tuple(self.cooperating))
        chosen = set(self.mechanisms)
        object.__setattr__(self, "mechanisms", tuple(m for m in MECHANISMS if m in chosen))


class TerritorialDuty(ListEntry, Aggregate):
    """属地管理事项 — one item of a district's territorial list, registered, amended, retired."""

    entry = "a territorial duty"

    @staticmethod
    def create_id(district: str, code: str) -> UUID:
        return natural_id("territorial-duty", district, code)

    @event("Registered")
    def __init__(self, district: str, code: str, terms: TerritorialDutyTerms, ctx: Context) -> None:
        self.district, self.code, self.terms = district, code, terms
        self.revision, self.retired = 1, False

    def _refuse_if_retired(self) -> None:
        if self.retired:
            raise TerritorialDutyRetired(
                f"territorial duty {self.code} of {self.district} is retired from the list: it is no "
                "longer amended; register the duty under a new code"
            )

    def amend(self, terms: TerritorialDutyTerms, ctx: Context) -> None:
        self._ensure_amendable(ctx)
        if terms != self.terms:
            self._amended(terms=terms, ctx=ctx)

    @event("Amended")
    def _amended(self, terms: TerritorialDutyTerms, ctx: Context) -> None:
        self.terms = terms
        self.revision += 1

    @event("Retired")
    def _retired(self, ctx: Context) -> None:
        self.retired = True

    if TYPE_CHECKING:  # the event classes that the @event methods above define at class creation
        Registered = DecoratedCreated
        Amended = Retired = DecoratedEvent
