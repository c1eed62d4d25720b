"""`govledger check FILE.jsonl [--empty] [--json]`: the dry run an upstream team runs on a batch
before publishing it, line by line as the intake would decide, with nothing saved."""

from __future__ import annotations

import functools
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec
import psycopg
import pytest

from aggregates.base import Context
from consumers import dry_run
from consumers.intake import Intake
from contracts.duties import commands as d
from contracts.sinkdown import commands as s
from infra import bootstrap, contexts
from infra.api.access import SENDER, TokenStore
from infra.cli import main as cli
from infra.kafka import clients as kafka
from infra.settings import Topics
from infra.store import vault
from tests.support import ACTOR, JUNE, approve, from_bureau, mid, propose, register, review

TOWN = "JB-CICHENG"
SEEDED = [register("DRY-1"), propose("DRY-1", TOWN), review("DRY-1", TOWN)]  # filed, not approved
WRITTEN = ("intake_messages", "dead_letters", "intake_offsets", "event_chain", "person_keys")


def _sink_down(transfer: str, person: str) -> Any:
    """A sink-down proposal carrying the person's personal data (which the vault seals)."""
    personal = s.PersonalData(name="人员9001", id_number="TEST-ID-009001", phone="00000009001")
    proposal = s.Proposal(
        transfer=transfer,
        department="AN-SAMR",
        town="AN-JD-PILOT",
        mode="stationed",
        team="**街道综合行政执法队",
        persons=(s.Person(person=person, post="进驻执法人员", enforcement=True, personal=personal),),
    )
    return from_bureau(s.ProposeSinkDown, f"propose/{transfer}", proposal)


PUSH_DOWN = d.PushDownDuty(
    message_id=mid("push/dry-x01"),
    occurred_at=JUNE,
    actor=ACTOR,
    payload=d.DutyPushDown(department="AN-CGJ", duty="AN-CGJ-DRY", town="AN-JD-PILOT"),
)


@pytest.fixture()
def seeded(cli_database: str) -> str:
    """The test's database with an item registered and its delegation to the town filed and
    reviewed, through the intake's own code (so its message ids are in the ledger)."""
    ledger = bootstrap.build_ledger(cli_database)
    intake = Intake(ledger, "test-seed", "test-cluster", contexts.COMMANDS, contexts.decoder(Topics()))
    values = [(n, msgspec.json.encode(c)) for n, c in enumerate(SEEDED)]
    topic = functools.partial(kafka.command_topic, topics=Topics())
    stats = intake.process(dry_run.records(values, topic, kafka.command_key))
    assert (stats.applied, stats.events) == (3, 3)
    return cli_database


def _written(url: str) -> dict[str, int]:
    """How many rows the ledger's store holds in each table a write would touch."""
    events = bootstrap.build_ledger(url).recorder.events_table_name
    with psycopg.connect(url) as conn:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in (events, *WRITTEN)
        }


def _file(tmp_path: Path, *lines: Any) -> str:
    """A JSON-lines file of the commands (a str is written as it is)."""
    path = tmp_path / "batch.jsonl"
    path.write_bytes(
        b"\n".join(line.encode() if isinstance(line, str) else msgspec.json.encode(line) for line in lines)
    )
    return str(path)


def _check(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict[str, Any]]]:
    code = cli.main(["check", *argv, "--json"])
    return code, [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def _seen(results: list[dict[str, Any]]) -> list[tuple[int, str, str | None]]:
    return [(r["line"], r["outcome"], r["rule"]) for r in results]


def test_a_mixed_file_is_reported_line_by_line_as_the_intake_would_decide_it(
    seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = [register("DRY-9"), propose("DRY-9", TOWN), review("DRY-9", TOWN), approve("DRY-9", TOWN)]
    too_new = msgspec.structs.replace(register("DRY-V", message_id=mid("dry/v99")), version=99)
    path = _file(
        tmp_path,
        *new,  # 1-4: each needs the line before it
        propose("NOT-CATALOGUED", TOWN),  # 5
        PUSH_DOWN,  # 6: refused, and the refusal kept as evidence
        register("DRY-9"),  # 7: the message id of line 1
        SEEDED[0],  # 8: a message id the ledger has seen
        "",  # 9: blank
        '{"type": "power_item.register", "message_id": "dry-broken"',  # 10
        too_new,  # 11
        approve("DRY-1", TOWN),  # 12: needs what the ledger holds
    )

    code, results = _check(capsys, path)

    assert code == 1
    assert _seen(results) == [
        (1, "applied", None),
        (2, "applied", None),
        (3, "applied", None),
        (4, "applied", None),
        (5, "dead-lettered", "ItemNotCatalogued"),
        (6, "refused", "DutyNotAdmitted"),
        (7, "duplicate", None),
        (8, "duplicate", None),
        (10, "dead-lettered", "MalformedMessage"),
        (11, "dead-lettered", "UnsupportedVersion"),
        (12, "applied", None),
    ]
    by_line = {r["line"]: r for r in results}
    assert by_line[1]["message_id"] == new[0].message_id
    assert by_line[4]["message_type"] == "delegation.approve" and by_line[4]["events"] > 1
    assert "NOT-CATALOGUED" in by_line[5]["error"]
    assert by_line[6]["events"] == 2  # the duty's file opened, and the refusal auditors look for
    assert by_line[8]["message_id"] == SEEDED[0].message_id
    assert by_line[10]["error"] == "Input data was truncated"
    assert by_line[10]["message_id"] is None  # as the dead letter would have it: not readable
    assert by_line[11]["error"].startswith("power_item.register version 99 is not supported")


def test_a_dry_run_writes_nothing_to_the_ledger_it_reads(
    seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _written(seeded)
    path = _file(
        tmp_path,
        register("DRY-2"),
        approve("DRY-1", TOWN),
        PUSH_DOWN,
        propose("NOT-CATALOGUED", TOWN),
        "not json",
        _sink_down("DRY-T1", "AN-P9001"),
    )

    code, results = _check(capsys, path)
    empty_code, _ = _check(capsys, path, "--empty")

    assert (code, empty_code) == (1, 1)
    assert [r["outcome"] for r in results] == [
        "applied",
        "applied",
        "refused",
        "dead-lettered",
        "dead-lettered",
        "applied",
    ]
    assert _written(seeded) == before
    assert before["intake_messages"] == 3 and before["person_keys"] == 0  # as the seed left them


def test_a_command_that_needs_the_ledgers_state_passes_against_it_and_fails_against_an_empty_one(
    seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _file(tmp_path, approve("DRY-1", TOWN))

    assert _check(capsys, path) == (
        0,
        [
            {
                "line": 1,
                "message_id": approve("DRY-1", TOWN).message_id,
                "message_type": "delegation.approve",
                "outcome": "applied",
                "rule": None,
                "error": None,
                "events": 3,
            }
        ],
    )
    code, [result] = _check(capsys, path, "--empty")
    assert (code, result["outcome"], result["rule"]) == (1, "dead-lettered", "DelegationNotFiled")


def test_a_file_of_commands_that_all_apply_or_were_seen_exits_0_and_a_missing_file_2(
    seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _file(tmp_path, *SEEDED, register("DRY-3"), propose("DRY-3", TOWN))

    code, results = _check(capsys, path)

    assert code == 0
    assert [r["outcome"] for r in results] == ["duplicate"] * 3 + ["applied"] * 2
    assert cli.main(["check", str(tmp_path / "absent.jsonl")]) == 2
    assert "absent.jsonl" in capsys.readouterr().err


def test_without_json_the_lines_are_a_table_with_their_totals(
    seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _file(tmp_path, register("DRY-4"), propose("NOT-CATALOGUED", TOWN), SEEDED[0])

    assert cli.main(["check", path]) == 1

    out = capsys.readouterr().out
    for column in ("line", "message_id", "type", "outcome", "rule", "why"):
        assert column in out
    assert "ItemNotCatalogued" in out and propose("NOT-CATALOGUED", TOWN).message_id in out
    assert "3 lines: 1 applied, 0 refused, 1 dead-lettered, 1 duplicate; 1 events would be stored" in out


def test_personal_data_of_an_erased_person_is_refused_as_the_intake_would_and_no_key_is_made(
    seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = bootstrap.build_ledger(seeded)
    ctx = Context("dpo", "数据保护", "govledger-cli", "erase/AN-P9002", datetime.now(UTC))
    vault.erase(ledger, ctx, "AN-P9002", "本人申请删除（《个人信息保护法》第四十七条）")
    before = _written(seeded)
    path = _file(tmp_path, _sink_down("DRY-T2", "AN-P9002"), _sink_down("DRY-T3", "AN-P9003"))

    code, results = _check(capsys, path)

    assert code == 1
    assert _seen(results) == [(1, "dead-lettered", "PersonalDataErased"), (2, "applied", None)]
    assert _written(seeded) == before


def test_a_token_for_an_upstream_sender_is_issued_with_the_sender_role(
    cli_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["token", "issue", "--name", "power-list-system", "--role", "sender"]) == 0

    token, ledger = capsys.readouterr().out.strip(), bootstrap.build_ledger(cli_database)
    principal = TokenStore(ledger.recorder.datastore).principal(token)
    assert principal is not None and (principal.name, principal.role) == ("power-list-system", SENDER)
