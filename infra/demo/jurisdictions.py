"""The levels demo (行政层级): the units of 漯河 (seed 003), 包河 (seed 004) and 江北 (seed 000), their
residents, and Hefei's city top-up of Baohe's street quotas.

包河 (seed 004): "辖9街、2镇、2个街道级大社区和1个省级经济开发区，截至2020年上半年常住人口140万" —
under 合肥市, 9 streets, 2 towns, 2 street-level big communities (街道级大社区) and the
provincial economic development zone (its host the district), and 1,400,000 residents counted
for the district on 2020-06-30. The seed names 常青 and 万年埠 streets; the other names are the
district's as commonly listed and serve for readability. Its streets' administrative quotas,
"15—25名，采取区内调剂、市级补充的方式逐步到位": each street's ledger is approved at 15 within the
district, then the city tops each up by 3 from a city ledger (a transfer from the city's
ledger down to the street's: figures, dates and 文号 illustrative). Communities of 万年埠 and of
滨湖世纪社区, where the community-worker demo keeps its registers, are illustrative.

漯河 (seed 003): "在14个街道、110个社区", three districts (源汇区, 郾城区, 召陵区) and the three 郾城区
towns of the quota demo. The seed gives only the counts: how the 14 streets and 110 communities
fall in the districts, their names (示例街道…, 示例社区…) and codes are illustrative. Residents
are counted per community on 2021-01-04: 843,000 in all, the seed's "录入人口信息84.3万条" (people
entered on the city's platform) standing in for the communities' resident population, spread
in proportion to the community workers each community has once the recruitment is done (so
every street, like the city, meets 18 per 10,000: illustrative, the seed gives no population
per community). 宁波市 and 江北区 are registered so that Jiangbei's towns, registered only by
`town.register` with district `JB`, stand in the tree under their district.
"""

from __future__ import annotations

from contracts.envelope import Actor
from contracts.jurisdictions import commands as j
from contracts.quotas import commands as q
from infra.demo.messages import Message, Sender, bianban
from infra.demo.quotas import LUOHE as LUOHE_TOWNS

__all__ = [
    "BAOHE",
    "BAOHE_COMMUNITIES",
    "LUOHE_COMMUNITIES",
    "LUOHE_RESIDENTS",
    "LUOHE_STREETS",
    "TOP_UP",
    "demo_phases",
    "top_up_commands",
    "top_up_phases",
]

SCOPE = "jurisdictions"
CIVIL_AFFAIRS = "区划地名信息系统"
STATISTICS = "人口统计系统"

# 包河: code -> (name, kind, parent)
BAOHE: dict[str, tuple[str, j.JurisdictionKind, str]] = {
    "BH-WUHULU": ("芜湖路街道", "street", "BH"),
    "BH-BAOGONG": ("包公街道", "street", "BH"),
    "BH-WANGHU": ("望湖街道", "street", "BH"),
    "BH-TONGAN": ("同安街道", "street", "BH"),
    "BH-CHANGQING": ("常青街道", "street", "BH"),
    "BH-LUOGANG": ("骆岗街道", "street", "BH"),
    "BH-WANNIANBU": ("万年埠街道", "street", "BH"),
    "BH-YICHENG": ("义城街道", "street", "BH"),
    "BH-YANDUN": ("烟墩街道", "street", "BH"),
    "BH-DAWEI": ("大圩镇", "town", "BH"),
    "BH-FEIHE": ("淝河镇", "town", "BH"),
    "BH-BINHU": ("滨湖世纪社区", "big_community", "BH"),
    "BH-FANGXING": ("方兴社区", "big_community", "BH"),
}
BAOHE_ZONE = ("BH-ETDZ", "包河经济开发区")  # 省级经济开发区, hosted by the district
BAOHE_RESIDENTS = 1_400_000  # 截至2020年上半年常住人口140万
BAOHE_COMMUNITIES = {  # illustrative communities, where the worker registers are kept
    "BH-WNB-SQ01": ("万年埠示例社区一", "BH-WANNIANBU"),
    "BH-WNB-SQ02": ("万年埠示例社区二", "BH-WANNIANBU"),
    "BH-WNB-SQ03": ("万年埠示例社区三", "BH-WANNIANBU"),
    "BH-BINHU-SQ01": ("滨湖世纪示例社区", "BH-BINHU"),
}
STREETS = [code for code, (_, kind, _) in BAOHE.items() if kind == "street"]
TOP_UP = 3  # 市级补充 per street (illustrative), on 15 approved within the district

LUOHE_DISTRICTS = {"LH-YH": "源汇区", "LH-YC": "郾城区", "LH-ZL": "召陵区"}
# 14 streets (illustrative split: 5, 4, 5), 110 communities (8 each, the last two 7)
LUOHE_STREETS: dict[str, tuple[str, str]] = {
    f"LH-ST{n:02d}": (f"{LUOHE_DISTRICTS[d]}示例街道{n:02d}", d)
    for n, d in enumerate(["LH-YH"] * 5 + ["LH-YC"] * 4 + ["LH-ZL"] * 5, 1)
}
LUOHE_COMMUNITIES: dict[str, tuple[str, str]] = {
    f"{street}-SQ{m:02d}": (f"示例社区{street[-2:]}{m:02d}", street)
    for n, street in enumerate(LUOHE_STREETS, 1)
    for m in range(1, (8 if n <= 12 else 7) + 1)
}
LUOHE_RESIDENTS = 843_000  # the seed's 84.3万 people on the platform: illustrative as the communities'
# community workers per community once the recruitment is done (1,692 in all, the seed's figure):
# 15 each, 16 in the first 42 (illustrative split)
LUOHE_WORKERS = {code: 16 if n < 42 else 15 for n, code in enumerate(LUOHE_COMMUNITIES)}


def _spread(total: int, weights: dict[str, int]) -> dict[str, int]:
    """`total` split in proportion to the weights, in whole numbers that add up to it."""
    whole = sum(weights.values())
    shares = {code: total * w // whole for code, w in weights.items()}
    for code in list(weights)[: total - sum(shares.values())]:
        shares[code] += 1
    return shares


COMMUNITY_RESIDENTS = _spread(LUOHE_RESIDENTS, LUOHE_WORKERS)


class _Registry(Sender):
    """The civil-affairs registry (区划地名) of one city: its units, each keyed by its code."""

    def __init__(self, out: list[Message], city: str, day: str) -> None:
        super().__init__(
            SCOPE,
            out,
            actor=Actor(id=f"{city}-minzheng", role="民政局", system=CIVIL_AFFAIRS),
            correlation=("jurisdictions", city),
        )
        self.day = day

    def unit(
        self, code: str, name: str, level: j.Level, kind: j.JurisdictionKind, parent: str | None
    ) -> None:
        details = j.JurisdictionDetails(code=code, name=name, level=level, kind=kind, parent=parent)
        self.send(j.RegisterJurisdiction, details, code, at=self.day, key=code)

    def residents(self, code: str, residents: int, day: str) -> None:
        actor = Actor(id=f"{code}-tongji", role="统计局", system=STATISTICS)
        count = j.ResidentCount(code=code, residents=residents)
        self.send(j.RecordResidents, count, code, day, at=day, key=code, actor=actor)


def demo_phases() -> list[list[Message]]:
    """The units by level, a phase each (a parent is taken in before its units: it travels on
    another partition), then the residents with the communities."""
    cities: list[Message] = []
    districts: list[Message] = []
    zones_and_towns: list[Message] = []
    communities: list[Message] = []

    hefei = _Registry(cities, "HF", "2019-01-02")
    hefei.unit("HF", "合肥市", "city", "city", None)
    _Registry(districts, "HF", "2019-01-02").unit("BH", "包河区", "district", "district", "HF")
    baohe = _Registry(zones_and_towns, "HF", "2019-01-02")
    baohe.unit(*BAOHE_ZONE, "zone", "development_zone", "BH")
    for code, (name, kind, parent) in BAOHE.items():
        baohe.unit(code, name, "town", kind, parent)
    baohe_below = _Registry(communities, "HF", "2019-01-02")
    for code, (name, town) in BAOHE_COMMUNITIES.items():
        baohe_below.unit(code, name, "community", "community", town)
    baohe_below.residents("BH", BAOHE_RESIDENTS, "2020-06-30")

    ningbo = _Registry(cities, "NB", "2020-01-02")
    ningbo.unit("NB", "宁波市", "city", "city", None)
    _Registry(districts, "NB", "2020-01-02").unit("JB", "江北区", "district", "district", "NB")

    luohe = _Registry(cities, "LH", "2021-01-04")
    luohe.unit("LH", "漯河市", "city", "city", None)
    luohe_districts = _Registry(districts, "LH", "2021-01-04")
    for code, name in LUOHE_DISTRICTS.items():
        luohe_districts.unit(code, name, "district", "district", "LH")
    luohe_towns = _Registry(zones_and_towns, "LH", "2021-01-04")
    for code, (name, district) in LUOHE_STREETS.items():
        luohe_towns.unit(code, name, "town", "street", district)
    for code, (name, _) in LUOHE_TOWNS.items():
        luohe_towns.unit(code, name, "town", "town", "LH-YC")
    luohe_below = _Registry(communities, "LH", "2021-01-04")
    for code, (name, street) in LUOHE_COMMUNITIES.items():
        luohe_below.unit(code, name, "community", "community", street)
        luohe_below.residents(code, COMMUNITY_RESIDENTS[code], "2021-01-04")
    return [cities, districts, zones_and_towns, communities]


def top_up_commands() -> list[Message]:
    """市级补充: Hefei's city ledger tops up each Baohe street's administrative quotas (the
    streets' ledgers first approved at 15 within the district). Figures and 文号 illustrative."""
    out: list[Message] = []
    city = Sender(SCOPE, out, actor=bianban("hf"), chain="HF", correlation=("top-up", "HF"))
    ledger = q.LedgerDetails(unit="HF-ORGANS", name="合肥市市级机关", level="city", district_name="合肥市")
    city.send_dated(q.OpenQuotaLedger, "2020-01-02", ledger, version=2, key="HF-ORGANS")
    approval = q.QuotaApproval(unit="HF-ORGANS", kind="administrative", approved=4200)
    city.send_dated(q.ApproveQuotas, "2020-01-02", approval, document_no="合编〔2020〕1号", key="HF-ORGANS")
    district = Sender(SCOPE, out, actor=bianban("bh"), chain="BH", correlation=("top-up", "BH"))
    for code in STREETS:
        name = BAOHE[code][0]
        details = q.LedgerDetails(unit=code, name=name, level="town", district_name="合肥市包河区")
        district.send_dated(q.OpenQuotaLedger, "2020-01-06", details, version=2, key=code)
        approved = q.QuotaApproval(unit=code, kind="administrative", approved=15)
        district.send_dated(q.ApproveQuotas, "2020-01-06", approved, document_no="包编〔2020〕2号", key=code)
    for code in STREETS:
        transfer = q.Transfer(
            unit="HF-ORGANS", to_unit=code, to_level="town", kind="administrative", count=TOP_UP
        )
        city.send_dated(
            q.TransferQuotas,
            "2020-03-02",
            transfer,
            document_no="合编〔2020〕9号",
            reason="街道行政编制市级补充（15—25名，区内调剂、市级补充）",
            key="HF-ORGANS",
        )
    return out


def top_up_phases() -> tuple[list[Message], list[Message]]:
    """`top_up_commands` in two phases: the ledgers and their approvals, then the city's
    transfers. A transfer travels under the city ledger's key and may otherwise reach a street
    before its own `quota.open`, which then completes the ledger the transfer made (the same
    state, one more event): the demo's count of events would depend on timing."""
    commands = top_up_commands()
    return commands[: -len(STREETS)], commands[-len(STREETS) :]
