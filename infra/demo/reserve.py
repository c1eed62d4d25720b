"""The cadre reserve demo (干部AB库): two of 包河's streets run seed 004's "AB库".

包河区 (seed 004): "建立了梯度推进、能上能下的人才'AB库'。B库从一般干部中择优筛选，是街道中层副职
的储备库；A库从B库中择优录入，是培养街道中层正职的摇篮。干部凭实绩在AB库及库外流动". The
district (`BH`) fills principal mid-level posts from tier A only from 2021-01-01 (`rule_commands`,
sent a phase earlier: the rule travels under the district's key, the reserves under their
streets'). 万年埠街道 (the street of the organisation demo, "一办七部两中心") and 常青街道 each open
a reserve, choose cadres into tier B, move the best up to tier A, appoint from both tiers to the
departments' deputy and principal posts, and move cadres down and out on their record.

The seed gives no numbers: how many cadres enter, move and are appointed, the person ids,
dates, grounds and 文号 are illustrative. Two deliberately bad commands are refused: a
promotion straight to tier A of a cadre never in tier B (AOnlyFromB) and an appointment to a
principal post from tier B (PrincipalOnlyFromA) — the BAD_RULES.
"""

from __future__ import annotations

from typing import Any

from contracts.envelope import Actor
from contracts.reserve import commands as r
from infra.demo.messages import Message, Sender
from infra.kafka import clients as kafka

__all__ = ["BAD_RULES", "DISTRICT", "STREETS", "demo_commands", "rule_commands"]

SCOPE, DISTRICT = "reserve", "BH"
BAD_RULES = ["AOnlyFromB", "PrincipalOnlyFromA"]
WANNIANBU, CHANGQING = "BH-WANNIANBU", "BH-CHANGQING"
STREETS = {WANNIANBU: "万年埠街道", CHANGQING: "常青街道"}
ORGANISATION = Actor(id="bh-zuzhibu", role="区委组织部", system="干部人事管理系统")
Basis = tuple[r.Basis, str]  # the basis and what it is
APPRAISED: Basis = ("appraisal", "2020年度街道干部考核优秀")
RECORD: Basis = ("performance", "征迁安置、城市更新攻坚实绩突出")
PROMOTED: Basis = ("performance", "2021年上半年实绩评议位列前茅")


def _street(town: str) -> Actor:
    return Actor(id=f"{town.lower()}-dangongwei", role="街道党工委", system="干部人事管理系统")


def rule_commands() -> list[Message]:
    """The district's rule: principal mid-level posts from tier A only, from 2021-01-01."""
    s = Sender(SCOPE, actor=ORGANISATION, key=kafka.command_key)
    s.send_dated(
        r.SetAppointmentRule,
        "2021-01-01",
        r.AppointmentRule(district=DISTRICT, principal_only_from_a=True),
        document_no="包组〔2021〕1号",
        reason="A库是培养街道中层正职的摇篮：中层正职从A库选任",
    )
    return s.out


class _Reserve(Sender):
    """One street's reserve: its commands keyed by the street, in order, one chain."""

    def __init__(self, out: list[Message], town: str, code: str) -> None:
        super().__init__(SCOPE, out, actor=_street(town), key=town, chain=town, correlation=(SCOPE, town))
        self.town, self.code = town, code

    def person(self, n: int) -> str:
        return f"{self.code}-C{n:02d}"

    def act(self, cls: type, day: str, payload: Any, **envelope: Any) -> None:
        self.send_dated(cls, day, payload, **envelope)

    def enter(self, day: str, numbers: range, basis: Basis) -> None:
        for n in numbers:
            selection = r.Selection(town=self.town, person=self.person(n), basis=basis[0], grounds=basis[1])
            self.act(r.EnterReserve, day, selection)

    def promote(self, day: str, numbers: tuple[int, ...], basis: Basis = PROMOTED) -> None:
        for n in numbers:
            selection = r.Selection(town=self.town, person=self.person(n), basis=basis[0], grounds=basis[1])
            self.act(r.PromoteCadre, day, selection)

    def appoint(self, day: str, n: int, office: r.Office, post: str, document_no: str) -> None:
        appointment = r.Appointment(town=self.town, person=self.person(n), office=office, post=post)
        self.act(r.AppointCadre, day, appointment, document_no=document_no)


def demo_commands() -> list[Message]:
    """Both streets' reserves as (key, value) messages keyed by street, deterministic."""
    out: list[Message] = []
    w = _Reserve(out, WANNIANBU, "BH-WNB")
    w.act(r.OpenReserve, "2021-03-01", r.ReserveOpening(town=WANNIANBU, district=DISTRICT))
    w.enter("2021-03-15", range(1, 7), APPRAISED)
    w.enter("2021-03-15", range(7, 13), RECORD)
    w.promote("2021-06-30", (1, 2, 3, 4))
    w.promote("2021-07-01", (13,))  # never in tier B: refused (AOnlyFromB)
    doc = "包河万年埠党工〔2021〕28号"
    w.appoint("2021-09-01", 1, "principal", "城市管理部部长", doc)
    w.appoint("2021-09-01", 2, "principal", "社区建设部部长", doc)
    w.appoint("2021-09-01", 5, "deputy", "社会事务部副部长", doc)
    w.appoint("2021-09-01", 6, "deputy", "平安建设部副部长", doc)
    w.appoint("2021-09-01", 7, "principal", "发展服务部部长", doc)  # tier B: refused (PrincipalOnlyFromA)
    w.promote("2021-10-15", (7, 8), ("appraisal", "2021年三季度考评优秀"))
    w.act(
        r.DemoteCadre,
        "2021-12-01",
        r.CadreRef(town=WANNIANBU, person=w.person(4)),
        reason="年度实绩评议排名靠后，调整至B库",
    )
    w.act(
        r.RemoveCadre,
        "2021-12-01",
        r.CadreRef(town=WANNIANBU, person=w.person(12)),
        reason="年度考核基本称职，调出AB库（庸者下）",
    )
    w.enter("2021-12-15", range(13, 14), ("document", "街道党工委会议推荐（包河万年埠党工〔2021〕41号）"))

    c = _Reserve(out, CHANGQING, "BH-CQ")
    c.act(r.OpenReserve, "2021-03-01", r.ReserveOpening(town=CHANGQING, district=DISTRICT))
    c.enter("2021-03-20", range(1, 9), APPRAISED)
    c.promote("2021-07-01", (1, 2, 3))
    doc = "包河常青党工〔2021〕19号"
    c.appoint("2021-09-01", 1, "principal", "发展服务部部长", doc)
    c.appoint("2021-09-01", 4, "deputy", "党群工作部副部长", doc)
    return out
