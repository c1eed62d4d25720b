"""Upcasting on a real PostgreSQL: plaques registered by the release before
`Town.PlaqueRegistered` stated its day (`on`, class version 2), read by this one.

How the version-1 records are written: as that release wrote them, through the recorder.
Its mapper stored the event's attributes less the originator id and version, encoded by the
same transcoder, without a `class_version` key (the library writes one only above 1); the
version-1 class had the fields `timestamp`, `name`, `unit` and `ctx`, in that order. The
first test pins this to the bytes that release stored for one event (`RELEASE_1_STATE`,
the output of its mapper at commit 395e1ce), so the other tests' records are the old
release's records, not a guess at them. Each is inserted by the ledger's own recorder at the
town's next version: it gets its position and its link in the hash chain as any record does.
Nothing is edited in the table.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import psycopg
import pytest
from eventsourcing.persistence import StoredEvent

from aggregates.base import Context
from aggregates.organisation.town import Town, TownDetails, UnitDetails
from infra import bootstrap
from infra.cli import main as cli
from infra.contexts import GovernanceLedger as Ledger
from infra.settings import Settings
from infra.store.checksum import differences, state_digest
from tests.conftest import fresh_database

T = "ST-ANON"
TOPIC = "aggregates.organisation.town:Town.PlaqueRegistered"  # the topic that release stored under
# The state that release stored for `RELEASE_1_EVENT`, one plaque of the scenario recorded at
# 20:00:01.234567 UTC: no `on`, no `class_version`.
RELEASE_1_STATE = (
    '{"timestamp":{"_type_":"datetime_iso","_data_":"2021-09-06T20:00:01.234567+00:00"},'
    '"name":"双拥工作领导小组办公室","unit":null,"ctx":{"_type_":"Context","_data_":{"actor":"st-bianban",'
    '"role":"编办","system":"机构编制管理系统","message_id":"m-2021-09-06T20:00-None",'
    '"effective_at":{"_type_":"datetime_iso","_data_":"2021-09-06T20:00:00+00:00"},'
    '"correlation_id":null,"causation_id":null,"reason":null,"document_no":"**编〔2021〕15号"}}}'
).encode()


def ctx(at: str, reason: str | None = None) -> Context:
    """The bureau clerk's context, effective at `at` (UTC), its message id made of it."""
    effective = datetime.fromisoformat(at).replace(tzinfo=UTC)
    return Context(
        "st-bianban",
        "编办",
        "机构编制管理系统",
        f"m-{at}-{reason}",
        effective,
        reason=reason,
        document_no="**编〔2021〕15号",
    )


# (plaque, unit, effective at in UTC, the day it went up in China Standard Time)
PLAQUES = [
    ("老龄工作委员会办公室", None, "2021-09-05T09:00", date(2021, 9, 5)),
    ("人民武装部", "PARTY", "2021-09-05T09:00", date(2021, 9, 5)),
    ("双拥工作领导小组办公室", None, "2021-09-06T20:00", date(2021, 9, 7)),  # 04:00 on the 7th in Beijing
]
RELEASE_1_EVENT = (
    "双拥工作领导小组办公室",
    None,
    ctx("2021-09-06T20:00"),
    datetime(2021, 9, 6, 20, 0, 1, 234567, UTC),
)
RegisterPlaque = Callable[[Ledger, str, str | None, Context], None]


def release_1_state(
    name: str, unit: str | None, context: Context, recorded: datetime, ledger: Ledger
) -> bytes:
    """The stored state of a plaque registration as the release before version 2 wrote it."""
    state = {"timestamp": recorded, "name": name, "unit": unit, "ctx": context}
    return ledger.mapper.transcoder.encode(state)


def register_at_version_1(ledger: Ledger, name: str, unit: str | None, context: Context) -> None:
    """The plaque registered as that release recorded it (the scenario keeps its rules)."""
    town = ledger.repository.get(Town.create_id(T))
    state = release_1_state(name, unit, context, Town.Event.create_timestamp(), ledger)
    ledger.recorder.insert_events([StoredEvent(town.id, town.version + 1, TOPIC, state)])
    ledger.forget_cache()  # a town cached before the insert is behind the log


def register_today(ledger: Ledger, name: str, unit: str | None, context: Context) -> None:
    ledger.register_plaque(context, T, name, unit)


def _scenario(ledger: Ledger, register_plaque: RegisterPlaque) -> Ledger:
    """A street, its units, three plaques registered by `register_plaque`, then one removed
    and one more registered by the current release."""
    ledger.register_town(ctx("2021-09-01T09:00"), T, TownDetails("**街道", "**区", "street", "5办2中心1站"))
    ledger.establish_unit(
        ctx("2021-09-01T09:00"), T, "PARTY", UnitDetails("党建工作办公室", "office", "integrated")
    )
    for name, unit, at, _ in PLAQUES:
        register_plaque(ledger, name, unit, ctx(at))
    ledger.remove_plaque(
        ctx("2021-12-01T09:00", "清理编制法律法规明确外的机构牌子"), T, "老龄工作委员会办公室"
    )
    ledger.register_plaque(ctx("2022-01-04T09:00"), T, "退役军人服务站", None)
    return ledger


@pytest.fixture
def release_1_ledger(database_url: str) -> Ledger:
    return _scenario(bootstrap.build_ledger(database_url), register_at_version_1)


def _stored(url: str) -> list[tuple[int, str, bytes]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT notification_id, topic, state FROM ledger_events ORDER BY 1").fetchall()
    return [(n, topic, bytes(state)) for n, topic, state in rows]


def _plaque_records(url: str) -> list[dict[str, Any]]:
    return [json.loads(state) for _, topic, state in _stored(url) if topic == TOPIC]


def _rebuilt(ledger: Ledger, url: str) -> dict[str, Any]:
    """Every read model rebuilt as `govledger rebuild` does; the digest `govledger checksum` takes."""
    settings = Settings(rebuild_processes=1)
    assert bootstrap.rebuild(ledger, url, settings) == ledger.recorder.max_notification_id()
    return state_digest(ledger.recorder.datastore)


def test_version_1_records_are_written_in_the_bytes_the_release_before_version_2_stored(
    database_url: str,
) -> None:
    ledger = bootstrap.build_ledger(database_url)

    assert release_1_state(*RELEASE_1_EVENT, ledger) == RELEASE_1_STATE
    assert Town.PlaqueRegistered.class_version == 2  # the class this file upcasts to


def test_the_scenario_stores_three_version_1_plaques_and_one_at_version_2(
    release_1_ledger: Ledger, database_url: str
) -> None:
    records = _plaque_records(database_url)

    assert [("on" in r, r.get("class_version")) for r in records] == [(False, None)] * 3 + [(True, 2)]
    assert records[-1]["on"] == {"_type_": "date_iso", "_data_": "2022-01-04"}


def test_a_town_whose_plaques_were_stored_at_version_1_loads_with_the_day_each_went_up(
    release_1_ledger: Ledger,
) -> None:
    town_id = Town.create_id(T)
    events = [e for e in release_1_ledger.events.get(town_id) if isinstance(e, Town.PlaqueRegistered)]

    assert [(e.name, e.on) for e in events] == [
        *((name, on) for name, _, _, on in PLAQUES),
        ("退役军人服务站", date(2022, 1, 4)),
    ]
    town = release_1_ledger.repository.get(town_id)
    assert town.plaques == (
        ("老龄工作委员会办公室", None, True),
        ("人民武装部", "PARTY", False),
        ("双拥工作领导小组办公室", None, False),
        ("退役军人服务站", None, False),
    )
    assert town.version == 7


def test_a_rebuild_from_version_1_records_gives_the_read_models_of_a_ledger_written_at_version_2(
    release_1_ledger: Ledger, database_url: str, pg_server_url: str
) -> None:
    old = _rebuilt(release_1_ledger, database_url)
    with fresh_database(pg_server_url) as url:
        current = _rebuilt(_scenario(bootstrap.build_ledger(url), register_today), url)
        assert _plaque_records(url)[0]["class_version"] == 2  # this ledger has no version-1 record

    assert differences(current, old, by_state=False) == []
    assert old["tables"]["town_plaques"]["rows"] == 4
    with release_1_ledger.recorder.datastore.transaction(commit=False) as cur:
        cur.execute("SELECT name, registered_on, removed_on FROM town_plaques")
        plaques = {r["name"]: (r["registered_on"], r["removed_on"]) for r in cur.fetchall()}
    assert plaques == {
        "老龄工作委员会办公室": (date(2021, 9, 5), date(2021, 12, 1)),
        "人民武装部": (date(2021, 9, 5), None),
        "双拥工作领导小组办公室": (date(2021, 9, 7), None),
        "退役军人服务站": (date(2022, 1, 4), None),
    }


def test_audit_verify_passes_over_a_log_holding_version_1_records(
    release_1_ledger: Ledger, cli_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["audit", "verify"]) == 0
    assert "verified: 7 events" in capsys.readouterr().out


def test_loading_and_rebuilding_leave_the_stored_bytes_as_they_were(
    release_1_ledger: Ledger, database_url: str
) -> None:
    before = _stored(database_url)

    release_1_ledger.forget_cache()
    release_1_ledger.repository.get(Town.create_id(T))
    _rebuilt(release_1_ledger, database_url)

    assert _stored(database_url) == before
    assert all("on" not in record for record in _plaque_records(database_url)[:3])
