"""Commands of the levels of administration, 行政层级 (topic `govledger.commands.organisation`).

Every payload names its unit in `code`, the Kafka key. A unit names its parent, registered
before it: the parent travels on another partition, so a sender registers a level's units
once their parents' registrations are applied (a city, then its districts and zones, then
towns, then communities).
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

import msgspec

from contracts.envelope import Code, Envelope, Level, Name, Payload

# 市 / 区(县) / 开发区 / 镇 / 街道 / 街道级大社区 / 社区 / 村: each kind is of one level
JurisdictionKind = Literal[
    "city",
    "district",
    "development_zone",
    "town",
    "street",
    "big_community",
    "community",
    "village",
]
Residents = Annotated[int, msgspec.Meta(ge=0, le=100_000_000)]


class JurisdictionDetails(Payload):
    """A unit of administration at its level, of its kind, under its parent."""

    code: Code
    name: Name
    level: Level
    kind: JurisdictionKind
    parent: Code | None = None  # one level up, or a development zone's host; none for a city


class ResidentCount(Payload):
    """常住人口: the unit's resident population on the command's effective day."""

    code: Code
    residents: Residents


class RegisterJurisdiction(Envelope, tag="jurisdiction.register"):
    """行政层级登记 — a unit of administration (a city, district, development zone, town, street,
    street-level big community, community or village) with its level, kind and parent. A town
    registered only by `town.register` may be a community's parent; registered here too, under
    the same code, it takes its place under its district."""

    payload: JurisdictionDetails


class RecordResidents(Envelope, tag="jurisdiction.record_residents"):
    """常住人口 — the unit's resident population counted on the effective day; the latest count on
    or before a day is the one in force. A second count for a day already counted is a correction
    and states its reason."""

    payload: ResidentCount


JurisdictionCommand = Union[RegisterJurisdiction, RecordResidents]
