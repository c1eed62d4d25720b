"""死信中的个人信息 — a dead letter keeps no personal data in clear, yet opens for whoever holds the keys.

Before a dead letter is stored or published, the personal fields of its original record
(`contracts/personal.py` declares them) are sealed in place, each replaced by
`{"x-sealed": {"owner": ..., "token": ...}}`:

- in a message that decodes, each declared field with the key of the person its declaration
  names (the sibling `person`), as the use cases seal it;
- in JSON that does not decode, the fields found by name — those only personal data bears,
  and beside them the names of the fields inside personal data — with the key of the person
  the object names (when that is a valid id), else with the dead-letter key of the month
  (owner `dead-letters/YYYY-MM`, China time, kept in the same vault and erased the same way);
- a field whose owner was erased, or with no vault to seal it, is replaced by
  `{"x-redacted": {"sha256": ...}}`, the digest of the original record (`"sm3"` where the
  vault's suite is the national one, GOVLEDGER_CRYPTO=gm).

A record that is not JSON but holds a personal-looking name is replaced whole by
`{"x-redacted": {"sha256": ..., "bytes": ...}}` (or `"sm3"`, likewise). A record with nothing
personal stays byte for byte as it came. `open_letter` puts the fields back with the vault's keys (`govledger
deadletters --open ID`): after a person's erasure, their part no longer opens.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import msgspec

from aggregates.base import CHINA_STANDARD_TIME
from aggregates.privacy.record import PersonalDataErased
from contracts import personal as declaration

SEALED = "x-sealed"
REDACTED = "x-redacted"
DEAD_LETTER_OWNER = "dead-letters/{month}"  # the owner of the month's dead-letter key
HIDDEN = "‹personal data›"  # what an error text says in place of a personal value

_encoder = msgspec.json.Encoder()
_ESCAPED_ASCII = re.compile(rb"\\u00([0-7][0-9a-fA-F])")


def dead_letter_owner(received_ms: int | None) -> str:
    """The synthetic owner whose key seals the personal data of no known person dead-lettered
    in the month the record was received (China time)."""
    at = datetime.fromtimestamp(max(received_ms or 0, 0) / 1000, CHINA_STANDARD_TIME)
    return DEAD_LETTER_OWNER.format(month=f"{at:%Y-%m}")


@dataclass
class Sealed:
    """The original as a dead letter may keep it, and the personal values taken out of it."""

    original: bytes
    values: set[str] = field(default_factory=set)

    def scrub(self, text: str) -> str:
        """The text without any of the personal values (an error quoting one)."""
        for value in sorted(self.values, key=len, reverse=True):
            text = text.replace(value, HIDDEN)
        return text


def _strings(value: Any) -> Iterator[str]:
    """The texts and numbers in a personal value, as an error or a log line would quote them."""
    if isinstance(value, dict):
        for inner in value.values():
            yield from _strings(inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from _strings(inner)
    elif isinstance(value, str | int | float) and not isinstance(value, bool):
        if len(str(value).strip()) > 1:
            yield str(value)


def _fingerprint(vault: Any, raw: bytes) -> dict[str, str]:
    """The record's digest as a redaction keeps it: by the vault's suite, SHA-256 without one."""
    return vault.fingerprint(raw) if vault is not None else {"sha256": hashlib.sha256(raw).hexdigest()}


def _is_marker(node: Any) -> bool:
    return isinstance(node, dict) and len(node) == 1 and (SEALED in node or REDACTED in node)


class DeadLetterSealer:
    """Seals the personal fields of dead-lettered records, for messages of `message_types`."""

    def __init__(self, *message_types: Any) -> None:
        self.names = declaration.names(*message_types)
        self._owner_types = dict(self.names.owners)

    def seal(self, vault: Any, raw: bytes, command: Any = None, received_ms: int | None = None) -> Sealed:
        """The record with its personal fields sealed: `command` is what it decoded to, if it did."""
        try:
            wire = msgspec.json.decode(raw)
        except (msgspec.DecodeError, msgspec.ValidationError):
            return self._unreadable(raw, vault)
        sealed, digest, replaced = Sealed(raw), _fingerprint(vault, raw), 0
        passes = [lambda found: self._declared(command, wire, found)] if command is not None else []
        for find in [*passes, lambda found: self._by_name(wire, found)]:
            found: list[tuple[Any, Any, str | None]] = []  # (container, key, owner)
            find(found)  # the declared fields first: what they took is not found again by name
            for container, key, owner in found:
                value = container[key]
                sealed.values.update(_strings(value))
                container[key] = self._sealed(vault, value, owner or dead_letter_owner(received_ms), digest)
            replaced += len(found)
        if replaced:
            sealed.original = _encoder.encode(wire)
        return sealed

    def personal_values(self, command: Any) -> set[str]:
        """The personal values a decoded command carries (to keep them out of a log line)."""
        found: list[tuple[Any, Any, str | None]] = []
        self._declared(command, msgspec.to_builtins(command), found)
        return {s for container, key, _ in found for s in _strings(container[key])}

    def _unreadable(self, raw: bytes, vault: Any) -> Sealed:
        """A record that is not JSON: kept as it is unless a personal-looking name is in it."""
        text = _ESCAPED_ASCII.sub(lambda m: bytes([int(m.group(1), 16)]), raw)
        flat = declaration.normalised(text.decode("utf-8", errors="replace"))
        if not any(name in flat for name in self.names.only_personal):
            return Sealed(raw)
        whole = {REDACTED: {**_fingerprint(vault, raw), "bytes": len(raw)}}
        return Sealed(_encoder.encode(whole))

    def _declared(self, value: Any, wire: Any, found: list[tuple[Any, Any, str | None]]) -> None:
        """The declared personal fields of a decoded value, found in its JSON beside it."""
        if isinstance(value, msgspec.Struct):
            if not isinstance(wire, dict):
                return
            personal = {f.attribute: f for f in declaration.declared(type(value))}
            for f in msgspec.structs.fields(value):
                if f.encode_name not in wire or _is_marker(wire[f.encode_name]):
                    continue
                inner = getattr(value, f.name)
                if f.name in personal:
                    if inner is not None:
                        owner = getattr(value, personal[f.name].owner)
                        found.append((wire, f.encode_name, owner if isinstance(owner, str) else None))
                else:
                    self._declared(inner, wire[f.encode_name], found)
        elif isinstance(value, list | tuple) and isinstance(wire, list | tuple):
            for inner, inner_wire in zip(value, wire):
                self._declared(inner, inner_wire, found)
        elif isinstance(value, dict) and isinstance(wire, dict):
            for key, inner in value.items():
                if isinstance(key, str) and key in wire:
                    self._declared(inner, wire[key], found)

    def _by_name(self, wire: Any, found: list[tuple[Any, Any, str | None]]) -> None:
        """Fields that look personal by name, anywhere in the JSON (what `_declared` left)."""
        if isinstance(wire, list):
            for inner in wire:
                self._by_name(inner, found)
            return
        if not isinstance(wire, dict) or _is_marker(wire):
            return
        names = {key: declaration.normalised(key) for key in wire}
        held = {key: value is not None and not _is_marker(value) for key, value in wire.items()}
        looks = any(names[key] in self.names.only_personal and held[key] for key in wire)
        owner = self._owner(wire) if looks else None
        for key, value in wire.items():
            personal = looks and names[key] in self.names.only_personal | self.names.inside
            if personal and held[key]:
                found.append((wire, key, owner))
            elif not personal:
                self._by_name(value, found)

    def _owner(self, wire: dict[str, Any]) -> str | None:
        """The person an object names, when a field that names owners holds a valid id."""
        for name, owner_type in self._owner_types.items():
            try:
                return str(msgspec.convert(wire.get(name), owner_type))
            except (msgspec.ValidationError, TypeError):
                continue
        return None

    @staticmethod
    def _sealed(vault: Any, value: Any, owner: str, digest: dict[str, str]) -> dict[str, Any]:
        if vault is not None:
            try:
                token = vault.seal(owner, {"json": _encoder.encode(value).decode()})
                return {SEALED: {"owner": owner, "token": str(token)}}
            except PersonalDataErased:
                pass
        return {REDACTED: dict(digest)}


@dataclass(frozen=True)
class Opened:
    """A dead letter's original with its personal fields put back, when they all open.

    `original`: the record as it came (its JSON, the personal fields in again), None when any
    part stays shut; `opened`: each owner whose fields were opened, with their names; `shut`:
    the owners whose key is gone (erased) or whose token does not open, and "redacted" for
    what was never sealed."""

    original: bytes | None
    opened: dict[str, tuple[str, ...]]
    shut: tuple[str, ...]

    @property
    def sealed(self) -> bool:
        return bool(self.opened or self.shut)


def open_letter(vault: Any, original: bytes) -> Opened:
    """A stored or published dead letter's original, its sealed fields opened with the keys."""
    try:
        wire = msgspec.json.decode(original)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return Opened(original, {}, ())
    opened: dict[str, set[str]] = {}
    shut: list[str] = []

    def restore(node: Any, name: str) -> Any:
        if isinstance(node, list):
            return [restore(inner, name) for inner in node]
        if not isinstance(node, dict):
            return node
        if _is_marker(node):
            return _open_marker(vault, node, name, opened, shut)
        return {key: restore(inner, key) for key, inner in node.items()}

    restored = restore(wire, "")
    if not opened and not shut:
        return Opened(original, {}, ())
    whole = None if shut else _encoder.encode(restored)
    return Opened(whole, {o: tuple(sorted(f)) for o, f in opened.items()}, tuple(dict.fromkeys(shut)))


def _open_marker(
    vault: Any, node: dict[str, Any], name: str, opened: dict[str, set[str]], shut: list[str]
) -> Any:
    seal = node.get(SEALED)
    if not isinstance(seal, dict):
        shut.append("redacted")
        return node
    owner, token = str(seal.get("owner")), str(seal.get("token"))
    try:
        fields = vault.open(owner, token) if vault is not None else None
    except ValueError:  # the token was altered, or is not one of this owner's
        fields = None
    if fields is None:
        shut.append(owner)
        return node
    value = msgspec.json.decode(fields["json"])
    opened.setdefault(owner, set()).update(value if isinstance(value, dict) else {name})
    return value
