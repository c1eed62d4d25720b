"""The turnover-pool demo (编制周转池): Jiangbei's pool (seed 000) as upstream commands.

江北's 周转池 ("从全区事业编制总量内挖潜调剂建立") is filled by four district units and drawn
for its three purposes (重大阶段性任务、改善人员结构、引进紧缺人才): four draws approved, one
rejected, one approved beyond the balance (refused: PoolExhausted, the BAD_RULES), one
returned in part, one due back by the clock on 2022-01-01, one renewed. Capacity, counts,
dates and 文号 are illustrative. The ids are those the pool had while it was part of the
staffing demo (the quotas namespace), so a demo published before the split is recognised.
"""

from __future__ import annotations

from datetime import date

from contracts.pool import commands as p
from infra.demo.messages import Message, Sender, bianban
from infra.kafka import clients as kafka
from infra.kafka import clock

__all__ = ["BAD_RULES", "POOL", "demo_commands"]

SCOPE, DISTRICT = "quotas", "宁波市江北区"  # the quota ledgers' namespace and correlation
BAD_RULES = ["PoolExhausted"]
POOL, CONTRIBUTORS = "JB-POOL", {"JB-EDU": 15, "JB-HEALTH": 10, "JB-AGRI": 8, "JB-WATER": 7}
DRAWS: dict[p.Purpose, list[tuple[str, int, str]]] = {
    "major_task": [("CICHENG-01", 10, "2022-12-31"), ("YONGJIANG-01", 8, "2022-06-30")],
    "structure": [("ZHUANGQIAO-01", 6, "2023-06-30"), ("KONGPU-01", 3, "2022-12-31")],
    "scarce_talent": [("HONGTANG-01", 4, "2021-12-31"), ("WENJIAO-01", 20, "2024-12-31")],
}
DOC = "甬北编〔2021〕4号"


def demo_commands() -> list[Message]:
    """The pool's commands as (key, value) Kafka messages keyed by pool, deterministic."""
    s = Sender(SCOPE, actor=bianban("jb"), key=kafka.command_key, chain=DISTRICT, correlation=DISTRICT)
    s.send_dated(
        p.EstablishPool,
        "2021-03-01",
        p.PoolDetails(pool=POOL, name="江北区事业编制周转池", district_name=DISTRICT, capacity=60),
        version=2,
        document_no=DOC,
        reason="从全区事业编制总量内挖潜调剂建立“周转池”",
    )
    for unit, n in CONTRIBUTORS.items():
        s.send_dated(
            p.ContributeToPool, "2021-03-15", p.Contribution(pool=POOL, unit=unit, count=n), document_no=DOC
        )
    for purpose, draws in DRAWS.items():
        for draw, n, until in draws:  # the draw id starts with the town's code
            s.send_dated(
                p.RequestDraw,
                "2021-04-01",
                p.DrawRequest(
                    pool=POOL,
                    draw=draw,
                    count=n,
                    town=f"JB-{draw[:-3]}",
                    purpose=purpose,
                    until=date.fromisoformat(until),
                ),
            )
    for draw in ("CICHENG-01", "ZHUANGQIAO-01", "HONGTANG-01", "YONGJIANG-01"):
        s.send_dated(p.ApproveDraw, "2021-04-15", p.DrawRef(pool=POOL, draw=draw), document_no=DOC)
    s.send_dated(
        p.RejectDraw,
        "2021-04-15",
        p.DrawRef(pool=POOL, draw="KONGPU-01"),
        document_no=DOC,
        reason="申请用途与改善人员结构无关，请按年度用编计划解决",
    )
    s.send_dated(
        p.ApproveDraw, "2021-05-10", p.DrawRef(pool=POOL, draw="WENJIAO-01"), document_no=DOC
    )  # beyond the balance: refused
    s.send_dated(p.ReturnDraw, "2021-10-01", p.DrawReturn(pool=POOL, draw="ZHUANGQIAO-01", count=2))
    s.out.extend(clock.clock_messages([POOL], date(2022, 1, 1)))  # HONGTANG-01 is due
    s.send_dated(
        p.RenewDraw,
        "2022-06-01",
        p.DrawRenewal(pool=POOL, draw="YONGJIANG-01", until=date(2022, 12, 31)),
        document_no=DOC,
        reason="重大阶段性任务延期，用编期限相应延长",
    )
    return s.out
