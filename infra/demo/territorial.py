"""The territorial demo (属地管理): Jiangbei's 77 territorial duties, 15 joint-enforcement scenarios.

"编制形成 77 项《'属地管理'事项工作导则》…'一清单、一导则、一范例、一流程、七机制'" and "编制形成
15 项《属地联动执法事项清单》" (seed 000). Duties are generated across 11 domains, seven each
(a `*` marks the town as lead party); scenarios are joint enforcement in the streets
(在街道推行), a few rural ones in every town. Two duties and one scenario are amended in 2022.
Deterministic: the same message ids every time.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import msgspec

from contracts.territorial import commands as c
from infra.demo.catalogue import DEPARTMENTS, TOWNS
from infra.demo.messages import CST, Message, Sender, bianban

DISTRICT = "JB"
SCOPE = "jiangbei/territorial"
ACTOR = bianban("jb", system="属地管理事项责任清单系统")
NAMES = {**DEPARTMENTS, "JB-PSB": "公安江北分局"}
STREETS = tuple(town for town in TOWNS if town != "JB-CICHENG")  # 慈城镇 takes 赋权执法 instead
LISTED, AMENDED = datetime(2021, 9, 1, 9, tzinfo=CST), datetime(2022, 3, 1, 9, tzinfo=CST)
DOCS = {"duties": "甬北编〔2021〕30号", "scenarios": "甬北政办发〔2021〕52号", "amend": "甬北编〔2022〕6号"}

DOMAINS = (  # domain, lead department, partner department, seven items
    (
        "城市管理",
        "JB-ZHZF",
        "JB-HUD",
        "*背街小巷环境卫生保洁|违规占道经营巡查劝导|乱张贴乱涂写清理|"
        "户外广告设施安全检查|*生活垃圾分类投放督导|建筑垃圾违规倾倒处置|*沿街店铺门前三包落实",
    ),
    (
        "住房建设",
        "JB-HUD",
        "JB-ZHZF",
        "*老旧小区物业管理协调|建筑工地扬尘防治|危旧房屋安全排查|"
        "装修违规改动承重结构处置|城镇燃气使用安全检查|*业主委员会组建指导|既有建筑幕墙安全巡查",
    ),
    (
        "自然资源规划",
        "JB-NRP",
        "JB-ZHZF",
        "违法建设发现报告和制止|非法占用土地巡查|*农村宅基地建房现场管理|"
        "永久基本农田保护|地质灾害隐患点巡查|临时用地复垦监管|违法用地整改督促",
    ),
    (
        "生态环境",
        "JB-EEB",
        "JB-ZHZF",
        "餐饮油烟污染防治|*露天焚烧秸秆垃圾巡查|建筑施工噪声污染防治|"
        "工业企业排污监管|河道水质异常预警|*散乱污企业整治|机动车维修行业废气治理",
    ),
    (
        "水利",
        "JB-WATER",
        "JB-AGRI",
        "*河道日常保洁与巡河|河道管理范围违法建设处置|非法采砂巡查|"
        "防汛防台隐患排查|*山塘水库安全巡查|农村饮用水工程管护|违法取水整治",
    ),
    (
        "农业农村",
        "JB-AGRI",
        "JB-SAMR",
        "农药经营使用监管|病死畜禽无害化处置|*农村人居环境整治|"
        "农产品质量安全监管|*耕地抛荒整治|重大动物疫情防控|农机安全生产检查",
    ),
    (
        "市场监管",
        "JB-SAMR",
        "JB-ZHZF",
        "无证无照经营整治|小餐饮食品安全监管|农贸市场经营秩序|"
        "特种设备使用安全|校园周边食品安全|*农村集体聚餐食品安全指导|价格违法行为举报处置",
    ),
    (
        "安全生产",
        "JB-EMERG",
        "JB-FIRE",
        "*小微企业安全生产检查|危险化学品经营储存监管|烟花爆竹非法经营整治|"
        "*有限空间作业安全|工贸企业事故隐患排查|自然灾害应急避险转移|森林防火巡查",
    ),
    (
        "消防安全",
        "JB-FIRE",
        "JB-EMERG",
        "*九小场所消防安全检查|电动自行车违规停放充电整治|高层建筑消防通道畅通|"
        "群租房消防安全整治|*出租房屋消防安全排查|人员密集场所消防隐患整改|消防设施损坏挪用处置",
    ),
    (
        "卫生健康",
        "JB-HEALTH",
        "JB-SAMR",
        "非法行医打击|公共场所卫生监管|*爱国卫生运动与病媒防制|"
        "生活饮用水卫生监督|控烟工作监管|医疗废物处置监管|*传染病疫情联防联控",
    ),
    (
        "教育",
        "JB-EDU",
        "JB-SAMR",
        "校外培训机构违规办学整治|民办幼儿园办园行为监管|*校园周边治安环境整治|"
        "中小学校舍安全排查|无证幼托点排查取缔|学校食堂食品安全|*适龄儿童控辍保学",
    ),
)
TOWN_LEADS = "属地主体责任：组织实施、日常管理、督促整改"
TOWN_COOPERATES = "属地配合责任：日常巡查，发现问题及时劝阻、报告，配合调查处置"

SCENARIOS = (  # category, name, lead, cooperating, the town's part, towns (() = all)
    (
        "illegal_construction",
        "违法建设联合执法",
        "JB-ZHZF",
        ("JB-NRP", "JB-HUD"),
        "巡查发现、第一时间制止并上报，组织配合拆除",
        STREETS,
    ),
    (
        "cooking_fumes",
        "餐饮油烟扰民",
        "JB-ZHZF",
        ("JB-EEB", "JB-SAMR"),
        "受理投诉、现场劝导，督促安装净化设施",
        STREETS,
    ),
    ("street_vending", "占道经营整治", "JB-ZHZF", ("JB-SAMR", "JB-PSB"), "网格巡查劝离，设置疏导点", STREETS),
    (
        "construction_noise",
        "建筑施工噪声扰民",
        "JB-EEB",
        ("JB-HUD", "JB-ZHZF"),
        "夜间巡查、取证，通知部门到场",
        STREETS,
    ),
    (
        "construction_waste",
        "建筑垃圾违规运输处置",
        "JB-ZHZF",
        ("JB-HUD", "JB-TRANS", "JB-PSB"),
        "发现乱倒点位、看护现场并上报",
        STREETS,
    ),
    (
        "unlicensed_business",
        "无证无照经营",
        "JB-SAMR",
        ("JB-ZHZF", "JB-FIRE"),
        "排查建档，配合联合检查与关停",
        STREETS,
    ),
    (
        "group_rental",
        "群租房安全隐患整治",
        "JB-HUD",
        ("JB-FIRE", "JB-PSB"),
        "出租房屋排查登记，督促房东整改",
        STREETS,
    ),
    (
        "illegal_medical_practice",
        "非法行医整治",
        "JB-HEALTH",
        ("JB-SAMR", "JB-PSB"),
        "线索收集上报，配合查处",
        STREETS,
    ),
    (
        "off_campus_training",
        "校外培训机构违规办学",
        "JB-EDU",
        ("JB-SAMR", "JB-ZHZF"),
        "摸排无证机构，配合关停并做好稳控",
        STREETS,
    ),
    (
        "river_pollution",
        "河道违法排污",
        "JB-EEB",
        ("JB-WATER", "JB-ZHZF"),
        "河长巡河发现、溯源排口并上报",
        STREETS,
    ),
    (
        "outdoor_advertising",
        "户外广告违规设置",
        "JB-ZHZF",
        ("JB-SAMR", "JB-HUD"),
        "巡查发现、告知整改，配合拆除",
        STREETS,
    ),
    (
        "e_bike_charging",
        "电动自行车违规停放充电",
        "JB-FIRE",
        ("JB-HUD", "JB-ZHZF"),
        "入户宣传、清理楼道，督促物业整改",
        STREETS,
    ),
    (
        "fireworks",
        "非法经营燃放烟花爆竹",
        "JB-EMERG",
        ("JB-PSB", "JB-SAMR"),
        "禁放区巡查劝阻，线索上报",
        STREETS,
    ),
    ("open_burning", "露天焚烧", "JB-EEB", ("JB-ZHZF", "JB-AGRI"), "网格巡查、及时扑灭并劝导", ()),
    (
        "farmland_occupation",
        "违法占用耕地建房",
        "JB-NRP",
        ("JB-AGRI", "JB-ZHZF"),
        "动态巡查、制止在建并上报",
        (),
    ),
)


def _mechanisms(n: int, town_leads: bool) -> tuple[c.Mechanism, ...]:
    extra: dict[c.Mechanism, bool] = {
        "consultation": town_leads,
        "early_warning": n % 2 == 0,
        "work_suggestion": n % 3 == 0,
        "dispute_negotiation": n % 4 == 0,
    }
    return ("collaboration", "result_notification", "liaison", *(m for m, used in extra.items() if used))


def _duty(n: int, domain: str, lead: str, partner: str, name: str) -> c.DutyTerms:
    town_leads, name = name.startswith("*"), name.lstrip("*")
    department = c.Party(unit=lead, duty=f"{NAMES[lead]}：行业监管，依法查处，专业指导")
    helper = c.Party(unit=partner, duty=f"{NAMES[partner]}：信息共享，配合联合检查")
    town = c.Party(unit="TOWN", duty=TOWN_LEADS if town_leads else TOWN_COOPERATES)
    return c.DutyTerms(
        district=DISTRICT,
        code=f"JB-SD-{n:03d}",
        name=name,
        domain=domain,
        lead=town if town_leads else department,
        cooperating=(department, helper) if town_leads else (town, helper),
        mechanisms=_mechanisms(n, town_leads),
        guideline=f"江北区“属地管理”事项工作导则第{n}项",
        example=f"{name}协同配合范例",
        flow=f"{name}工作流程图",
    )


def duties() -> list[c.DutyTerms]:
    names = [(d, lead, p, name) for d, lead, p, items in DOMAINS for name in items.split("|")]
    return [_duty(n, *row) for n, row in enumerate(names, start=1)]


def scenarios() -> list[c.ScenarioTerms]:
    return [
        c.ScenarioTerms(
            district=DISTRICT,
            code=f"JB-LD-{n:02d}",
            category=category,
            name=name,
            lead=lead,
            cooperating=coop,
            town_part=part,
            towns=towns,
        )
        for n, (category, name, lead, coop, part, towns) in enumerate(SCENARIOS, start=1)
    ]


def _send(s: Sender, cls: type, payload: Any, at: datetime, label: str = "", **envelope: Any) -> None:
    """A list entry's command: keyed by its code, named by its district and code."""
    s.send(cls, payload, payload.district, payload.code + label, at=at, key=payload.code, **envelope)


def demo_commands() -> list[Message]:
    """Register the lists in September 2021, amend three entries in March 2022."""
    s = Sender(SCOPE, actor=ACTOR)
    listed = lambda family: dict(
        effective_at=LISTED + timedelta(days=30), document_no=DOCS[family], correlation=family
    )
    for d in duties():
        _send(s, c.RegisterTerritorialDuty, d, LISTED, **listed("duties"))
    for scenario in scenarios():
        _send(s, c.RegisterJointScenario, scenario, LISTED, **listed("scenarios"))
    amend = dict(
        document_no=DOCS["amend"],
        correlation="amend-2022",
        reason="2022 年清单动态调整：补充公安配合责任和争议协商机制",
    )
    psb = c.Party(unit="JB-PSB", duty="公安江北分局：维护现场秩序，依法处置阻碍执法行为")
    for duty in (duties()[0], duties()[14]):
        changed = msgspec.structs.replace(
            duty, cooperating=(*duty.cooperating, psb), mechanisms=(*duty.mechanisms, "dispute_negotiation")
        )
        _send(s, c.AmendTerritorialDuty, changed, AMENDED, "/2022", **amend)
    fumes = scenarios()[1]
    _send(
        s,
        c.AmendJointScenario,
        msgspec.structs.replace(fumes, towns=(*fumes.towns, "JB-CICHENG")),
        AMENDED,
        "/2022",
        **(amend | {"reason": "2022 年清单动态调整：油烟扰民联动执法延伸至慈城镇"}),
    )
    return s.out
