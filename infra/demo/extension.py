"""The extension demo (事项延伸): Jiangbei's 15 high-frequency items taken in by villages and
communities of 慈城镇.

江北区 (seed 000): "编制镇街'内跑'事项清单，实现15项高频事项向村(社区)延伸，推动基层内部办事
数字化，已累计办理1392件". 慈城镇 (JB-CICHENG, the district's one town, with villages) extends 15
items it holds — one inspection item (行政检查) of each of the first 15 domains of the powers
demo's first batch, delegated to it from 2021-07-01 and in force through 2021 — to two
communities and four villages from 2021-08-01; one item is withdrawn from one village on
2021-11-01; each community's cases are counted month by month, August to December 2021, and add
up to the seed's 1,392 (one September count is sent wrong and corrected). The seed gives only
the two totals: which items, the villages' and communities' codes, the dates and the split of
the cases by item, community and month are illustrative. One deliberately bad command extends
an item whose delegation to the town was rejected (ItemNotHeldByTown) — the BAD_RULES.
"""

from __future__ import annotations

from functools import cache

import msgspec

from contracts.envelope import Actor
from contracts.extension import commands as x
from contracts.powers import commands as p
from infra.demo import catalogue as w
from infra.demo import powers as demo_powers
from infra.demo.messages import Message, Sender

__all__ = ["BAD_RULES", "COMMUNITIES", "HANDLED", "MONTHS", "TOWN", "demo_commands", "extended_items"]

SCOPE, TOWN = "extension", "JB-CICHENG"
BAD_RULES = ["ItemNotHeldByTown"]
HANDLED, ITEMS = 1392, 15
COMMUNITIES = (  # 社区 (SQ) and 村 (CUN) of 慈城镇, as the town codes them
    "JB-CICHENG-SQ01",
    "JB-CICHENG-SQ02",
    "JB-CICHENG-CUN01",
    "JB-CICHENG-CUN02",
    "JB-CICHENG-CUN03",
    "JB-CICHENG-CUN04",
)
MONTHS = ("2021-08", "2021-09", "2021-10", "2021-11", "2021-12")
EXTENDED_ON, WITHDRAWN_ON = "2021-08-01", "2021-11-01"
TOWN_OFFICE = Actor(id="jb-cicheng-dangzhengban", role="镇党政办", system="基层智治综合应用")
FIRST = next(iter(w.BATCHES))


@cache
def _powers() -> tuple[tuple[p.ItemDetails, ...], frozenset[str], tuple[str, ...]]:
    """The powers demo as the town sees it: the items catalogued, those it holds under the
    first batch through 2021 (approved, never recalled or transferred), those refused it."""
    decoder = msgspec.json.Decoder(p.PowerCommand)
    items: list[p.ItemDetails] = []
    approved: set[str] = set()
    ended: set[str] = set()
    rejected: list[str] = []
    for _key, value in demo_powers.demo_commands():
        try:
            command = decoder.decode(value)
        except (msgspec.DecodeError, msgspec.ValidationError):
            continue  # the powers demo's malformed message
        if isinstance(command, p.RegisterPowerItem):
            items.append(command.payload)
            continue
        ref = command.payload
        if not isinstance(ref, p.DelegationRef) or (ref.town, ref.batch) != (TOWN, FIRST):
            continue
        if isinstance(command, p.ApproveDelegation):
            approved.add(ref.item)
        elif isinstance(command, p.RejectDelegation):
            rejected.append(ref.item)
        elif isinstance(command, p.RecallDelegation | p.TransferDelegation):
            ended.add(ref.item)
    return tuple(items), frozenset(approved - ended), tuple(rejected)


def extended_items() -> list[str]:
    """The 15 items: the first inspection item the town holds in each domain, domain by domain."""
    items, held, _rejected = _powers()
    chosen: dict[str, str] = {}
    for item in items:
        if item.kind == "inspection" and item.code in held:
            chosen.setdefault(item.domain, item.code)
    return list(chosen.values())[:ITEMS]


def _reached(item: int, community: str, month: str) -> bool:
    """Whether the community takes the item in for the whole month (the last item leaves the
    last village from November)."""
    return not (item == ITEMS - 1 and community == COMMUNITIES[-1] and month >= WITHDRAWN_ON[:7])


def counts() -> dict[tuple[int, str, str], int]:
    """The 1,392 cases by (item, community, month): weighted by the item's frequency, the
    community (a community more than a village) and the month (growing as it settles in),
    rounded by largest remainder so they add up exactly."""
    weights = {
        (i, community, month): (20 - i) * (3 if "-SQ" in community else 2) * (m + 2)
        for i in range(ITEMS)
        for community in COMMUNITIES
        for m, month in enumerate(MONTHS)
        if _reached(i, community, month)
    }
    total = sum(weights.values())
    exact = {cell: HANDLED * weight / total for cell, weight in weights.items()}
    found = {cell: int(share) for cell, share in exact.items()}
    short = HANDLED - sum(found.values())
    for cell in sorted(exact, key=lambda c: (found[c] - exact[c], c))[:short]:
        found[cell] += 1
    return found


def _sent_on(month: str) -> str:
    """A month's counts go in on the 5th of the next month."""
    year, m = int(month[:4]), int(month[5:])
    return f"{year + m // 12}-{m % 12 + 1:02d}-05"


def demo_commands() -> list[Message]:
    """The town's extensions, withdrawal and counts as (key, value) messages keyed by item."""
    s = Sender(SCOPE, actor=TOWN_OFFICE, document_no="慈城镇〔2021〕56号")
    codes = extended_items()
    for code in codes:
        reach = x.Reach(item=code, town=TOWN, communities=COMMUNITIES)
        s.send_dated(x.ExtendItem, EXTENDED_ON, reach, key=code, reason="高频“内跑”事项向村(社区)延伸")
    s.send_dated(
        x.WithdrawExtension,
        WITHDRAWN_ON,
        x.Reach(item=codes[-1], town=TOWN, communities=COMMUNITIES[-1:]),
        key=codes[-1],
        reason="该村并入社区便民服务中心办理",
    )
    handled = counts()
    corrected = (0, COMMUNITIES[0], MONTHS[1])
    for month in MONTHS:
        for (i, community, m), n in handled.items():
            if m != month:
                continue
            wrong = n + 5 if (i, community, m) == corrected else n  # sent wrong, corrected below
            figure = x.HandledCount(item=codes[i], town=TOWN, community=community, period=month, count=wrong)
            s.send_dated(x.RecordHandled, _sent_on(month), figure, key=codes[i])
    i, community, month = corrected
    figure = x.HandledCount(
        item=codes[i], town=TOWN, community=community, period=month, count=handled[corrected]
    )
    s.send_dated(x.RecordHandled, "2021-10-20", figure, key=codes[i], reason="复核更正：重复统计5件")

    refused = _powers()[2][0]  # its delegation to the town was rejected at admission review
    reach = x.Reach(item=refused, town=TOWN, communities=COMMUNITIES[:2])
    s.send_dated(x.ExtendItem, EXTENDED_ON, reach, key=refused)
    return s.out
