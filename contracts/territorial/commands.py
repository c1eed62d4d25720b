"""Commands for territorial duties and joint-enforcement scenarios (属地管理; topic
`govledger.commands.duties`).

A territorial duty is district-wide: the party `TOWN` stands for whichever town or street
the duty arises in. A scenario with no `towns` applies to every town of its district.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

import msgspec

from contracts.envelope import Code, Envelope, Name, Note, Payload

# 七机制: 协作、会商、处理结果通报、预防预警、工作建议、联络、争议协商
Mechanism = Literal[
    "collaboration",
    "consultation",
    "result_notification",
    "early_warning",
    "work_suggestion",
    "liaison",
    "dispute_negotiation",
]
Codes = Annotated[tuple[Code, ...], msgspec.Meta(max_length=200)]


class TerritorialRef(Payload):
    """A duty or scenario is named by its district's list and its code in that list."""

    district: Code
    code: Code


class Party(Payload):
    """主体责任 or 配合责任: a department code, or `TOWN`, and what it answers for."""

    unit: Code
    duty: Note


class DutyTerms(TerritorialRef):
    """一清单、一导则、一范例、一流程、七机制."""

    name: Name
    domain: Name
    lead: Party
    cooperating: Annotated[tuple[Party, ...], msgspec.Meta(max_length=50)]
    mechanisms: Annotated[tuple[Mechanism, ...], msgspec.Meta(max_length=7)]
    guideline: Name  # 导则
    example: Name  # 范例
    flow: Name  # 流程


class ScenarioTerms(TerritorialRef):
    """ "一件事": lead and cooperating departments, the town's part, the towns (none = all)."""

    name: Name
    category: Code
    lead: Code
    cooperating: Codes
    town_part: Note
    towns: Codes = ()


class RegisterTerritorialDuty(Envelope, tag="territorial_duty.register"):
    payload: DutyTerms


class AmendTerritorialDuty(Envelope, tag="territorial_duty.amend"):
    payload: DutyTerms


class RetireTerritorialDuty(Envelope, tag="territorial_duty.retire"):
    payload: TerritorialRef


class RegisterJointScenario(Envelope, tag="joint_scenario.register"):
    payload: ScenarioTerms


class AmendJointScenario(Envelope, tag="joint_scenario.amend"):
    payload: ScenarioTerms


class RetireJointScenario(Envelope, tag="joint_scenario.retire"):
    payload: TerritorialRef


TerritorialCommand = Union[
    RegisterTerritorialDuty,
    AmendTerritorialDuty,
    RetireTerritorialDuty,
    RegisterJointScenario,
    AmendJointScenario,
    RetireJointScenario,
]
