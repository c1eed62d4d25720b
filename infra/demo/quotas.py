"""The quota-ledger demo (编制台账): seeds 000, 001 and 003 as upstream commands.

丹阳市 (seed 001) moves 140 administrative quotas from its city organs to its 10 towns,
13–15 each ("跨层级调整 140 名行政编制，每个乡镇增加 10–15 名"); three 郾城区 towns of 漯河
(seed 003) get 35 institutional quotas each ("减县补乡 … 平均每个乡镇增编 35 个"). 江北 (seed
000): towns' share of the yearly 用编计划 from ≈30 % (2020) to 52 % (2021, "50 % 以上");
leadership posts per town (中层领导职数总量管理); auxiliaries stationed in towns (用工计划单列);
a 逆向调整 refused without approval (ReverseAdjustmentNotApproved), then approved.
Baselines, dates and 文号 are illustrative. 江北's 周转池 is the pool's demo
(`infra.demo.pool`); `demo_commands()` and BAD_RULES still give the staffing demo both
make, the ledgers' then the pool's, as they did before the pool had a module of its own.
"""

from __future__ import annotations

from contracts.quotas import commands as q
from infra.demo import pool
from infra.demo.catalogue import TOWNS as JIANGBEI
from infra.demo.messages import Message, Sender, bianban
from infra.kafka import clients as kafka

__all__ = ["BAD_RULES", "DANYANG", "LEDGER_BAD_RULES", "LUOHE", "POOL", "demo_commands", "ledger_commands"]

SCOPE = "quotas"
LEDGER_BAD_RULES = ["ReverseAdjustmentNotApproved"]
BAD_RULES = LEDGER_BAD_RULES + pool.BAD_RULES  # those of demo_commands(), in order
POOL = pool.POOL
DANYANG = {
    "DY-SITU": ("司徒镇", 15),
    "DY-YANLING": ("延陵镇", 15),
    "DY-ERLING": ("珥陵镇", 14),
    "DY-DAOSHU": ("导墅镇", 14),
    "DY-HUANGTANG": ("皇塘镇", 14),
    "DY-LVCHENG": ("吕城镇", 14),
    "DY-LINGKOU": ("陵口镇", 14),
    "DY-FANGXIAN": ("访仙镇", 14),
    "DY-JIEPAI": ("界牌镇", 13),
    "DY-DANBEI": ("丹北镇", 13),
}  # 140 in all
LUOHE = {"LH-SHANGQIAO": ("商桥镇", 35), "LH-PEICHENG": ("裴城镇", 35), "LH-LONGCHENG": ("龙城镇", 35)}
PLANS = {2020: (50, 20, [4, 4, 4, 4, 4, 4, 3, 3]), 2021: (33, 15, [7, 7, 7, 7, 6, 6, 6, 6])}


class _District(Sender):
    """One district's commands in order, each caused by the one before, correlated by it."""

    def __init__(self, out: list[Message], district: str, who: str) -> None:
        super().__init__(
            SCOPE, out, actor=bianban(who), key=kafka.command_key, chain=district, correlation=district
        )
        self.district = district

    def ledger(
        self,
        unit: str,
        name: str,
        level: q.QuotaLevel,
        on: str,
        doc: str,
        kinds: dict[q.QuotaKind, tuple[int, int]],
    ) -> None:
        """Open the unit's ledger, approve (核定) each kind and record who occupies it."""
        details = q.LedgerDetails(unit=unit, name=name, level=level, district_name=self.district)
        self.send_dated(q.OpenQuotaLedger, on, details, version=2)
        for kind, (approved, occupied) in kinds.items():
            self.send_dated(
                q.ApproveQuotas, on, q.QuotaApproval(unit=unit, kind=kind, approved=approved), document_no=doc
            )
            self.send_dated(q.OccupyQuotas, on, q.QuotaMove(unit=unit, kind=kind, count=occupied))

    def transfer(
        self,
        unit: str,
        to: str,
        level: q.QuotaLevel,
        kind: q.QuotaKind,
        n: int,
        on: str,
        doc: str,
        approval: q.Approval | None = None,
        reason: str | None = None,
    ) -> None:
        self.send_dated(
            q.TransferQuotas,
            on,
            q.Transfer(unit=unit, to_unit=to, to_level=level, kind=kind, count=n, approval=approval),
            document_no=doc,
            reason=reason,
        )


def _moved_down(
    out: list[Message],
    district: str,
    who: str,
    source: tuple[str, str],
    towns: dict[str, tuple[str, int]],
    kind: q.QuotaKind,
    counts: tuple[tuple[int, int], tuple[int, int]],
    days: tuple[str, str],
    docs: tuple[str, str],
    reason: str,
) -> None:
    """Ledgers approved on the first day, then quotas moved down to each town on the second."""
    s = _District(out, district, who)
    s.ledger(*source, "district", days[0], docs[0], {kind: counts[0]})
    for code, (name, _) in towns.items():
        s.ledger(code, name, "town", days[0], docs[0], {kind: counts[1]})
    for code, (_, n) in towns.items():
        s.transfer(source[0], code, "town", kind, n, days[1], docs[1], reason=reason)


def _jiangbei(out: list[Message]) -> None:
    s = _District(out, "宁波市江北区", "jb")
    s.ledger(
        "JB-ORGANS",
        "江北区级机关和事业单位",
        "district",
        "2020-01-06",
        "甬北编〔2020〕1号",
        {"administrative": (900, 850), "institutional": (3000, 2700), "auxiliary": (600, 540)},
    )
    for code, name in JIANGBEI.items():
        s.ledger(
            code,
            name,
            "town",
            "2020-01-06",
            "甬北编〔2020〕1号",
            {"administrative": (40, 35), "institutional": (60, 50)},
        )
        s.send_dated(
            q.SetLeadershipPosts,
            "2021-03-01",
            q.LeadershipPosts(unit=code, approved=12),
            document_no="甬北编〔2021〕2号",
            reason="镇街中层领导职数试行总量管理",
        )
        s.send_dated(q.OccupyLeadershipPosts, "2021-03-01", q.PostMove(unit=code, count=10))
        s.transfer(
            "JB-ORGANS",
            code,
            "town",
            "auxiliary",
            5,
            "2021-03-01",
            "甬北编〔2021〕5号",
            reason="区级部门编外辅助人员派驻镇街，用工计划单列",
        )
    for year, (institutional, administrative, towns) in PLANS.items():
        plans: list[tuple[str, q.PlanKind, int]] = [
            ("JB-ORGANS", "institutional", institutional),
            ("JB-ORGANS", "administrative", administrative),
            *((code, "institutional", n) for code, n in zip(JIANGBEI, towns)),
        ]
        for unit, kind, n in plans:
            s.send_dated(
                q.PlanStaffing, f"{year}-02-01", q.StaffingPlan(unit=unit, year=year, kind=kind, planned=n)
            )
    approved = q.Approval(body="中共宁波市江北区委机构编制委员会", document_no="甬北编委〔2021〕3号")
    for approval in (None, approved):  # the first refused: 逆向调整 without approval
        s.transfer(
            "JB-KONGPU",
            "JB-ORGANS",
            "district",
            "administrative",
            2,
            "2021-09-01",
            "甬北编〔2021〕12号",
            approval,
            "镇街职能调整，行政编制回收区级机关",
        )


def ledger_commands() -> list[Message]:
    """The quota ledgers' commands as (key, value) Kafka messages keyed by unit, deterministic."""
    out: list[Message] = []
    _moved_down(
        out,
        "镇江市丹阳市",
        "dy",
        ("DY-ORGANS", "丹阳市市级机关"),
        DANYANG,
        "administrative",
        ((1180, 1020), (30, 28)),
        ("2019-12-01", "2020-01-06"),
        ("丹编〔2019〕20号", "丹编〔2020〕1号"),
        "“三整合”：跨层级调整行政编制下沉乡镇",
    )
    _moved_down(
        out,
        "漯河市郾城区",
        "lh",
        ("LH-YC-INST", "郾城区区直事业单位"),
        LUOHE,
        "institutional",
        ((1600, 1450), (40, 36)),
        ("2021-01-04", "2021-03-01"),
        ("郾编〔2021〕2号", "郾编〔2021〕6号"),
        "减县补乡：事业编制人员下沉一线",
    )
    _jiangbei(out)
    return out


def demo_commands() -> list[Message]:
    """The staffing demo of ledgers and pool, as its callers took it before the split: the
    quota ledgers' commands, then the pool's (`pool.demo_commands()`)."""
    return ledger_commands() + pool.demo_commands()
