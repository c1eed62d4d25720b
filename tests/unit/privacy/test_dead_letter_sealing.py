"""死信中的个人信息: the personal fields of a dead-lettered record are sealed with their owner's
key, or the month's dead-letter key, or redacted with the record's digest; they open again
with the keys, and no more once the owner is erased."""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import msgspec
import pytest
from cryptography.hazmat.primitives import hashes

from consumers.intake import Intake
from consumers.personal import DeadLetterSealer, dead_letter_owner, open_letter
from contracts import personal
from contracts.sinkdown import commands as s
from infra import contexts
from infra.published import schemas
from infra.settings import Topics
from infra.store.vault import InMemoryVault
from tests.support import PII_CLERK, PII_PERSONAL, pii_proposal

SEALER = DeadLetterSealer(*contexts.decoder(Topics()).message_types)
RECEIVED = int(datetime(2024, 5, 31, 20, tzinfo=UTC).timestamp() * 1000)  # 1 June in China
CLEAR = ("测试人员甲", "TEST-ID-PII000001", "13800000001")


def _nowhere(sealed: bytes, *values: str) -> bool:
    return not any(v.encode() in sealed or json.dumps(v)[1:-1].encode() in sealed for v in values)


def test_the_contract_declares_its_personal_fields_once_and_the_schema_shows_them() -> None:
    [declared] = personal.declared(s.Person)
    names = personal.names(contexts.Command)

    assert (declared.wire, declared.owner_wire) == ("personal", "person")
    assert names.only_personal == {"personal", "idnumber", "phone"}  # `name` is other fields' name too
    assert names.inside == {"name", "idnumber", "phone"}
    person = schemas()["commands.staffing"]["$defs"]["Person"]["properties"]["personal"]
    assert (person["x-personal"], person["x-personal-of"]) == (True, "person")


def test_a_command_that_decodes_is_sealed_with_its_persons_key_and_opens_as_it_was_sent() -> None:
    vault, command = InMemoryVault(), pii_proposal(PII_CLERK, PII_CLERK)
    raw = msgspec.json.encode(command)

    sealed = SEALER.seal(vault, raw, command, RECEIVED)

    assert _nowhere(sealed.original, *CLEAR)
    wire = json.loads(sealed.original)
    assert [p["personal"]["x-sealed"]["owner"] for p in wire["payload"]["persons"]] == ["PII-P0001"] * 2
    assert sealed.scrub("Invalid value '测试人员甲' for 13800000001") == (
        "Invalid value '‹personal data›' for ‹personal data›"
    )
    opened = open_letter(vault, sealed.original)
    assert opened.original is not None and json.loads(opened.original) == json.loads(raw)
    assert opened.opened == {"PII-P0001": ("id_number", "name", "phone")}

    vault.erase("PII-P0001", "本人申请删除")
    shut = open_letter(vault, sealed.original)
    assert (shut.original, shut.shut) == (None, ("PII-P0001",))


def test_json_that_does_not_decode_is_sealed_by_field_name_with_the_named_person_or_the_months_key() -> None:
    vault = InMemoryVault()
    named = {"person": "PII-P0002", "post": 7, "personal": msgspec.to_builtins(PII_PERSONAL)}
    flat = {"person": 42, "name": "测试人员甲", "ID_Number": "TEST-ID-PII000001", "phone": "13800000001"}
    raw = json.dumps({"type": "sinkdown.propose", "payload": {"persons": [named, flat]}}).encode()

    sealed = SEALER.seal(vault, raw, None, RECEIVED)

    assert _nowhere(sealed.original, *CLEAR)
    [first, second] = json.loads(sealed.original)["payload"]["persons"]
    assert first["personal"]["x-sealed"]["owner"] == "PII-P0002" and first["post"] == 7
    owners = {second[k]["x-sealed"]["owner"] for k in ("name", "ID_Number", "phone")}
    assert owners == {"dead-letters/2024-06"}  # no valid person named: the month's key
    assert second["person"] == 42
    assert json.loads(open_letter(vault, sealed.original).original or b"") == json.loads(raw)


def test_a_record_that_is_not_json_is_redacted_whole_only_when_it_names_personal_data() -> None:
    vault = InMemoryVault()
    broken = (
        b'{"type": "sinkdown.propose", "payload": {"persons": [{"person": "P", "p\\u0065rsonal": {"name": "'
    )
    plain = b'{"type": "item.register", "message_id": "m-1", "payload": {"code": '

    raw = broken + "测试人员甲".encode()  # cut short: not JSON

    redacted = SEALER.seal(vault, raw, None, RECEIVED)

    assert json.loads(redacted.original) == {
        "x-redacted": {"sha256": hashlib.sha256(raw).hexdigest(), "bytes": len(raw)}
    }
    assert SEALER.seal(vault, plain, None, RECEIVED).original == plain  # kept byte for byte
    assert open_letter(vault, redacted.original).shut == ("redacted",)


def test_personal_data_of_an_erased_person_is_redacted_with_the_records_digest() -> None:
    vault, command = InMemoryVault(), pii_proposal(PII_CLERK)
    vault.erase("PII-P0001", "本人申请删除")
    raw = msgspec.json.encode(command)

    sealed = SEALER.seal(vault, raw, command, RECEIVED)
    without_vault = SEALER.seal(None, raw, command, RECEIVED)

    digest = {"x-redacted": {"sha256": hashlib.sha256(raw).hexdigest()}}
    assert json.loads(sealed.original)["payload"]["persons"][0]["personal"] == digest
    assert json.loads(without_vault.original)["payload"]["persons"][0]["personal"] == digest
    assert _nowhere(sealed.original, *CLEAR) and _nowhere(without_vault.original, *CLEAR)


def test_under_the_national_algorithms_a_redaction_keeps_the_records_sm3_digest() -> None:
    vault, command = InMemoryVault("gm"), pii_proposal(PII_CLERK)
    vault.erase("PII-P0001", "本人申请删除")
    raw = msgspec.json.encode(command)
    cut = (
        b'{"type": "sinkdown.propose", "payload": {"persons": [{"personal": {"name": "'
        + "测试人员甲".encode()
    )
    sm3 = hashes.Hash(hashes.SM3())
    sm3.update(raw)
    cut_sm3 = hashes.Hash(hashes.SM3())
    cut_sm3.update(cut)

    sealed = SEALER.seal(vault, raw, command, RECEIVED)
    whole = SEALER.seal(vault, cut, None, RECEIVED)

    personal = json.loads(sealed.original)["payload"]["persons"][0]["personal"]
    assert personal == {"x-redacted": {"sm3": sm3.finalize().hex()}}
    assert json.loads(whole.original) == {"x-redacted": {"sm3": cut_sm3.finalize().hex(), "bytes": len(cut)}}


def test_a_message_without_personal_data_is_kept_byte_for_byte() -> None:
    command = pii_proposal(msgspec.structs.replace(PII_CLERK, personal=None))
    raw = msgspec.json.encode(command)

    assert SEALER.seal(InMemoryVault(), raw, command, RECEIVED).original == raw
    assert open_letter(InMemoryVault(), raw).original == raw


def test_the_dead_letter_key_is_the_months_in_china_time() -> None:
    assert dead_letter_owner(RECEIVED) == "dead-letters/2024-06"
    assert dead_letter_owner(None) == "dead-letters/1970-01"


class _Failing:
    """Handlers whose code fails on a command, quoting its personal data."""

    def apply(self, ledger: Any, command: Any) -> None:
        raise RuntimeError(f"no post for {command.payload.persons[0].personal.name}")


def test_an_unexpected_failure_is_logged_without_the_commands_personal_data(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ledger = SimpleNamespace(recorder=None, vault=InMemoryVault())
    intake = Intake(ledger, "g", "c", _Failing(), contexts.decoder(Topics()))  # a fake ledger and handlers
    command = pii_proposal(PII_CLERK)

    with caplog.at_level(logging.ERROR, logger="consumers.intake"):
        outcome, rule, error = intake._apply(command)

    [line] = caplog.records
    assert (outcome, rule) == ("dead-lettered", "UnexpectedError")
    assert "‹personal data›" in line.error and "测试人员甲" not in line.error  # the traceback, scrubbed
    sealed = intake.sealer.seal(ledger.vault, msgspec.json.encode(command), command, RECEIVED)
    assert sealed.scrub(error or "") == "RuntimeError: no post for ‹personal data›"  # as its dead letter says
