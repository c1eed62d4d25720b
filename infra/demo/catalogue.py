"""Static data of the Jiangbei demo: towns, departments and the 17 domains of the first batch.

宁波市江北区: "首批已经下放教育、自然资源规划、城市绿化等 17 个方面 206 项行政检查权、行政处罚权
和行政强制权" (seed 000). Codes are ASCII; the Chinese names are kept here for display.
Each domain lists a few violations (行政处罚), supervised objects (行政检查) and coercive
measures (行政强制) from which the scenario composes its item names.
"""

from __future__ import annotations

from typing import NamedTuple

from contracts.powers.commands import ItemDetails, PowerKind, PowerList

TOWNS: dict[str, str] = {
    "JB-CICHENG": "慈城镇",
    "JB-ZHUANGQIAO": "庄桥街道",
    "JB-HONGTANG": "洪塘街道",
    "JB-YONGJIANG": "甬江街道",
    "JB-KONGPU": "孔浦街道",
    "JB-WENJIAO": "文教街道",
    "JB-BAISHA": "白沙街道",
    "JB-ZHONGMA": "中马街道",
}


class Domain(NamedTuple):
    name: str  # 方面
    department: str  # owning department code
    department_name: str
    items: int  # how many items of the first batch
    law: str
    violations: tuple[str, ...]  # 5 each: two penalty items per violation at most
    objects: tuple[str, ...]  # 3 each: two inspection items per object at most
    measures: tuple[str, ...]  # 2 each: coercive measures


DOMAINS: tuple[Domain, ...] = (
    Domain(
        "教育",
        "JB-EDU",
        "区教育局",
        10,
        "《中华人民共和国民办教育促进法》",
        (
            "擅自举办校外培训机构",
            "校外培训机构超出许可范围开展培训",
            "民办学校违规招生",
            "民办学校擅自分立、合并",
            "学校违反国家规定收取费用",
        ),
        ("校外培训机构办学行为", "民办幼儿园办园条件", "中小学校校舍安全"),
        ("查封违法举办校外培训的场所", "扣押违法办学使用的设施设备"),
    ),
    Domain(
        "自然资源规划",
        "JB-NRP",
        "市自然资源和规划局江北分局",
        16,
        "《中华人民共和国城乡规划法》",
        (
            "未取得建设工程规划许可证进行建设",
            "未按照规划许可内容进行建设",
            "非法占用土地",
            "擅自改变土地用途",
            "破坏或者擅自改变永久基本农田",
        ),
        ("建设工程规划许可执行情况", "土地利用现状", "耕地保护责任落实"),
        ("查封违法建设施工现场", "扣押违法建设施工工具、设备"),
    ),
    Domain(
        "城市绿化",
        "JB-GREEN",
        "区城市管理局（园林绿化）",
        12,
        "《城市绿化条例》",
        (
            "未按规定设置绿化工程",
            "擅自砍伐城市树木",
            "擅自占用城市绿化用地",
            "损坏城市绿化设施",
            "擅自迁移古树名木",
        ),
        ("城市绿地养护管理", "绿化工程建设", "古树名木保护"),
        ("扣押擅自砍伐的树木", "暂扣损毁绿化设施的作业工具"),
    ),
    Domain(
        "生态环境",
        "JB-EEB",
        "市生态环境局江北分局",
        18,
        "《中华人民共和国大气污染防治法》",
        (
            "超过标准排放大气污染物",
            "未依法进行环境影响评价擅自开工建设",
            "露天焚烧秸秆、落叶等产生烟尘污染的物质",
            "建筑施工噪声超标排放",
            "餐饮服务业经营者未安装油烟净化设施",
        ),
        ("排污单位污染物排放", "建设项目环境保护设施", "餐饮油烟治理设施运行"),
        ("查封、扣押造成污染物排放的设施设备", "查封违法排放污染物的场所"),
    ),
    Domain(
        "住房城乡建设",
        "JB-HUD",
        "区住房和城乡建设局",
        18,
        "《建设工程质量管理条例》",
        (
            "未取得施工许可证擅自施工",
            "建设单位将工程发包给不具备相应资质的单位",
            "物业服务企业未履行物业服务合同",
            "装修人擅自变动房屋建筑主体和承重结构",
            "施工单位未采取扬尘防治措施",
        ),
        ("建筑工地安全文明施工", "住宅小区物业服务", "房屋使用安全"),
        ("查封存在重大安全隐患的施工现场", "扣押违法施工的机械设备"),
    ),
    Domain(
        "交通运输",
        "JB-TRANS",
        "区交通运输局",
        12,
        "《中华人民共和国公路法》",
        (
            "未取得道路运输经营许可擅自从事道路运输经营",
            "在公路用地范围内擅自设置非公路标志",
            "在公路上擅自堆放物品",
            "车辆超限运输",
            "巡游出租汽车驾驶员拒载、议价",
        ),
        ("道路运输经营行为", "公路路政管理", "客运站场经营秩序"),
        ("暂扣无道路运输证件的车辆", "扣押违法超限运输车辆"),
    ),
    Domain(
        "水利",
        "JB-WATER",
        "区水利局",
        12,
        "《中华人民共和国水法》",
        (
            "在河道管理范围内擅自建设妨碍行洪的建筑物",
            "未经批准擅自取水",
            "在河道管理范围内弃置、堆放阻碍行洪的物体",
            "擅自在河道管理范围内采砂",
            "围垦河道",
        ),
        ("河道管理范围内建设项目", "取水许可执行情况", "水利工程运行安全"),
        ("扣押非法采砂船舶及工具", "查封违法取水设施"),
    ),
    Domain(
        "农业农村",
        "JB-AGRI",
        "区农业农村局",
        14,
        "《农药管理条例》",
        (
            "经营假、劣农药",
            "违规使用禁用农药",
            "销售不合格种子",
            "未按规定处置病死畜禽",
            "农村村民未经批准擅自建设住宅",
        ),
        ("农药经营使用", "农产品质量安全", "动物防疫条件"),
        ("查封、扣押假劣农药", "查封、扣押不符合检疫要求的动物产品"),
    ),
    Domain(
        "文化旅游",
        "JB-CULTOUR",
        "区文化和广电旅游体育局",
        10,
        "《营业性演出管理条例》",
        (
            "擅自从事营业性演出经营活动",
            "互联网上网服务营业场所接纳未成年人",
            "娱乐场所超时营业",
            "旅行社未经许可经营出境旅游业务",
            "擅自从事出版物发行业务",
        ),
        ("文化市场经营场所", "旅行社经营活动", "高危险性体育项目经营场所"),
        ("查封擅自从事互联网上网服务经营活动的场所", "扣押非法出版物"),
    ),
    Domain(
        "卫生健康",
        "JB-HEALTH",
        "区卫生健康局",
        14,
        "《医疗机构管理条例》",
        (
            "未取得医疗机构执业许可证擅自执业",
            "公共场所经营者未取得卫生许可证",
            "在禁止吸烟场所吸烟",
            "供水单位供应的饮用水不符合卫生标准",
            "医疗机构违规处置医疗废物",
        ),
        ("公共场所卫生", "医疗机构依法执业", "生活饮用水卫生"),
        ("查封非法行医场所", "扣押非法行医的药品、器械"),
    ),
    Domain(
        "应急管理",
        "JB-EMERG",
        "区应急管理局",
        12,
        "《中华人民共和国安全生产法》",
        (
            "生产经营单位未按规定开展安全生产教育培训",
            "未取得危险化学品经营许可证经营危险化学品",
            "生产经营单位未建立事故隐患排查治理制度",
            "烟花爆竹零售经营者超许可范围经营",
            "生产经营单位未按规定设置安全警示标志",
        ),
        ("生产经营单位安全生产条件", "危险化学品经营单位", "烟花爆竹零售网点"),
        ("查封、扣押不符合安全生产标准的设施设备", "查封违法储存危险化学品的场所"),
    ),
    Domain(
        "市场监管",
        "JB-SAMR",
        "区市场监督管理局",
        16,
        "《中华人民共和国食品安全法》",
        (
            "未取得食品经营许可从事食品经营",
            "销售超过保质期的食品",
            "无照经营",
            "发布虚假广告",
            "特种设备使用单位未按规定办理使用登记",
        ),
        ("食品经营者", "特种设备使用单位", "集贸市场经营秩序"),
        ("查封、扣押不符合食品安全标准的食品", "查封、扣押无照经营的物品"),
    ),
    Domain(
        "综合行政执法",
        "JB-ZHZF",
        "区综合行政执法局",
        16,
        "《城市市容和环境卫生管理条例》",
        (
            "擅自占用城市道路",
            "未经批准擅自设置户外广告设施",
            "乱倒乱扔生活垃圾",
            "违规设置摊点、占道经营",
            "建筑垃圾运输车辆沿途撒漏",
        ),
        ("市容环境卫生", "户外广告设施设置", "生活垃圾分类投放"),
        ("暂扣占道经营的物品", "强制拆除违法设置的户外广告设施"),
    ),
    Domain(
        "民政",
        "JB-CIVIL",
        "区民政局",
        6,
        "《社会团体登记管理条例》",
        (
            "社会组织未按规定接受年度检查",
            "未经登记擅自以社会团体名义开展活动",
            "养老机构未依法履行服务协议",
            "殡葬服务单位违规经营",
            "擅自兴建殡葬设施",
        ),
        ("养老机构服务质量", "社会组织活动", "殡葬服务场所"),
        ("查封非法社会组织活动场所", "扣押非法社会组织的有关财物"),
    ),
    Domain(
        "人力社保",
        "JB-HRSS",
        "区人力资源和社会保障局",
        8,
        "《劳动保障监察条例》",
        (
            "用人单位拖欠劳动者工资",
            "用人单位违法招用童工",
            "未经许可擅自从事职业中介活动",
            "用人单位未按规定办理社会保险登记",
            "用人单位违反规定延长劳动者工作时间",
        ),
        ("用人单位遵守劳动保障法律法规情况", "人力资源服务机构", "农民工工资支付"),
        ("封存用人单位劳动用工有关资料", "扣押非法职业中介的有关证据材料"),
    ),
    Domain(
        "消防",
        "JB-FIRE",
        "区消防救援大队",
        6,
        "《中华人民共和国消防法》",
        (
            "占用、堵塞、封闭疏散通道、安全出口",
            "损坏、挪用消防设施、器材",
            "埋压、圈占、遮挡消火栓",
            "人员密集场所门窗设置影响逃生的障碍物",
            "电动自行车违规停放、充电",
        ),
        ("人员密集场所消防安全", "消防设施器材", "“九小”场所消防安全"),
        ("临时查封存在火灾隐患的场所", "强制清除妨碍疏散的障碍物"),
    ),
    Domain(
        "商务",
        "JB-COMMERCE",
        "区商务局",
        6,
        "《单用途商业预付卡管理办法（试行）》",
        (
            "单用途商业预付卡发卡企业未按规定备案",
            "成品油零售经营企业违规经营",
            "报废机动车回收企业违规拆解",
            "再生资源回收经营者未按规定备案",
            "洗染业经营者违规经营",
        ),
        ("单用途预付卡发卡企业", "成品油零售经营企业", "再生资源回收站点"),
        ("查封违法经营成品油的场所", "扣押非法拆解的报废机动车"),
    ),
)

DEPARTMENTS: dict[str, str] = {d.department: d.department_name for d in DOMAINS}

# kind -> (Domain field with the phrases, list, code prefix, name templates). Penalty and
# coercion are 政务类 power items, inspection a 监管类 item, as in Zhejiang's town lists.
KIND_TEMPLATES: dict[PowerKind, tuple[str, PowerList, str, tuple[str, ...]]] = {
    "penalty": ("violations", "government_affairs", "CF", ("对{}的处罚", "对{}，逾期不改正的处罚")),
    "inspection": ("objects", "supervisory", "JC", ("对{}的行政检查", "对{}的专项检查")),
    "coercion": ("measures", "government_affairs", "QZ", ("{}",)),
}

# Wording of the scenario's acts: reviewing body, findings, reasons, document numbers (文号).
BODY = "江北区基层治理体制改革联席会议"
LEGAL = "于法有据，属可依法赋权镇街的事项"
REASONABLE = "高频率、高综合、高需求事项，镇街具备承接条件"
NOT_REASONABLE = "镇街缺乏专业执法力量和技术装备，承接条件不足"
NOT_LEGAL = "法律依据已修订，该事项不得赋权镇街"
REASON_REJECT = "合理性审核未通过：镇街缺乏专业执法力量和技术装备，暂不具备承接条件"
REASON_RECALL = "镇街承接能力不足，调研评估后上收"
REASON_TRANSFER = "该事项纳入综合行政执法事项目录，划转区综合行政执法局统一行使"
GUIDANCE = "{}派员驻点指导，编制办案操作指引"
EVALUATIONS = {  # rating -> (recommendation, findings)
    "effective": ("keep", "调研评估：承接运行平稳，办件及时规范"),
    "needs_improvement": ("adjust", "调研评估：办案规范性有待提高，需加强部门业务指导和培训"),
    "ineffective": ("recall", "调研评估：承接后办件量少、专业人员不足，建议上收"),
}
BATCHES = {  # code -> (title, document number)
    "JB-2021-01": ("首批赋权事项：17 个方面 206 项行政检查、行政处罚、行政强制权", "甬北编〔2021〕12号"),
    "JB-2021-02": ("第二批赋权事项（成熟一批、赋予一批）", "甬北编〔2022〕2号"),
}
DOCS = {
    "approve": "甬北政办发〔2021〕35号",
    "reject": "甬北编函〔2021〕27号",
    "transfer": "甬北编〔2021〕38号",
    "recall": "甬北编〔2022〕5号",
    "approve-2": "甬北政办发〔2022〕3号",
}


def power_items() -> list[ItemDetails]:
    """The 206 items: per domain ~55 % penalties, ~1/7 coercive measures, the rest inspections."""
    items: list[ItemDetails] = []
    for domain in DOMAINS:
        penalties, measures = round(domain.items * 0.55), max(1, domain.items // 7)
        counts: dict[PowerKind, int] = {
            "penalty": penalties,
            "coercion": measures,
            "inspection": domain.items - penalties - measures,
        }
        for kind, count in counts.items():
            field, power_list, prefix, templates = KIND_TEMPLATES[kind]
            phrases = getattr(domain, field)
            for k in range(count):
                items.append(
                    ItemDetails(
                        code=f"{domain.department}-{prefix}{k + 1:03d}",
                        kind=kind,
                        list=power_list,
                        name=templates[k // len(phrases)].format(phrases[k % len(phrases)]),
                        domain=domain.name,
                        department=domain.department,
                        legal_basis=f"{domain.law}第{12 + 7 * len(items) % 61}条",
                    )
                )
    return items
