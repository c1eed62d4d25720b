"""密钥加密密钥 on PostgreSQL: a copy of the database opens no sealed value without the KEK; a
rotation moves every key to the new KEK (restartable); keys from before wrapping keep working."""

from __future__ import annotations

import base64
import os
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from cryptography.exceptions import InvalidTag
from psycopg import sql

from aggregates.base import Context
from aggregates.powers.item import ItemDetails
from infra.bootstrap import build_ledger
from infra.settings import Crypto, CryptoSuite, Settings
from infra.store import ciphers
from infra.store import vault as vault_module
from infra.store.chain import verify
from infra.store.vault import (
    PERSONAL_DATA,
    InMemoryVault,
    KekUnavailable,
    KeyEncryptionKey,
    KeyKeptInClear,
    PersonalDataVault,
)
from tests.conftest import _with_database

OLD, NEW = base64.b64encode(os.urandom(32)).decode(), base64.b64encode(os.urandom(32)).decode()
CTX = Context("qlqd-sync", "system", "权责清单系统", "m1", datetime(2021, 6, 1, tzinfo=UTC), reason="核定")


def _item(name: str) -> ItemDetails:
    return ItemDetails(name, "penalty", "supervisory", "城市绿化", "条例", "JB-GREEN")


def _fields(person: str) -> dict[str, str]:
    return {"name": f"人员{person}", "id_number": f"TEST-ID-{person}", "phone": "00000000001"}


def _id(kek: str) -> str:
    return KeyEncryptionKey(base64.b64decode(kek), "test").id


def _vault(
    ledger: Any, tmp_path: Path, kek: str = "", previous: str = "", suite: CryptoSuite = "standard"
) -> PersonalDataVault:
    crypto = Crypto(suite=suite, kek=kek, previous_kek=previous)
    return PersonalDataVault(
        ledger.recorder.datastore, Settings(state_dir=str(tmp_path / "state"), crypto=crypto)
    )


def _rows(database_url: str) -> list[tuple[str, bytes | None, str | None]]:
    with psycopg.connect(database_url) as conn:
        rows = conn.execute("SELECT person, key, kek_id FROM person_keys ORDER BY person").fetchall()
    return [(person, None if key is None else bytes(key), kek_id) for person, key, kek_id in rows]


@contextmanager
def copied(server_url: str, database_url: str) -> Iterator[str]:
    """A copy of the database (`CREATE DATABASE … TEMPLATE`): what a dump or a stolen backup holds."""
    source = database_url.rsplit("/", 1)[1]
    name = f"{source}_copy_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(source))
        )
    try:
        yield _with_database(server_url, name)
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def test_a_copy_of_the_database_without_the_kek_opens_no_sealed_value(
    database_url: str, pg_server_url: str, tmp_path: Path
) -> None:
    ledger = build_ledger(database_url)
    tokens = {p: _vault(ledger, tmp_path, OLD).seal(p, _fields(p)) for p in ("P1", "P2", "P3")}
    tokens |= {p: _vault(ledger, tmp_path, OLD, suite="gm").seal(p, _fields(p)) for p in ("G1", "G2")}
    ledger.close()  # a template must have no one connected

    with copied(pg_server_url, database_url) as copy:
        stolen = build_ledger(copy)
        elsewhere = tmp_path / "elsewhere"  # no KEK configured, none in the state dir
        bare = PersonalDataVault(stolen.recorder.datastore, Settings(state_dir=str(elsewhere)))
        another = _vault(stolen, tmp_path, NEW)
        for person, token in tokens.items():
            with pytest.raises(KekUnavailable, match="no KEK at"):
                bare.open(person, token)
            with pytest.raises(KekUnavailable, match=_id(OLD)):
                another.open(person, token)
        assert not (elsewhere / "kek").exists()  # none made over a database of wrapped keys

        # what the copy holds of the keys opens nothing: no 32 bytes of any row are a key
        for person, stored, _ in _rows(copy):
            assert stored is not None and len(stored) == 1 + 12 + 32 + 16
            token = tokens[person]
            cipher = ciphers.cipher_of_token(token)
            assert cipher is not None
            body = token[len(cipher.token_prefix) :]
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            for start in range(len(stored) - 31):
                with pytest.raises((InvalidTag, ValueError)):
                    key = cipher.keyed(stored[start : start + 32], PERSONAL_DATA)
                    cipher.decrypt(key, raw[:12], raw[12:], person.encode())

        assert _vault(stolen, tmp_path, OLD).open("G1", tokens["G1"]) == _fields("G1")  # the copy is whole
        stolen.close()


def test_after_rotation_old_and_new_data_open_with_the_new_kek_and_not_with_the_old(
    database_url: str, tmp_path: Path
) -> None:
    ledger = build_ledger(database_url)
    before = {p: _vault(ledger, tmp_path, OLD).seal(p, _fields(p)) for p in ("P1", "P2", "P3", "P4", "P5")}
    _vault(ledger, tmp_path, OLD).erase("P5", "本人申请删除")

    rotating = _vault(ledger, tmp_path, NEW, previous=OLD)
    done = rotating.rotate_kek(batch=2)
    after = {"P6": rotating.seal("P6", _fields("P6")), "P1": rotating.seal("P1", {"name": "改名"})}

    assert (done.rewrapped, done.current, done.done) == (4, 0, True)
    assert {kek_id for person, _, kek_id in _rows(database_url) if person != "P5"} == {_id(NEW)}
    new_only, old_only = _vault(ledger, tmp_path, NEW), _vault(ledger, tmp_path, OLD)
    for person, token in [*before.items(), *after.items()]:
        if person == "P5":
            assert new_only.open(person, token) is None  # erased stays erased
            continue
        assert new_only.open(person, token) in (_fields(person), {"name": "改名"})
        with pytest.raises(KekUnavailable):
            old_only.open(person, token)
    again = rotating.rotate_kek()
    assert (again.rewrapped, again.current) == (0, 5)  # nothing left to do


def test_a_rotation_stopped_midway_leaves_every_key_openable_and_running_it_again_finishes(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = build_ledger(database_url)
    people = [f"P{n:02d}" for n in range(1, 11)]
    tokens = {p: _vault(ledger, tmp_path, OLD).seal(p, _fields(p)) for p in people}
    moved, seen = vault_module._moved, list[Any]()

    def cut_off(*args: Any) -> Any:
        if len(seen) == 6:  # in the second batch of four: it is rolled back
            raise RuntimeError("the power went off")
        seen.append(args)
        return moved(*args)

    monkeypatch.setattr(vault_module, "_moved", cut_off)
    rotating = _vault(ledger, tmp_path, NEW, previous=OLD)
    with pytest.raises(RuntimeError):
        rotating.rotate_kek(batch=4)
    monkeypatch.setattr(vault_module, "_moved", moved)

    assert Counter(kek_id for _, _, kek_id in _rows(database_url)) == {_id(NEW): 4, _id(OLD): 6}
    assert all(rotating.open(p, token) == _fields(p) for p, token in tokens.items())
    done = rotating.rotate_kek(batch=4)
    assert (done.rewrapped, done.current) == (6, 4)
    assert all(_vault(ledger, tmp_path, NEW).open(p, token) == _fields(p) for p, token in tokens.items())


def test_rotating_under_the_gm_suite_rewraps_every_key_with_sm4(database_url: str, tmp_path: Path) -> None:
    ledger = build_ledger(database_url)
    token = _vault(ledger, tmp_path, OLD).seal("P1", _fields("P1"))

    done = _vault(ledger, tmp_path, OLD, suite="gm").rotate_kek()

    assert (done.rewrapped, done.current) == (1, 0)
    [(_, stored, kek_id)] = _rows(database_url)
    assert stored is not None and ciphers.cipher_of_wrapped(stored) is ciphers.SM4_GCM and kek_id == _id(OLD)
    assert _vault(ledger, tmp_path, OLD).open("P1", token) == _fields("P1")  # an AES token still opens


def test_a_database_from_before_wrapping_keeps_its_keys_and_they_are_wrapped_on_first_use(
    database_url: str, tmp_path: Path
) -> None:
    ledger = build_ledger(database_url)
    for n in range(1, 4):
        ledger.register_power_item(CTX, f"I{n}", _item(f"事项{n}"))
    legacy = InMemoryVault("standard")  # sealing as the version before did: AES-256-GCM, "pd1."
    tokens = {p: legacy.seal(p, _fields(p)) for p in ("P1", "P2")}
    ledger.close()
    with psycopg.connect(database_url) as conn:  # the tables as that version left them
        conn.execute("DROP INDEX person_keys_in_clear")
        conn.execute("ALTER TABLE person_keys DROP COLUMN kek_id")
        conn.execute("ALTER TABLE event_chain DROP COLUMN algorithm")
        for person in tokens:
            conn.execute(
                "INSERT INTO person_keys (person, key) VALUES (%s, %s)", (person, legacy.keys[person])
            )

    upgraded = build_ledger(database_url)  # its schema brought up to date at start
    vault = _vault(upgraded, tmp_path, OLD)

    assert vault.open("P1", tokens["P1"]) == _fields("P1")
    rows = _rows(database_url)
    assert [kek_id for _, _, kek_id in rows] == [_id(OLD)] * 2
    assert all(
        stored != legacy.keys[person] and legacy.keys[person] not in (stored or b"")
        for person, stored, _ in rows
    )
    assert vault.open("P2", tokens["P2"]) == _fields("P2")
    upgraded.register_power_item(CTX, "I4", _item("事项4"))
    verdict = verify(upgraded.recorder.datastore, upgraded.recorder.events_table_name)
    assert (verdict.ok, verdict.checked, verdict.algorithms) == (True, 4, ((1, "sha256"),))


def test_a_key_in_clear_among_wrapped_keys_is_refused_until_rotate_kek_wraps_it(
    database_url: str, tmp_path: Path
) -> None:
    ledger = build_ledger(database_url)
    vault = _vault(ledger, tmp_path, OLD)
    wrapped = vault.seal("P1", _fields("P1"))
    planted = InMemoryVault("standard")
    token = planted.seal("P2", _fields("P2"))
    with psycopg.connect(database_url) as conn:
        conn.execute("INSERT INTO person_keys (person, key) VALUES ('P2', %s)", (planted.keys["P2"],))

    fresh = _vault(ledger, tmp_path, OLD)
    assert fresh.open("P1", wrapped) == _fields("P1")
    with pytest.raises(KeyKeptInClear):
        fresh.open("P2", token)
    with pytest.raises(KeyKeptInClear):
        fresh.seal("P2", _fields("P2"))

    done = fresh.rotate_kek()
    assert (done.rewrapped, done.from_clear, done.current) == (1, 1, 1)
    assert fresh.open("P2", token) == _fields("P2")


def test_with_nothing_configured_the_kek_is_made_in_the_state_dir_once(
    database_url: str, tmp_path: Path
) -> None:
    ledger = build_ledger(database_url)
    first = PersonalDataVault(ledger.recorder.datastore, Settings(state_dir=str(tmp_path / "a")))
    token = first.seal("P1", _fields("P1"))

    made = tmp_path / "a" / "kek"
    assert made.exists() and oct(made.stat().st_mode & 0o777) == "0o600"
    again = PersonalDataVault(ledger.recorder.datastore, Settings(state_dir=str(tmp_path / "a")))
    assert again.open("P1", token) == _fields("P1")
    other = PersonalDataVault(ledger.recorder.datastore, Settings(state_dir=str(tmp_path / "b")))
    with pytest.raises(KekUnavailable, match="no KEK at"):
        other.open("P1", token)
    assert not (tmp_path / "b" / "kek").exists()
