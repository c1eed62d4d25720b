"""Sink-down transfers through the staffing topic, the intake, the vault and the read models."""

from __future__ import annotations

import json
from datetime import timedelta

import msgspec
import psycopg
import pytest

from aggregates.privacy.record import VaultMissing
from aggregates.sinkdown.transfer import SinkDownTransfer
from contracts.sinkdown import commands as s
from infra import bootstrap
from infra.contexts import GovernanceLedger as Ledger
from infra.contexts import apply
from projections.sinkdown.roster import roster
from tests.support import JUNE, Intake, encoded, from_bureau, read_models

PERSONAL = s.PersonalData(name="人员0001", id_number="TEST-ID-000001", phone="00000000001")
CLERK = s.Person(person="AN-P0001", post="进驻执法人员", enforcement=True, personal=PERSONAL)


def _command(
    cls: type, label: str, payload: msgspec.Struct, days: int = 0, **envelope: str
) -> msgspec.Struct:
    return from_bureau(cls, label, payload, JUNE + timedelta(days=days), **envelope)


def _in_effect(code: str, town: str, person: s.Person, days: int = 0) -> list[msgspec.Struct]:
    ref = s.TransferRef(transfer=code)
    proposal = s.Proposal(
        transfer=code,
        department="AN-SAMR",
        town=town,
        mode="stationed",
        team="**街道综合行政执法队",
        persons=(person,),
    )
    return [
        _command(s.ProposeSinkDown, f"propose/{code}", proposal, days),
        _command(s.ConsentToSinkDown, f"consent/{code}", ref, days + 1),
        _command(s.MakeSinkDownEffective, f"effective/{code}", ref, days + 2),
    ]


def _stored_anywhere(database_url: str, table: str, text: str) -> bool:
    """Whether the text is in any stored event, as UTF-8 or as a JSON escape."""
    forms = {text.encode(), json.dumps(text)[1:-1].encode()}
    with psycopg.connect(database_url) as conn:
        return any(
            conn.execute(f"SELECT 1 FROM {table} WHERE position(%s in state) > 0", (form,)).fetchone()
            for form in forms
        )


def test_a_sink_down_with_personal_data_stores_only_its_token_and_places_the_person_once(
    intake: Intake,
) -> None:
    resent = _command(s.ProposeSinkDown, "propose/A/resent", _in_effect("A", "AN-JD-PILOT", CLERK)[0].payload)
    rotate = s.Rotation(
        transfer="A",
        person="AN-P0001",
        replacement=s.Person(person="AN-P0002", post="进驻执法人员", enforcement=True),
    )
    commands = [
        *_in_effect("A", "AN-JD-PILOT", CLERK),
        resent,
        *_in_effect("B", "AN-JD-EAST", CLERK, days=5),  # the same person, another street
        _command(s.RotatePerson, "rotate/A", rotate, 10, reason="轮岗交流"),
    ]
    worker = intake.run(encoded(commands))

    stats = worker.intake.stats
    assert (stats.applied, stats.dead_lettered) == (6, 2)  # the re-sent proposal: applied, no event
    letters = {letter.message_id: letter.rule for letter in intake.dead_letters()}
    assert letters == {
        commands[6].message_id: "PersonAlreadyPlaced",
        commands[7].message_id: "AdjustmentWithoutTownConsent",
    }

    ledger = bootstrap.build_ledger(intake.database_url)
    table = ledger.recorder.events_table_name
    assert all(_stored_anywhere(intake.database_url, table, t) for t in ("AN-P0001", "**街道综合行政执法队"))
    assert not any(
        _stored_anywhere(intake.database_url, table, text)
        for text in (PERSONAL.name, PERSONAL.id_number, PERSONAL.phone)
    )
    [member] = ledger.repository.get(SinkDownTransfer.create_id("A")).members
    assert ledger.vault.open("AN-P0001", member.person.sealed) == {
        "name": "人员0001",
        "id_number": "TEST-ID-000001",
        "phone": "00000000001",
    }
    assert len(list(ledger.events.get(SinkDownTransfer.create_id("A")))) == 3
    with read_models(ledger, intake.settings) as cur:
        assert [(r["town"], r["person"]) for r in roster(cur)] == [("AN-JD-PILOT", "AN-P0001")]


def test_personal_data_without_a_vault_is_refused_and_nothing_is_stored() -> None:
    ledger = Ledger()
    assert ledger.vault is None

    with pytest.raises(VaultMissing):
        apply(ledger, _in_effect("A", "AN-JD-PILOT", CLERK)[0])

    assert ledger.find(SinkDownTransfer.create_id("A")) is None
    unsealed = msgspec.structs.replace(CLERK, personal=None)  # no personal data: nothing to seal
    apply(
        ledger,
        _command(
            s.ProposeSinkDown,
            "propose/plain",
            msgspec.structs.replace(_in_effect("A", "AN-JD-PILOT", CLERK)[0].payload, persons=(unsealed,)),
        ),
    )
    assert ledger.find(SinkDownTransfer.create_id("A")).members[0].person.sealed is None


def _baseline(version: int, unit: str, level: str, category: str | None, count: int) -> bytes:
    """A 执法力量基数 declaration as an upstream system writes it, in version 1 or 2."""
    payload = {"unit": unit, "level": level, "count": count, "as_of": "2020-12-31", "category": category}
    command = {
        "type": "sinkdown.declare_enforcement_staff",
        "message_id": f"baseline/{unit}/v{version}",
        "occurred_at": "2021-01-04T09:00:00+08:00",
        "actor": {"id": "an-bianban", "role": "编办", "system": "机构编制实名制管理系统"},
        "payload": payload,
    }
    if version > 1 or unit.endswith("V1-SAYS-ONE"):
        command["version"] = version
    return json.dumps(command, ensure_ascii=False).encode()


def test_versions_1_and_2_of_a_baseline_are_both_applied_and_version_1_is_upgraded(intake: Intake) -> None:
    messages = [
        _baseline(1, "AN-CG", "department", "comprehensive", 150),  # version 1, no version field
        _baseline(1, "AN-SJ-V1-SAYS-ONE", "department", "other", 40),  # version 1, said
        _baseline(2, "AN-ZHZF", "district", "comprehensive", 90),
        _baseline(1, "AN-JD-WEST", "town", None, 12),
        _baseline(2, "AN-OLD-WORD", "department", "other", 5),  # version 2 has no "department"
        _baseline(3, "AN-LATER", "district", "other", 5),
    ]
    worker = intake.run([(json.loads(m)["payload"]["unit"].encode(), m) for m in messages])

    letters = {letter.message_id: (letter.rule, letter.error) for letter in intake.dead_letters()}
    assert (worker.intake.stats.applied, worker.intake.stats.dead_lettered) == (4, 2), letters
    with intake.read_models() as cur:
        cur.execute("SELECT unit, level FROM enforcement_baselines ORDER BY unit")
        assert [(r["unit"], r["level"]) for r in cur.fetchall()] == [
            ("AN-CG", "district"),
            ("AN-JD-WEST", "town"),
            ("AN-SJ-V1-SAYS-ONE", "district"),
            ("AN-ZHZF", "district"),
        ]
    letters = {letter.message_id: (letter.rule, letter.error) for letter in intake.dead_letters()}
    assert letters["baseline/AN-OLD-WORD/v2"][0] == "MalformedMessage"
    assert "level" in letters["baseline/AN-OLD-WORD/v2"][1]
    assert letters["baseline/AN-LATER/v3"] == (
        "UnsupportedVersion",
        "sinkdown.declare_enforcement_staff version 3 is not supported (read: [1, 2])",
    )
