"""个人信息 — which fields of a message are personal data, declared once, on the field's type.

`Annotated[T, personal_of("person")]` declares a field personal data of the person whose
pseudonymous id the sibling field `person` holds. The declaration is all there is: the
published JSON Schema shows it on the field (`"x-personal": true`, `"x-personal-of": "person"`),
and `declared` and `names` read it back from the types, so the intake finds the personal fields
of any message it dead-letters without a list of its own.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import msgspec

PERSONAL = "x-personal"  # the schema keyword that marks a personal field
OWNER = "x-personal-of"  # the sibling field naming the person the data belongs to


def personal_of(owner: str) -> msgspec.Meta:
    """The declaration: personal data of the person the sibling field `owner` names."""
    return msgspec.Meta(extra_json_schema={PERSONAL: True, OWNER: owner})


@dataclass(frozen=True)
class PersonalField:
    """A personal field of one Struct class: its attribute and wire names, and the sibling
    field (attribute and wire name, and its type) naming whose data it is."""

    attribute: str
    wire: str
    owner: str
    owner_wire: str
    owner_type: Any


def _declaration(info: Any) -> dict[str, Any] | None:
    while isinstance(info, msgspec.inspect.Metadata):
        extra = info.extra_json_schema or {}
        if extra.get(PERSONAL):
            return extra
        info = info.type
    return None


def _annotation(cls: type, attribute: str) -> Any:
    return next(f.type for f in msgspec.structs.fields(cls) if f.name == attribute)


@functools.cache
def declared(cls: type) -> tuple[PersonalField, ...]:
    """The personal fields a Struct class declares (those of the Structs inside it apart)."""
    fields = msgspec.inspect.type_info(cls).fields  # type: ignore[attr-defined]  # a Struct's info
    wire = {f.name: f.encode_name for f in fields}
    found = []
    for f in fields:
        declaration = _declaration(f.type)
        if declaration is not None:
            owner = str(declaration[OWNER])
            found.append(PersonalField(f.name, f.encode_name, owner, wire[owner], _annotation(cls, owner)))
    return tuple(found)


def _walk(info: Any, inside_personal: bool, seen: set[tuple[type, bool]]) -> Iterator[tuple[str, bool]]:
    """(wire name, whether it is personal data) of every field of the Structs the type is built of."""
    if isinstance(info, msgspec.inspect.Metadata):
        personal_here = inside_personal or _declaration(info) is not None
        yield from _walk(info.type, personal_here, seen)
    elif isinstance(info, msgspec.inspect.StructType):
        if (info.cls, inside_personal) in seen:
            return
        seen.add((info.cls, inside_personal))
        for f in info.fields:
            personal_field = inside_personal or _declaration(f.type) is not None
            yield f.encode_name, personal_field
            yield from _walk(f.type, personal_field, seen)
    elif isinstance(info, msgspec.inspect.UnionType | msgspec.inspect.TupleType):
        for inner in info.types if isinstance(info, msgspec.inspect.UnionType) else info.item_types:
            yield from _walk(inner, inside_personal, seen)
    elif isinstance(info, msgspec.inspect.CollectionType):
        yield from _walk(info.item_type, inside_personal, seen)
    elif isinstance(info, msgspec.inspect.DictType):
        yield from _walk(info.value_type, inside_personal, seen)


def normalised(name: str) -> str:
    """A field name as the personal-looking names are compared: `ID-Number` is `idnumber`."""
    return "".join(ch for ch in name.lower() if ch.isalnum())


@dataclass(frozen=True)
class PersonalNames:
    """What personal fields are called across some messages, to find them by name where a
    message cannot be read by its type.

    `only_personal`: names (normalised) that no field but personal data bears, in and under the
    declared fields (`personal`, `id_number`, `phone`); `inside`: the names of the fields inside
    personal data (`name` too, which other fields bear); `owners`: the sibling fields that name
    whose data it is, with their type."""

    only_personal: frozenset[str]
    inside: frozenset[str]
    owners: tuple[tuple[str, Any], ...]


def names(*message_types: Any) -> PersonalNames:
    """The personal names of the messages (a tagged union, or several)."""
    personal_names: set[str] = set()
    other_names: set[str] = set()
    inside: set[str] = set()
    owners: dict[str, Any] = {}
    seen: set[tuple[type, bool]] = set()
    for message_type in message_types:
        for name, is_personal in _walk(msgspec.inspect.type_info(message_type), False, seen):
            (personal_names if is_personal else other_names).add(normalised(name))
    for cls, _inside in seen:
        for f in declared(cls):
            owners[f.owner_wire] = f.owner_type
            value = msgspec.inspect.type_info(_annotation(cls, f.attribute))
            inside |= {normalised(name) for name, _ in _walk(value, True, set())}
    return PersonalNames(frozenset(personal_names - other_names), frozenset(inside), tuple(owners.items()))
