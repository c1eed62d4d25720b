"""Writers outside the intake (the API, the command line, a clock), each a process with its
own cached aggregates, writing the same aggregate: a version conflict is met by running
the command again on the aggregate as it now stands, so nothing fails and nothing doubles."""

from __future__ import annotations

import multiprocessing

from aggregates.privacy.record import PersonalRecord
from infra.bootstrap import build_ledger
from tests.unit.builders import ctx

PERSON = "AN-P0001"


def reads_of(database_url: str, person: str = PERSON) -> int:
    """The reads recorded on the person's record, as a process that never read it sees them."""
    record = build_ledger(database_url).find(PersonalRecord.create_id(person))
    return 0 if record is None else record.reads


def record_reads(database_url: str, times: int, start: multiprocessing.synchronize.Event) -> None:
    ledger = build_ledger(database_url)
    ledger.find(PersonalRecord.create_id(PERSON))  # its own copy, soon stale
    start.wait()
    for _ in range(times):
        ledger.record_personal_data_read(ctx(), PERSON, "审计核查", ("name",), True)


def test_two_writers_taking_turns_on_one_record_each_see_the_others_writes(database_url: str) -> None:
    api, cli = build_ledger(database_url), build_ledger(database_url)

    for turn in range(6):  # each writer's cached record is one behind after the other's turn
        (api if turn % 2 == 0 else cli).record_personal_data_read(ctx(), PERSON, "审计核查", ("name",), True)

    assert reads_of(database_url) == 6
    api.record_personal_data_read(ctx(), PERSON, "审计核查", ("name",), True)  # its copy is one behind
    assert reads_of(database_url) == 7
    assert api.find(PersonalRecord.create_id(PERSON)).reads == 7  # reloaded after its conflict


def test_two_processes_writing_one_record_at_once_record_every_read_once(database_url: str) -> None:
    spawn = multiprocessing.get_context("spawn")
    start = spawn.Event()
    writers = [spawn.Process(target=record_reads, args=(database_url, 25, start)) for _ in range(2)]
    for writer in writers:
        writer.start()
    start.set()
    for writer in writers:
        writer.join(120)

    assert [w.exitcode for w in writers] == [0, 0]
    assert reads_of(database_url) == 50
