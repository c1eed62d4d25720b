"""Turning a Kafka record into a command, or into the reason it cannot be one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec

from contracts.envelope import SUPPORTED_VERSIONS, Envelope

MAX_MESSAGE_BYTES = 256 * 1024


class _Probe(msgspec.Struct):
    type: Any = None
    message_id: Any = None


_probe = msgspec.json.Decoder(_Probe)


@dataclass(frozen=True)
class Decoded:
    command: Envelope | None
    message_id: str | None
    message_type: str | None
    rule: str | None = None
    error: str | None = None


def _probe_ids(raw: bytes) -> tuple[str | None, str | None]:
    try:
        probe = _probe.decode(raw)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None, None
    as_text = lambda v: v if isinstance(v, str) and 0 < len(v) <= 128 else None  # noqa: E731
    return as_text(probe.message_id), as_text(probe.type)


class CommandDecoder:
    """Decodes records into the commands of a tagged union (every context's, from the
    context registry), or says why a record is not one."""

    def __init__(self, command_type: Any) -> None:
        self._decoder = msgspec.json.Decoder(command_type)

    def decode(self, record: Any) -> Decoded:
        raw: bytes = record.value or b""
        if len(raw) > MAX_MESSAGE_BYTES:
            return Decoded(None, None, None, "MessageTooLarge", f"{len(raw)} bytes > {MAX_MESSAGE_BYTES}")
        try:
            command = self._decoder.decode(raw)
        except (msgspec.DecodeError, msgspec.ValidationError) as error:
            return Decoded(None, *_probe_ids(raw), "MalformedMessage", str(error))  # what it can tell
        message_type = type(command).__struct_config__.tag
        if command.version not in SUPPORTED_VERSIONS:
            return Decoded(
                None,
                command.message_id,
                message_type,
                "UnsupportedVersion",
                f"{message_type} version {command.version} is not supported",
            )
        return Decoded(command, command.message_id, message_type)
