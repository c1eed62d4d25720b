"""The drills' input: upstream commands in phases, the same for the clean run and the drill.

Phase 1 holds the bulk — power items registered and delegated town by town (propose,
review, approve), as in the intake benchmark — plus, from 10,000 commands up, the demo's
realistic commands of every family, and quota transfers from many district units into a
few towns' ledgers (keyed by the sending unit, so they arrive on every partition and
writers race for the receiving ledgers). Phase 2 holds the demo's appraisals (their
schemes must be in first). Phase 3, with linkage, reports cases about delegated items and
about daily matters, once the linkage worker knows every holding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import msgspec

from contracts.linkage import commands as lc
from contracts.quotas import commands as q
from infra.demo import run as demo
from infra.settings import Settings
from tests.support import declare, delegate, encoded, from_bureau, register

Message = tuple[bytes | None, bytes]
ITEMS = 700  # items per town, as in Jiangsu
BATCH = "DRILL"
DEMO_FROM = 10_000  # the demo's ~6,400 commands join the input from this size on
CASES_AT = datetime(2021, 12, 1, 9, tzinfo=timezone(timedelta(hours=8)))


@dataclass
class Workload:
    """The phases of one input (each a list of encoded messages), and what to expect."""

    phases: list[list[Message]] = field(default_factory=list)
    reports: int = 0  # cases reported in the last phase (each must be dispatched once)

    @property
    def commands(self) -> int:
        return sum(len(phase) for phase in self.phases)


def _quota(cls: type, label: str, at: datetime, payload: msgspec.Struct) -> msgspec.Struct:
    return from_bureau(cls, f"drill/{label}", payload, at, document_no="甬北编〔2021〕9号")


def contended(senders: int, towns: int = 4) -> list[msgspec.Struct]:
    """District units each moving one quota into each of a few towns' ledgers."""
    june, july = CASES_AT.replace(month=6), CASES_AT.replace(month=7)
    out: list[msgspec.Struct] = []
    for t in range(towns):
        out.append(
            _quota(
                q.OpenQuotaLedger,
                f"open/HT{t}",
                june,
                q.LedgerDetails(unit=f"HT{t}", name=f"镇 {t}", level="town", district_name="江北区"),
            )
        )
    for s in range(senders):
        unit = f"DU{s:03d}"
        out.append(
            _quota(
                q.OpenQuotaLedger,
                f"open/{unit}",
                june,
                q.LedgerDetails(unit=unit, name=f"部门 {s}", level="district", district_name="江北区"),
            )
        )
        out.append(
            _quota(
                q.ApproveQuotas,
                f"approve/{unit}",
                june,
                q.QuotaApproval(unit=unit, kind="administrative", approved=towns + 5),
            )
        )
        out += [
            _quota(
                q.TransferQuotas,
                f"transfer/{unit}/HT{t}",
                july,
                q.Transfer(unit=unit, to_unit=f"HT{t}", to_level="town", kind="administrative", count=1),
            )
            for t in range(towns)
        ]
    return out


def delegations(count: int) -> list[msgspec.Struct]:
    """About `count` commands: items registered, then delegated town after town."""
    items = [f"D{i:04d}" for i in range(ITEMS)]
    out: list[msgspec.Struct] = [declare(BATCH), *map(register, items)]
    town = 0
    while len(out) < count:
        for item in items[: max(1, (count - len(out)) // 3)]:
            out.extend(delegate(item, f"DT{town:04d}", BATCH))
        town += 1
    return out


def reports(count: int) -> list[msgspec.Struct]:
    """Cases in the first delegated town: about its items (routed to it by the holdings)
    and, every other one, about a daily matter (routed to the town as such)."""
    out = []
    for n in range(count):
        subject = {"item": f"D{n // 2 % ITEMS:04d}"} if n % 2 == 0 else {"category": "drill-daily"}
        at = CASES_AT + timedelta(minutes=n)
        report = lc.CaseReport(case=f"DC{n:06d}", source="grid", town="DT0000", **subject)
        out.append(from_bureau(lc.ReportCase, f"drill/report/{n}", report, at, effective_at=at))
    return out


def workload(commands: int, linkage: bool) -> Workload:
    """About `commands` commands in all; with `linkage`, 1 % of them are case reports."""
    settings = Settings()  # the demo's phases by family; topics are chosen when publishing
    extra: list[Message] = []
    later: list[Message] = []
    if commands >= DEMO_FROM:
        first, second = demo._phases(settings)
        extra = [m for messages in first.values() for m in messages]
        later = [m for messages in second.values() for m in messages]
    cases = max(10, commands // 100) if linkage else 0
    racing = encoded(contended(max(5, commands // 500)))
    bulk = commands - len(extra) - len(later) - len(racing) - cases
    out = Workload([encoded(delegations(bulk)) + racing + extra])
    if later:
        out.phases.append(later)
    if cases:
        out.phases.append(encoded(reports(cases)))
        out.reports = cases
    return out
