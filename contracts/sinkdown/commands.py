"""Commands of sink-down transfers, 力量下沉 (topic `govledger.commands.staffing`).

Every payload starts with its Kafka key: `transfer`, or `unit` for the baselines.
A person is named by a pseudonymous staffing-system id; name, ID number and phone may
ride along in `personal`, which the intake seals before anything is stored.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, Union

import msgspec

from contracts.envelope import Code, Envelope, Name, Payload

Mode = Literal["full", "stationed", "liaison"]  # 全面下放 / 进驻（区属镇用） / 挂点联系
Rank = Literal["division", "deputy_division", "section", "deputy_section"]  # 处/副处/科/副科
Adjustment = Literal["recall", "return", "rotate"]  # 召回 / 退回 / 轮换
Level = Literal["department", "town"]
Category = Literal["comprehensive", "other"]  # 综合执法部门 / 其他主管部门
Short = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class PersonalData(Payload):
    """个人信息: sealed by the intake with the person's own key, never stored in clear."""

    name: Name
    id_number: Short
    phone: Short | None = None


class Staff(Payload):
    person: Code  # pseudonymous id in the staffing system (机构编制实名制)
    post: Name
    enforcement: bool  # an enforcement post (执法岗位), counted by the monitors
    rank: Rank | None = None  # cadre rank (职级), if any


class Person(Staff):
    personal: PersonalData | None = None


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


class EnforcementStaff(Payload):
    """执法力量基数: a unit's enforcement staff before the reform (a department's category too)."""

    unit: Code
    level: Level
    count: Annotated[int, msgspec.Meta(ge=0, le=100_000)]
    as_of: date
    category: Category | None = None  # for a department only


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


class DeclareEnforcementStaff(Envelope, tag="sinkdown.declare_enforcement_staff"):
    payload: EnforcementStaff


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
SUPPORTED_VERSIONS = {1}
