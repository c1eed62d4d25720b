"""The event log's JSON, written by msgspec instead of the standard library.

Same bytes as the library's JSONTranscoder (compact separators, UTF-8 text unescaped,
registered types as {"_type_": name, "_data_": ...}), so the log stays one format and
its hash chain is unaffected. Writing is most of what the intake spends per event beside
the rules: the standard library calls back into Python for every UUID, date, decimal and
value object, msgspec encodes the plain structure that one walk over the event's state
leaves. Reading is most of what a rebuild spends beside its writes: msgspec parses, and
one walk turns the registered types' {"_type_", "_data_"} back into objects, inner ones
first, as the library's object hook does; what msgspec does not parse (NaN, infinities,
numbers beyond a double) the library reads.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import msgspec
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Transcoding,
    TranscodingNotRegisteredError,
    UUIDAsHex,
)

_PLAIN = (str, int, bool, type(None))
_DIRECT: dict[type, Callable[[Any], Any]] = {
    UUIDAsHex: UUID,
    DecimalAsStr: Decimal,
    DatetimeAsISO: datetime.fromisoformat,
}
_NOT_FINITE = {"inf": b"Infinity", "-inf": b"-Infinity", "nan": b"NaN"}


def _float(value: float) -> msgspec.Raw:
    """As the standard library writes a float (1e+16, not msgspec's 1e16)."""
    text = float.__repr__(value)
    return msgspec.Raw(_NOT_FINITE.get(text) or text.encode())


class MsgspecJSONTranscoder(JSONTranscoder):
    def __init__(self) -> None:
        self._decoders: dict[Any, Callable[[Any], Any]] = {}
        super().__init__()
        self._encoder = msgspec.json.Encoder()

    def register(self, transcoding: Transcoding) -> None:
        super().register(transcoding)
        # the library's own transcodings decode by one call of the type (a frame less a value)
        self._decoders[transcoding.name] = _DIRECT.get(type(transcoding), transcoding.decode)

    def encode(self, obj: Any) -> bytes:
        return self._encoder.encode(self._plain(obj))

    def decode(self, data: bytes) -> Any:
        try:
            parsed = msgspec.json.decode(data)
        except msgspec.DecodeError:
            return super().decode(data)
        return self._revive(parsed)

    def _revive(self, value: Any) -> Any:
        kind = type(value)
        if kind is dict:
            return self._revive_dict(value)
        if kind is list:
            return self._revive_list(value)
        return value

    def _revive_dict(self, d: dict[str, Any]) -> Any:
        for key, item in d.items():  # msgspec's own dicts: changed in place
            kind = type(item)
            if kind is dict:
                d[key] = self._revive_dict(item)
            elif kind is list:
                d[key] = self._revive_list(item)
        if len(d) == 2 and "_type_" in d and "_data_" in d:
            decode = self._decoders.get(d["_type_"])
            # unregistered: the library's error
            return self._decode_obj(d) if decode is None else decode(d["_data_"])
        return d

    def _revive_list(self, items: list[Any]) -> list[Any]:
        for i, item in enumerate(items):
            kind = type(item)
            if kind is dict:
                items[i] = self._revive_dict(item)
            elif kind is list:
                items[i] = self._revive_list(item)
        return items

    def _plain(self, value: Any) -> Any:
        kind = type(value)
        if kind in _PLAIN:
            return value
        if kind is float:
            return _float(value)
        if kind is dict:
            plain = self._plain
            return {key: plain(item) for key, item in value.items()}
        if kind is list or kind is tuple:
            return [self._plain(item) for item in value]
        transcoding = self.types.get(kind)
        if transcoding is None:
            return self._subclass(value, kind)
        return {"_type_": transcoding.name, "_data_": self._plain(transcoding.encode(value))}

    def _subclass(self, value: Any, kind: type) -> Any:
        """Subclasses of the plain types (a str enum, say), written as the library writes them."""
        if isinstance(value, str):
            return str.__str__(value)
        if isinstance(value, int):
            return int.__int__(value)
        if isinstance(value, float):
            return _float(value)
        if isinstance(value, dict):
            return self._plain(dict(value))
        if isinstance(value, (list, tuple)):
            return self._plain(list(value))
        raise TranscodingNotRegisteredError(
            f"Object of type {kind} is not serializable. Please define and register "
            "a custom transcoding for this type."
        )
