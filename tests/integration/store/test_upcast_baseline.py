"""执法力量基数 declared before the levels had one word: `EnforcementStaffing.Declared` at class
version 2 says "district" where version 1 said "department", read on a real PostgreSQL.

How the version-1 record is written: the current code makes the event, the ledger's own
mapper turns it into a stored record, and its state is then put back as version 1 wrote it:
"department" for the level, and no `class_version` key (the library writes one only above 1).
Those two are all that differ between the versions. The record is inserted by the recorder
as the aggregate's first version, so it has its position and link in the hash chain.
"""

from __future__ import annotations

import json
from datetime import date

import psycopg
import pytest
from eventsourcing.persistence import StoredEvent

from aggregates.sinkdown.baseline import EnforcementStaffing
from infra import bootstrap
from infra.cli import main as cli
from infra.settings import Settings
from projections.sinkdown.monitors import department_sink_down_shares
from tests.support import projected
from tests.unit.builders import ctx

UNIT = "AN-CG"


def _store_at_version_1(database_url: str) -> bytes:
    ledger = bootstrap.build_ledger(database_url)
    made = EnforcementStaffing(
        unit=UNIT, level="district", category="comprehensive", count=120, as_of=date(2020, 12, 31), ctx=ctx()
    )
    [stored] = [ledger.mapper.to_stored_event(e) for e in made.collect_events()]
    state = json.loads(stored.state)
    assert (state.pop("class_version"), state["level"]) == (2, "district")  # what today writes
    state["level"] = "department"
    old = json.dumps(state, ensure_ascii=False, separators=(",", ":")).encode()
    ledger.recorder.insert_events(
        [StoredEvent(stored.originator_id, stored.originator_version, stored.topic, old)]
    )
    return old


def _stored_states(database_url: str) -> list[bytes]:
    with psycopg.connect(database_url) as conn:
        return [bytes(r[0]) for r in conn.execute("SELECT state FROM ledger_events ORDER BY notification_id")]


def test_a_baseline_declared_at_version_1_loads_as_a_district_department(database_url: str) -> None:
    _store_at_version_1(database_url)

    ledger = bootstrap.build_ledger(database_url)  # kept: its pool closes with it
    staffing = ledger.repository.get(EnforcementStaffing.create_id(UNIT))

    assert (staffing.level, staffing.category, staffing.count) == ("district", "comprehensive", 120)


def test_the_monitors_count_a_version_1_baseline_and_the_stored_bytes_stay_as_written(
    cli_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    database_url = cli_database
    old = _store_at_version_1(database_url)
    ledger = bootstrap.build_ledger(database_url)
    ledger.declare_enforcement_staff(
        ctx(), UNIT, "district", "comprehensive", 120, date(2020, 12, 31)
    )  # unchanged

    with projected(database_url, Settings()) as cur:
        [share] = department_sink_down_shares(cur, date(2021, 1, 1))
    assert (share["department"], share["baseline"], share["category"]) == (UNIT, 120, "comprehensive")
    assert _stored_states(database_url) == [old]  # read, declared again unchanged: nothing rewritten
    assert cli.main(["audit", "verify"]) == 0
