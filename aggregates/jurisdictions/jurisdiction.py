"""行政层级 — a unit of administration at its level (city, district, development zone, town,
community), of its kind, under its parent; and its resident population (常住人口) by day.

"Unit" already names a town's big unit (大部门) and a quota ledger's holder, so a unit of
administration is a `Jurisdiction` (辖区): the one thing a code names at every level.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from aggregates.base import Context, DatedFigures, RuleViolation, figure_changes, natural_id, with_figure
from aggregates.organisation.town import Town

if TYPE_CHECKING:
    from aggregates.base import DecoratedCreated, DecoratedEvent

# The levels from the top, and the kinds of each: 市 / 区(县) / 开发区 / 镇街 / 村(社区).
LEVELS = ("city", "district", "zone", "town", "community")
KINDS = {
    "city": "city",  # 市
    "district": "district",  # 区、县
    "development_zone": "zone",  # 经济开发区 (包河经开区: 省级)
    "town": "town",  # 镇
    "street": "town",  # 街道
    "big_community": "town",  # 街道级大社区 (包河: 滨湖世纪社区, 方兴社区)
    "community": "community",  # 社区
    "village": "community",  # 村
}
# The levels a unit's parent may be at: one level up, or a development zone's host.
PARENTS: dict[str, tuple[str, ...]] = {
    "city": (),
    "district": ("city",),
    "zone": ("district", "city"),
    "town": ("district", "zone"),
    "community": ("town",),
}


class InvalidJurisdictionDetails(RuleViolation):
    """Level or kind outside the vocabulary, a kind not of the level (a street is a town-level
    unit, a village a community-level one), a name left empty, a parent named for a city or none
    for another level, or a resident count below zero."""


class JurisdictionAlreadyRegistered(RuleViolation):
    """A code names one unit: registered again with other details, it is refused."""


class JurisdictionNotRegistered(RuleViolation):
    """No unit of administration of that code is registered (by `jurisdiction.register`)."""


class ParentNotRegistered(RuleViolation):
    """The parent is registered before its units: as a unit of administration, or, for a
    community's town, by `town.register`."""


class ParentNotOneLevelUp(RuleViolation):
    """The parent is one level up — a community's a town, a town's a district or a development
    zone, a district's a city — or, for a development zone, its host (a district or the city)."""


class CommunityOfAnotherTown(RuleViolation):
    """A community the register of jurisdictions knows is named under a town that is not its
    parent (or the code it knows is no community): a grid cell or an extended item must name a
    community of its own town."""


class TownRegisteredOtherwise(RuleViolation):
    """A code `town.register` registered names a town (镇) or street (街道): registered as a unit
    of administration too, it is at the town level and of the same kind."""


_check = InvalidJurisdictionDetails.check
_OF_LEVEL = "; ".join(f"{level}: {', '.join(k for k, v in KINDS.items() if v == level)}" for level in LEVELS)


@dataclass(frozen=True)
class JurisdictionDetails:
    name: str
    level: str
    kind: str
    parent: str | None

    def __post_init__(self) -> None:
        _check(
            KINDS.get(self.kind) == self.level,
            f"a {self.kind!r} at level {self.level!r}: the kinds of each level are {_OF_LEVEL}",
        )
        _check(bool(self.name.strip()), "a unit of administration needs a name")
        _check(
            (self.parent is None) == (self.level == "city"),
            f"a {self.level} {'names no parent' if self.level == 'city' else 'names its parent'}",
        )


class Jurisdiction(Aggregate):
    """行政层级 — a unit of administration: its level, kind and parent, and its resident
    population as counted on each day (`residents`: (day, figure) pairs, a correction of a day
    replacing its figure)."""

    @staticmethod
    def create_id(code: str) -> UUID:
        return natural_id("jurisdiction", code)

    @event("Registered")
    def __init__(self, code: str, details: JurisdictionDetails, on: date, ctx: Context) -> None:
        self.code, self.details, self.since = code, details, on
        self.residents: DatedFigures = ()

    @property
    def level(self) -> str:
        return self.details.level

    @property
    def parent(self) -> str | None:
        return self.details.parent

    def count_residents(self, residents: int, ctx: Context) -> None:
        """常住人口 on the effective day; a different figure for a day already counted corrects it."""
        _check(residents >= 0, f"{residents} residents: a count is at least 0")
        if figure_changes(self.residents, residents, ctx, f"the residents of {self.code}"):
            self._residents_counted(residents=residents, on=ctx.effective_on, ctx=ctx)

    @event("ResidentsCounted")
    def _residents_counted(self, residents: int, on: date, ctx: Context) -> None:
        self.residents = with_figure(self.residents, on, residents)

    if TYPE_CHECKING:  # the event classes that the @event methods above define at class creation
        Registered = DecoratedCreated
        ResidentsCounted = DecoratedEvent


Find = Callable[[type, UUID], Any]  # the batch's aggregate of that kind and id, or None


def parent_level(find: Find, parent: str) -> str | None:
    """The level of a registered parent: a unit of administration's, or `town` for a town known
    only by `town.register`; None when neither is registered."""
    unit = find(Jurisdiction, Jurisdiction.create_id(parent))
    if unit is not None:
        return str(unit.level)
    return "town" if find(Town, Town.create_id(parent)) is not None else None


def check_community_of(find: Find, community: str, town: str) -> None:
    """Where the register of jurisdictions knows `community`, it is a community (or village) of
    `town`. A community it does not know is taken as named: upstream may keep no register."""
    unit = find(Jurisdiction, Jurisdiction.create_id(community))
    if unit is not None and (unit.level != "community" or unit.parent != town):
        raise CommunityOfAnotherTown(
            f"{community} is registered as a {unit.level} under {unit.parent or 'no parent'}, not as a "
            f"community of {town}: name one of {town}'s communities"
        )


def district_of(find: Find, community: str) -> tuple[str, str | None] | None:
    """(town, district) of a registered community, or None when it is not one: its town, and the
    first district above it (a development zone where the tree reaches no district: one the city
    hosts). A town known only by `town.register` sits under the district whose code is its
    district's name there (as the API's district scopes read it). District None when the tree
    does not say."""
    unit = find(Jurisdiction, Jurisdiction.create_id(community))
    if unit is None or unit.level != "community" or unit.parent is None:
        return None
    town: str = unit.parent
    above = find(Jurisdiction, Jurisdiction.create_id(town))
    if above is None:
        registered = find(Town, Town.create_id(town))
        up = registered.details.district if registered is not None else None
    else:
        up = above.parent
    zone = None
    for _ in LEVELS:  # a tree is as deep as its levels
        found = find(Jurisdiction, Jurisdiction.create_id(up)) if up else None
        if found is None:
            break
        if found.level == "district":
            return town, str(found.code)
        if found.level == "zone":
            zone = zone or str(found.code)
        up = found.parent
    return town, zone
