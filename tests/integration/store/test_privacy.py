"""个人信息保护: sealed with one key per person, opened while the key lives, erased for good."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from aggregates.privacy.record import PersonalDataErased
from infra.bootstrap import build_ledger
from infra.store.vault import InMemoryVault, PersonalDataVault, SealBroken

FIELDS = {"name": "人员0001", "id_number": "TEST-ID-000001", "phone": "00000000001"}
BASIS = "本人申请删除（《个人信息保护法》第四十七条）"


@pytest.fixture(params=["memory", "postgres"])
def vault(request: pytest.FixtureRequest) -> Iterator[Any]:
    if request.param == "memory":
        yield InMemoryVault()
        return
    ledger = build_ledger(request.getfixturevalue("database_url"))  # its datastore lives with it
    yield PersonalDataVault(ledger.recorder.datastore)


def test_a_sealed_token_opens_to_the_fields_and_shows_none_of_them(vault: Any) -> None:
    token = vault.seal("P1", FIELDS)

    assert vault.open("P1", token) == FIELDS
    assert token.startswith("pd1.") and not any(v in token for v in FIELDS.values())


def test_sealing_the_same_fields_twice_gives_two_tokens_under_one_key(vault: Any) -> None:
    first, second = vault.seal("P1", FIELDS), vault.seal("P1", FIELDS)

    assert first != second and vault.open("P1", first) == vault.open("P1", second) == FIELDS


def test_a_token_opens_only_for_its_own_person_and_only_unaltered(vault: Any) -> None:
    token = vault.seal("P1", FIELDS)
    vault.seal("P2", {"name": "人员0002", "id_number": "TEST-ID-000002"})

    with pytest.raises(SealBroken):
        vault.open("P2", token)
    with pytest.raises(SealBroken):
        vault.open("P1", token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
    with pytest.raises(SealBroken):
        vault.open("P1", "人员0001")


def test_an_erased_persons_tokens_no_longer_open_and_others_still_do(vault: Any) -> None:
    token, other = vault.seal("P1", FIELDS), vault.seal("P2", {"name": "人员0002", "id_number": "X"})

    assert vault.erase("P1", BASIS) is True
    assert vault.erase("P1", BASIS) is False  # nothing left to destroy

    assert vault.open("P1", token) is None
    assert vault.open("P2", other) == {"name": "人员0002", "id_number": "X"}


def test_nothing_more_is_sealed_for_an_erased_person(vault: Any) -> None:
    vault.erase("P9", BASIS)  # erased before anything was sealed for them

    with pytest.raises(PersonalDataErased):
        vault.seal("P9", FIELDS)


def test_an_erasure_states_its_basis(vault: Any) -> None:
    vault.seal("P1", FIELDS)

    with pytest.raises(ValueError):
        vault.erase("P1", " ")
    assert vault.open("P1", vault.seal("P1", FIELDS)) == FIELDS


def test_the_postgres_vault_keeps_keys_across_instances_and_records_the_erasure(
    database_url: str,
) -> None:
    ledger = build_ledger(database_url)
    token = PersonalDataVault(ledger.recorder.datastore).seal("P1", FIELDS)

    again = PersonalDataVault(ledger.recorder.datastore)
    assert again.open("P1", token) == FIELDS
    again.erase("P1", BASIS)

    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            "SELECT key, erased_at IS NOT NULL, basis FROM person_keys WHERE person = 'P1'"
        ).fetchone()
    assert row == (None, True, BASIS)
