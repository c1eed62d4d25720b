"""The staffing demo (编制台账, 编制周转池): seeds 000, 001 and 003 as upstream commands.

丹阳市 (seed 001) moves 140 administrative quotas from its city organs to its 10 towns,
13–15 each ("跨层级调整 140 名行政编制，每个乡镇增加 10–15 名"); three 郾城区 towns of 漯河
(seed 003) get 35 institutional quotas each ("减县补乡 … 平均每个乡镇增编 35 个"). 江北 (seed
000): towns' share of the yearly 用编计划 from ≈30 % (2020) to 52 % (2021, "50 % 以上");
leadership posts per town (中层领导职数总量管理); auxiliaries stationed in towns (用工计划单列);
a 逆向调整 refused without approval, then approved; the 周转池 ("挖潜调剂建立") drawn for its
three purposes. Baselines, capacity, dates and 文号 are illustrative. The two deliberately
bad commands (an unapproved 逆向调整, a draw beyond the balance) break BAD_RULES, in order.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import NAMESPACE_URL, uuid5

import msgspec

from contracts.pool import commands as p
from contracts.quotas import commands as q
from contracts.envelope import Actor
from infra.kafka import clock
from infra.kafka import clients as kafka
from infra.demo.catalogue import TOWNS as JIANGBEI

NAMESPACE = uuid5(NAMESPACE_URL, "https://govledger.example/demo/quotas")
BAD_RULES = ["ReverseAdjustmentNotApproved", "PoolExhausted"]
DANYANG = {"DY-SITU": ("司徒镇", 15), "DY-YANLING": ("延陵镇", 15), "DY-ERLING": ("珥陵镇", 14),
           "DY-DAOSHU": ("导墅镇", 14), "DY-HUANGTANG": ("皇塘镇", 14), "DY-LVCHENG": ("吕城镇", 14),
           "DY-LINGKOU": ("陵口镇", 14), "DY-FANGXIAN": ("访仙镇", 14), "DY-JIEPAI": ("界牌镇", 13),
           "DY-DANBEI": ("丹北镇", 13)}  # 140 in all
LUOHE = {"LH-SHANGQIAO": ("商桥镇", 35), "LH-PEICHENG": ("裴城镇", 35), "LH-LONGCHENG": ("龙城镇", 35)}
PLANS = {2020: (50, 20, [4, 4, 4, 4, 4, 4, 3, 3]), 2021: (33, 15, [7, 7, 7, 7, 6, 6, 6, 6])}
POOL, CONTRIBUTORS = "JB-POOL", {"JB-EDU": 15, "JB-HEALTH": 10, "JB-AGRI": 8, "JB-WATER": 7}
DRAWS = {"major_task": [("CICHENG-01", 10, "2022-12-31"), ("YONGJIANG-01", 8, "2022-06-30")],
         "structure": [("ZHUANGQIAO-01", 6, "2023-06-30"), ("KONGPU-01", 3, "2022-12-31")],
         "scarce_talent": [("HONGTANG-01", 4, "2021-12-31"), ("WENJIAO-01", 20, "2024-12-31")]}


class _Sender:
    """Emits one district's commands in order, each caused by the one before."""

    def __init__(self, out: list[tuple[bytes | None, bytes]], district: str, who: str) -> None:
        self.out, self.district, self.last = out, district, None
        self.actor = Actor(id=f"{who}-bianban", role="编办", system="机构编制管理系统")

    def send(self, cls: type, on: str, payload: Any, document_no: str | None = None,
             reason: str | None = None) -> None:
        tag = cls.__struct_config__.tag  # type: ignore[attr-defined]
        message_id = str(uuid5(NAMESPACE, f"{tag}/{on}/{msgspec.json.encode(payload).decode()}"))
        command = cls(message_id=message_id, actor=self.actor,
                      occurred_at=datetime.fromisoformat(on).replace(hour=9, tzinfo=clock.CST),
                      correlation_id=str(uuid5(NAMESPACE, self.district)), causation_id=self.last,
                      document_no=document_no, reason=reason, payload=payload)
        value = msgspec.json.encode(command)
        self.out.append((kafka.command_key(value), value))
        self.last = message_id

    def ledger(self, unit: str, name: str, level: str, on: str, doc: str,
               **kinds: tuple[int, int]) -> None:
        """Open the unit's ledger, approve (核定) each kind and record who occupies it."""
        details = q.LedgerDetails(unit=unit, name=name, level=level, district=self.district)
        self.send(q.OpenQuotaLedger, on, details)
        for kind, (approved, occupied) in kinds.items():
            self.send(q.ApproveQuotas, on, q.QuotaApproval(unit=unit, kind=kind, approved=approved),
                      doc)
            self.send(q.OccupyQuotas, on, q.QuotaMove(unit=unit, kind=kind, count=occupied))

    def transfer(self, unit: str, to: str, level: str, kind: str, n: int, on: str, doc: str,
                 approval: q.Approval | None = None, reason: str | None = None) -> None:
        self.send(q.TransferQuotas, on, q.Transfer(unit=unit, to_unit=to, to_level=level, kind=kind,
                                                   count=n, approval=approval), doc, reason)


def _moved_down(out: list[tuple[bytes | None, bytes]], district: str, who: str,
                source: tuple[str, str], towns: dict[str, tuple[str, int]], kind: str,
                counts: tuple[tuple[int, int], tuple[int, int]], days: tuple[str, str],
                docs: tuple[str, str], reason: str) -> None:
    """Ledgers approved on the first day, then quotas moved down to each town on the second."""
    s = _Sender(out, district, who)
    s.ledger(*source, "district", days[0], docs[0], **{kind: counts[0]})
    for code, (name, _) in towns.items():
        s.ledger(code, name, "town", days[0], docs[0], **{kind: counts[1]})
    for code, (_, n) in towns.items():
        s.transfer(source[0], code, "town", kind, n, days[1], docs[1], reason=reason)


def _jiangbei(out: list[tuple[bytes | None, bytes]]) -> None:
    s = _Sender(out, "宁波市江北区", "jb")
    s.ledger("JB-ORGANS", "江北区级机关和事业单位", "district", "2020-01-06", "甬北编〔2020〕1号",
             administrative=(900, 850), institutional=(3000, 2700), auxiliary=(600, 540))
    for code, name in JIANGBEI.items():
        s.ledger(code, name, "town", "2020-01-06", "甬北编〔2020〕1号",
                 administrative=(40, 35), institutional=(60, 50))
        s.send(q.SetLeadershipPosts, "2021-03-01", q.LeadershipPosts(unit=code, approved=12),
               "甬北编〔2021〕2号", "镇街中层领导职数试行总量管理")
        s.send(q.OccupyLeadershipPosts, "2021-03-01", q.PostMove(unit=code, count=10))
        s.transfer("JB-ORGANS", code, "town", "auxiliary", 5, "2021-03-01", "甬北编〔2021〕5号",
                   reason="区级部门编外辅助人员派驻镇街，用工计划单列")
    for year, (institutional, administrative, towns) in PLANS.items():
        plans = [("JB-ORGANS", "institutional", institutional),
                 ("JB-ORGANS", "administrative", administrative),
                 *((code, "institutional", n) for code, n in zip(JIANGBEI, towns))]
        for unit, kind, n in plans:
            s.send(q.PlanStaffing, f"{year}-02-01",
                   q.StaffingPlan(unit=unit, year=year, kind=kind, planned=n))
    back = "镇街职能调整，行政编制回收区级机关"
    s.transfer("JB-KONGPU", "JB-ORGANS", "district", "administrative", 2, "2021-09-01",
               "甬北编〔2021〕12号", reason=back)  # refused: 逆向调整 without approval
    s.transfer("JB-KONGPU", "JB-ORGANS", "district", "administrative", 2, "2021-09-01",
               "甬北编〔2021〕12号", q.Approval(body="中共宁波市江北区委机构编制委员会",
                                               document_no="甬北编委〔2021〕3号"), back)


def _jiangbei_pool(out: list[tuple[bytes | None, bytes]]) -> None:
    s, doc = _Sender(out, "宁波市江北区", "jb"), "甬北编〔2021〕4号"
    s.send(p.EstablishPool, "2021-03-01", p.PoolDetails(
        pool=POOL, name="江北区事业编制周转池", district="宁波市江北区", capacity=60), doc,
        "从全区事业编制总量内挖潜调剂建立“周转池”")
    for unit, n in CONTRIBUTORS.items():
        s.send(p.ContributeToPool, "2021-03-15", p.Contribution(pool=POOL, unit=unit, count=n), doc)
    for purpose, draws in DRAWS.items():
        for draw, n, until in draws:  # the draw id starts with the town's code
            s.send(p.RequestDraw, "2021-04-01", p.DrawRequest(pool=POOL, draw=draw, count=n,
                   town=f"JB-{draw[:-3]}", purpose=purpose, until=date.fromisoformat(until)))
    for draw in ("CICHENG-01", "ZHUANGQIAO-01", "HONGTANG-01", "YONGJIANG-01"):
        s.send(p.ApproveDraw, "2021-04-15", p.DrawRef(pool=POOL, draw=draw), doc)
    s.send(p.RejectDraw, "2021-04-15", p.DrawRef(pool=POOL, draw="KONGPU-01"), doc,
           "申请用途与改善人员结构无关，请按年度用编计划解决")
    s.send(p.ApproveDraw, "2021-05-10", p.DrawRef(pool=POOL, draw="WENJIAO-01"), doc)  # exhausted
    s.send(p.ReturnDraw, "2021-10-01", p.DrawReturn(pool=POOL, draw="ZHUANGQIAO-01", count=2))
    out.extend(clock.clock_messages([POOL], date(2022, 1, 1)))  # HONGTANG-01 is due
    s.send(p.RenewDraw, "2022-06-01", p.DrawRenewal(pool=POOL, draw="YONGJIANG-01",
                                                     until=date(2022, 12, 31)), doc,
           "重大阶段性任务延期，用编期限相应延长")


def demo_commands() -> list[tuple[bytes | None, bytes]]:
    """The demo's staffing commands as (key, value) Kafka messages, deterministic."""
    out: list[tuple[bytes | None, bytes]] = []
    _moved_down(out, "镇江市丹阳市", "dy", ("DY-ORGANS", "丹阳市市级机关"), DANYANG,
                "administrative", ((1180, 1020), (30, 28)), ("2019-12-01", "2020-01-06"),
                ("丹编〔2019〕20号", "丹编〔2020〕1号"), "“三整合”：跨层级调整行政编制下沉乡镇")
    _moved_down(out, "漯河市郾城区", "lh", ("LH-YC-INST", "郾城区区直事业单位"), LUOHE,
                "institutional", ((1600, 1450), (40, 36)), ("2021-01-04", "2021-03-01"),
                ("郾编〔2021〕2号", "郾编〔2021〕6号"), "减县补乡：事业编制人员下沉一线")
    _jiangbei(out)
    _jiangbei_pool(out)
    return out
