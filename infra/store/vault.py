"""Reading and erasing a person's personal data: every read recorded, erasure for good.

Reading opens the person's sealed tokens (kept in the sink-down events) with their key
and records the read — who, role, system, purpose, which fields, found or not — as an
event before returning anything. Erasing destroys the key first (nothing can be opened
after that, whatever happens next) and then records the erasure with its legal basis;
run again after a failure, it records what is missing. The log is not touched: the hash
chain still verifies and every count and inventory stays as it was."""

from __future__ import annotations

import base64
import hmac
import json
import logging
import os
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag

from aggregates.base import Context
from aggregates.privacy.record import PersonalDataErased
from aggregates.sinkdown.transfer import SinkDownTransfer
from infra.settings import Crypto, Settings
from infra.store import ciphers
from infra.store.ciphers import Cipher, Suite

# 个人信息保护 — staff's personal data sealed under one key per person, erased by destroying it.
#
# Crypto-shredding: names, ID numbers and phones never reach an event in clear text. The
# intake seals them with the person's own random 256-bit key and the events keep only the
# token; erasing a person destroys the key, so every token of theirs, in the log, in backups
# and in replicas of the log, stays unreadable for good, while the log itself stays whole and
# its hash chain intact. A destroyed key lingers on disk until VACUUM reclaims its old row
# version.
#
# 密钥加密密钥 — a database dump opens nothing: each person's key is kept in `person_keys`
# wrapped (encrypted, bound to the person) under a key-encryption key (KEK) that is never in
# the database: given by the settings (`Crypto`: a variable, a file, else `{state_dir}/kek`,
# made on first use while no key is wrapped yet). Each row names its KEK (`kek_id`, a
# fingerprint, not the key), so a vault holding the current KEK and the one before opens
# every key while `rotate_kek` moves them to the current one, row by row and restartable.
# Keys kept in clear by a version before wrapping are wrapped on first use, in one
# transaction, as long as the database holds nothing but such keys.
#
# Algorithms (infra/store/ciphers.py): a token's prefix names the cipher that sealed it
# ("pd1." AES-256-GCM, "pdsm4." SM4-GCM), a wrapped key's first byte the one that wrapped it;
# the configured suite only chooses what new seals and wraps use.

log = logging.getLogger(__name__)

NONCE = ciphers.NONCE
KEY_BYTES = 32  # a person's key, and a KEK
PERSONAL_DATA = b"personal-data"  # what a person's key seals (an SM4 key is derived per purpose)
PERSON_KEY = b"person-key"  # what a KEK wraps
DEFAULT_KEK = "kek"  # the KEK's file in the state directory when none is configured


class SealBroken(ValueError):
    """The token was altered, or it was sealed for another person."""


class WrappedKeyBroken(SealBroken):
    """A person's wrapped key does not open under the KEK its row names: the row was altered,
    or copied from another person's."""


class KekUnavailable(RuntimeError):
    """A person's key is wrapped under a KEK this process is not given, or no KEK is given
    while the database holds wrapped keys: nothing of theirs can be opened here."""


class KeyKeptInClear(SealBroken):
    """A person's key is in clear in a database whose keys are wrapped: written by a version
    from before wrapping, or put there by someone else; `govledger privacy rotate-kek` wraps
    it once checked."""


class KeyEncryptionKey:
    """密钥加密密钥 — a KEK held in this process (from a variable or a file), known by its id: a
    fingerprint (HMAC-SHA256 of a fixed label under the KEK, 64 bits) that names it in
    `person_keys` and in messages, and says nothing of the key. A KMS or a cipher machine
    would give an object with the same `id`, `wrap` and `unwrap`, doing them where the KEK is."""

    def __init__(self, secret: bytes, source: str) -> None:
        if len(secret) != KEY_BYTES:
            raise ValueError(f"a KEK is {KEY_BYTES} bytes, not {len(secret)} ({source})")
        self._secret, self.source = secret, source
        self.id = hmac.digest(secret, b"govledger/kek-id", "sha256")[:8].hex()

    def __repr__(self) -> str:
        return f"KeyEncryptionKey({self.id} from {self.source})"

    def wrap(self, cipher: Cipher, person: str, key: bytes) -> bytes:
        """The person's key encrypted under this KEK: cipher byte, nonce, ciphertext and tag."""
        nonce = os.urandom(NONCE)
        sealed = cipher.encrypt(cipher.keyed(self._secret, PERSON_KEY), nonce, key, self._bound(person))
        return bytes([cipher.wrap_tag]) + nonce + sealed

    def unwrap(self, person: str, wrapped: bytes) -> bytes:
        cipher = ciphers.cipher_of_wrapped(wrapped)
        try:
            if cipher is None:
                raise ValueError(f"no cipher marked {wrapped[:1].hex()!r}")
            key = cipher.keyed(self._secret, PERSON_KEY)
            return cipher.decrypt(key, wrapped[1 : 1 + NONCE], wrapped[1 + NONCE :], self._bound(person))
        except (InvalidTag, ValueError) as error:
            raise WrappedKeyBroken(f"the key of {person} does not open under KEK {self.id}") from error

    def _bound(self, person: str) -> bytes:
        """What a wrapped key is bound to: its KEK and its person (moved to another row, it fails)."""
        return b"govledger/person-key\0" + self.id.encode() + b"\0" + person.encode()


def kek_from_text(text: str, source: str) -> KeyEncryptionKey:
    try:
        return KeyEncryptionKey(base64.b64decode(text.strip(), validate=True), source)
    except ValueError as error:
        raise KekUnavailable(f"{source} is not a KEK: {KEY_BYTES} bytes in base64 expected") from error


def read_kek_file(path: Path) -> KeyEncryptionKey:
    """The KEK in a file (its 32 bytes in base64, on one line)."""
    try:
        text = path.read_text()
    except FileNotFoundError as error:
        raise KekUnavailable(
            f"no KEK at {path}: restore it from where it is kept apart from the database,"
            " or make a new one with `govledger privacy new-kek` (new keys only: keys wrapped"
            " under a lost KEK never open again)"
        ) from error
    if path.stat().st_mode & 0o077:
        log.warning("the KEK file %s can be read by others than its owner: chmod 600 it", path)
    return kek_from_text(text, str(path))


def write_kek_file(path: Path) -> KeyEncryptionKey:
    """A new random KEK written to `path` (owner-only, on disk before it is used), never over
    a file already there (FileExistsError): written aside, then linked into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = os.urandom(KEY_BYTES)
    aside = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    handle = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(handle, "w") as out:
            out.write(base64.b64encode(secret).decode() + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.link(aside, path)
    finally:
        aside.unlink()
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return KeyEncryptionKey(secret, str(path))


@dataclass(frozen=True)
class Keyring:
    """The KEK that wraps (`current`) and those that still open (`previous`)."""

    current: KeyEncryptionKey
    previous: tuple[KeyEncryptionKey, ...] = ()

    def get(self, kek_id: str) -> KeyEncryptionKey | None:
        return next((k for k in (self.current, *self.previous) if k.id == kek_id), None)

    @property
    def ids(self) -> list[str]:
        return [k.id for k in (self.current, *self.previous)]


def keyring(crypto: Crypto, state_dir: str, may_create: Callable[[], bool] = lambda: False) -> Keyring:
    """The KEKs the settings give. The current one is `crypto.kek`, else the file
    `crypto.kek_file`, else `{state_dir}/kek`; that default file alone is made when missing,
    and only if `may_create()` says so (the vault: while the database holds no wrapped key)."""
    if crypto.kek and crypto.kek_file:
        raise KekUnavailable("GOVLEDGER_KEK and GOVLEDGER_KEK_FILE are both set: give the KEK one way")
    if crypto.kek:
        current = kek_from_text(crypto.kek, "GOVLEDGER_KEK")
    elif crypto.kek_file:
        current = read_kek_file(Path(crypto.kek_file))
    else:
        current = _default_kek(Path(state_dir) / DEFAULT_KEK, may_create)
    previous = [kek_from_text(crypto.previous_kek, "GOVLEDGER_PREVIOUS_KEK")] if crypto.previous_kek else []
    if crypto.previous_kek_file:
        previous.append(read_kek_file(Path(crypto.previous_kek_file)))
    return Keyring(current, tuple(k for k in previous if k.id != current.id))


def _default_kek(path: Path, may_create: Callable[[], bool]) -> KeyEncryptionKey:
    if path.exists() or not may_create():
        return read_kek_file(path)
    try:
        kek = write_kek_file(path)
    except FileExistsError:  # another process made it first
        return read_kek_file(path)
    log.warning(
        "made a new key-encryption key (KEK %s) at %s: every person's key is wrapped under it"
        " and it is not in the database. Keep a copy apart from the database and its backups:"
        " losing it loses every person's personal data for good. Set GOVLEDGER_KEK_FILE (an"
        " absolute path) so that every process uses this one.",
        kek.id,
        path.resolve(),
    )
    return kek


class _Vault:
    """Seals and opens tokens; subclasses keep the keys (None once erased)."""

    def suite(self) -> Suite:
        raise NotImplementedError

    def _sealing_key(self, person: str) -> bytes:
        raise NotImplementedError

    def _key(self, person: str) -> bytes | None:
        raise NotImplementedError

    def fingerprint(self, data: bytes) -> dict[str, str]:
        """The digest of `data` by the configured suite's algorithm, named by it: what a
        redacted dead letter keeps of its original (`{"sm3": ...}` under GOVLEDGER_CRYPTO=gm)."""
        algorithm = self.suite().digest
        return {algorithm: ciphers.digest(algorithm, [data]).hex()}

    def seal(self, person: str, fields: dict[str, str]) -> str:
        plain = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        cipher = self.suite().cipher
        key = cipher.keyed(self._sealing_key(person), PERSONAL_DATA)
        nonce = os.urandom(NONCE)
        sealed = cipher.encrypt(key, nonce, plain.encode(), person.encode())
        return cipher.token_prefix + base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")

    def open(self, person: str, token: str) -> dict[str, str] | None:
        """The personal data sealed in the token, or None once the person is erased."""
        key = self._key(person)
        if key is None:
            return None
        cipher = ciphers.cipher_of_token(token)
        if cipher is None:
            raise SealBroken(f"not a sealed token: {token[:8]!r}")
        body = token[len(cipher.token_prefix) :]
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            plain = cipher.decrypt(
                cipher.keyed(key, PERSONAL_DATA), raw[:NONCE], raw[NONCE:], person.encode()
            )
        except (InvalidTag, ValueError) as error:
            raise SealBroken(f"the token does not open for {person}") from error
        return dict(json.loads(plain))


def _new_key() -> bytes:
    return os.urandom(KEY_BYTES)


class InMemoryVault(_Vault):
    """The vault for unit tests: keys in a dict, gone with the process; the suite given, else
    the one GOVLEDGER_CRYPTO names."""

    def __init__(self, suite: str | None = None) -> None:
        self.keys: dict[str, bytes | None] = {}
        self.erased: dict[str, str] = {}
        self.suite_name = suite

    def suite(self) -> Suite:
        return ciphers.suite(self.suite_name) if self.suite_name else ciphers.configured()

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


@dataclass
class Rotation:
    """What `rotate_kek` found and did, in keys (rows of `person_keys` with a key)."""

    rewrapped: int = 0  # moved under the current KEK and cipher
    from_clear: int = 0  # of those, kept in clear before
    current: int = 0  # under the current KEK and cipher already
    unopened: Counter[str] = field(default_factory=Counter)  # by KEK id, under a KEK not given
    broken: list[str] = field(default_factory=list)  # persons whose wrapped key does not open

    @property
    def done(self) -> bool:
        """Every key is under the current KEK and cipher."""
        return not self.unopened and not self.broken


class PersonalDataVault(_Vault):
    """The vault on PostgreSQL: table `person_keys` (infra/store/schema.py), one row per person,
    each key wrapped under the KEK; settings (the KEK, the suite) as given, else from the
    environment when first needed."""

    def __init__(self, datastore: Any, settings: Settings | None = None) -> None:
        self.datastore = datastore
        self.settings = settings
        self._keyring: Keyring | None = None
        self._clear_checked = False

    def _configured(self) -> Settings:
        if self.settings is None:
            self.settings = Settings.from_env()
        return self.settings

    def suite(self) -> Suite:
        return ciphers.suite(self._configured().crypto.suite)

    def key_encryption_keys(self, create: bool = True) -> Keyring:
        """The KEKs, read once; the default KEK file is made if missing (with `create`) while
        the database holds no wrapped key."""
        if self._keyring is None:
            settings = self._configured()
            self._keyring = keyring(
                settings.crypto, settings.state_dir, lambda: create and not self._holds_wrapped_keys()
            )
        return self._keyring

    def _ready(self) -> Keyring:
        """The KEKs, with the keys kept in clear before wrapping wrapped once per process."""
        keys = self.key_encryption_keys()
        if not self._clear_checked:
            self.wrap_keys_in_clear()
            self._clear_checked = True
        return keys

    def _holds_wrapped_keys(self) -> bool:
        with self.datastore.transaction(commit=False) as cur:
            cur.execute("SELECT EXISTS (SELECT FROM person_keys WHERE kek_id IS NOT NULL) AS wrapped")
            return bool(cur.fetchone()["wrapped"])

    def wrap_keys_in_clear(self) -> int:
        """Wrap every key kept in clear (a database from before wrapping) under the current
        KEK, all in one transaction, and only when no key is wrapped yet: a key in clear
        beside wrapped ones is not trusted here (`KeyKeptInClear`). How many were wrapped."""
        keys, cipher = self.key_encryption_keys(), self.suite().cipher
        with self.datastore.transaction(commit=True) as cur:
            clear = "SELECT person, key FROM person_keys WHERE key IS NOT NULL AND kek_id IS NULL"
            cur.execute(f"SELECT EXISTS ({clear}) AS found")  # the partial index answers
            if not cur.fetchone()["found"]:
                return 0
            cur.execute("LOCK TABLE person_keys IN SHARE ROW EXCLUSIVE MODE")  # one process wraps
            cur.execute("SELECT EXISTS (SELECT FROM person_keys WHERE kek_id IS NOT NULL) AS wrapped")
            if cur.fetchone()["wrapped"]:
                log.error(
                    "person keys in clear beside wrapped ones: not wrapped automatically;"
                    " check them, then run `govledger privacy rotate-kek`"
                )
                return 0
            cur.execute(clear)
            rows = [(r["person"], bytes(r["key"])) for r in cur.fetchall()]
            cur.executemany(
                "UPDATE person_keys SET key = %s, kek_id = %s WHERE person = %s",
                [(keys.current.wrap(cipher, person, key), keys.current.id, person) for person, key in rows],
            )
        log.warning("wrapped %d person keys kept in clear under KEK %s", len(rows), keys.current.id)
        return len(rows)

    def _sealing_key(self, person: str) -> bytes:
        keys = self._ready()
        with self.datastore.transaction(commit=True) as cur:
            cur.execute("SELECT key, kek_id FROM person_keys WHERE person = %s", (person,))
            row = cur.fetchone()
            if row is None:
                key = _new_key()
                cur.execute(
                    "INSERT INTO person_keys (person, key, kek_id) VALUES (%s, %s, %s)"
                    " ON CONFLICT (person) DO NOTHING",
                    (person, keys.current.wrap(self.suite().cipher, person, key), keys.current.id),
                )
                if cur.rowcount == 1:
                    return key
                cur.execute("SELECT key, kek_id FROM person_keys WHERE person = %s", (person,))
                row = cur.fetchone()
        if row["key"] is None:
            raise PersonalDataErased(f"the personal data of {person} was erased")
        return self._unwrapped(keys, person, row)

    def _key(self, person: str) -> bytes | None:
        keys = self._ready()
        with self.datastore.transaction(commit=False) as cur:
            cur.execute("SELECT key, kek_id FROM person_keys WHERE person = %s", (person,))
            row = cur.fetchone()
        if row is None or row["key"] is None:
            return None
        return self._unwrapped(keys, person, row)

    def _unwrapped(self, keys: Keyring, person: str, row: dict[str, Any]) -> bytes:
        if row["kek_id"] is None:
            raise KeyKeptInClear(
                f"the key of {person} is kept in clear among wrapped keys: check it, then run"
                " `govledger privacy rotate-kek` to wrap it"
            )
        kek = keys.get(row["kek_id"])
        if kek is None:
            raise KekUnavailable(
                f"the key of {person} is wrapped under KEK {row['kek_id']}, and this process holds"
                f" {', '.join(keys.ids)}: give that KEK (GOVLEDGER_KEK_FILE, or"
                " GOVLEDGER_PREVIOUS_KEK_FILE while `govledger privacy rotate-kek` moves keys off it)"
            )
        return kek.unwrap(person, bytes(row["key"]))

    def erase(self, person: str, basis: str) -> bool:
        """Destroy the person's key (and refuse new seals); True when there was one to destroy.
        Needs no KEK: a key is destroyed wrapped."""
        _require_basis(basis)
        with self.datastore.transaction(commit=True) as cur:
            cur.execute(
                "INSERT INTO person_keys (person, key, erased_at, basis)"
                " VALUES (%s, NULL, now(), %s) ON CONFLICT (person) DO NOTHING",
                (person, basis),
            )
            cur.execute(
                "UPDATE person_keys SET key = NULL, kek_id = NULL, erased_at = now(), basis = %s"
                " WHERE person = %s AND key IS NOT NULL",
                (basis, person),
            )
            return bool(cur.rowcount)

    def rotate_kek(self, batch: int = 500, check: bool = False) -> Rotation:
        """Re-wrap under the current KEK and the suite's cipher every key wrapped otherwise
        (under a previous KEK, by the other cipher, or kept in clear), `batch` keys a
        transaction, each row changed only if it still holds what was read (an erasure or
        another rotation meanwhile wins). The events are not touched. A crash leaves each key
        under the old KEK or the new, both of which open it; running again finishes the work
        and does nothing once it is done. With `check`, counts only (and makes no KEK)."""
        keys, cipher = self.key_encryption_keys(create=not check), self.suite().cipher
        found, after = Rotation(), ""
        while True:
            with self.datastore.transaction(commit=True) as cur:
                cur.execute(
                    "SELECT person, key, kek_id FROM person_keys"
                    " WHERE person > %s AND key IS NOT NULL ORDER BY person LIMIT %s",
                    (after, batch),
                )
                rows = cur.fetchall()
                if not rows:
                    return found
                moves = [move for row in rows if (move := _moved(keys, cipher, row, found))]
                if moves and not check:
                    cur.executemany(
                        "UPDATE person_keys SET key = %s, kek_id = %s WHERE person = %s AND key = %s", moves
                    )
                    found.rewrapped += cur.rowcount
                elif check:
                    found.rewrapped += len(moves)
            after = rows[-1]["person"]


def _moved(keys: Keyring, cipher: Cipher, row: dict[str, Any], found: Rotation) -> tuple[Any, ...] | None:
    """The update that moves one row's key under the current KEK and cipher, or None."""
    person, stored, kek_id = row["person"], bytes(row["key"]), row["kek_id"]
    if kek_id == keys.current.id and ciphers.cipher_of_wrapped(stored) is cipher:
        found.current += 1
        return None
    if kek_id is None:
        key = stored
        if len(key) != KEY_BYTES:
            found.broken.append(person)
            return None
        found.from_clear += 1
    elif (kek := keys.get(kek_id)) is None:
        found.unopened[kek_id] += 1
        return None
    else:
        try:
            key = kek.unwrap(person, stored)
        except WrappedKeyBroken:
            found.broken.append(person)
            return None
    return (keys.current.wrap(cipher, person, key), keys.current.id, person, stored)


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
