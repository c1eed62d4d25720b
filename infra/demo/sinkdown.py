"""The sink-down demo (力量下沉): seeds 002 and 000 as upstream commands on the staffing topic.

Street report (seed 002): "从应急管理、市场监管、城管等 6 个部门下放 264 人组建 3 支街道综合行政执法
队伍" by 全面下放、进驻执法、挂点联系. The seed gives no split: the other three departments, the
split and all baselines are illustrative (城管 sinks exactly 80 %, 自然资源 falls short of 50 %).
One more transfer is vetoed by its street (反向否决权); making it effective is refused.
Jiangbei (seed 000): 派驻机构 in its 8 towns; in 2021 "调整干部 27 人次，其中科级领导干部调整 9 人次，
均事先征求镇街意见" (21 rotations, 3 recalls, 3 returns); baselines make town enforcement staff
grow 116 / 200 = 58 %. The first rotation, sent before the town was asked, is refused, and
sent again once it agreed. Personal data is synthetic (人员0001, TEST-ID-…).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from contracts.envelope import Actor
from contracts.sinkdown import commands as c
from infra.demo.catalogue import TOWNS as JIANGBEI
from infra.demo.duties import STREETS
from infra.demo.messages import Message, Sender

SCOPE = "sink-down"
BAD_RULES = ("TransferVetoed", "AdjustmentWithoutTownConsent")
# (department, mode, persons per street), 88 per street: 城管 (AN-CGJ, 综合执法), 市场监管 (AN-SAMR),
# 应急管理 (AN-EMERG) from the seed; 住建 (AN-HUD), 生态环境 (AN-EEB), 自然资源 (AN-NRP) illustrative
STREET_SPLIT: list[tuple[str, c.Mode, int]] = [
    ("AN-CGJ", "full", 40),
    ("AN-SAMR", "stationed", 14),
    ("AN-SAMR", "liaison", 2),
    ("AN-EMERG", "stationed", 10),
    ("AN-EMERG", "liaison", 2),
    ("AN-HUD", "stationed", 8),
    ("AN-HUD", "liaison", 2),
    ("AN-EEB", "stationed", 5),
    ("AN-EEB", "liaison", 1),
    ("AN-NRP", "stationed", 3),
    ("AN-NRP", "liaison", 1),
]
BASELINES: dict[str, tuple[c.Category | None, int]] = {
    "AN-CGJ": ("comprehensive", 150),
    "AN-SAMR": ("other", 84),
    "AN-EMERG": ("other", 60),
    "AN-HUD": ("other", 48),
    "AN-EEB": ("other", 30),
    "AN-NRP": ("other", 20),
    "AN-JD-PILOT": (None, 36),
    "AN-JD-EAST": (None, 30),
    "AN-JD-WEST": (None, 30),
    "JB-ZHZF": ("comprehensive", 95),
    "JB-SAMR": ("other", 48),
    "JB-NRP": ("other", 32),
    **{town: (None, 26 if n < 4 else 24) for n, town in enumerate(JIANGBEI)},
}
JB_ZHZF = [11, 11, 11, 11, 10, 10, 9, 9]  # per town, before 3 recalls and 3 returns: 76 remain
# each town's stationed agencies (派驻机构): department, agency, its head (科级), staff besides
JB_AGENCIES = [
    ("JB-ZHZF", "综合行政执法中队", "综合行政执法中队长"),
    ("JB-SAMR", "市场监管所", "市场监管所所长"),
    ("JB-NRP", "自然资源和规划所", None),
]
ROLES = {"bianban": "编办", "town": "镇街", "dept": "区级部门"}
POSTS = {"full": "综合行政执法队员", "stationed": "进驻执法人员", "liaison": "定点联系执法专员"}


class _District(Sender):
    """One district's commands in order, each caused by the one before, under one 文号;
    keyed and correlated by the transfer, or the unit of a baseline."""

    def __init__(self, out: list[Message], district: str, document_no: str) -> None:
        super().__init__(SCOPE, out, chain=district, document_no=document_no)
        self.district, self.people = district, 0

    def person(self, post: str, rank: c.Rank | None = None) -> c.Person:
        self.people += 1
        n, d = self.people, self.district.upper()
        return c.Person(
            person=f"{d}-P{n:04d}",
            post=post,
            enforcement=True,
            rank=rank,
            personal=c.PersonalData(
                name=f"人员{n:04d}", id_number=f"TEST-ID-{d}{n:06d}", phone=f"000{n:08d}"
            ),
        )

    def act(
        self,
        cls: type,
        payload: Any,
        on: date,
        who: str,
        what: str = "",
        reason: str | None = None,
        **envelope: Any,
    ) -> None:
        """`who`: "bianban", "town:<code>" or "dept:<code>", acting through 实名制管理系统."""
        key = getattr(payload, "transfer", None) or payload.unit
        actor = Actor(
            id=f"{self.district}-{who.replace(':', '-')}",
            role=ROLES[who.split(":")[0]],
            system="机构编制实名制管理系统",
        )
        self.send(
            cls, payload, key, what, at=on, actor=actor, key=key, correlation=key, reason=reason, **envelope
        )

    def baselines(self, on: date, version: int = 2) -> None:
        """执法力量基数 of the district's units, in the contract's version 2, or in version 1 as
        a staffing system not yet upgraded sends it (level "department" for "district")."""
        command, staff, department = (  # the version's message, payload and word for a district unit
            (c.DeclareEnforcementStaffV1, c.EnforcementStaffV1, "department")
            if version == 1
            else (c.DeclareEnforcementStaff, c.EnforcementStaff, "district")
        )
        make: Any = staff
        for unit, (category, count) in BASELINES.items():
            if unit.startswith(self.district.upper()):
                level = department if category else "town"
                payload = make(unit=unit, level=level, count=count, as_of=on, category=category)
                self.act(command, payload, on, "bianban", version=version)

    def transfer(
        self,
        code: str,
        department: str,
        town: str,
        mode: c.Mode,
        team: str,
        persons: list[c.Person],
        on: date,
        veto: str | None = None,
    ) -> list[c.Person]:
        ref = c.TransferRef(transfer=code)
        self.act(
            c.ProposeSinkDown,
            c.Proposal(
                transfer=code, department=department, town=town, mode=mode, team=team, persons=tuple(persons)
            ),
            on,
            f"dept:{department}",
        )
        self.act(
            c.VetoSinkDown if veto else c.ConsentToSinkDown,
            ref,
            on + timedelta(days=9),
            f"town:{town}",
            reason=veto,
        )
        self.act(c.MakeSinkDownEffective, ref, on + timedelta(days=30), "bianban")
        return persons

    def adjust(
        self,
        code: str,
        kind: c.Adjustment,
        person: c.Person,
        town: str,
        on: date,
        reason: str,
        consulted: bool = True,
        new: c.Person | None = None,
    ) -> c.Person | None:
        who = "town" if kind == "return" else "dept"
        ref = {"transfer": code, "person": person.person}
        if consulted:
            self.act(
                c.ConsultAdjustment,
                c.AdjustmentConsultation(**ref, adjustment=kind, agreed=True),
                on - timedelta(days=7),
                f"town:{town}",
                person.person,
            )
        new = (new or self.person(person.post, person.rank)) if kind == "rotate" else None
        cls, payload = (
            (c.RotatePerson, c.Rotation(**ref, replacement=new))
            if new
            else (c.RecallPerson if kind == "recall" else c.ReturnPerson, c.PersonRef(**ref))
        )
        self.act(cls, payload, on, f"{who}:{code}", f"{person.person}/{consulted}", reason)
        return new


def _streets(an: _District) -> None:
    an.baselines(date(2021, 10, 31), version=1)  # its staffing system sends version 1 still
    for street, name in STREETS.items():
        for department, mode, count in STREET_SPLIT:
            head = [an.person("综合行政执法队队长", "section")] if mode == "full" else []
            persons = head + [an.person(POSTS[mode]) for _ in range(count - len(head))]
            an.transfer(
                f"AN-2021-{street[6:]}-{department[3:]}-{mode}",
                department,
                street,
                mode,
                f"{name}综合行政执法队",
                persons,
                date(2021, 11, 1),
            )
    west = f"{STREETS['AN-JD-WEST']}综合行政执法队"
    an.transfer(
        "AN-2021-WEST-HUD-extra",
        "AN-HUD",
        "AN-JD-WEST",
        "stationed",
        west,
        [an.person(POSTS["stationed"]) for _ in range(3)],
        date(2021, 11, 15),
        veto="综合行政执法队岗位已按编制配齐，不再增派",
    )


def _jiangbei(jb: _District) -> None:
    jb.baselines(date(2020, 12, 31))
    teams: dict[tuple[str, str], list[c.Person]] = {}
    for n, town in enumerate(JIANGBEI):
        for (department, agency, head), size in zip(JB_AGENCIES, (JB_ZHZF[n], 3, 2)):
            persons = [jb.person(head, "section")] if head else []
            persons += [jb.person(POSTS["stationed"]) for _ in range(size - len(persons))]
            teams[town, department] = jb.transfer(
                f"JB-2021-{town[3:]}-{department[3:]}",
                department,
                town,
                "stationed",
                f"{JIANGBEI[town]}{agency}",
                persons,
                date(2021, 2, 1),
            )
    towns = list(JIANGBEI)
    plan: list[tuple[str, str, int, c.Adjustment, str]] = (
        [(t, "JB-ZHZF", 0, "rotate", "派驻干部轮岗交流") for t in towns]
        + [(towns[0], "JB-SAMR", 0, "rotate", "派驻干部轮岗交流")]
        + [(t, "JB-ZHZF", 1, "rotate", "派驻人员轮岗交流") for t in towns]
        + [(t, "JB-SAMR", 1, "rotate", "派驻人员轮岗交流") for t in towns[:4]]
        + [(t, "JB-ZHZF", -1, "recall", "部门工作需要，召回") for t in towns[:3]]
        + [(t, "JB-ZHZF", -1, "return", "年度考核不称职，镇街退回") for t in towns[3:6]]
    )
    for i, (town, department, k, kind, reason) in enumerate(plan):
        code, person = f"JB-2021-{town[3:]}-{department[3:]}", teams[town, department][k]
        on, new = date(2021, 4, 1) + timedelta(weeks=i), None
        if i == 0:  # sent before asking the town: refused; asked, the same rotation again
            new = jb.adjust(code, kind, person, town, on - timedelta(days=14), reason, consulted=False)
        jb.adjust(code, kind, person, town, on, reason, new=new)


def demo_commands() -> list[Message]:
    out: list[Message] = []
    _streets(_District(out, "an", "**编〔2021〕22号"))
    _jiangbei(_District(out, "jb", "甬北编〔2021〕5号"))
    return out
