"""个人信息处理记录: every read that finds data is recorded; one that finds nothing, once per
reader and day; a read needs a purpose."""

from __future__ import annotations

import pytest

from aggregates.privacy.record import PersonalRecord, PurposeRequired
from infra.contexts import GovernanceLedger as Ledger
from tests.unit.builders import ctx


def test_every_read_that_finds_data_is_recorded() -> None:
    record = PersonalRecord(person="P1", ctx=ctx("2021-07-01"))
    for _ in range(3):
        record.read("审计核查", ("name",), True, ctx("2021-07-01"))

    assert record.reads == 3


def test_a_read_that_finds_nothing_is_recorded_once_per_reader_and_day() -> None:
    record = PersonalRecord(person="P1", ctx=ctx("2021-07-01"))
    for _ in range(3):
        record.read("审计核查", (), False, ctx("2021-07-01", actor="auditor-a"))
    record.read("审计核查", (), False, ctx("2021-07-01", actor="auditor-b"))
    record.read("审计核查", (), False, ctx("2021-07-02", actor="auditor-a"))
    record.read("审计核查", (), False, ctx("2021-07-02", actor="auditor-a"))

    readers = [(e.ctx.actor, e.ctx.effective_on.isoformat()) for e in record.collect_events()[1:]]
    assert readers == [("auditor-a", "2021-07-01"), ("auditor-b", "2021-07-01"), ("auditor-a", "2021-07-02")]


def test_replay_gives_the_same_readers_of_the_day(ledger: Ledger) -> None:
    for _ in range(2):
        ledger.record_personal_data_read(ctx("2021-07-01", actor="auditor-a"), "P1", "审计核查", (), False)

    stored = ledger.repository.get(PersonalRecord.create_id("P1"))
    assert stored.reads == 1 and stored.unfound == {("auditor-a", ctx("2021-07-01").effective_on)}


def test_a_read_needs_a_purpose(ledger: Ledger) -> None:
    with pytest.raises(PurposeRequired):
        ledger.record_personal_data_read(ctx(), "P1", "  ", ("name",), True)
