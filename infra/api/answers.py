"""The main answers of the read API as msgspec Structs, for the OpenAPI document.

Handlers answer the projections' rows as they are (through `paging.answer`); these Structs
only describe them; the route tests check that each one names exactly the
fields the endpoint answers, so the document cannot drift from the rows.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

import msgspec

T = TypeVar("T")


class Page(msgspec.Struct, Generic[T]):
    """A page of rows: `next` is the offset of the following page, null on the last one."""

    items: list[T]
    total: int
    limit: int
    offset: int
    next: int | None


class PowerRow(msgspec.Struct):
    """An item the town holds, with the delegation that gave it (权力事项)."""

    code: str
    name: str
    kind: str
    list: str
    domain: str
    department: str
    mode: str
    batch: str
    since: date
    document_no: str | None


class DutyRow(msgspec.Struct):
    """A duty on one of the town's lists, with where it came from (admission or territorial)."""

    source: str
    code: str
    name: str
    lead: str
    partner: str
    since: date | None


class DutyLists(msgspec.Struct):
    town: str
    basic: Page[DutyRow]
    cooperating: Page[DutyRow]
    recalled: Page[DutyRow]


class Structure(msgspec.Struct):
    """The town's model (name, district, kind, "5+X"…, units by kind), units and plaques."""

    town: str
    model: dict[str, Any]
    units: Page[dict[str, Any]]
    plaques_removed: Page[dict[str, Any]]


class ScenarioRow(msgspec.Struct):
    """A joint-enforcement scenario: its lead, cooperating departments and the town's part."""

    district: str
    code: str
    name: str
    category: str
    lead: str
    cooperating: list[str]
    town_part: str
    towns: list[str]
    revision: int
    since: date


class LeagueRow(msgspec.Struct):
    """A finalised appraisal in its league table, with its scores by party and three rates."""

    rank: int
    subject: str
    name: str
    town: str | None
    scheme: str
    scheme_version: int
    total: Decimal | None
    grade: str | None
    vetoed: bool
    response_rate: Decimal | None
    resolution_rate: Decimal | None
    satisfaction_rate: Decimal | None
    cases: int | None
    bonus_tier: str | None
    honour: bool | None
    promotion: bool | None
    scores: dict[str, Decimal | None]


class TrailEntry(msgspec.Struct):
    """An event of one entity (审计轨迹): who, role, system, effective, recorded, why, ids."""

    position: int
    version: int
    event: str
    recorded_at: datetime
    effective_at: datetime
    actor: str
    role: str
    system: str
    reason: str | None
    document_no: str | None
    correlation_id: str | None
    causation_id: str | None
    message_id: str
    details: dict[str, Any]
