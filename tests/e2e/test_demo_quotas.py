"""The staffing demo: well-formed, deterministic, true to the seeds' figures, order-independent."""

from __future__ import annotations

import collections
from datetime import date
from decimal import Decimal

import msgspec

from aggregates.pool.staffing_pool import StaffingPool
from aggregates.quotas.quota_ledger import QuotaLedger
from contracts.pool import commands as p
from contracts.quotas import commands as q
from infra.contexts import COMMANDS, family_commands, touches
from infra.contexts import GovernanceLedger as Ledger
from infra.demo.catalogue import TOWNS as JIANGBEI
from infra.demo.pool import POOL
from infra.demo.quotas import BAD_RULES, DANYANG, LUOHE, demo_commands
from infra.kafka import clock
from tests.support import Reader, demo_fixtures, in_memory

decoder = Reader(family_commands("staffing"))
Messages = list[tuple[bytes | None, bytes]]


messages, commands = demo_fixtures(demo_commands, decoder)


def counts(ledger: Ledger, unit: str) -> dict[str, tuple[int, int]]:
    found = ledger.find(QuotaLedger.create_id(unit))
    assert isinstance(found, QuotaLedger) and found.details is not None
    return {c.kind: (c.approved, c.occupied) for c in found.counts}


def test_every_message_decodes_is_keyed_by_its_unit_or_pool_and_is_stable(
    messages: Messages, commands: list[msgspec.Struct]
) -> None:
    for (key, _), command in zip(messages, commands):
        payload = command.payload
        expected = payload.pool if isinstance(payload, p.PoolRef) else payload.unit
        assert key == expected.encode() and type(command) in COMMANDS.touched
        assert touches(command)[0] in (QuotaLedger.create_id(expected), StaffingPool.create_id(expected))
    ids = [command.message_id for command in commands]
    assert len(ids) == len(set(ids))
    assert demo_commands() == messages


def test_envelopes_carry_audit_fields(commands: list[msgspec.Struct]) -> None:
    for command in commands:
        assert command.occurred_at.tzinfo is not None and command.actor.role in ("编办", "调度")
        if isinstance(command, (q.ApproveQuotas, q.SetLeadershipPosts, q.TransferQuotas)):
            assert command.document_no
        if isinstance(command, (p.RejectDraw, p.RenewDraw, q.TransferQuotas, p.ExpireDueDraws)):
            assert command.reason
    kinds = collections.Counter(type(command) for command in commands)
    assert kinds[q.OpenQuotaLedger] == 3 + len(DANYANG) + len(LUOHE) + len(JIANGBEI)
    assert kinds[p.ExpireDueDraws] == 1 and kinds[q.PlanStaffing] == 2 * (2 + len(JIANGBEI))


def test_applying_in_order_refuses_only_the_deliberately_bad_commands(applied) -> None:
    ledger, refused = applied
    assert [rule for _, rule in refused] == BAD_RULES
    reverse, exhausted = (command for command, _ in refused)
    assert isinstance(reverse, q.TransferQuotas) and reverse.payload.approval is None
    assert isinstance(exhausted, p.ApproveDraw) and exhausted.payload.draw == "WENJIAO-01"


def test_danyang_moves_140_administrative_quotas_down_10_to_15_per_town(applied) -> None:
    ledger, _ = applied
    gains = {code: counts(ledger, code)["administrative"][0] - 30 for code in DANYANG}
    assert sum(gains.values()) == 140 and len(gains) == 10
    assert all(10 <= n <= 15 for n in gains.values())
    assert counts(ledger, "DY-ORGANS")["administrative"] == (1180 - 140, 1020)


def test_luohe_towns_get_35_institutional_quotas_each(applied) -> None:
    ledger, _ = applied
    assert {counts(ledger, code)["institutional"][0] - 40 for code in LUOHE} == {35}


def test_jiangbei_towns_share_of_the_plan_rises_from_30_to_above_50_percent(applied) -> None:
    ledger, _ = applied
    planned: dict[int, collections.Counter] = collections.defaultdict(collections.Counter)
    for unit in ("JB-ORGANS", *JIANGBEI):
        found = ledger.find(QuotaLedger.create_id(unit))
        for year, _, n in found.plans:
            planned[year][found.level] += n
    share = {year: Decimal(100 * c["town"]) / (c["town"] + c["district"]) for year, c in planned.items()}
    assert share[2020] == 30 and share[2021] >= 50
    for code in JIANGBEI:
        assert counts(ledger, code)["leadership"] == (12, 10)
    assert counts(ledger, "JB-KONGPU")["administrative"] == (38, 35)  # the approved 逆向调整


def test_the_pool_never_goes_below_zero_and_the_clock_returned_the_due_draw(applied) -> None:
    ledger, _ = applied
    pool = ledger.find(StaffingPool.create_id(POOL))
    assert (pool.details.capacity, pool.contributed, pool.outstanding, pool.available) == (60, 40, 22, 18)
    assert {d.id: d.status for d in pool.draws} == {
        "CICHENG-01": "approved",
        "YONGJIANG-01": "approved",
        "ZHUANGQIAO-01": "approved",
        "KONGPU-01": "rejected",
        "HONGTANG-01": "expired",
        "WENJIAO-01": "requested",
    }
    assert {d.terms.purpose for d in pool.draws} == {"major_task", "structure", "scarce_talent"}


def test_the_clock_message_is_one_per_pool_and_day(commands: list[msgspec.Struct]) -> None:
    [tick] = [c for c in commands if isinstance(c, p.ExpireDueDraws)]
    assert tick == clock.expire_due(POOL, date(2022, 1, 1))
    assert tick.message_id == clock.message_id(POOL, date(2022, 1, 1))
    assert clock.message_id(POOL, date(2022, 1, 2)) != tick.message_id
    assert [key for key, _ in clock.clock_messages(["B", "A", "B"], date(2022, 1, 1))] == [b"A", b"B"]


def test_partitions_applied_in_any_order_give_the_same_ledgers(
    messages: Messages,
    commands: list[msgspec.Struct],
    applied,
) -> None:
    """Kafka orders a partition, not the topic: a transfer may arrive before the opening or
    the 核定 of the ledger it goes to."""
    by_key: dict[bytes | None, list[msgspec.Struct]] = collections.defaultdict(list)
    for (key, _), command in zip(messages, commands):
        by_key[key].append(command)
    shuffled = [c for key in sorted(by_key, key=str, reverse=True) for c in by_key[key]]
    ledger, refused = in_memory(shuffled)

    assert sorted(rule for _, rule in refused) == sorted(BAD_RULES)
    started = [type(e).__name__ for e in ledger.events.get(QuotaLedger.create_id("LH-PEICHENG"))]
    assert started[:3] == ["Opened", "TransferredIn", "DetailsRecorded"]  # the transfer came first
    units = {c.payload.unit for c in commands if isinstance(c, q.OpenQuotaLedger)}
    for unit in units:
        assert counts(ledger, unit) == counts(applied[0], unit), unit
