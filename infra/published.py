"""The contract as published: the JSON Schema documents with what a sender needs beyond types.

`schemas()` is what `govledger contracts schema` prints, what the reference pages are
rendered from and what the compatibility gate compares with the schemas kept in
`contracts/published/`. It adds to the msgspec types, from the context registry: each
topic's name and direction, each command's Kafka key and ordering, the rules it can be
refused with (its translator's `RULES`, and the intake's own rules for every message on
the topic), and a valid example, the first of its kind the demo sends.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import msgspec

import contracts
from consumers.intake import MESSAGE_RULES
from contracts.compatibility import breaking_changes_by_topic
from contracts.schema import MessageNotes, TopicNotes, json_schemas, rules_of
from infra import contexts
from infra.settings import Settings

_TOPIC_RULES = tuple(MESSAGE_RULES.items())


def _members(union: Any) -> tuple[type, ...]:
    return tuple(getattr(union, "__args__", (union,)))


def _tag(command: type) -> str:
    return str(command.__struct_config__.tag)  # type: ignore[attr-defined]  # a tagged Struct


def _key_path(context: contexts.BoundedContext, command: type) -> str | None:
    payload = msgspec.inspect.type_info(command).fields  # type: ignore[attr-defined]  # a Struct
    payload_type = next(f.type for f in payload if f.name == "payload")
    names = {f.name for f in payload_type.fields}
    return next((f"payload.{key}" for key in context.key if key in names), None)


def _ordering(context: contexts.BoundedContext, key: str | None) -> str:
    said = (
        f"Keyed by `{key}`: the commands with one key share a partition and are applied in the "
        "order they were published; there is no order between different keys."
        if key
        else "Unkeyed: no order is kept."
    )
    return f"{said} {context.ordering}".strip()


def _linkage_day() -> list[tuple[bytes | None, bytes]]:
    """The linkage demo's acts on a day of cases, as if each case were routed to the town."""
    from infra.demo import linkage

    routed = {
        linkage.case_no(n): {"reported_at": linkage.DAY, "lead": linkage.TOWN, "cooperating": ["JB-ZFZD"]}
        for n in range(40)
    }
    return (
        linkage.reports([f"ITEM-{n}" for n in range(16)], ["ITEM-X"], "SCENARIO")
        + linkage.first_acts(routed)
        + linkage.closing_acts(routed)
    )


# Commands the demo never sends: (the demo's command the example is made from, its payload)
_DERIVED: dict[str, tuple[str, Any]] = {
    "power_item.retire": ("power_item.register", lambda p: {"code": p["code"]}),
    "territorial_duty.retire": (
        "territorial_duty.register",
        lambda p: {k: p[k] for k in ("district", "code")},
    ),
    "joint_scenario.retire": ("joint_scenario.register", lambda p: {k: p[k] for k in ("district", "code")}),
    "town.abolish_unit": ("town.establish_unit", lambda p: {k: p[k] for k in ("town", "unit")}),
    "appraisal.revise_scheme": (
        "appraisal.define_scheme",
        lambda p: {k: p[k] for k in ("scheme", "cadence", "parties", "bands")},
    ),
    "case.send_back": (
        "case.sign_for",
        lambda p: {"case": p["case"], "party": p["party"], "suggested": "JB-SCJG"},
    ),
    "case.request_extension": (
        "case.sign_for",
        lambda p: {"case": p["case"], "party": p["party"], "days": 3},
    ),
    "case.grant_extension": ("case.sign_for", lambda p: {"case": p["case"], "days": 3}),
    "case.rework": ("case.close", lambda p: {"case": p["case"], "resolve_by": "2021-12-06T17:00:00+08:00"}),
    "case.merge": ("case.report", lambda p: {"case": p["case"], "into": "JB-CICHENG-20211201-0000"}),
}


class _Tagged(msgspec.Struct):
    type: str = ""


@cache
def examples() -> dict[str, Any]:
    """A valid example of each command, by type tag (`tag@version` for an earlier version still
    read): the first of its kind the demo sends; a command the demo never sends borrows the
    example of one with the same payload type."""
    from infra.demo.run import _phases

    decoder = msgspec.json.Decoder(contexts.Command)
    earlier: dict[str, msgspec.json.Decoder[Any]] = {
        tag: msgspec.json.Decoder(old) for tag, (old, _upgrade) in contexts.EARLIER.items()
    }
    found: dict[str, Any] = {}
    sent = [m for phase in _phases(Settings()) for messages in phase.values() for m in messages]
    for _key, value in sent + _linkage_day():
        try:
            command = decoder.decode(value)
        except (msgspec.DecodeError, msgspec.ValidationError):
            try:
                tag = msgspec.json.decode(value, type=_Tagged).type
                command = earlier[tag].decode(value)  # an earlier version: its example too
            except (KeyError, msgspec.DecodeError, msgspec.ValidationError):
                continue
            tag = f"{tag}@{command.version}"
            found.setdefault(tag, msgspec.json.decode(msgspec.json.encode(command)))
            continue
        found.setdefault(command.__struct_config__.tag, msgspec.json.decode(msgspec.json.encode(command)))
    for tag, (source, payload) in _DERIVED.items():
        if source in found and tag not in found:
            example = {**found[source], "type": tag, "message_id": f"example-{tag}"}
            found[tag] = {**example, "payload": payload(example["payload"]), "reason": "示例"}
    by_payload = {
        type(decoder.decode(msgspec.json.encode(example)).payload): example
        for tag, example in found.items()
        if "@" not in tag
    }
    for context in contexts.ON_KAFKA:
        for command in _members(context.commands):
            tag = command.__struct_config__.tag  # type: ignore[attr-defined]  # a tagged Struct
            payload = next(f.type for f in msgspec.structs.fields(command) if f.name == "payload")
            if tag not in found and payload in by_payload:
                found[tag] = {**by_payload[payload], "type": tag, "message_id": f"example-{tag}"}
    for tag, (old, upgrade) in contexts.EARLIER.items():
        if f"{tag}@1" not in found and tag in found:
            older = _as_version_1(found[tag], old, upgrade)
            if older is not None:
                found[f"{tag}@1"] = older
    return found


def _as_version_1(current: dict[str, Any], old: type, upgrade: Any) -> dict[str, Any] | None:
    """The current version's example written as version 1 where the versions differ by one
    renamed payload field; kept only if version 1's upgrade gives the example back."""
    payload_of = lambda cls: next(f.type for f in msgspec.structs.fields(cls) if f.name == "payload")
    old_fields = {f.name for f in msgspec.structs.fields(payload_of(old))}
    new_fields = set(current["payload"])
    gone, came = sorted(old_fields - new_fields), sorted(new_fields - old_fields)
    if len(gone) != 1 or len(came) != 1:
        return None
    payload = {gone[0] if k == came[0] else k: v for k, v in current["payload"].items()}
    example = {**current, "version": 1, "payload": payload}
    try:
        back = upgrade(msgspec.json.decode(msgspec.json.encode(example), type=old))
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    return example if msgspec.json.decode(msgspec.json.encode(back)) == current else None


def schemas() -> dict[str, Any]:
    """Every topic's JSON Schema document, with its notes (see the module's docstring)."""
    topics = Settings().topics
    notes: dict[type, MessageNotes] = {}
    described: dict[str, TopicNotes] = {}
    for family, on_family in contexts.FAMILIES.items():
        names = ", ".join(c.name for c in on_family)
        described[f"commands.{family}"] = TopicNotes(
            topics.of_family(family),
            "inbound",
            f"The commands upstream systems publish about {names}. Each is applied all or nothing; "
            "a command that is malformed or breaks a rule goes to the dead-letter topic "
            f"`{topics.dead_letters}` with its rule, and nothing of it is applied.",
            _TOPIC_RULES,
        )
        described[f"events.{family}"] = TopicNotes(
            topics.event_topics([family])[family],
            "outbound",
            f"The events the ledger publishes about {names}, keyed by `aggregate_id`: the events of "
            "one aggregate in the order they were recorded, each once per `event_id`.",
        )
        for context in on_family:
            for command in _members(context.commands):
                key = _key_path(context, command)
                tag = command.__struct_config__.tag  # type: ignore[attr-defined]  # a tagged Struct
                example = examples().get(tag)
                notes[command] = MessageNotes(
                    key,
                    _ordering(context, key),
                    rules_of(context.translator.RULES.get(command, ())),
                    (example,) if example else (),
                )
            for tag, (old, _upgrade) in context.earlier.items():
                current = notes[next(m for m in _members(context.commands) if _tag(m) == tag)]
                example = examples().get(f"{tag}@1")
                notes[old] = MessageNotes(
                    current.key, current.ordering, current.rules, (example,) if example else ()
                )
            for event in _members(context.events):
                notes[event] = MessageNotes(
                    "aggregate_id", "The events of one aggregate keep the order they were recorded in."
                )
    earlier = {
        f"commands.{family}": [old for c in on_family for old, _upgrade in c.earlier.values()]
        for family, on_family in contexts.FAMILIES.items()
    }
    return json_schemas(contexts.messages(), described, notes, earlier)


# The schemas as last published, one file per topic, kept in the repository: what senders and
# readers were promised, and what the next change is held to.
PUBLISHED = Path(contracts.__file__).parent / "published"


def stored() -> dict[str, Any]:
    """The schemas as last published, by topic."""
    return {p.name.removesuffix(".json"): json.loads(p.read_text()) for p in sorted(PUBLISHED.glob("*.json"))}


def publish(force: bool = False) -> list[str]:
    """Write today's schemas over the published ones, unless a change would break a sender or
    a reader (then nothing is written, and the breaks are returned, one sentence each). A
    change that needs it goes through a new message version; `force` is for a topic's first
    publication or a break agreed with every sender."""
    current, before = schemas(), stored()
    breaks = breaking_changes_by_topic(before, current)
    if breaks and not force:
        return breaks
    PUBLISHED.mkdir(exist_ok=True)
    for topic, document in current.items():
        text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        (PUBLISHED / f"{topic}.json").write_text(text, encoding="utf-8")
    return []
