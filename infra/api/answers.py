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


class TownBurdenRow(msgspec.Struct):
    """An item a department imposes on the town (减负台账): its kind, basis, since when, and the
    district's approval it stands on (none for an existing item, 存量)."""

    department: str
    district: str
    code: str
    kind: str
    name: str
    basis: str
    all_towns: bool
    existing: bool
    approved_by: str | None
    approval_document: str | None
    since: date


class BurdenRow(TownBurdenRow):
    """An item of a department's, on the towns it falls on; a cleared one (清理) with its day,
    reason and document."""

    towns: list[str]
    cleared_on: date | None
    cleared_reason: str | None
    cleared_document: str | None


class DepartmentBurden(msgspec.Struct):
    department: str
    imposed: Page[BurdenRow]
    cleared: Page[BurdenRow]


class _GridCell(msgspec.Struct):
    """What every answer of a cell of the grid (网格) begins with."""

    cell: str
    name: str
    town: str
    community: str
    level: str
    since: date


class GridCellRow(_GridCell):
    """A cell of the grid (网格) in force on the day: its members by kind, its team's model,
    head and number of role holders."""

    members: int
    full_time: int
    part_time: int
    mobile: int
    model: str | None
    head: str | None
    team: int


class GridTeamPlaces(msgspec.Struct):
    """A cell's team ("1+2+N"): its model and the places of each role but the one head."""

    model: str
    grid_members: int
    posts: int
    officers: int
    since: date


class GridMemberRow(msgspec.Struct):
    """A member of a cell by id (no personal data): kind, where drawn from, since when, role."""

    member: str
    kind: str
    drawn_from: str | None
    joined_on: date
    role: str | None
    role_since: date | None


class GridCellDetail(_GridCell):
    """One cell on the day: details, team and members."""

    retired_on: date | None
    team: GridTeamPlaces | None
    members: Page[GridMemberRow]


class GridFigures(msgspec.Struct):
    """The linkage counts and rates of a cell's (or a community's cells') cases in a period."""

    cell: str | None
    town: str
    community: str
    cells: int
    dispatched: int
    signed: int
    signed_on_time: int
    resolved: int
    resolved_on_time: int
    solved: int
    closed: int
    satisfied: int
    basically_satisfied: int
    dissatisfied: int
    supervised: int
    escalated: int
    response: Decimal | None
    on_time_resolution: Decimal | None
    resolution: Decimal | None
    satisfaction: Decimal | None


class ReserveRow(msgspec.Struct):
    """A street's cadre reserve (干部AB库) on the day: how many cadres in tier B and tier A,
    appointed from it and taken out of it by then, and whether its district fills principal
    mid-level posts from tier A only that day."""

    town: str
    district: str
    opened_on: date
    tier_b: int
    tier_a: int
    appointed: int
    removed: int
    principal_only_from_a: bool


class ReserveCadreRow(msgspec.Struct):
    """A cadre in the reserve (a person id only): the tier, since when, and the basis of their
    latest selection (none after a demotion)."""

    town: str
    person: str
    tier: str
    since: date
    basis: str | None
    grounds: str | None


class Reserve(msgspec.Struct):
    reserve: Page[ReserveRow]
    cadres: Page[ReserveCadreRow]


class ReserveMovementRow(msgspec.Struct):
    """A movement into, within or out of the reserve: the tier left and the tier after (null:
    outside the reserve), its basis, the post of an appointment, the 文号 and reason."""

    town: str
    person: str
    movement: str
    from_tier: str | None
    tier: str | None
    basis: str | None
    grounds: str | None
    office: str | None
    post: str | None
    document_no: str | None
    reason: str | None
    on_day: date
    recorded_at: datetime


class ReserveAppointmentRow(msgspec.Struct):
    """An appointment drawn from the reserve: the post, deputy or principal, the tier drawn from."""

    town: str
    person: str
    office: str
    post: str
    from_tier: str
    on_day: date
    document_no: str | None


class ReserveMovements(msgspec.Struct):
    movements: Page[ReserveMovementRow]
    appointments: Page[ReserveAppointmentRow]


class ExtensionItemRow(msgspec.Struct):
    """An item the town extended to communities (事项延伸): how many take it in that day, and the
    cases handled under it by then."""

    town: str
    item: str
    department: str
    communities: int
    handled: int


class ExtendedRow(msgspec.Struct):
    """A community taking a town's item in: the delegation's batch, since when, cases handled."""

    town: str
    item: str
    community: str
    department: str
    batch: str
    since: date
    handled: int


class HandledRow(msgspec.Struct):
    """A community's count of cases handled under an extended item in one period (办理件数)."""

    town: str
    item: str
    community: str
    department: str
    period: str
    first_day: date
    last_day: date
    count: int


class TownExtensions(msgspec.Struct):
    items: Page[ExtensionItemRow]
    extended: Page[ExtendedRow]
    handled: Page[HandledRow]


class Extensions(msgspec.Struct):
    extended: Page[ExtendedRow]
    handled: Page[HandledRow]


class JurisdictionRow(msgspec.Struct):
    """A unit of administration (行政层级) in the tree: its level, kind, parent, the town-level unit
    it is or lies in, its depth below the first row, and its residents (常住人口) on the day: its
    own count (`counted_on`) or the sum of its units' (`summed`), null when none was counted."""

    code: str
    source: str
    name: str
    level: str
    kind: str
    parent: str | None
    town: str | None
    depth: int
    residents: int | None
    counted_on: date | None
    summed: bool


class JurisdictionTree(msgspec.Struct):
    under: str | None
    on: date
    units: Page[JurisdictionRow]


class ResidentsRow(msgspec.Struct):
    """A unit's residents (常住人口) on the day: its own count in force, or its units' summed."""

    unit: str
    name: str
    level: str
    town: str | None
    residents: int | None
    counted_on: date | None
    summed: bool


class ResidentCountRow(msgspec.Struct):
    """One count of a unit's residents, when recorded, and whether a later record of its day
    corrected it."""

    counted_on: date
    residents: int
    recorded_at: datetime
    corrected: bool


class Residents(msgspec.Struct):
    on: date
    residents: Page[ResidentsRow]
    counts: Page[ResidentCountRow]


class CommunityCountRow(msgspec.Struct):
    """A community's workers in post (社区工作者) on the day, and how many hold each post type."""

    community: str
    town: str
    district: str
    workers: int
    by_post: dict[str, int]


class CommunityWorkerRow(msgspec.Struct):
    """A community worker in post, by id only: post type, pay grade, the batch that took them on,
    and the day of the last act on them."""

    community: str
    town: str
    district: str
    worker: str
    post_type: str
    pay_grade: int
    recruitment: str
    since: date


class RecruitmentRow(msgspec.Struct):
    """A recruitment batch (招聘批次) of a community: how, how many, its 文号 and day."""

    community: str
    town: str
    district: str
    recruitment: str
    method: str
    count: int
    document_no: str | None
    on_day: date


class CommunityWorkers(msgspec.Struct):
    on: date
    communities: Page[CommunityCountRow]
    workers: Page[CommunityWorkerRow]
    recruitments: Page[RecruitmentRow]
    scales: Page[dict[str, Any]]
    standards: Page[dict[str, Any]]
