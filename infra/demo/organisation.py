"""The organisation demo (大部门制): three reforms of seeds 000, 002 and 004 as upstream commands.

Jiangbei's 8 towns and streets each set up the five integrated offices of "5+X" plus the
specials that fit (城乡建设, 乡村振兴); the anonymised street of seed 002 ("5办2中心1站")
merges two of its six offices into one and clears 13 plaques (清理机构牌子; the plaque names
are illustrative, the seed gives only the count); a Baohe street sets up "一办七部两中心".
Every big unit gets one supervising leader of the town's team. One deliberately bad
command assigns a second leader to Baohe's 城市管理部 and must be refused with
UnitAlreadySupervised; an explicit release and a new assignment follow it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from contracts.envelope import Actor
from contracts.organisation import commands as c
from infra.demo.catalogue import TOWNS as JIANGBEI
from infra.demo.messages import CST, Message, Sender, bianban

__all__ = ["BAD_RULE", "TOWNS", "demo_commands"]

SCOPE = "organisation"
BAD_RULE = "UnitAlreadySupervised"
ANON, BAOHE = "AN-JD-PILOT", "BH-WANNIANBU"
TOWNS = {**JIANGBEI, ANON: "**街道", BAOHE: "万年埠街道"}
FIVE = [
    ("PARTY", "党建综合办公室", "党委副书记"),
    ("DEV", "发展服务办公室", "党委委员、副{head}"),
    ("SAFETY", "平安法治办公室", "政法委员"),
    ("PUBLIC", "公共服务办公室", "副{head}"),
    ("INFO", "综合信息指挥室", "组织委员"),
]
X = {"URBAN-RURAL": ("城乡建设办公室", "党委委员、副{head}（城建）"), "RURAL": ("乡村振兴办公室", "人大主席")}
SPECIALS = {
    "JB-CICHENG": ["URBAN-RURAL", "RURAL"],
    "JB-ZHUANGQIAO": ["URBAN-RURAL"],
    "JB-HONGTANG": ["URBAN-RURAL"],
    "JB-YONGJIANG": ["URBAN-RURAL"],
}
# code, name, kind, type: "5办2中心1站" once PARTY and COMMUNITY are merged.
ANON_UNITS: list[tuple[str, str, c.UnitKind]] = [
    ("ADMIN", "党政办公室", "office"),
    ("PARTY", "党建工作办公室", "office"),
    ("COMMUNITY", "社区建设办公室", "office"),
    ("URBAN", "城市管理办公室", "office"),
    ("SOCIAL", "社会事务办公室", "office"),
    ("SAFETY", "平安建设办公室", "office"),
    ("PARTY-SERVICE", "党群服务中心", "centre"),
    ("GRID", "网格化治理中心", "centre"),
    ("VETERANS", "退役军人服务站", "station"),
]
ANON_PLAQUES = [
    "老龄工作委员会办公室",
    "关心下一代工作委员会办公室",
    "爱国卫生运动委员会办公室",
    "精神文明建设委员会办公室",
    "双拥工作领导小组办公室",
    "国防教育委员会办公室",
    "食品安全委员会办公室",
    "安全生产委员会办公室",
    "防汛抗旱指挥部办公室",
    "禁毒工作领导小组办公室",
    "流动人口服务管理办公室",
    "城市管理综合协调办公室",
    "创建文明城市指挥部办公室",
]
ANON_POSTS = [
    "党工委副书记",
    "组织委员",
    "办事处副主任",
    "办事处副主任",
    "宣传委员",
    "政法委员",
    "统战委员",
    "办事处副主任",
    "武装部长",
]
ANON_KEPT = [("人民武装部", "ADMIN"), ("新时代文明实践所", "PARTY-SERVICE")]
BAOHE_UNITS: list[tuple[str, str, c.UnitKind, c.UnitType]] = [
    ("OFFICE", "党政办公室", "office", "integrated"),
    *(
        (code, name, "department", "integrated")
        for code, name in (
            ("PARTY-MASSES", "党群工作部"),
            ("URBAN", "城市管理部"),
            ("SOCIAL", "社会事务部"),
            ("COMMUNITY", "社区建设部"),
            ("SAFETY", "平安建设部"),
            ("DEV", "发展服务部"),
        )
    ),
    ("CULTURE", "文化旅游体育部", "department", "special"),
    ("PARTY-SERVICE", "党群服务中心（社区中心）", "centre", "integrated"),
    ("GRID", "网格化服务中心（综治中心）", "centre", "integrated"),
]


_PAYLOADS: dict[type, type] = {
    c.EstablishUnit: c.UnitDetails,
    c.MergeUnits: c.Merger,
    c.AssignSupervisor: c.Supervision,
    c.ReleaseSupervisor: c.Release,
    c.RegisterPlaque: c.PlaqueDetails,
    c.RemovePlaque: c.PlaqueRef,
}


class _Town(Sender):
    """Registers one town, then emits its commands in order, each caused by the one before,
    keyed by the town, correlated by it and under one 文号; `days` after the reform's day."""

    def __init__(
        self,
        out: list[Message],
        code: str,
        district: str,
        kind: c.TownKind,
        model: str,
        actor: Actor,
        at: datetime,
        document_no: str,
    ) -> None:
        super().__init__(
            SCOPE, out, actor=actor, key=code, chain=code, correlation=("town", code), document_no=document_no
        )
        self.code, self.at = code, at
        self.send(
            c.RegisterTown,
            c.TownDetails(code=code, name=TOWNS[code], district_name=district, kind=kind, model=model),
            code,
            "",
            at=at,
            version=2,
        )

    def emit(self, cls: type, what: str, days: int = 0, reason: str | None = None, **fields: Any) -> None:
        self.send(
            cls,
            _PAYLOADS[cls](town=self.code, **fields),
            self.code,
            what,
            at=self.at + timedelta(days=days),
            reason=reason,
        )

    def unit(
        self, code: str, name: str, kind: c.UnitKind = "office", type_: c.UnitType = "integrated"
    ) -> None:
        self.emit(c.EstablishUnit, code, unit=code, name=name, kind=kind, type=type_)

    def lead(self, unit: str, leader: str, name: str, days: int = 1) -> None:
        self.emit(
            c.AssignSupervisor, f"{unit}/{leader}/{days}", days, unit=unit, leader=leader, leader_name=name
        )


def demo_commands() -> list[Message]:
    out: list[Message] = []
    for code in JIANGBEI:
        town_kind: c.TownKind = "town" if code == "JB-CICHENG" else "street"
        head = "镇长" if town_kind == "town" else "主任"
        town = _Town(
            out,
            code,
            "JB",
            town_kind,
            "5+X",
            bianban("jb"),
            datetime(2021, 3, 1, 9, tzinfo=CST),
            "甬北编〔2021〕3号",
        )
        for unit, name, _ in FIVE:
            town.unit(unit, name)
        for unit in SPECIALS.get(code, []):
            town.unit(unit, X[unit][0], type_="special")
        posts = [(u, p) for u, _, p in FIVE] + [(u, X[u][1]) for u in SPECIALS.get(code, [])]
        for n, (unit, post) in enumerate(posts, 1):
            town.lead(unit, f"{code}-L{n}", post.format(head=head))

    anon = _Town(
        out,
        ANON,
        "AN",
        "street",
        "5办2中心1站",
        bianban("st"),
        datetime(2021, 9, 1, 9, tzinfo=CST),
        "**编〔2021〕15号",
    )
    for unit, name, kind in ANON_UNITS:
        anon.unit(unit, name, kind)
    for n, ((unit, _, _), post) in enumerate(zip(ANON_UNITS, ANON_POSTS), 1):
        anon.lead(unit, f"{ANON}-L{n}", post)
    anon.emit(
        c.MergeUnits,
        "PARTY+COMMUNITY",
        30,
        units=("PARTY", "COMMUNITY"),
        unit="PARTY-COMMUNITY",
        name="党建和社区工作办公室",
        kind="office",
        type="integrated",
        reason="职能相近，优化整合为一个综合性机构",
    )
    anon.lead("PARTY-COMMUNITY", f"{ANON}-L2", ANON_POSTS[1], 31)
    for plaque in ANON_PLAQUES:
        anon.emit(c.RegisterPlaque, plaque, plaque=plaque)
    for plaque, unit in ANON_KEPT:
        anon.emit(c.RegisterPlaque, plaque, plaque=plaque, unit=unit)
    for plaque in ANON_PLAQUES:
        anon.emit(c.RemovePlaque, plaque, 90, plaque=plaque, reason="清理编制法律法规明确外的机构牌子")

    baohe = _Town(
        out,
        BAOHE,
        "BH",
        "street",
        "一办七部两中心",
        bianban("bh"),
        datetime(2019, 5, 6, 9, tzinfo=CST),
        "包编〔2019〕8号",
    )
    for unit, name, kind, type_ in BAOHE_UNITS:
        baohe.unit(unit, name, kind, type_)
    for n, (unit, *_) in enumerate(BAOHE_UNITS, 1):
        baohe.lead(unit, f"{BAOHE}-L{n}", f"班子成员{n}")
    baohe.lead("URBAN", f"{BAOHE}-L11", "班子成员11（新任）", 60)  # refused: a second leader
    baohe.emit(
        c.ReleaseSupervisor,
        f"URBAN/{BAOHE}-L3",
        61,
        unit="URBAN",
        leader=f"{BAOHE}-L3",
        reason="班子成员分工调整",
    )
    baohe.lead("URBAN", f"{BAOHE}-L11", "班子成员11（新任）", 62)
    return out
