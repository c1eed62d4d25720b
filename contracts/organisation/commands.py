"""Commands for the town organisation, 大部门制 (topic `govledger.commands.organisation`)."""

from __future__ import annotations

from typing import Annotated, Literal, Union

import msgspec

from contracts.envelope import Code, Envelope, Name, Payload, reworded, upgraded

TownKind = Literal["town", "street"]  # 镇 / 街道
UnitKind = Literal["office", "department", "centre", "station"]  # 办(室) / 部 / 中心 / 站
UnitType = Literal["integrated", "special"]  # 综合性机构 / 特色机构 ("X")
MergedUnits = Annotated[tuple[Code, ...], msgspec.Meta(min_length=2, max_length=20)]


class TownDetails(Payload):
    code: Code
    name: Name
    district_name: Name  # the district by name, e.g. 宁波市江北区
    kind: TownKind
    model: Name  # "5+X", "5办2中心1站", "一办七部两中心"


class TownDetailsV1(Payload):
    """Version 1 of a town's details: the district's name was `district`."""

    code: Code
    name: Name
    district: Name
    kind: TownKind
    model: Name


class UnitRef(Payload):
    """A unit is named by its town and its code within the town."""

    town: Code
    unit: Code


class UnitDetails(UnitRef):
    name: Name
    kind: UnitKind
    type: UnitType


class Merger(UnitDetails):
    """合并: `units` end, merged into the new unit `unit`."""

    units: MergedUnits


class Supervision(UnitRef):
    """分管: the one leader of the town's team (班子成员) supervising the unit."""

    leader: Code
    leader_name: Name


class Release(UnitRef):
    leader: Code


class PlaqueRef(Payload):
    town: Code
    plaque: Name


class PlaqueDetails(PlaqueRef):
    """机构牌子: hung on a unit, or on the town itself when `unit` is None."""

    unit: Code | None = None


class RegisterTown(Envelope, tag="town.register", kw_only=True):
    """镇街登记 — a town or street, its district and its organisation model (大部门制).
    Version 2: the district by name is `district_name` (`district` is a district's code
    wherever it appears); version 1 (`district`) is still read and upgraded on the way in."""

    version: Literal[2]  # type: ignore[assignment]  # the later version: the field is the one that changes
    payload: TownDetails


class RegisterTownV1(Envelope, tag="town.register", kw_only=True):
    """Version 1 of town.register (登记镇/街道), still read: the district's name was `district`."""

    version: Literal[1] = 1
    payload: TownDetailsV1


class EstablishUnit(Envelope, tag="town.establish_unit"):
    payload: UnitDetails


class MergeUnits(Envelope, tag="town.merge_units"):
    payload: Merger


class AbolishUnit(Envelope, tag="town.abolish_unit"):
    payload: UnitRef


class AssignSupervisor(Envelope, tag="town.assign_supervisor"):
    payload: Supervision


class ReleaseSupervisor(Envelope, tag="town.release_supervisor"):
    payload: Release


class RegisterPlaque(Envelope, tag="town.register_plaque"):
    payload: PlaqueDetails


class RemovePlaque(Envelope, tag="town.remove_plaque"):
    payload: PlaqueRef


OrganisationCommand = Union[
    RegisterTown,
    EstablishUnit,
    MergeUnits,
    AbolishUnit,
    AssignSupervisor,
    ReleaseSupervisor,
    RegisterPlaque,
    RemovePlaque,
]


def _upgraded(old: RegisterTownV1) -> RegisterTown:
    """A version-1 message as version 2: the district's name moved to `district_name`."""
    return upgraded(old, RegisterTown, 2, reworded(old.payload, TownDetails, district="district_name"))


# Earlier versions still read, by type tag: (their contract, how one becomes the current version)
EARLIER_VERSIONS = {"town.register": (RegisterTownV1, _upgraded)}
