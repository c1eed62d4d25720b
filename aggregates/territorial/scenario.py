"""属地联动执法事项 — a joint-enforcement scenario ("一件事") the linkage dispatches by.

"梳理多跨协同'一件事'应用场景，厘清牵头部门、协同部门、街道的职责边界": each scenario names
its category (what the linkage matches a case on), its lead department, the cooperating
departments, what the town or street does, and the towns it applies to — none listed
means every town and street of the district.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from aggregates.base import Context, ListEntry, RuleViolation, natural_id
from aggregates.territorial.duty import TOWN, LeadAlsoCooperating, PartyListedTwice

if TYPE_CHECKING:
    from aggregates.base import DecoratedCreated, DecoratedEvent


class InvalidScenarioTerms(RuleViolation):
    """A name, category, department, town or the town's part left empty."""


class NoCooperatingDepartment(RuleViolation):
    """多跨协同: a joint-enforcement scenario has at least one cooperating department."""


class ScenarioAlreadyRegistered(RuleViolation):
    """The code is taken in the district's list by a scenario with other terms; amend it."""


class ScenarioNotListed(RuleViolation):
    """No such scenario in the district's joint-enforcement list."""


class ScenarioRetired(RuleViolation):
    """The scenario was retired from the list; it can no longer be amended."""


@dataclass(frozen=True)
class JointScenarioTerms:
    name: str
    category: str
    lead: str
    cooperating: tuple[str, ...]
    town_part: str
    towns: tuple[str, ...] = ()  # none: every town and street of the district

    def __post_init__(self) -> None:
        texts = (self.name, self.category, self.lead, self.town_part, *self.cooperating, *self.towns)
        if not all(text.strip() for text in texts):
            raise InvalidScenarioTerms(
                f"joint-enforcement scenario {self.name!r}: its name, category, lead, cooperating "
                "departments, towns and the town's part are each stated, none left empty"
            )
        if TOWN in (self.lead, *self.cooperating):
            raise InvalidScenarioTerms(
                f"joint-enforcement scenario {self.name!r} names {TOWN} as a department: departments lead "
                "and cooperate; what the town does goes in the town's part"
            )
        if self.lead in self.cooperating:
            raise LeadAlsoCooperating(
                f"joint-enforcement scenario {self.name!r}: {self.lead} both leads and cooperates; "
                "drop it from the cooperating departments"
            )
        if len(set(self.cooperating)) != len(self.cooperating):
            raise PartyListedTwice(
                f"joint-enforcement scenario {self.name!r}: the cooperating departments "
                f"{list(self.cooperating)} repeat; list each once"
            )
        if not self.cooperating:
            raise NoCooperatingDepartment(
                f"joint-enforcement scenario {self.name!r} led by {self.lead} has no cooperating "
                "department: name at least one"
            )
        # Stored as tuples (replay hands back lists); towns as a sorted set.
        object.__setattr__(self, "cooperating", tuple(self.cooperating))
        object.__setattr__(self, "towns", tuple(sorted(set(self.towns))))

    def applies_to(self, town: str) -> bool:
        return not self.towns or town in self.towns


class JointEnforcementScenario(ListEntry, Aggregate):
    """属地联动执法事项 — one "一件事" scenario of a district, registered, amended, retired."""

    entry = "a joint-enforcement scenario"

    @staticmethod
    def create_id(district: str, code: str) -> UUID:
        return natural_id("joint-scenario", district, code)

    @event("Registered")
    def __init__(self, district: str, code: str, terms: JointScenarioTerms, ctx: Context) -> None:
        self.district, self.code, self.terms = district, code, terms
        self.revision, self.retired = 1, False

    def _refuse_if_retired(self) -> None:
        if self.retired:
            raise ScenarioRetired(
                f"joint-enforcement scenario {self.code} of {self.district} is retired from the list: it is "
                "no longer amended; register the scenario under a new code"
            )

    def amend(self, terms: JointScenarioTerms, ctx: Context) -> None:
        self._ensure_amendable(ctx)
        if terms != self.terms:
            self._amended(terms=terms, ctx=ctx)

    @event("Amended")
    def _amended(self, terms: JointScenarioTerms, ctx: Context) -> None:
        self.terms = terms
        self.revision += 1

    @event("Retired")
    def _retired(self, ctx: Context) -> None:
        self.retired = True

    if TYPE_CHECKING:  # the event classes that the @event methods above define at class creation
        Registered = DecoratedCreated
        Amended = Retired = DecoratedEvent
