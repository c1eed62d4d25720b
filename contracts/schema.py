"""The published JSON Schema of every inbound command and outbound event.

The schema is generated, never written by hand: the types and constraints come from the
msgspec contracts, each field's description from the one vocabulary (`contracts.vocabulary`),
and what a sender needs beyond the types — the topic, the field that is the Kafka key, the
ordering the key gives, the rules a command can be refused with, a valid example — from the
notes the context registry (`infra/contexts.py`) hands in. Those notes travel as keywords
of their own (`x-topic`, `x-direction`, `x-key`, `x-ordering`, `x-rules`, `x-type`), which
JSON Schema validators ignore, beside the standard `description` and `examples`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import msgspec

from contracts.vocabulary import FIELDS, MESSAGES

Rule = tuple[str, str]  # (rule name, the sentence saying it)


@dataclass(frozen=True)
class TopicNotes:
    """What a topic's document says of the topic as a whole."""

    topic: str  # the full topic name, e.g. "govledger.commands.staffing"
    direction: str  # "inbound": upstream systems publish it; "outbound": we publish it
    description: str
    rules: tuple[Rule, ...] = ()  # rules any message on the topic can be refused with


@dataclass(frozen=True)
class MessageNotes:
    """What one message type's entry says beyond its fields."""

    key: str | None = None  # the dotted path of the field whose value is the Kafka key
    ordering: str | None = None
    rules: tuple[Rule, ...] = ()
    examples: tuple[Any, ...] = field(default=())  # whole valid messages, as JSON values


def _structs(message_type: Any) -> Iterator[type]:
    """Every Struct class the message type is built of, the message types included."""
    seen: set[type] = set()
    todo: list[Any] = [msgspec.inspect.type_info(message_type)]
    while todo:
        info = todo.pop()
        if isinstance(info, msgspec.inspect.StructType):
            if info.cls in seen:
                continue
            seen.add(info.cls)
            yield info.cls
            todo.extend(f.type for f in info.fields)
        elif isinstance(info, msgspec.inspect.UnionType):
            todo.extend(info.types)
        elif isinstance(info, msgspec.inspect.Metadata):
            todo.append(info.type)
        elif isinstance(info, msgspec.inspect.CollectionType):  # list, tuple of one type, set
            todo.append(info.item_type)
        elif isinstance(info, msgspec.inspect.DictType):
            todo.append(info.value_type)
        elif isinstance(info, msgspec.inspect.TupleType):
            todo.extend(info.item_types)


def _own_doc(cls: type) -> str | None:
    doc = cls.__dict__.get("__doc__")
    return " ".join(doc.split()) if doc else None


def _describe_fields(name: str, definition: dict[str, Any]) -> None:
    for prop, schema in definition.get("properties", {}).items():
        described = FIELDS.get(f"{name}.{prop}") or FIELDS.get(prop)
        if described and "description" not in schema:
            schema["description"] = described


def _message(cls: type, definition: dict[str, Any], notes: MessageNotes | None) -> None:
    """A message type's entry: its description, tag (`x-type`, if the Struct is tagged) and notes."""
    tag = cls.__struct_config__.tag  # type: ignore[attr-defined]  # a Struct
    described = _own_doc(cls) or (MESSAGES.get(tag) if tag is not None else None)
    if described:
        definition["description"] = described
    if tag is not None:
        definition["x-type"] = tag
    if notes is None:
        return
    if notes.key:
        definition["x-key"] = notes.key
    if notes.ordering:
        definition["x-ordering"] = notes.ordering
    if notes.rules:
        definition["x-rules"] = [{"rule": rule, "description": said} for rule, said in notes.rules]
    if notes.examples:
        definition["examples"] = list(notes.examples)


def _with_earlier(document: dict[str, Any], earlier: Sequence[type]) -> None:
    """Add earlier versions of messages, still read, beside the current ones. The document's
    `discriminator` (one definition per tag) is dropped: two versions share a tag, and are
    told apart by `version`."""
    if not earlier:
        return
    refs, components = msgspec.json.schema_components(earlier, ref_template="#/$defs/{name}")
    document["$defs"].update(components)
    document["anyOf"] = [*document.get("anyOf", [{"$ref": document.pop("$ref", "")}]), *refs]
    document.pop("discriminator", None)


def json_schema(
    message_type: Any,
    title: str,
    topic: TopicNotes | None = None,
    notes: Mapping[type, MessageNotes] | None = None,
    earlier: Sequence[type] = (),
) -> dict[str, Any]:
    """One self-contained JSON Schema document for the messages of one topic (and the earlier
    versions of some, still read)."""
    document: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        **msgspec.json.schema(message_type),
    }
    _with_earlier(document, earlier)
    if topic is not None:
        document.update(
            {"description": topic.description, "x-topic": topic.topic, "x-direction": topic.direction}
        )
        if topic.rules:
            document["x-rules"] = [{"rule": rule, "description": said} for rule, said in topic.rules]
    definitions = document.get("$defs", {})
    for cls in [*_structs(message_type), *(c for old in earlier for c in _structs(old))]:
        name = next(
            (n for n in (cls.__name__, f"{cls.__module__}.{cls.__qualname__}") if n in definitions), None
        )
        if name is None:
            continue
        definition = definitions[name]
        if cls.__struct_config__.tag is not None or cls in (notes or {}):  # type: ignore[attr-defined]  # a Struct
            _message(cls, definition, (notes or {}).get(cls))  # a tagged Struct, or one with notes
        _describe_fields(cls.__name__, definition)
    return document


def json_schemas(
    messages: Mapping[str, Any],
    topics: Mapping[str, TopicNotes] | None = None,
    notes: Mapping[type, MessageNotes] | None = None,
    earlier: Mapping[str, Sequence[type]] | None = None,
) -> dict[str, Any]:
    """One document per topic (`messages`: topic name after `govledger.` -> its message
    type, as the context registry lists them), with the registry's notes where given and
    the earlier versions still read on a topic."""
    return {
        name: json_schema(
            message_type, f"govledger {name}", (topics or {}).get(name), notes, (earlier or {}).get(name, ())
        )
        for name, message_type in messages.items()
    }


def rules_of(rules: Sequence[type[Exception]]) -> tuple[Rule, ...]:
    """Rule classes as (name, sentence): the sentence is the first paragraph of the docstring."""
    return tuple(
        (rule.__name__, " ".join((rule.__doc__ or rule.__name__).split("\n\n")[0].split())) for rule in rules
    )
