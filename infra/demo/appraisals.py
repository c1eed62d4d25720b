"""The appraisal demo (考核): Jiangbei's stationed agencies under 40/30/30, the street report's 60/40.

Seed 000: "派驻机构年度考核结果，镇街综合评价占40%、社会评价占30%、区级部门占30%", with the
town's "推荐提名权、反向否决权" — five agencies stationed in 慈城镇 are appraised for 2021,
the linkage attaches its figures to four, and the town vetoes one (落实不力、服务不到位);
results go to 绩效奖金、评优评先、推荐提名. Seed 002: the street scores its 定点联系执法专员
60 %, the sending department 40 %; one of three officers still waits for the department.
Names, scores and rates are illustrative (the seeds give the weights; 97.2 % satisfaction is
Jiangsu's, seed 001). Seed 003 (Luohe): "创新提出'差异化考核''反向评价'…赋予街道、社区对驻区单位
的年度考核综合评价权" — reverse appraisal (反向评价): a scheme whose subject kind is `department`
and whose one weighted party is the `town`, under which each of 郾城区's three towns (as in the
quota demo) appraises the two departments working with it (each appraisal's subject is the
department as one town appraises it, `<town>-<department>`, opened with that town); weights,
scores and the document are illustrative (the seed gives none). Deliberately bad: a second veto
and an early finalising (BAD_RULES).
Schemes and appraisals travel on different partitions: publish `demo_phases()[0]` (the
schemes) and let the intake take them before the appraisals, which are refused otherwise.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypedDict

from contracts.appraisals import commands as c
from contracts.envelope import Actor
from infra.demo.messages import Message, Sender

__all__ = ["AGENCIES", "BAD_RULES", "demo_commands", "demo_phases"]

SCOPE = "appraisals"
BAD_RULES = ("AlreadyVetoed", "ScoresMissing")  # in the order they are sent
JB, AN, TOWN, STREET = "JB-PAIZHU", "AN-LIAISON", "JB-CICHENG", "AN-JD-PILOT"
PLATFORM = "岗位对责、绩效对账考核平台"
# code, name, owning department, (town, society, department) scores, linkage (satisfaction, cases)
AGENCIES = [
    ("PCS", "慈城派出所", "JB-PSB", ("94", "92.5", "93"), ("0.972", 1400)),
    ("SCJG", "慈城市场监管所", "JB-AMR", ("88", "86", "90"), ("0.955", 620)),
    ("ZRZY", "慈城自然资源和规划所", "JB-NRP", ("62", "78", "85"), ("0.901", 210)),
    ("ZHZF", "慈城综合行政执法中队", "JB-ZF", ("91", "89.5", "90"), ("0.963", 980)),
    ("SFS", "慈城司法所", "JB-JUSTICE", ("86.5", "90", "84"), None),
]
VETOED = "ZRZY"
RESULTS: dict[str, tuple[c.BonusTier, bool, bool]] = {
    "PCS": ("first", True, True),
    "ZHZF": ("first", True, False),
    "SCJG": ("second", False, False),
    "SFS": ("second", False, False),
    "ZRZY": ("none", False, False),
}
OFFICERS = [
    ("01", "AN-AMR", ("92", "90")),
    ("02", "AN-EEB", ("85", "80")),
    ("03", "AN-HUD", ("78", None)),
]  # the third: the department has not scored
REVERSE = "LH-YC-FXPJ"  # 反向评价: towns appraise the departments
# the appraising town, and its score of each department (illustrative)
REVERSED: dict[str, dict[str, str]] = {
    "LH-SHANGQIAO": {"LH-YC-AGRI": "92", "LH-YC-EMERG": "85.5"},
    "LH-PEICHENG": {"LH-YC-AGRI": "88", "LH-YC-EMERG": "79"},
    "LH-LONGCHENG": {"LH-YC-AGRI": "90.5", "LH-YC-EMERG": "58"},
}
REVERSE_NAMES = {"LH-YC-AGRI": "郾城区农业农村局", "LH-YC-EMERG": "郾城区应急管理局"}
TOWN_NAMES = {"LH-SHANGQIAO": "商桥镇", "LH-PEICHENG": "裴城镇", "LH-LONGCHENG": "龙城镇"}
BANDS: dict[str, tuple[tuple[c.Grade, str], ...]] = {
    JB: (("excellent", "90"), ("good", "80"), ("competent", "60"), ("failing", "0")),
    AN: (("excellent", "90"), ("competent", "70"), ("basic", "60"), ("failing", "0")),
    REVERSE: (("excellent", "90"), ("good", "80"), ("competent", "60"), ("failing", "0")),
}


# code, title, subject kind, (party, weight) pairs, 文号
SCHEMES: tuple[tuple[str, str, c.SubjectKind, tuple[tuple[c.Party, str], ...], str], ...] = (
    (
        JB,
        "江北区派驻机构年度考核（区级部门、镇街双向考评）",
        "stationed-agency",
        (("town", "40"), ("society", "30"), ("department", "30")),
        "甬北考〔2021〕1号",
    ),
    (
        AN,
        "定点联系执法专员双重考核",
        "stationed-person",
        (("street", "60"), ("department", "40")),
        "**编〔2021〕15号",
    ),
    (
        REVERSE,
        "郾城区乡镇对区直部门年度综合评价（反向评价）",
        "department",
        (("town", "100"),),
        "郾办〔2021〕21号",
    ),
)


class Ref(TypedDict):
    """The fields of `c.AppraisalRef`, spread into every appraisal payload."""

    subject: str
    period: str


def _actor(who: str, role: str) -> Actor:
    return Actor(id=who, role=role, system=PLATFORM)


KAOHE = _actor("jb-kaohe", "区考核办")
KAOHE_LH = _actor("lh-yc-kaohe", "区考核办")


class _Flow(Sender):
    """One subject's commands in order, each caused by the one before, keyed and correlated
    by the subject, under one 文号."""

    def __init__(self, out: list[Message], key: str, document_no: str) -> None:
        super().__init__(SCOPE, out, key=key, chain=key, correlation=key, document_no=document_no)
        self.subject = key

    def act(
        self, cls: type, what: str, day: str, actor: Actor, payload: Any, reason: str | None = None
    ) -> None:
        self.send(cls, payload, self.subject, what, at=day, actor=actor, reason=reason)


def _schemes() -> list[Message]:
    out: list[Message] = []
    for code, title, kind, parties, doc in SCHEMES:
        _Flow(out, code, doc).act(
            c.DefineScheme,
            "v1",
            "2021-01-04",
            KAOHE,
            c.SchemeDetails(
                scheme=code,
                title=title,
                subject_kind=kind,
                cadence="yearly",
                parties=tuple(c.PartyWeight(party=p, weight=Decimal(w)) for p, w in parties),
                bands=tuple(c.GradeBand(grade=g, floor=Decimal(f)) for g, f in BANDS[code]),
            ),
        )
    return out


def _score(flow: _Flow, ref: Ref, party: c.Party, score: str, actor: Actor, day: str) -> None:
    flow.act(
        c.ScoreAppraisal,
        party,
        day,
        actor,
        c.PartyScore(
            **ref, party=party, score=Decimal(score), evidence=f"{actor.role}：2021年度测评（依事见人）"
        ),
    )


def _agency(
    out: list[Message],
    code: str,
    name: str,
    department: str,
    scores: tuple[str, ...],
    linkage: tuple[str, int] | None,
) -> None:
    ref = Ref(subject=f"{TOWN}-{code}", period="2021")
    flow, town = _Flow(out, ref["subject"], "甬北考〔2022〕2号"), _actor(f"{TOWN}-dangwei", "镇街综合评价")
    flow.act(c.OpenAppraisal, "open", "2022-01-04", KAOHE, c.Opening(**ref, scheme=JB, name=name, town=TOWN))
    if linkage is not None:
        flow.act(
            c.AttachEvidence,
            "linkage",
            "2022-01-05",
            _actor("jb-linkage", "区社会治理中心"),
            c.LinkageEvidence(
                **ref,
                response_on_time=Decimal("0.99"),
                on_time_resolution=Decimal("0.96"),
                resolution=Decimal("0.94"),
                satisfaction=Decimal(linkage[0]),
                cases=linkage[1],
                metrics_message_id=flow.id("metrics", ref["subject"], "2021"),
            ),
        )
    _score(flow, ref, "town", scores[0], town, "2022-01-10")
    _score(flow, ref, "society", scores[1], _actor("jb-shehui", "社会评价"), "2022-01-12")
    if code == "ZHZF":  # deliberately early: the department has not scored yet
        flow.act(c.FinaliseAppraisal, "early", "2022-01-13", KAOHE, c.AppraisalRef(**ref))
    _score(flow, ref, "department", scores[2], _actor(department, "区级部门评价"), "2022-01-14")
    if code == VETOED:
        for attempt in ("veto", "veto-again"):  # the second is refused: at most once
            flow.act(
                c.VetoAppraisal,
                attempt,
                "2022-01-20",
                town,
                c.TownVeto(**ref, town=TOWN),
                reason="违法建设整治中落实不力、服务不到位，行使反向否决权",
            )
    flow.act(c.FinaliseAppraisal, "final", "2022-01-28", KAOHE, c.AppraisalRef(**ref))
    tier, honour, promotion = RESULTS[code]
    flow.act(
        c.ApplyResult,
        "result",
        "2022-02-15",
        KAOHE,
        c.ResultApplication(**ref, bonus_tier=tier, honour=honour, promotion=promotion),
    )


def _officer(out: list[Message], n: str, department: str, scores: tuple[str, str | None]) -> None:
    ref = Ref(subject=f"{STREET}-ZFZY-{n}", period="2021")
    flow = _Flow(out, ref["subject"], "**编〔2021〕15号")
    flow.act(
        c.OpenAppraisal,
        "open",
        "2021-12-20",
        KAOHE,
        c.Opening(**ref, scheme=AN, name=f"定点联系执法专员{n}（{department}）", town=STREET),
    )
    _score(flow, ref, "street", scores[0], _actor(f"{STREET}-gongwei", "街道考核"), "2021-12-27")
    if scores[1] is not None:
        _score(flow, ref, "department", scores[1], _actor(department, "派驻单位考核"), "2021-12-28")
        flow.act(c.FinaliseAppraisal, "final", "2021-12-31", KAOHE, c.AppraisalRef(**ref))


def _reversed(out: list[Message], town: str, department: str, score: str) -> None:
    """反向评价: the town appraises a department working with it, then the district finalises."""
    ref = Ref(subject=f"{town}-{department}", period="2021")
    flow = _Flow(out, ref["subject"], "郾办〔2021〕21号")
    name = f"{REVERSE_NAMES[department]}（{TOWN_NAMES[town]}评价）"
    opening = c.Opening(**ref, scheme=REVERSE, name=name, town=town)
    flow.act(c.OpenAppraisal, "open", "2022-01-04", KAOHE_LH, opening)
    _score(flow, ref, "town", score, _actor(f"{town}-dangwei", "乡镇反向评价"), "2022-01-10")
    flow.act(c.FinaliseAppraisal, "final", "2022-01-28", KAOHE_LH, c.AppraisalRef(**ref))


def demo_phases() -> list[list[Message]]:
    """The schemes, then the appraisals: publish the second once the first is taken in."""
    appraisals: list[Message] = []
    for code, name, department, scores, linkage in AGENCIES:
        _agency(appraisals, code, name, department, scores, linkage)
    for n, department, marks in OFFICERS:
        _officer(appraisals, n, department, marks)
    for town, scored in REVERSED.items():
        for department, score in scored.items():
            _reversed(appraisals, town, department, score)
    return [_schemes(), appraisals]


def demo_commands() -> list[Message]:
    schemes, appraisals = demo_phases()
    return schemes + appraisals
