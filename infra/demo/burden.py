"""The burden-reduction demo (减负): the street report's 73 indicators cleared, Luohe's cuts.

Seed 002 (district "AN", anonymised; its three streets as in the duty demo): "协同区督查部门、
各街道开展规范街道'属地管理'考评专项行动，从25个部门考核清单中'清理不合理指标'73项 … 明确新增
街道检查考核事项，按'一事一报'原则，由区委区政府统筹安排实施". 25 departments' appraisal lists
of streets are registered as they stood at the start of 2021 (existing items, 存量); the
district takes its baseline on 2021-06-01; 73 of the indicators are cleared on 2021-09-01,
each with its reason; one new inspection is approved by 区委、区政府 and imposed; one indicator
imposed without approval is refused and recorded (部门擅自向镇街摊派).

Seed 003 (Luohe; its 郾城区 and the three towns of the quota demo): "以前,要参加各种会议、填报
各类表格" — meetings, forms and indicators (打卡签到、积分排名、统计在线时长, "全面清理") imposed on
the towns are registered and most of them cleared. The seed's 1,427 work groups dissolved
(工作群组) and 6,293 village signboards cleared (村级组织标识标牌) are not items a department
imposes on towns in this vocabulary (indicator, inspection, meeting, form): the registry does
not record them.

Illustrative, where the seeds give no figure: which department had how many of the 73 (and
the indicators each keeps), every item's name, basis and reason, the inspections, the meetings
and forms and their counts, the days and the document numbers.
Deliberately bad: the unapproved imposition (BAD_RULES).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from contracts.burden import commands as c
from contracts.envelope import Actor
from infra.demo.duties import STREETS
from infra.demo.messages import Message, Sender
from infra.demo.quotas import LUOHE

__all__ = ["AN_CLEARED", "BAD_RULES", "LUOHE_ITEMS", "demo_commands", "demo_phases"]

SCOPE = "burden"
BAD_RULES = ("ImpositionNotApproved",)
SYSTEM = "减负台账系统"
AN, LH = "AN", "LH-YC"
AN_BASELINE, AN_DOC = date(2021, 6, 1), "**区委办〔2021〕26号"
AN_APPROVAL = "**区委办〔2021〕40号"
LH_BASELINE, LH_DOC = date(2021, 4, 1), "郾办〔2021〕12号"
# department, its name, its domain (for the names of its indicators), indicators cleared of the 73
DEPARTMENTS: tuple[tuple[str, str, str, int], ...] = (
    ("AN-ORG", "区委组织部", "基层党建", 4),
    ("AN-PROPAGANDA", "区委宣传部", "宣传思想", 3),
    ("AN-UFWD", "区委统战部", "统战", 2),
    ("AN-POLICE", "区公安分局", "平安建设", 3),
    ("AN-CIVIL", "区民政局", "民政", 4),
    ("AN-JUSTICE", "区司法局", "普法", 3),
    ("AN-FINANCE", "区财政局", "财政", 2),
    ("AN-HRSS", "区人社局", "就业社保", 3),
    ("AN-NRP", "区自然资源分局", "自然资源", 3),
    ("AN-EEB", "区生态环境分局", "生态环保", 4),
    ("AN-HUD", "区住建局", "住建", 3),
    ("AN-CGJ", "区城管局", "市容环卫", 5),
    ("AN-TRANSPORT", "区交通运输局", "交通", 2),
    ("AN-WATER", "区水务局", "水务", 2),
    ("AN-AGRI", "区农业农村局", "农业农村", 3),
    ("AN-COMMERCE", "区商务局", "商贸", 2),
    ("AN-CULTURE", "区文旅局", "文化旅游", 2),
    ("AN-HEALTH", "区卫健委", "卫生健康", 4),
    ("AN-VETERAN", "区退役军人事务局", "退役军人", 2),
    ("AN-EMERG", "区应急管理局", "安全生产", 4),
    ("AN-SAMR", "区市场监管局", "市场监管", 3),
    ("AN-STATS", "区统计局", "统计", 2),
    ("AN-MEDINS", "区医保局", "医保", 2),
    ("AN-LETTERS", "区信访局", "信访", 3),
    ("AN-EDU", "区教育局", "教育", 3),
)
AN_CLEARED = sum(n for *_, n in DEPARTMENTS)
# The unreasonable indicators, by what made them so, each with the reason it was cleared for.
PATTERNS = (
    ("台账资料完备率", "以台账留痕代替工作实绩，清理"),
    ("工作信息报送篇数", "以报送数量论成效，清理"),
    ("打卡签到率", "考勤打卡不属街道履职考核，清理"),
    ("宣传报道数量", "以宣传数量论成效，清理"),
    ("平台在线时长", "统计在线时长属'指尖上的形式主义'，清理"),
)
BASIS = "《{name}2021年度街道工作考核细则》"


def _indicators() -> list[tuple[str, str, c.BurdenTerms, str | None]]:
    """(department, its name, the terms, the reason it is cleared or None) of the 25 lists:
    each department's cleared indicators first, then the one it keeps (重点任务完成情况)."""
    found = []
    for department, name, domain, cleared in DEPARTMENTS:
        kept = [(f"{domain}重点任务完成情况", None)]
        for n, (label, reason) in enumerate([*PATTERNS[:cleared], *kept][: cleared + 1], 1):
            terms = c.BurdenTerms(
                department=department,
                code=f"{department}-KH-{n:02d}",
                district=AN,
                kind="indicator",
                name=f"{domain}{label}",
                basis=BASIS.format(name=name),
            )
            found.append((department, name, terms, reason))
    return found


AN_INSPECTIONS = (  # existing inspections, kept: (department, code, name, basis)
    ("AN-EMERG", "AN-EMERG-DC-01", "安全生产季度督查", "《安全生产法》"),
    ("AN-CGJ", "AN-CGJ-DC-01", "市容环境卫生月度检查", "《城市市容和环境卫生管理条例》"),
)
NEW = c.BurdenApproval(
    department="AN-EEB",
    code="AN-EEB-DC-01",
    district=AN,
    kind="inspection",
    name="秸秆禁烧和大气污染防治专项督查",
    basis="《大气污染防治法》；**区大气污染防治攻坚方案",
    approved_by="**区委、区政府",
)
UNAPPROVED = c.BurdenTerms(
    department="AN-CGJ",
    code="AN-CGJ-KH-X01",
    district=AN,
    kind="indicator",
    name="共享单车停放秩序考核排名",
    basis="区城管局自行发文",
    towns=["AN-JD-PILOT"],
)
# Luohe: (department, kind, code, name, basis, cleared?) — meetings, forms and indicators.
LUOHE_ITEMS: tuple[tuple[str, c.BurdenKind, str, str, str, bool], ...] = (
    ("LH-YC-ORG", "meeting", "HY-01", "基层党建工作周例会", "区委组织部通知", True),
    ("LH-YC-AGRI", "meeting", "HY-02", "人居环境整治推进会（乡镇主要负责人参加）", "区农业农村局通知", True),
    ("LH-YC-EMERG", "meeting", "HY-03", "安全生产月度调度会", "《安全生产法》", False),
    ("LH-YC-CIVIL", "meeting", "HY-04", "民政业务季度培训会", "区民政局通知", True),
    ("LH-YC-HEALTH", "meeting", "HY-05", "爱国卫生运动推进会", "区卫健委通知", True),
    (
        "LH-YC-AGRI",
        "meeting",
        "HY-06",
        "防返贫监测帮扶调度会",
        "《关于健全防止返贫动态监测和帮扶机制的指导意见》",
        False,
    ),
    ("LH-YC-AGRI", "form", "BB-01", "人居环境整治日报表", "区农业农村局通知", True),
    (
        "LH-YC-AGRI",
        "form",
        "BB-02",
        "防返贫监测周报表",
        "《关于健全防止返贫动态监测和帮扶机制的指导意见》",
        False,
    ),
    ("LH-YC-LETTERS", "form", "BB-03", "信访稳定日报表", "区信访局通知", True),
    ("LH-YC-EMERG", "form", "BB-04", "安全隐患排查周报表", "《安全生产法》", False),
    ("LH-YC-HEALTH", "form", "BB-05", "健康教育活动月报表", "区卫健委通知", True),
    ("LH-YC-CIVIL", "form", "BB-06", "社会组织活动统计表", "区民政局通知", True),
    ("LH-YC-ORG", "form", "BB-07", "党员志愿服务积分统计表", "区委组织部通知", True),
    ("LH-YC-STATS", "form", "BB-08", "乡镇经济运行月报表", "《统计法》", False),
    ("LH-YC-ORG", "indicator", "KH-01", "乡镇干部打卡签到考核", "区委组织部通知", True),
    ("LH-YC-ORG", "indicator", "KH-02", "乡镇工作积分排名", "区委组织部通知", True),
    ("LH-YC-GOV", "indicator", "KH-03", "政务平台统计在线时长", "区政府办通知", True),
    ("LH-YC-EMERG", "indicator", "KH-04", "安全生产责任目标考核", "《安全生产法》", False),
    ("LH-YC-AGRI", "indicator", "KH-05", "乡村振兴重点任务考核", "《乡村振兴促进法》", False),
)
LH_REASON = "破解基层治理'小马拉大车'：精简会议、报表和考核指标，清理打卡签到、积分排名、统计在线时长"


def _office(department: str) -> Actor:
    return Actor(id=f"{department.lower()}-office", role="部门", system=SYSTEM)


def _weiban(district: str) -> Actor:
    return Actor(id=f"{district.lower()}-weiban", role="区委办", system=SYSTEM)


def _ducha(district: str) -> Actor:
    return Actor(id=f"{district.lower()}-ducha", role="区委督查室", system=SYSTEM)


class _Registry(Sender):
    """Each item's commands are one chain, keyed by its department and correlated by the item."""

    def __init__(self, out: list[Message]) -> None:
        super().__init__(SCOPE, out)

    def item(self, cls: type, payload: c.BurdenRef, day: date, actor: Actor, **envelope: Any) -> None:
        what = f"{payload.department}/{payload.code}"
        self.send(
            cls,
            payload,
            what,
            at=day,
            actor=actor,
            key=payload.department,
            chain=what,
            correlation=what,
            **envelope,
        )

    def baseline(self, district: str, towns: list[str], day: date, doc: str) -> None:
        self.send(
            c.TakeBurdenBaseline,
            c.Baseline(district=district, towns=towns),
            district,
            at=day,
            actor=_weiban(district),
            key=district,
            document_no=doc,
            reason="基层减负：以此日为基线，新增检查考核事项一事一报",
        )

    def clear(self, district: str, ref: c.BurdenRef, day: date, reason: str, doc: str) -> None:
        """清理, by the district's 督查 office with the towns (the street report's 专项行动)."""
        payload = c.BurdenRef(department=ref.department, code=ref.code)
        self.item(c.ClearBurdenItem, payload, day, _ducha(district), reason=reason, document_no=doc)


def _street_report(s: _Registry) -> None:
    for department, _name, terms, _reason in _indicators():
        s.item(c.ImposeBurdenItem, terms, date(2021, 1, 4), _office(department))
    for department, code, name, basis in AN_INSPECTIONS:
        terms = c.BurdenTerms(
            department=department, code=code, district=AN, kind="inspection", name=name, basis=basis
        )
        s.item(c.ImposeBurdenItem, terms, date(2021, 1, 4), _office(department))
    for _department, _name, terms, reason in _indicators():
        if reason is not None:
            s.clear(
                AN,
                terms,
                date(2021, 9, 1),
                f"规范街道'属地管理'考评专项行动：{reason}",
                "**区委办〔2021〕33号",
            )
    s.item(c.ApproveBurdenItem, NEW, date(2021, 10, 8), _weiban(AN), document_no=AN_APPROVAL)
    imposed = c.BurdenTerms(**{k: getattr(NEW, k) for k in c.BurdenTerms.__struct_fields__})
    s.item(c.ImposeBurdenItem, imposed, date(2021, 10, 15), _office(NEW.department))
    s.item(c.ImposeBurdenItem, UNAPPROVED, date(2021, 11, 8), _office(UNAPPROVED.department))


def _luohe(s: _Registry) -> None:
    for department, kind, code, name, basis, _cleared in LUOHE_ITEMS:
        terms = c.BurdenTerms(
            department=department, code=f"{department}-{code}", district=LH, kind=kind, name=name, basis=basis
        )
        s.item(c.ImposeBurdenItem, terms, date(2021, 1, 4), _office(department))
    for department, _kind, code, _name, _basis, cleared in LUOHE_ITEMS:
        if cleared:
            ref = c.BurdenRef(department=department, code=f"{department}-{code}")
            s.clear(LH, ref, date(2021, 7, 1), LH_REASON, "郾办〔2021〕20号")


def demo_phases() -> list[list[Message]]:
    """The districts' baselines, then the items: publish the second once the first is taken in
    (the items travel keyed by department, the baselines by district)."""
    baselines: list[Message] = []
    first = _Registry(baselines)
    first.baseline(AN, list(STREETS), AN_BASELINE, AN_DOC)
    first.baseline(LH, list(LUOHE), LH_BASELINE, LH_DOC)
    items: list[Message] = []
    second = _Registry(items)
    _street_report(second)
    _luohe(second)
    return [baselines, items]


def demo_commands() -> list[Message]:
    baselines, items = demo_phases()
    return baselines + items
