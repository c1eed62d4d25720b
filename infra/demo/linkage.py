"""The linkage demo (区镇联动): one day of cases in 慈城镇, Jiangbei, at the seeds' scale.

Jiangsu reports 14,000 cases a year in one town (about 40 a day) and 97.2 % of citizens
satisfied. 40 cases are reported on 2021-12-01: 16 about power items the town holds that
day (routed to the town), 8 about items it does not hold (to their departments, the town
cooperating), one joint-enforcement matter (to the scenario's lead, its departments and
the town), 15 daily matters (镇管日常). Parties sign for, report in, handle and resolve;
36 cases close, 35 of them satisfied or basically satisfied (97.2 %). One lead does not
sign for in time and is supervised (督办) by the deadline clock; one town case stays
unresolved, is supervised and then escalated to the district. Item codes are chosen from
what the ledger says the town holds; times and categories are illustrative.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from aggregates.base import CHINA_STANDARD_TIME
from contracts.envelope import Actor
from contracts.linkage import commands as c
from infra.demo.messages import Message, Sender
from infra.demo.powers import NAMESPACE  # the cases' ids are named in the delegations' namespace

TOWN = "JB-CICHENG"
DAY = datetime(2021, 12, 1, 8, tzinfo=CHINA_STANDARD_TIME)
DAILY = ("litter", "road_damage", "neighbour_dispute", "street_lighting", "green_space")
GRID = Actor(id="cc-grid", role="网格员", system="基层治理四平台")


def case_no(n: int) -> str:
    return f"CC-20211201-{n:03d}"


class _Cases(Sender):
    """The grid's acts on the day's cases: keyed by the case, in force when they occur."""

    def __init__(self) -> None:
        super().__init__(NAMESPACE, actor=GRID)

    def act(self, cls: type, n: int, at: datetime, payload: Any) -> None:
        self.send(
            cls,
            payload,
            at.isoformat(),
            at=at,
            key=case_no(n),
            before=("linkage", case_no(n)),
            effective_at=at,
        )


def reports(held: list[str], not_held: list[str], scenario: str) -> list[Message]:
    subjects: list[dict[str, Any]] = (
        [{"item": code} for code in held[:16]]
        + [{"item": not_held[i % len(not_held)]} for i in range(8)]  # few items are not held
        + [{"category": scenario}]
        + [{"category": DAILY[i % len(DAILY)]} for i in range(15)]
    )
    s = _Cases()
    for n, subject in enumerate(subjects):
        s.act(
            c.ReportCase,
            n,
            DAY + timedelta(minutes=15 * n),
            c.CaseReport(
                case=case_no(n),
                source="hotline" if n % 3 == 0 else "grid",
                town=TOWN,
                grid_cell=f"CC-{n % 12 + 1:02d}",
                summary="群众反映",
                **subject,
            ),
        )
    return s.out


DAILY_FROM = 25  # cases 25–39 are the town's daily matters
LATE, STUCK = 26, 27  # supervised for signing late; supervised and escalated
OPEN = (21, 22, 23)  # department cases still being handled at the end


def first_acts(routed: dict[str, dict[str, Any]]) -> list[Message]:
    """Dec 1: every lead but LATE's signs for within 20 minutes; cooperating parties report in."""
    s = _Cases()
    for n in range(40):
        case = routed[case_no(n)]
        if n >= DAILY_FROM:  # as first dispatched, whatever became of the case since
            case = {**case, "lead": TOWN, "cooperating": []}
        at = case["reported_at"] + timedelta(minutes=20)
        if n != LATE:
            s.act(c.SignForCase, n, at, c.PartyAct(case=case_no(n), party=case["lead"]))
        for i, party in enumerate(case["cooperating"]):
            s.act(c.SignForCase, n, at + timedelta(minutes=5 + i), c.PartyAct(case=case_no(n), party=party))
            s.act(
                c.ReportIn,
                n,
                at + timedelta(minutes=30 + i),
                c.PartyAct(case=case_no(n), party=party, note="到场配合"),
            )
        if n != LATE:
            s.act(
                c.HandleCase,
                n,
                at + timedelta(hours=1),
                c.PartyAct(case=case_no(n), party=case["lead"], note="现场处置"),
            )
    return s.out


def closing_acts(routed: dict[str, dict[str, Any]]) -> list[Message]:
    """LATE's lead signs for after its supervision; the rest resolve on Dec 2 and close."""
    late, s = routed[case_no(LATE)], _Cases()
    s.act(
        c.SignForCase,
        LATE,
        DAY + timedelta(hours=11),
        c.PartyAct(case=case_no(LATE), party=late["lead"], note="督办后签收"),
    )
    for n in range(40):
        if n in (STUCK, *OPEN):
            continue
        case, at = routed[case_no(n)], DAY + timedelta(days=1, minutes=10 * n)
        outcome: c.Outcome = "explained" if n in (5, 33) else "resolved"
        s.act(
            c.ResolveCase,
            n,
            at,
            c.Resolution(case=case_no(n), party=case["lead"], outcome=outcome, summary="已办结"),
        )
        verdict: c.Satisfaction = (
            "dissatisfied" if n == 7 else "basically_satisfied" if n == 12 else "satisfied"
        )
        s.act(c.CloseCase, n, at + timedelta(hours=3), c.Closing(case=case_no(n), satisfaction=verdict))
    return s.out
