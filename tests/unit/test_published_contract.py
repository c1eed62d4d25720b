"""The published contract says everything a sender needs, and says it truly.

An independent validator (the `jsonschema` package) holds our JSON Schema to the examples,
to the demo's messages and to messages generated from the schema itself (hypothesis), each
beside our own msgspec decoder: the two must agree on what is a command.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import timedelta, timezone
from functools import cache
from typing import Any

import jsonschema
import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts.vocabulary import FIELDS, MESSAGES
from infra import contexts, published
from infra.demo.run import _phases
from infra.settings import Settings
from tests.rule_reach import rules_of_command
from tests.support import Reader

CST = timezone(timedelta(hours=8))
COMMANDS = [
    (context, command)
    for context in contexts.ON_KAFKA
    for command in getattr(context.commands, "__args__", (context.commands,))
]


@cache
def _schemas() -> dict[str, Any]:
    return published.schemas()


def _messages_of(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The document's message types by definition name (a type of two versions has two)."""
    return {name: d for name, d in document["$defs"].items() if "x-type" in d}


@cache
def _validator(topic: str) -> jsonschema.Draft202012Validator:
    document = _schemas()[topic]
    return jsonschema.Draft202012Validator(document, format_checker=jsonschema.FormatChecker())


def _topic_of(command: type) -> str:
    context = contexts.context_of_tag(command.__struct_config__.tag)  # type: ignore[attr-defined]  # a Struct
    assert context is not None
    return f"commands.{context.family}"


READER = Reader(contexts.Command)  # as the intake reads: an earlier version upgraded


def _command(raw: bytes) -> Any:
    """The command the intake's decoder reads in the value, or None."""
    try:
        return READER.decode(raw)
    except msgspec.ValidationError:
        return None


def _decodes(value: Any) -> bool:
    """Whether the intake's decoder reads the value as a command (of any version it reads)."""
    raw = value.encode() if isinstance(value, str) else json.dumps(value, ensure_ascii=False).encode()
    return _command(raw) is not None


@pytest.mark.parametrize(("context", "command"), COMMANDS, ids=lambda c: getattr(c, "__name__", ""))
def test_each_command_lists_exactly_the_rules_its_use_case_can_raise(context: Any, command: type) -> None:
    declared = set(context.translator.RULES[command])
    reached = rules_of_command(context.translator, command, context.name)
    assert reached - declared == set(), f"{command.__name__} can raise rules it does not list"
    assert declared - reached == set(), f"{command.__name__} lists rules it cannot raise"


def test_every_listed_rule_says_in_a_sentence_what_it_forbids() -> None:
    rules = {
        rule
        for context in contexts.CONTEXTS
        for listed in context.translator.RULES.values()
        for rule in listed
    }
    assert rules, "no rule is listed"
    assert [rule.__name__ for rule in rules if not (rule.__doc__ or "").strip()] == []


def test_every_command_on_a_topic_states_its_key_ordering_rules_and_an_example() -> None:
    for topic, document in _schemas().items():
        if not topic.startswith("commands."):
            continue
        assert document["x-direction"] == "inbound" and document["x-topic"].endswith(topic)
        assert {r["rule"] for r in document["x-rules"]} >= {"MalformedMessage", "WrongTopic"}
        for tag, message in _messages_of(document).items():
            assert message.get("description"), f"{tag} has no description"
            assert message.get("x-key", "").startswith("payload."), f"{tag} names no key"
            assert "partition" in message.get("x-ordering", ""), f"{tag} states no ordering"
            assert message.get("examples"), f"{tag} has no example"
            assert all(r["description"] for r in message.get("x-rules", [])), f"{tag}: a rule unexplained"


def test_every_field_of_every_published_message_has_a_description() -> None:
    undescribed = [
        f"{topic}: {name}.{field}"
        for topic, document in _schemas().items()
        for name, definition in document["$defs"].items()
        for field, schema in definition.get("properties", {}).items()
        if not schema.get("description")
    ]
    assert undescribed == []


def test_a_field_of_an_earlier_version_reads_as_in_the_current_one_unless_it_says_otherwise() -> None:
    differ = [
        f"{topic}: {name}.{field}"
        for topic, document in _schemas().items()
        for name, definition in document["$defs"].items()
        if name.endswith("V1") and name[:-2] in document["$defs"]
        for field, schema in definition.get("properties", {}).items()
        if field in (current := document["$defs"][name[:-2]]["properties"])
        and schema.get("description") != current[field].get("description")
        and f"{name}.{field}" not in FIELDS
    ]
    assert differ == [], "described by the generic entry, not as the current version's field"


def test_commands_only_the_linkage_processors_send_are_not_offered_to_senders() -> None:
    offered = {d["x-type"] for d in _messages_of(_schemas()["commands.linkage"]).values()}
    assert "case.report" in offered
    assert {"case.dispatch", "case.supervise", "case.escalate"} & offered == set()


def test_every_example_is_valid_by_the_independent_validator_and_by_our_decoder() -> None:
    checked = 0
    for topic, document in _schemas().items():
        validator = _validator(topic)
        for tag, message in _messages_of(document).items():
            for example in message.get("examples", []):
                assert list(validator.iter_errors(example)) == [], tag
                if topic.startswith("commands."):
                    assert _decodes(example), tag
                else:  # an event: as a subscriber decodes its topic
                    assert _decodes_event(topic, example), tag
                checked += 1
    assert checked >= 70


def _decodes_event(topic: str, value: Any) -> bool:
    """Whether the value reads as one of the topic's published events."""
    try:
        msgspec.json.decode(json.dumps(value).encode(), type=contexts.messages()[topic])
    except msgspec.ValidationError:
        return False
    return True


CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def test_every_command_and_event_says_the_chinese_term_in_its_description() -> None:
    without = [
        f"{topic}: {definition['x-type']} ({name})"
        for topic, document in _schemas().items()
        if topic.startswith(("commands.", "events."))
        for name, definition in _messages_of(document).items()
        if not CJK.search(definition.get("description", ""))
    ]
    assert without == [], "English only: write the Chinese term the domain uses beside it"


def test_every_message_description_of_the_vocabulary_is_the_one_published() -> None:
    """None is shadowed by its class's own docstring (dead text beside the one that is read)."""
    published_as = {
        (definition["x-type"], definition.get("description"))
        for document in _schemas().values()
        for definition in _messages_of(document).values()
    }
    unread = [tag for tag, said in MESSAGES.items() if (tag, " ".join(said.split())) not in published_as]
    assert unread == [], "described by its class's docstring: drop the vocabulary's entry"


def test_every_published_event_has_an_example_valid_by_its_own_schema() -> None:
    events = {
        event.__struct_config__.tag  # type: ignore[attr-defined]  # a tagged Struct
        for context in contexts.ON_KAFKA
        for event in getattr(context.events, "__args__", (context.events,))
    }
    checked = set()
    for topic, document in _schemas().items():
        if not topic.startswith("events."):
            continue
        for name, definition in _messages_of(document).items():
            tag = definition["x-type"]
            assert definition.get("examples"), f"{tag} has no example"
            own = jsonschema.Draft202012Validator(
                {"$defs": document["$defs"], "$ref": f"#/$defs/{name}"},
                format_checker=jsonschema.FormatChecker(),
            )
            for example in definition["examples"]:
                assert example["type"] == tag
                assert [e.message for e in own.iter_errors(example)] == [], tag
            checked.add(tag)
    assert checked == events


def test_the_event_examples_are_made_the_same_way_each_time() -> None:
    again = published.event_examples.__wrapped__()
    assert again == published.event_examples()


def test_every_topic_document_states_its_topic_direction_key_and_ordering() -> None:
    names = {
        "linkage.metrics": "govledger.linkage.metrics",
        "linkage.ticks": "govledger.linkage.ticks",
        "deadletters": "govledger.deadletters",
    }
    for topic, document in _schemas().items():
        assert document.get("description"), f"{topic} has no description"
        assert document.get("x-topic", "").endswith(topic), f"{topic} names no topic"
        assert document.get("x-direction") in ("inbound", "outbound"), topic
        assert topic not in names or document["x-topic"] == names[topic]
        messages = [*_messages_of(document).values()]
        if "$ref" in document:  # one message type, untagged (metrics, ticks, dead letters)
            messages.append(document["$defs"][document["$ref"].split("/")[-1]])
        for message in messages:
            assert message.get("description"), f"{topic}: a message type is not described"
            assert message.get("x-ordering"), f"{topic}: a message type states no ordering"
    assert _schemas()["linkage.metrics"]["$defs"]["PartyDay"]["x-key"] == "party/day"
    assert _schemas()["deadletters"]["$defs"]["DeadLetter"]["x-key"] == "message_id"
    assert "x-key" not in _schemas()["linkage.ticks"]["$defs"]["ClockTick"]  # ticks are unkeyed


def test_the_validator_and_our_decoder_agree_on_every_demo_message() -> None:
    sent = [value for phase in _phases(Settings()) for messages in phase.values() for _key, value in messages]
    disagreements, valid = [], 0
    for raw in sent:
        try:
            value = json.loads(raw)
        except ValueError:
            assert not _decodes(raw.decode(errors="replace"))
            continue
        command = _command(raw)
        topic = _topic_of(type(command)) if command else None
        if command is None:  # the demo's deliberately broken messages: the schema refuses them too
            by_schema = any(
                not list(_validator(t).iter_errors(value)) for t in _schemas() if t.startswith("commands")
            )
            if by_schema:
                disagreements.append(value.get("type"))
            continue
        valid += 1
        if list(_validator(topic or "").iter_errors(value)):
            disagreements.append(value.get("type"))
    assert valid > 5000
    assert disagreements == []


def _broken(example: dict[str, Any], how: str) -> dict[str, Any]:
    broken = copy.deepcopy(example)
    if how == "unknown field":
        broken["payload"]["colour"] = "red"
    elif how == "missing required field":
        del broken["actor"]
    elif how == "wrong type":
        broken["occurred_at"] = 20211201
    elif how == "unknown type":
        broken["type"] = "quota.steal"
    elif how == "empty code":
        key = next(iter(broken["payload"]))
        broken["payload"][key] = ""
    elif how == "date-time without an offset":
        broken["occurred_at"] = "2021-12-01T09:00:00"
    return broken


HOW = ["unknown field", "missing required field", "wrong type", "unknown type", "empty code"]


@pytest.mark.parametrize("how", HOW)
def test_broken_examples_are_refused_by_both_the_validator_and_our_decoder(how: str) -> None:
    for topic, document in _schemas().items():
        if not topic.startswith("commands."):
            continue
        validator = _validator(topic)
        for tag, message in _messages_of(document).items():
            broken = _broken(message["examples"][0], how)
            assert list(validator.iter_errors(broken)), f"the schema takes a {tag} with {how}"
            assert not _decodes(broken), f"the decoder takes a {tag} with {how}"


def from_schema(schema: dict[str, Any], defs: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values valid by a JSON Schema of the kinds our contracts use (objects, tagged refs,
    enums, bounded strings and integers, patterns, date-times, dates, arrays, unions)."""
    if "$ref" in schema:
        return st.deferred(lambda: from_schema(defs[schema["$ref"].split("/")[-1]], defs))
    if "anyOf" in schema:
        return st.one_of([from_schema(s, defs) for s in schema["anyOf"]])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if "const" in schema:
        return st.just(schema["const"])
    kind = schema.get("type")
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(schema.get("minimum", -(10**6)), schema.get("maximum", 10**6))
    if kind == "number":
        return st.floats(schema.get("minimum", -1e6), schema.get("maximum", 1e6), allow_nan=False)
    if kind == "string":
        if schema.get("format") == "date-time":
            return st.datetimes(timezones=st.just(CST)).map(lambda d: d.isoformat())
        if schema.get("format") == "date":
            return st.dates().map(lambda d: d.isoformat())
        low, high = schema.get("minLength", 0), min(schema.get("maxLength", 12), 12)
        if "pattern" in schema:
            return st.from_regex(schema["pattern"], fullmatch=True).filter(
                lambda t: low <= len(t) <= schema.get("maxLength", 10**6)
            )
        return st.text(min_size=low, max_size=max(low, high))
    if kind == "array":
        low, high = schema.get("minItems", 0), min(schema.get("maxItems", 3), 3)
        return st.lists(from_schema(schema.get("items", {}), defs), min_size=low, max_size=max(low, high))
    if kind == "object":
        required = set(schema.get("required", ()))
        fields = schema.get("properties", {})
        return st.fixed_dictionaries(
            {k: from_schema(v, defs) for k, v in fields.items() if k in required},
            optional={k: from_schema(v, defs) for k, v in fields.items() if k not in required},
        )
    return st.none()


SAMPLED = ["quota.transfer", "case.report", "delegation.approve", "pool.request_draw", "town.register"]


def _current(tag: str) -> tuple[dict[str, Any], str]:
    """The topic document and definition name of the current (latest) version of a message type."""
    found = [
        (definition["properties"]["version"].get("enum", [1])[-1], name, document)
        for document in _schemas().values()
        for name, definition in document["$defs"].items()
        if definition.get("x-type") == tag
    ]
    _version, name, document = max(found, key=lambda f: f[0])
    return document, name


def _message_schema(tag: str) -> dict[str, Any]:
    document, name = _current(tag)
    return {"$defs": document["$defs"], "$ref": f"#/$defs/{name}"}


@pytest.mark.parametrize("tag", SAMPLED)
def test_messages_generated_from_the_schema_are_decoded_by_our_decoder(tag: str) -> None:
    schema = _message_schema(tag)

    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(from_schema(schema, schema["$defs"]))
    def decodes(value: Any) -> None:
        assert list(validator.iter_errors(value)) == []  # what was generated is valid by the schema
        assert _decodes(value), json.dumps(value, ensure_ascii=False)

    decodes()


@pytest.mark.parametrize("tag", SAMPLED)
def test_values_the_schema_refuses_are_refused_by_our_decoder(tag: str) -> None:
    schema = _message_schema(tag)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    document, name = _current(tag)
    example = document["$defs"][name]["examples"][0]

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        st.sampled_from(sorted(example["payload"])), st.one_of(st.integers(), st.text(max_size=3), st.none())
    )
    def agrees(field: str, value: Any) -> None:
        candidate = copy.deepcopy(example)
        candidate["payload"][field] = value
        if list(validator.iter_errors(candidate)):
            assert not _decodes(candidate), (field, value)
        else:
            assert _decodes(candidate), (field, value)

    agrees()
