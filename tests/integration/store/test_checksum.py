"""The state digest: equal for the same input, whatever the order of arrival across
partitions; different when an event or a read-model row is lost or doubled."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
import pytest

from contracts.quotas import commands as q
from infra import bootstrap
from infra.store.checksum import differences, state_digest
from projections.runner import read_model_tables
from tests.conftest import fresh_database
from tests.support import apply_all, cli_json, declare, delegate, from_bureau, project, register

JUNE = datetime(2021, 6, 1, 9, tzinfo=UTC)
JULY = datetime(2021, 7, 1, 9, tzinfo=UTC)


def _quota(cls: type, at: datetime, payload: object, label: str) -> object:
    return from_bureau(cls, f"checksum/{label}", payload, at, document_no="甬北编〔2021〕7号")


def _opening(unit: str, name: str, level: str) -> object:
    details = q.LedgerDetails(unit=unit, name=name, level=level, district_name="江北区")
    return _quota(q.OpenQuotaLedger, JUNE, details, f"open/{unit}")


OPEN_DISTRICT = _opening("JB-EDU", "区教育局", "district")
APPROVE = _quota(
    q.ApproveQuotas,
    JUNE,
    q.QuotaApproval(unit="JB-EDU", kind="administrative", approved=10),
    "approve/JB-EDU",
)
OPEN_TOWN = _opening("CICHENG", "慈城镇", "town")
TRANSFER = _quota(
    q.TransferQuotas,
    JULY,
    q.Transfer(unit="JB-EDU", to_unit="CICHENG", to_level="town", kind="administrative", count=3),
    "transfer/JB-EDU/CICHENG",
)
POWERS = [declare(), register("P1"), register("P2"), *delegate("P1", "T1"), *delegate("P2", "T1")]


def _digest_after(url: str, commands: list[object]) -> dict:
    ledger = bootstrap.build_ledger(url)
    assert apply_all(ledger, commands) == []
    runner = project(ledger)
    return state_digest(ledger.recorder.datastore, read_model_tables(runner.read_models))


@pytest.fixture
def two_databases(pg_server_url: str):
    with fresh_database(pg_server_url) as first, fresh_database(pg_server_url) as second:
        yield first, second


def test_the_same_commands_give_the_same_digest_in_two_databases(two_databases) -> None:
    first, second = two_databases
    commands = [*POWERS, OPEN_DISTRICT, APPROVE, OPEN_TOWN, TRANSFER]
    one, other = _digest_after(first, commands), _digest_after(second, commands)
    assert differences(one, other, by_state=False) == []
    assert one["tables"]["delegations"]["rows"] == 2 and one["streams"]["gaps"] == 0
    assert one["events"] > one["settled"]["events"] > 0  # the quota ledgers are set apart


def test_a_transfer_before_the_opening_is_the_same_state_with_another_log(two_databases) -> None:
    first, second = two_databases
    opened_first = _digest_after(first, [OPEN_DISTRICT, APPROVE, OPEN_TOWN, TRANSFER])
    transfer_first = _digest_after(second, [OPEN_DISTRICT, APPROVE, TRANSFER, OPEN_TOWN])
    assert transfer_first["events"] == opened_first["events"] + 1  # the details recorded later
    assert differences(opened_first, transfer_first) == []
    assert differences(opened_first, transfer_first, by_state=False) != []


def test_a_lost_event_and_a_doubled_row_are_found(two_databases) -> None:
    first, second = two_databases
    reference = _digest_after(first, POWERS)
    _digest_after(second, POWERS)
    with psycopg.connect(second) as conn:
        conn.execute(
            "DELETE FROM ledger_events WHERE notification_id ="
            " (SELECT max(notification_id) FROM ledger_events)"
        )
        conn.execute(
            "INSERT INTO power_items SELECT gen_random_uuid(), code || '-copy', name, kind,"
            " list, domain, legal_basis, department, retired FROM power_items LIMIT 1"
        )
    ledger = bootstrap.build_ledger(second)
    damaged = state_digest(ledger.recorder.datastore, ["power_items", "delegations"])
    found = differences(
        {**reference, "tables": {k: reference["tables"][k] for k in ("power_items", "delegations")}}, damaged
    )
    assert any(line.startswith("table power_items") for line in found)
    assert any(line.startswith("settled events") for line in found)
    assert damaged["tables"]["power_items"]["rows"] == reference["tables"]["power_items"]["rows"] + 1


def test_govledger_checksum_prints_the_digest_as_json(cli_database, capsys) -> None:
    expected = _digest_after(cli_database, POWERS)
    printed = cli_json(capsys, "checksum")
    assert printed == expected
    assert set(printed["tables"]) >= {"power_items", "delegations", "quota_units", "linkage_cases"}
