"""The duty-admission demo (职责准入): the street report's 34 + 7 + 32 duties, Jiangbei's.

Seed 002 (district "AN", anonymised): the three lists, admitted by "申请、审核、准入、调整四项程序"
for its three streets (one per "3 支街道综合行政执法队伍"; the pilot **街道 among them) and pushed
down to each; in 2022 one duty is recalled from a street (调整), one cancelled (取消). Seed 000:
two Jiangbei admissions with 人员、经费、培训、指导, one rejected at review; then three push-downs
that are refused (部门擅自将责任甩给镇街). Deterministic: the same message ids every time.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import msgspec

from contracts.duties import commands as c
from contracts.envelope import Actor
from contracts.powers.commands import AdmissionReview, Finding, SupportPackage
from infra.demo.catalogue import BODY as JB_BODY
from infra.demo.catalogue import TOWNS
from infra.demo.messages import CST, Message, Sender, bianban

SCOPE = "duties"
STREETS = {"AN-JD-PILOT": "**街道（试点）", "AN-JD-EAST": "**区东街道", "AN-JD-WEST": "**区西街道"}
AN_BODY, DECIDED_BY = "**区街道管理体制改革联席会议", "**区委、区政府"
AN_DOCS = {"admit": "**区委办〔2021〕18号", "adjust": "**区委办〔2022〕4号"}
# (category, code prefix, ((department, basis, "name|name|…"), …))
LISTS: tuple[tuple[c.DutyCategory, str, tuple[tuple[str, str, str], ...]], ...] = (
    (
        "statutory",
        "AN-SQ",
        (
            ("AN-ARMED", "《中华人民共和国兵役法》", "兵役登记|征兵工作|民兵组织建设|国防教育"),
            ("AN-CIVIL", "《中华人民共和国城市居民委员会组织法》", "指导居民委员会工作|居民委员会选举指导"),
            (
                "AN-CIVIL",
                "《社会救助暂行办法》",
                "最低生活保障申请受理|特困人员供养申请受理|临时救助申请受理",
            ),
            ("AN-CIVIL", "《中华人民共和国老年人权益保障法》", "老年人权益保障|未成年人保护|残疾人权益保障"),
            ("AN-JUSTICE", "《中华人民共和国人民调解法》", "人民调解工作指导|社区矫正协助|法治宣传教育"),
            (
                "AN-EMERG",
                "《中华人民共和国安全生产法》",
                "安全生产监督管理|突发事件先期处置|防汛防台|消防安全宣传",
            ),
            ("AN-HEALTH", "《中华人民共和国传染病防治法》", "传染病防治协助|爱国卫生运动|人口与计划生育服务"),
            ("AN-HRSS", "《中华人民共和国就业促进法》", "就业促进|劳动保障监察协助|欠薪问题排查化解"),
            ("AN-STATS", "《中华人民共和国统计法》", "统计调查|人口普查"),
            (
                "AN-CGJ",
                "《城市市容和环境卫生管理条例》",
                "市容环境卫生管理|生活垃圾分类管理|违法建设发现报告",
            ),
            ("AN-EDU", "《中华人民共和国义务教育法》", "控辍保学"),
            ("AN-VETERAN", "《中华人民共和国退役军人保障法》", "退役军人服务保障"),
            ("AN-CULTURE", "《中华人民共和国公共文化服务保障法》", "公共文化服务|全民健身"),
        ),
    ),
    (
        "entrusted",
        "AN-WT",
        (
            ("AN-MEDINS", "**区医保局委托书", "城乡居民医保参保登记"),
            ("AN-HRSS", "**区人社局委托书", "城乡居民养老保险参保登记"),
            ("AN-CIVIL", "**区民政局委托书", "老年人优待证办理|高龄津贴申请受理"),
            ("AN-DPF", "**区残联委托书", "残疾人证办理初审"),
            ("AN-HEALTH", "**区卫健委委托书", "独生子女父母奖励扶助初审"),
            ("AN-CGJ", "**区城管局委托书", "临时占用城市道路初审"),
        ),
    ),
    (
        "public_service",
        "AN-GF",
        (
            (
                "AN-HRSS",
                "《公共就业服务和就业管理规定》",
                "就业失业登记|就业困难人员认定|灵活就业社保补贴受理|劳动维权咨询|职业技能培训报名",
            ),
            (
                "AN-CIVIL",
                "《**省基本公共服务标准》",
                "医疗救助申请受理|残疾人两项补贴受理|孤儿基本生活保障受理|"
                "居家养老服务|老年人助餐服务|慈善救助转介",
            ),
            (
                "AN-HEALTH",
                "《**省基本公共服务标准》",
                "婴幼儿照护服务指导|预防接种信息登记|生育登记服务|心理健康服务|家庭医生签约服务",
            ),
            ("AN-JUSTICE", "《公共法律服务体系建设规划》", "法律援助申请转交|公共法律服务|矛盾纠纷调解服务"),
            ("AN-VETERAN", "《**省基本公共服务标准》", "优待证申领受理|优抚对象抚恤补助受理"),
            ("AN-CULTURE", "《**省基本公共服务标准》", "社区文化活动组织|全民健身设施管理|社区书屋服务"),
            ("AN-ORG", "《**省基本公共服务标准》", "党群服务中心服务|志愿服务组织|未成年人关爱服务"),
            ("AN-POLICE", "《居住证暂行条例》", "居住证申领代办|出租房屋登记服务"),
            ("AN-CGJ", "《**省基本公共服务标准》", "垃圾分类宣传指导|燃气安全宣传|12345热线诉求受理"),
        ),
    ),
)
REASONABLE = {
    True: "街道（镇）具备承接条件，权随事转",
    False: "合理性审核未通过：属部门法定监管职责，镇街缺乏专业力量，不得转嫁镇街",
}
GUIDED = SupportPackage(staff=0, funding_yuan=Decimal(0), training_sessions=1, guidance="区级部门业务指导")
JB_DOC = "甬北政办发〔2021〕41号"
WASTE = c.DutyTerms(
    department="JB-ZHZF",
    duty="JB-ZR-001",
    name="生活垃圾分类投放日常督导",
    category="statutory",
    basis="《宁波市生活垃圾分类管理条例》",
    towns=list(TOWNS),
)
SAFETY = c.DutyTerms(
    department="JB-EMERG",
    duty="JB-ZR-002",
    name="小微企业安全生产日常巡查",
    category="entrusted",
    basis="区应急管理局委托书",
    towns=["JB-HONGTANG", "JB-ZHUANGQIAO"],
)
SMOKING = c.DutyTerms(
    department="JB-HEALTH",
    duty="JB-ZR-003",
    name="公共场所控烟日常巡查",
    category="statutory",
    basis="《宁波市控制吸烟条例》",
    towns=list(TOWNS),
)
UNAPPLIED = c.DutyRef(department="AN-CGJ", duty="AN-CGJ-X01")  # 共享单车停放秩序管理, never applied


def street_duties() -> list[c.DutyTerms]:
    """The street report's 73 duties, each for all three streets."""
    duties: list[c.DutyTerms] = []
    for category, prefix, groups in LISTS:
        named = [(dept, basis, name) for dept, basis, names in groups for name in names.split("|")]
        duties += [
            c.DutyTerms(
                department=dept,
                duty=f"{prefix}-{k:02d}",
                name=name,
                basis=basis,
                category=category,
                towns=list(STREETS),
            )
            for k, (dept, basis, name) in enumerate(named, 1)
        ]
    return duties


def _at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 9, tzinfo=CST)


def _ref(ref: c.DutyRef) -> dict[str, str]:
    return {"department": ref.department, "duty": ref.duty}


def _office(department: str) -> Actor:
    return Actor(id=f"{department.lower()}-office", role="部门", system="职责清单系统")


class _Duties(Sender):
    """Each duty's commands are one chain, keyed by the duty and correlated by it."""

    def __init__(self) -> None:
        super().__init__(SCOPE)

    def emit(
        self,
        cls: type,
        ref: c.DutyRef,
        payload: Any,
        at: datetime,
        actor: Actor | None = None,
        label: str = "",
        **envelope: Any,
    ) -> None:
        """One command about the duty; by default from the district's 编办 (its 联席会议 office)."""
        what, district = f"{ref.department}/{ref.duty}", ref.department.split("-")[0].lower()
        self.send(
            cls,
            payload,
            what + label,
            at=at,
            actor=actor or bianban(district),
            key=ref.duty,
            chain=what,
            correlation=what,
            **envelope,
        )

    def file(self, terms: c.DutyTerms, body: str, at: datetime, reasonable: bool = True) -> None:
        """申请, then 审核 by the joint meeting three weeks later."""
        self.emit(
            c.ApplyDutyAdmission,
            terms,
            terms,
            at,
            _office(terms.department),
            reason="申请将该职责下放镇街（街道）",
        )
        review = AdmissionReview(
            reviewing_body=body,
            legality=Finding(passed=True, note="于法有据"),
            reasonableness=Finding(passed=reasonable, note=REASONABLE[reasonable]),
        )
        self.emit(
            c.ReviewDutyAdmission,
            terms,
            c.DutyReview(**_ref(terms), review=review),
            at + timedelta(days=21),
            reason=None if reasonable else REASONABLE[False],
        )

    def admit(self, terms: c.DutyTerms, by: str, support: SupportPackage, at: datetime, doc: str) -> None:
        """准入 (区委、区政府审定) on `at`, in force nine days later."""
        decision = c.DutyDecision(**_ref(terms), decided_by=by, support=support)
        self.emit(c.AdmitDuty, terms, decision, at, effective_at=at + timedelta(days=9), document_no=doc)

    def push_down(self, ref: c.DutyRef, town: str, at: datetime) -> None:
        self.emit(
            c.PushDownDuty,
            ref,
            c.DutyPushDown(**_ref(ref), town=town),
            at,
            _office(ref.department),
            label=f"@{town}",
        )


def demo_commands() -> list[Message]:
    """(key, value) pairs in publishing order; key: the duty code (one partition per duty)."""
    s, duties = _Duties(), street_duties()
    for terms in duties:
        s.file(terms, AN_BODY, _at(2021, 3, 8))
        s.admit(terms, DECIDED_BY, GUIDED, _at(2021, 4, 22), AN_DOCS["admit"])
    for terms in duties:
        for street in STREETS:
            s.push_down(terms, street, _at(2021, 5, 10))
    hotline = msgspec.structs.replace(duties[-1], towns=[t for t in STREETS if t != "AN-JD-WEST"])
    s.emit(
        c.AdjustDutyAdmission,
        hotline,
        c.DutyAdjustment(**msgspec.structs.asdict(hotline), support=GUIDED),
        _at(2022, 2, 20),
        effective_at=_at(2022, 3, 1),
        reason="动态调整：西街道的 12345 诉求改由区热线中心直接受理",
        document_no=AN_DOCS["adjust"],
    )
    s.emit(
        c.CancelDutyAdmission,
        duties[34],
        c.DutyRef(**_ref(duties[34])),
        _at(2022, 2, 20),
        effective_at=_at(2022, 3, 1),
        reason="医保参保登记改由区医保局线上统一办理，取消委托",
        document_no=AN_DOCS["adjust"],
    )
    # Jiangbei: "严格按照…准入机制进行审核把关…做好清单事项配套的人员、经费、培训、指导等保障措施".
    for terms, staff in ((WASTE, 2), (SAFETY, 1)):
        support = SupportPackage(
            staff=staff,
            funding_yuan=Decimal(staff * 60000),
            training_sessions=2,
            guidance="区级部门派员驻点指导，编制工作指引",
        )
        s.file(terms, JB_BODY, _at(2021, 8, 2))
        s.admit(terms, "江北区委、区政府", support, _at(2021, 9, 6), JB_DOC)
        for town in terms.towns:
            s.push_down(terms, town, _at(2021, 9, 20))
    s.file(SMOKING, JB_BODY, _at(2021, 8, 2), reasonable=False)
    # The refused push-downs: a rejected duty, a town outside the admission, a duty never applied for.
    s.push_down(SMOKING, "JB-KONGPU", _at(2021, 10, 8))
    s.push_down(SAFETY, "JB-CICHENG", _at(2021, 10, 12))
    s.push_down(UNAPPLIED, "AN-JD-PILOT", _at(2022, 4, 6))
    return s.out
