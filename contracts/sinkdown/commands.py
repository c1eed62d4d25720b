"""Commands of sink-down transfers, 力量下沉 (topic `govledger.commands.staffing`).

Every payload starts with its Kafka key: `transfer`, or `unit` for the baselines.
A person is named by a pseudonymous staffing-system id; name, ID number and phone may
ride along in `personal`, which the intake seals before anything is stored.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, Union

import msgspec

from contracts.envelope import Code, Envelope, Name, Payload, reworded, upgraded
from contracts.personal import personal_of

Mode = Literal["full", "stationed", "liaison"]  # 全面下放 / 进驻（区属镇用） / 挂点联系
Rank = Literal["division", "deputy_division", "section", "deputy_section"]  # 处/副处/科/副科
Adjustment = Literal["recall", "return", "rotate"]  # 召回 / 退回 / 轮换
Category = Literal["comprehensive", "other"]  # 综合执法部门 / 其他主管部门
Short = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class PersonalData(Payload):
    """个人信息: sealed by the intake with the person's own key, never stored in clear (a
    `Person` declares its `personal` field so: contracts/personal.py)."""

    name: Name
    id_number: Short
    phone: Short | None = None


class Staff(Payload):
    person: Code  # pseudonymous id in the staffing system (机构编制实名制)
    post: Name
    enforcement: bool  # an enforcement post (执法岗位), counted by the monitors
    rank: Rank | None = None  # cadre rank (职级), if any


class Person(Staff):
    personal: Annotated[PersonalData | None, personal_of("person")] = None


Persons = Annotated[tuple[Person, ...], msgspec.Meta(min_length=1, max_length=500)]


class TransferRef(Payload):
    transfer: Code


class Proposal(TransferRef):
    department: Code
    town: Code
    mode: Mode
    team: Name  # the receiving team, e.g. "**街道综合行政执法队"
    persons: Persons


class PersonRef(TransferRef):
    person: Code


class AdjustmentConsultation(PersonRef):
    """征求镇街意见 before adjusting a person: the town agrees, or opposes (reason required)."""

    adjustment: Adjustment
    agreed: bool


class Rotation(PersonRef):
    replacement: Person


Headcount = Annotated[int, msgspec.Meta(ge=0, le=100_000)]
BaselineLevel = Literal["district", "town"]  # of the levels (`Level`), those a baseline is declared at


class EnforcementStaff(Payload):
    """执法力量基数: a unit's enforcement staff before the reform (a department's category too)."""

    unit: Code
    level: BaselineLevel  # a district department, or a town
    count: Headcount
    as_of: date
    category: Category | None = None  # for a district department only


class EnforcementStaffV1(Payload):
    """Version 1 of the baseline's payload: its level said "department" for a district one."""

    unit: Code
    level: Literal["department", "town"]
    count: Headcount
    as_of: date
    category: Category | None = None


class ProposeSinkDown(Envelope, tag="sinkdown.propose"):
    payload: Proposal


class ConsentToSinkDown(Envelope, tag="sinkdown.consent"):
    payload: TransferRef


class VetoSinkDown(Envelope, tag="sinkdown.veto"):
    """反向否决权: the town refuses the transfer, with a reason; the transfer is closed."""

    payload: TransferRef


class MakeSinkDownEffective(Envelope, tag="sinkdown.make_effective"):
    payload: TransferRef


class ConsultAdjustment(Envelope, tag="sinkdown.consult_adjustment"):
    payload: AdjustmentConsultation


class RecallPerson(Envelope, tag="sinkdown.recall"):
    payload: PersonRef


class ReturnPerson(Envelope, tag="sinkdown.return"):
    payload: PersonRef


class RotatePerson(Envelope, tag="sinkdown.rotate"):
    payload: Rotation


class DeclareEnforcementStaff(Envelope, tag="sinkdown.declare_enforcement_staff", kw_only=True):
    """执法力量基数申报 — a unit's enforcement staff before the reform, the baseline the sink-down
    monitors measure against. Version 2: `level` in the one vocabulary of levels (district |
    town); version 1 (level department | town) is still read, and upgraded on the way in."""

    version: Literal[2]  # type: ignore[assignment]  # the later version: the field is the one that changes
    payload: EnforcementStaff


class DeclareEnforcementStaffV1(Envelope, tag="sinkdown.declare_enforcement_staff", kw_only=True):
    """Version 1 of sinkdown.declare_enforcement_staff (执法力量基数), still read: `level` said "department"
    where version 2 says "district". New senders send version 2."""

    version: Literal[1] = 1
    payload: EnforcementStaffV1


def _upgraded(old: DeclareEnforcementStaffV1) -> DeclareEnforcementStaff:
    """A version-1 declaration as version 2: the same message with the level renamed."""
    level: BaselineLevel = "district" if old.payload.level == "department" else "town"
    payload = msgspec.structs.replace(reworded(old.payload, EnforcementStaff), level=level)
    return upgraded(old, DeclareEnforcementStaff, 2, payload)


SinkDownCommand = Union[
    ProposeSinkDown,
    ConsentToSinkDown,
    VetoSinkDown,
    MakeSinkDownEffective,
    ConsultAdjustment,
    RecallPerson,
    ReturnPerson,
    RotatePerson,
    DeclareEnforcementStaff,
]
# Earlier versions still read, by type tag: (their contract, how one becomes the current version)
EARLIER_VERSIONS = {"sinkdown.declare_enforcement_staff": (DeclareEnforcementStaffV1, _upgraded)}
