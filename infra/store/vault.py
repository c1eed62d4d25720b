"""Reading and erasing a person's personal data: every read recorded, erasure for good.

Reading opens the person's sealed tokens (kept in the sink-down events) with their key
and records the read — who, role, system, purpose, which fields, found or not — as an
event before returning anything. Erasing destroys the key first (nothing can be opened
after that, whatever happens next) and then records the erasure with its legal basis;
run again after a failure, it records what is missing. The log is not touched: the hash
chain still verifies and every count and inventory stays as it was."""

from __future__ import annotations

import base64
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from aggregates.base import Context
from aggregates.privacy.record import PersonalDataErased
from aggregates.sinkdown.transfer import SinkDownTransfer

# 个人信息保护 — staff's personal data sealed under one key per person, erased by destroying it.
#
# Crypto-shredding: names, ID numbers and phones never reach an event in clear text. The
# intake seals them with the person's own random AES-256-GCM key and the events keep only
# the token; erasing a person destroys the key, so every token of theirs, in the log, in
# backups and in replicas of the log, stays unreadable for good, while the log itself stays
# whole and its hash chain intact. The key table is the one place to keep out of long-lived
# backups, and a destroyed key lingers on disk until VACUUM reclaims its old row version.


PREFIX = "pd1."  # version of the token format: nonce (12 bytes) + ciphertext + tag, base64url


class SealBroken(ValueError):
    """The token was altered, or it was sealed for another person."""


class _Vault:
    """Seals and opens tokens; subclasses keep the keys (None once erased)."""

    def _sealing_key(self, person: str) -> bytes:
        raise NotImplementedError

    def _key(self, person: str) -> bytes | None:
        raise NotImplementedError

    def seal(self, person: str, fields: dict[str, str]) -> str:
        plain = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        nonce = os.urandom(12)
        sealed = AESGCM(self._sealing_key(person)).encrypt(nonce, plain.encode(), person.encode())
        return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")

    def open(self, person: str, token: str) -> dict[str, str] | None:
        """The personal data sealed in the token, or None once the person is erased."""
        key = self._key(person)
        if key is None:
            return None
        if not token.startswith(PREFIX):
            raise SealBroken(f"not a sealed token: {token[:8]!r}")
        body = token[len(PREFIX) :]
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            plain = AESGCM(key).decrypt(raw[:12], raw[12:], person.encode())
        except (InvalidTag, ValueError) as error:
            raise SealBroken(f"the token does not open for {person}") from error
        return dict(json.loads(plain))


def _new_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


class InMemoryVault(_Vault):
    """The vault for unit tests: keys in a dict, gone with the process."""

    def __init__(self) -> None:
        self.keys: dict[str, bytes | None] = {}
        self.erased: dict[str, str] = {}

    def _sealing_key(self, person: str) -> bytes:
        key = self.keys.setdefault(person, None if person in self.erased else _new_key())
        if key is None:
            raise PersonalDataErased(f"the personal data of {person} was erased")
        return key

    def _key(self, person: str) -> bytes | None:
        return self.keys.get(person)

    def erase(self, person: str, basis: str) -> bool:
        """Destroy the person's key; True when there was one to destroy."""
        _require_basis(basis)
        had_key = self.keys.get(person) is not None
        self.keys[person] = None
        self.erased.setdefault(person, basis)
        return had_key


class PersonalDataVault(_Vault):
    """The vault on PostgreSQL: table `person_keys` (infra/store/schema.py), one row per person."""

    def __init__(self, datastore: Any) -> None:
        self.datastore = datastore

    def _sealing_key(self, person: str) -> bytes:
        with self.datastore.transaction(commit=True) as cur:
            cur.execute(
                "INSERT INTO person_keys (person, key) VALUES (%s, %s) ON CONFLICT (person) DO NOTHING",
                (person, _new_key()),
            )
            cur.execute("SELECT key FROM person_keys WHERE person = %s", (person,))
            key = cur.fetchone()["key"]
        if key is None:
            raise PersonalDataErased(f"the personal data of {person} was erased")
        return bytes(key)

    def _key(self, person: str) -> bytes | None:
        with self.datastore.transaction(commit=False) as cur:
            cur.execute("SELECT key FROM person_keys WHERE person = %s", (person,))
            row = cur.fetchone()
        return None if row is None or row["key"] is None else bytes(row["key"])

    def erase(self, person: str, basis: str) -> bool:
        """Destroy the person's key (and refuse new seals); True when there was one to destroy."""
        _require_basis(basis)
        with self.datastore.transaction(commit=True) as cur:
            cur.execute(
                "INSERT INTO person_keys (person, key, erased_at, basis)"
                " VALUES (%s, NULL, now(), %s) ON CONFLICT (person) DO NOTHING",
                (person, basis),
            )
            cur.execute(
                "UPDATE person_keys SET key = NULL, erased_at = now(), basis = %s"
                " WHERE person = %s AND key IS NOT NULL",
                (basis, person),
            )
            return bool(cur.rowcount)


def _require_basis(basis: str) -> None:
    if not basis.strip():
        raise ValueError("an erasure states its basis (the request, the law, the decision)")


def _tokens(ledger: Any, person: str) -> list[str]:
    with ledger.recorder.datastore.transaction(commit=False) as cur:
        cur.execute("SELECT DISTINCT transfer_id FROM sink_down_postings WHERE person = %s", (person,))
        transfers = [row["transfer_id"] for row in cur.fetchall()]
    tokens = []
    for transfer_id in transfers:
        transfer = ledger.find(transfer_id)
        if isinstance(transfer, SinkDownTransfer):
            tokens += [
                m.person.sealed for m in transfer.members if m.person.person == person and m.person.sealed
            ]
    return tokens


def show(ledger: Any, ctx: Context, person: str, purpose: str) -> dict[str, str] | None:
    """The person's personal data (the latest sealed), or None when erased or never given."""
    found: dict[str, str] | None = None
    for token in _tokens(ledger, person):
        found = ledger.vault.open(person, token) or found
    ledger.record_personal_data_read(ctx, person, purpose, tuple(sorted(found or ())), found is not None)
    return found


def erase(ledger: Any, ctx: Context, person: str, basis: str) -> bool:
    """Destroy the person's key, then record the erasure; False if the key was gone already."""
    destroyed = ledger.vault.erase(person, basis)
    ledger.record_erasure(ctx, person, basis)
    return destroyed
