"""Events read back through a decoder typed for their class.

The log's JSON is the library's: every value of a registered type is written as
{"_type_": name, "_data_": ...}. Read generically, every dict of an event is walked in
Python to find those boxes. But an event class's fields say what each value must be, so
for each class we derive a msgspec schema of its stored state, boxes and all: msgspec then
checks the state and parses its datetimes, dates, decimals and UUIDs in C, and Python only
rebuilds the registered value objects, as their transcodings do (__post_init__ included),
by one function per class compiled from the schema.

The typed path is only ever a shortcut. A state it does not fit exactly (a key too many or
missing, a value of another type than the annotation says, a record of an older version of a
class with upcasting, a number msgspec would coerce, a value object its own rules refuse)
fails on the way, and that event is read by the generic path instead, which upcasts it. So
what an event decodes to never depends on which path read it.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal, Union
from uuid import UUID

import msgspec
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    Mapper,
    StoredEvent,
    UUIDAsHex,
    find_id_convertor,
)
from eventsourcing.utils import resolve_topic

from aggregates.base import _DataclassAsDict, _DateAsISO
from aggregates.transcoder import MsgspecJSONTranscoder

# transcodings whose data msgspec parses to the very value the transcoding would return
_NATIVE: dict[type, type] = {
    UUIDAsHex: UUID,
    DecimalAsStr: Decimal,
    DatetimeAsISO: datetime,
    _DateAsISO: date,
}
# The schemas' structs: no field but those of the class, every one required. They hold only
# what msgspec decoded from JSON and live until the code built from them returns, so they are
# in no reference cycle and the garbage collector need not track them (gc=False: cheaper to
# allocate and free; 4 % fewer instructions per event read).
_STRUCT: dict[str, Any] = {"forbid_unknown_fields": True, "gc": False}
Code = Callable[
    [str], str
]  # Python for what msgspec decoded (given as Python) as the generic path returns it


class _Schemas:
    """msgspec types for annotations, each with the code (None: the value as decoded) that
    turns what msgspec decodes into what the generic path returns. A class's code is
    compiled into one function, so a value object costs one call, not one per field."""

    def __init__(self, transcoder: MsgspecJSONTranscoder) -> None:
        self.transcoder = transcoder
        self.names: dict[str, Any] = {
            "_revive": transcoder._revive,
            "_new": object.__new__,
            "_set": object.__setattr__,
        }
        self._boxes: dict[type, tuple[Any, Code | None]] = {}
        self._count = 0  # names given to compiled functions and the values they use
        self._generic: tuple[Any, Code] = (Any, lambda v: f"_revive({v})")  # parsed plain, walked as before

    def of(self, annotation: Any) -> tuple[Any, Code | None]:
        if annotation is str or annotation is int or annotation is bool or annotation is type(None):
            return annotation, None
        if annotation is float:
            return int | float, None  # msgspec would make a float of a written int
        origin, args = typing.get_origin(annotation), typing.get_args(annotation)
        if origin is Union or origin is types.UnionType:
            return self._optional(args)
        if origin in (tuple, list) and args and (origin is list or args[1:] == (Ellipsis,)):
            return self._sequence(args[0])
        if isinstance(annotation, type) and annotation in self.transcoder.types:
            return self._box(annotation)
        return self._generic

    def _optional(self, args: tuple[Any, ...]) -> tuple[Any, Code | None]:
        others = [a for a in args if a is not type(None)]
        if len(others) != 1 or len(args) != 2:
            return self._generic
        schema, code = self.of(others[0])
        if schema is Any:
            return self._generic
        if code is None:
            return schema | None, None
        return schema | None, lambda v: f"(None if {v} is None else {code(v)})"

    def _sequence(self, item: Any) -> tuple[Any, Code | None]:
        schema, code = self.of(item)
        listed = list[schema]  # type: ignore[valid-type]  # of an item type known only at run time
        if code is None:
            return listed, None
        name = self._name("x")
        return listed, lambda v: f"[{code(name)} for {name} in {v}]"

    def _box(self, cls: type) -> tuple[Any, Code | None]:
        known = self._boxes.get(cls)
        if known is not None:
            return known
        transcoding = self.transcoder.types[cls]
        native = _NATIVE.get(type(transcoding))
        if native is not None:
            data: Any = native
            code: Code = _data
        elif isinstance(transcoding, _DataclassAsDict):
            data, code = self._dataclass(cls, transcoding)
        else:
            return self._generic
        box = msgspec.defstruct(
            f"{transcoding.name}Box",
            [("kind", Literal[transcoding.name]), ("data", data)],
            rename={"kind": "_type_", "data": "_data_"},
            **_STRUCT,
        )
        self._boxes[cls] = box, code
        return box, code

    def _dataclass(self, cls: type, transcoding: _DataclassAsDict) -> tuple[Any, Code]:
        """The data of a value object, and code that builds the object from it as its
        transcoding does with every field written."""
        schema, state = self.struct(cls, cls.__name__, "b.data")
        if transcoding._every_field is None:
            body = f"    return {self._name_of(transcoding.decode)}({state})\n"
        else:
            post_init = transcoding._post_init
            body = (
                f"    o = _new({self._name_of(cls)})\n    _set(o, '__dict__', {state})\n"
                + (f"    {self._name_of(post_init)}(o)\n" if post_init is not None else "")
                + "    return o\n"
            )
        name = self.function(f"def f(b):\n{body}").__name__
        return schema, lambda v: f"{name}({v})"

    def struct(
        self,
        cls: type,
        name: str,
        source: str,
        skip: frozenset[str] = frozenset(),
        checked: tuple[tuple[str, Any], ...] = (),
    ) -> tuple[Any, str]:
        """A struct of the dataclass's fields (every one required, no other allowed), and Python
        for the state the generic path returns, given Python for the decoded struct. `checked`:
        fields the struct requires too, but the state leaves out."""
        hints = typing.get_type_hints(cls)
        fields: list[tuple[str, Any]] = list(checked)
        state = []
        for field in dataclasses.fields(cls):
            if field.name in skip:
                continue
            schema, code = self.of(hints[field.name])
            fields.append((field.name, schema))
            value = f"{source}.{field.name}"
            state.append(f"{field.name!r}: {value if code is None else code(value)}")
        return msgspec.defstruct(name, fields, **_STRUCT), "{" + ", ".join(state) + "}"

    def function(self, source: str) -> Callable[..., Any]:
        """The function `def f(...)` compiled from source, with the schemas' names in scope."""
        name = self._name("f")
        code = compile(source.replace("def f(", f"def {name}(", 1), "<typed decoding>", "exec")
        exec(code, self.names)
        return self.names[name]

    def _name(self, prefix: str) -> str:
        self._count += 1
        return f"_{prefix}{self._count}"

    def _name_of(self, value: Any) -> str:
        name = self._name("n")
        self.names[name] = value
        return name


def _data(v: str) -> str:
    return f"{v}.data"


class _EventDecoder:
    def __init__(self, schemas: _Schemas, cls: type, skip: frozenset[str]) -> None:
        # A class with upcasting: only records of its current version, which the library marks
        # with it (older ones upcast on the generic path); the mark is not part of the event.
        version = getattr(cls, "class_version", 1)
        checked = (("class_version", Literal[version]),) if version != 1 else ()
        schema, state = schemas.struct(cls, f"{cls.__qualname__}State", "s", skip, checked)
        decode = schemas._name_of(msgspec.json.Decoder(schema).decode)
        self.state = schemas.function(f"def f(data):\n    s = {decode}(data)\n    return {state}\n")


class TypedStates:
    """The stored state of events, decoded by a schema of their class where one fits."""

    _ids = frozenset(("originator_id", "originator_version"))

    def __init__(self, transcoder: MsgspecJSONTranscoder) -> None:
        self.schemas = _Schemas(transcoder)
        self._by_class: dict[type, _EventDecoder | None] = {}

    def decode(self, cls: type, data: bytes) -> dict[str, Any] | None:
        """The event's state as the generic path would return it, or None: read it that way."""
        decoder = self.decoder(cls)
        if decoder is None:
            return None
        try:
            return decoder.state(data)
        except Exception:
            return None

    def decoder(self, cls: type) -> _EventDecoder | None:
        """The class's typed decoder, or None where there can be none."""
        try:
            return self._by_class[cls]
        except KeyError:
            decoder = self._by_class[cls] = self._decoder(cls)
            return decoder

    def _decoder(self, cls: type) -> _EventDecoder | None:
        if not dataclasses.is_dataclass(cls):
            return None
        try:
            return _EventDecoder(self.schemas, cls, self._ids)
        except (NameError, TypeError):  # annotations that cannot be resolved or typed
            return None


class LedgerMapper(Mapper[UUID]):
    """The library's mapper, reading events through a typed decoder where one fits."""

    def __init__(self, transcoder: Any, compressor: Any = None, cipher: Any = None) -> None:
        super().__init__(transcoder, compressor=compressor, cipher=cipher)
        typed = isinstance(transcoder, MsgspecJSONTranscoder) and not compressor and not cipher
        self.typed = TypedStates(transcoder) if typed else None
        # by topic: the class and its typed state, or None where the generic path reads it
        self._by_topic: dict[str, tuple[type, Callable[[bytes], dict[str, Any]]] | None] = {}

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        topic = stored_event.topic
        try:
            reader = self._by_topic[topic]
        except KeyError:
            reader = self._by_topic[topic] = self._reader(topic)
        if reader is None:
            return super().to_domain_event(stored_event)
        cls, state_of = reader
        try:
            state = state_of(stored_event.state)
        except Exception:
            return super().to_domain_event(stored_event)
        originator_id = stored_event.originator_id
        id_type: type = type(originator_id)  # as `type`, which the type checker knows is hashable
        state["originator_id"] = find_id_convertor(cls, id_type)(originator_id)
        state["originator_version"] = stored_event.originator_version
        event: Any = object.__new__(cls)
        object.__setattr__(event, "__dict__", state)
        return event

    def _reader(self, topic: str) -> tuple[type, Callable[[bytes], dict[str, Any]]] | None:
        if self.typed is None:
            return None
        cls = resolve_topic(topic)
        decoder = self.typed.decoder(cls)
        return None if decoder is None else (cls, decoder.state)
