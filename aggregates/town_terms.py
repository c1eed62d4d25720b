"""The terms of a town's organisation: its vocabularies, details, units and rule errors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


from aggregates.base import RuleViolation


TOWN_KINDS = frozenset({"town", "street"})  # 镇 / 街道
UNIT_KINDS = frozenset({"office", "department", "centre", "station"})  # 办(室) / 部 / 中心 / 站
UNIT_TYPES = frozenset({"integrated", "special"})  # 综合性机构 / 特色机构 ("X")


class InvalidOrganisationDetails(RuleViolation):
    """Town kind, unit kind or unit type outside the vocabulary, or a name left empty."""


class UnitAlreadyEstablished(RuleViolation):
    """A unit code is never reused in a town, not even after a merger or abolition."""


class UnitNotEstablished(RuleViolation):
    """No unit with that code was established in the town."""


class UnitNotActive(RuleViolation):
    """A merged or abolished unit takes no supervisor, plaque, merger or abolition."""


class MergeNeedsSeveralUnits(RuleViolation):
    """A merger (合并) folds two or more distinct units into one new unit."""


class UnitAlreadySupervised(RuleViolation):
    """一个大部门由一位班子成员分管: release the current supervisor before assigning another."""


class LeaderAlreadySupervises(RuleViolation):
    """每位班子成员各把一个大部门: a leader supervises one big unit at a time."""


class NotTheSupervisor(RuleViolation):
    """Only the leader currently supervising the unit can be released from it."""


class PlaqueAlreadyRegistered(RuleViolation):
    """The plaque hangs elsewhere already, or was removed (清理) and stays removed."""


class PlaqueNotRegistered(RuleViolation):
    """No plaque of that name was registered in the town."""


def _check(ok: bool, what: str) -> None:
    if not ok:
        raise InvalidOrganisationDetails(what)


@dataclass(frozen=True)
class TownDetails:
    name: str
    district: str
    kind: str
    model: str  # "5+X", "5办2中心1站", "一办七部两中心"

    def __post_init__(self) -> None:
        _check(self.kind in TOWN_KINDS, f"unknown town kind {self.kind!r}")
        _check(all(v.strip() for v in (self.name, self.district, self.model)), "empty field")


@dataclass(frozen=True)
class UnitDetails:
    name: str
    kind: str
    type: str

    def __post_init__(self) -> None:
        _check(self.kind in UNIT_KINDS and self.type in UNIT_TYPES, f"unknown kind/type {self}")
        _check(bool(self.name.strip()), "a unit needs a name")


@dataclass(frozen=True)
class Unit:
    code: str
    details: UnitDetails
    since: date
    status: str = "active"  # active | merged | abolished
    until: date | None = None
    merged_into: str | None = None
