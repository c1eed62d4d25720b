"""密钥加密密钥: where the KEK comes from, and what a key wrapped under it is bound to."""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path

import pytest

from infra.settings import Crypto, Settings
from infra.store import ciphers
from infra.store.vault import (
    KekUnavailable,
    KeyEncryptionKey,
    WrappedKeyBroken,
    keyring,
    read_kek_file,
    write_kek_file,
)

KEY = os.urandom(32)


def _text(secret: bytes) -> str:
    return base64.b64encode(secret).decode()


@pytest.mark.parametrize("cipher", ciphers.CIPHERS, ids=lambda c: c.name)
def test_a_wrapped_key_opens_under_its_kek_for_its_person_only(cipher: ciphers.Cipher) -> None:
    kek, other = KeyEncryptionKey(os.urandom(32), "test"), KeyEncryptionKey(os.urandom(32), "test")

    wrapped = kek.wrap(cipher, "P1", KEY)

    assert wrapped[0] == cipher.wrap_tag and KEY not in wrapped
    assert kek.unwrap("P1", wrapped) == KEY
    with pytest.raises(WrappedKeyBroken):
        kek.unwrap("P2", wrapped)  # copied into another person's row
    with pytest.raises(WrappedKeyBroken):
        other.unwrap("P1", wrapped)
    with pytest.raises(WrappedKeyBroken):
        kek.unwrap("P1", wrapped[:20] + bytes([wrapped[20] ^ 1]) + wrapped[21:])


def test_a_kek_is_known_by_a_fingerprint_that_shows_nothing_of_it() -> None:
    secret = os.urandom(32)
    kek = KeyEncryptionKey(secret, "GOVLEDGER_KEK")

    assert kek.id == KeyEncryptionKey(secret, "elsewhere").id and len(kek.id) == 16
    assert kek.id not in secret.hex() and _text(secret) not in repr(kek) and secret.hex() not in repr(kek)
    with pytest.raises(ValueError, match="32 bytes"):
        KeyEncryptionKey(os.urandom(16), "short")


def test_a_kek_file_is_owner_only_and_never_written_over(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "kek"

    kek = write_kek_file(path)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_kek_file(path).id == kek.id
    with pytest.raises(FileExistsError):
        write_kek_file(path)
    assert read_kek_file(path).id == kek.id and os.listdir(path.parent) == ["kek"]


def test_the_kek_is_the_variable_else_the_file_else_the_state_dirs_made_only_when_allowed(
    tmp_path: Path,
) -> None:
    given, filed = os.urandom(32), write_kek_file(tmp_path / "filed")

    assert keyring(Crypto(kek=_text(given)), str(tmp_path)).current.id == KeyEncryptionKey(given, "").id
    assert keyring(Crypto(kek_file=str(tmp_path / "filed")), str(tmp_path)).current.id == filed.id
    with pytest.raises(KekUnavailable, match="both set"):
        keyring(Crypto(kek=_text(given), kek_file=str(tmp_path / "filed")), str(tmp_path))
    with pytest.raises(KekUnavailable, match="no KEK at"):  # a configured file is never made
        keyring(Crypto(kek_file=str(tmp_path / "missing")), str(tmp_path), lambda: True)

    state = tmp_path / "state"
    with pytest.raises(KekUnavailable, match="no KEK at"):  # the database holds wrapped keys
        keyring(Crypto(), str(state), lambda: False)
    assert not (state / "kek").exists()
    made = keyring(Crypto(), str(state), lambda: True).current
    assert (state / "kek").exists() and keyring(Crypto(), str(state)).current.id == made.id


def test_previous_keks_open_but_the_current_one_wraps(tmp_path: Path) -> None:
    old, new = write_kek_file(tmp_path / "old"), write_kek_file(tmp_path / "new")
    settings = Settings.from_env(
        {"GOVLEDGER_KEK_FILE": str(tmp_path / "new"), "GOVLEDGER_PREVIOUS_KEK_FILE": str(tmp_path / "old")}
    )

    keys = keyring(settings.crypto, settings.state_dir)

    assert keys.current.id == new.id and [k.id for k in keys.previous] == [old.id]
    assert keys.get(old.id) is not None and keys.get("0" * 16) is None
