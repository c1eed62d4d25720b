"""Commands of the quota ledgers, 编制台账 (topic `govledger.commands.staffing`).

Every payload names the ledger's unit in `unit`, the Kafka key: a transfer travels on the
partition of the unit it leaves. The 核定 and transfers cite their 文号 in `document_no`.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

import msgspec

from contracts.envelope import Code, Envelope, Name, Payload, QuotaLevel, reworded, upgraded

QuotaKind = Literal["administrative", "institutional", "auxiliary"]  # 行政编制 / 事业编制 / 编外
PlanKind = Literal["administrative", "institutional"]  # 用编计划 (编外: 用工计划单列)
Count = Annotated[int, msgspec.Meta(ge=1, le=100_000)]
Total = Annotated[int, msgspec.Meta(ge=0, le=1_000_000)]
Year = Annotated[int, msgspec.Meta(ge=2000, le=2100)]


class UnitRef(Payload):
    unit: Code


class LedgerDetails(UnitRef):
    name: Name
    level: QuotaLevel
    district_name: Name  # the district by name, e.g. 宁波市江北区


class LedgerDetailsV1(UnitRef):
    """Version 1 of a ledger's details: the district's name was `district`."""

    name: Name
    level: QuotaLevel
    district: Name


class QuotaApproval(UnitRef):
    """核定: the approved number of one kind, in force from the command's effective day."""

    kind: QuotaKind
    approved: Total


class QuotaMove(UnitRef):
    """People taking (occupy) or leaving (vacate) quotas of one kind."""

    kind: QuotaKind
    count: Count


class LeadershipPosts(UnitRef):
    """中层领导职数: one approved total for the unit's mid-level leadership posts."""

    approved: Total


class PostMove(UnitRef):
    count: Count


class Approval(Payload):
    """Who approved a reverse adjustment (逆向调整: up a level, e.g. town -> district organs),
    under which 文号."""

    body: Name
    document_no: Name


class Transfer(UnitRef):
    """Quotas leave `unit` for `to_unit` (at level `to_level`); up to a higher level (a town to
    district organs, anything to the city) only with an `approval`."""

    to_unit: Code
    to_level: QuotaLevel
    kind: QuotaKind
    count: Count
    approval: Approval | None = None


class StaffingPlan(UnitRef):
    """用编计划: how many of its vacancies of the kind the unit plans to fill in the year."""

    year: Year
    kind: PlanKind
    planned: Total


class OpenQuotaLedger(Envelope, tag="quota.open", kw_only=True):
    """开设编制台账 — a unit's quota ledger: its name, level and district.
    Version 2: the district by name is `district_name` (`district` is a district's code
    wherever it appears); version 1 (`district`) is still read and upgraded on the way in."""

    version: Literal[2]  # type: ignore[assignment]  # the later version: the field is the one that changes
    payload: LedgerDetails


class OpenQuotaLedgerV1(Envelope, tag="quota.open", kw_only=True):
    """Version 1 of quota.open (编制台账), still read: the district's name was `district`."""

    version: Literal[1] = 1
    payload: LedgerDetailsV1


class ApproveQuotas(Envelope, tag="quota.approve"):
    payload: QuotaApproval


class OccupyQuotas(Envelope, tag="quota.occupy"):
    payload: QuotaMove


class VacateQuotas(Envelope, tag="quota.vacate"):
    payload: QuotaMove


class SetLeadershipPosts(Envelope, tag="quota.set_leadership_posts"):
    payload: LeadershipPosts


class OccupyLeadershipPosts(Envelope, tag="quota.occupy_leadership_posts"):
    payload: PostMove


class VacateLeadershipPosts(Envelope, tag="quota.vacate_leadership_posts"):
    payload: PostMove


class TransferQuotas(Envelope, tag="quota.transfer"):
    payload: Transfer


class PlanStaffing(Envelope, tag="quota.plan"):
    payload: StaffingPlan


QuotaCommand = Union[
    OpenQuotaLedger,
    ApproveQuotas,
    OccupyQuotas,
    VacateQuotas,
    SetLeadershipPosts,
    OccupyLeadershipPosts,
    VacateLeadershipPosts,
    TransferQuotas,
    PlanStaffing,
]


def _upgraded(old: OpenQuotaLedgerV1) -> OpenQuotaLedger:
    """A version-1 message as version 2: the district's name moved to `district_name`."""
    return upgraded(old, OpenQuotaLedger, 2, reworded(old.payload, LedgerDetails, district="district_name"))


# Earlier versions still read, by type tag: (their contract, how one becomes the current version)
EARLIER_VERSIONS = {"quota.open": (OpenQuotaLedgerV1, _upgraded)}
