"""The published schema's compatibility check: breaks are named, harmless changes pass."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from contracts.compatibility import breaking_changes, breaking_changes_by_topic
from contracts.schema import json_schemas
from infra.contexts import messages

Document = dict[str, Any]
DRAFT = "https://json-schema.org/draft/2020-12/schema"


@pytest.fixture(scope="module")
def published() -> dict[str, Document]:
    return json_schemas(messages())


def _changes(published: dict[str, Document], topic: str, edit: Callable[[Document], object]) -> list[str]:
    """The breaks found when a copy of one topic's current document is edited."""
    document = copy.deepcopy(published[topic])
    edit(document)
    return breaking_changes(published[topic], document)


def _version_one(definition: Document) -> bool:
    version = definition["properties"].get("version", {})
    values = [version["const"]] if "const" in version else version.get("enum", [1])
    return 1 in values


def _message_name(document: Document, tag: str) -> str:
    """The name in `$defs` of the version 1 message with this tag."""
    for name, definition in document["$defs"].items():
        tag_field = definition.get("properties", {}).get("type", {})
        if tag in ([tag_field["const"]] if "const" in tag_field else tag_field.get("enum", [])):
            if _version_one(definition):
                return name
    raise LookupError(tag)


def _message(document: Document, tag: str) -> Document:
    definition: Document = document["$defs"][_message_name(document, tag)]
    return definition


def _payload(document: Document, tag: str) -> Document:
    """The definition the message's payload refers to."""
    ref = _message(document, tag)["properties"]["payload"]["$ref"]
    definition: Document = document["$defs"][ref.rsplit("/", 1)[-1]]
    return definition


def _nullable(field: Document) -> Document:
    """The non-null alternative of an optional field."""
    branch: Document = next(b for b in field["anyOf"] if b.get("type") != "null")
    return branch


def _field(document: Document, tag: str, name: str) -> Document:
    """The schema of the message's field as a break names it (`payload.NAME` for one of its
    payload's); of an optional field, its non-null alternative."""
    fields = _message(document, tag)["properties"]
    if name.startswith("payload."):
        fields = _payload(document, tag)["properties"]
    field: Document = fields[name.removeprefix("payload.")]
    return _nullable(field) if "anyOf" in field else field


def _topic(*definitions: tuple[str, Document]) -> Document:
    return {
        "$schema": DRAFT,
        "anyOf": [{"$ref": f"#/$defs/{name}"} for name, _ in definitions],
        "$defs": dict(definitions),
    }


def _command(
    tag: str, required: tuple[str, ...] = (), version: Document | None = None, **fields: Any
) -> Document:
    return {
        "type": "object",
        "properties": {
            "type": {"enum": [tag]},
            "version": version or {"type": "integer", "minimum": 1, "default": 1},
            **fields,
        },
        "required": ["type", *required],
        "additionalProperties": False,
    }


# The current schema


def test_the_current_schema_compared_to_itself_has_no_breaking_changes(
    published: dict[str, Document],
) -> None:
    assert breaking_changes_by_topic(published, copy.deepcopy(published)) == []
    for document in published.values():
        assert breaking_changes(document, document) == []


# Breaking changes


def test_a_removed_message_type_is_breaking(published: dict[str, Document]) -> None:
    def remove(document: Document) -> None:
        name = _message_name(document, "quota.approve")
        document["anyOf"].remove({"$ref": f"#/$defs/{name}"})
        del document["$defs"][name]

    assert _changes(published, "commands.staffing", remove) == ["quota.approve: message type removed"]


def test_a_removed_property_is_breaking(published: dict[str, Document]) -> None:
    def remove(document: Document) -> None:
        payload = _payload(document, "quota.approve")
        del payload["properties"]["unit"]
        payload["required"].remove("unit")

    assert _changes(published, "commands.staffing", remove) == ["quota.approve: field payload.unit removed"]


def test_a_removed_optional_envelope_field_is_breaking(published: dict[str, Document]) -> None:
    def remove(document: Document) -> None:
        del _message(document, "case.report")["properties"]["correlation_id"]

    assert _changes(published, "commands.linkage", remove) == ["case.report: field correlation_id removed"]


def test_an_integer_field_becoming_a_string_is_breaking(published: dict[str, Document]) -> None:
    def retype(document: Document) -> None:
        _payload(document, "quota.approve")["properties"]["approved"] = {"type": "string"}

    assert _changes(published, "commands.staffing", retype) == [
        "quota.approve: field payload.approved changed type from integer to string"
    ]


def test_a_nullable_field_becoming_non_null_is_breaking(published: dict[str, Document]) -> None:
    def tighten(document: Document) -> None:
        fields = _message(document, "quota.approve")["properties"]
        fields["document_no"] = _nullable(fields["document_no"])

    assert _changes(published, "commands.staffing", tighten) == [
        "quota.approve: field document_no is no longer nullable"
    ]


def test_a_payload_referring_to_a_different_shape_is_breaking(published: dict[str, Document]) -> None:
    def repoint(document: Document) -> None:
        _message(document, "quota.approve")["properties"]["payload"] = {"$ref": "#/$defs/QuotaMove"}

    assert _changes(published, "commands.staffing", repoint) == [
        "quota.approve: field payload.approved removed",
        "quota.approve: new field payload.count is required",
    ]


def test_a_change_deep_inside_a_shared_definition_is_breaking_for_every_message_using_it(
    published: dict[str, Document],
) -> None:
    def retype(document: Document) -> None:
        document["$defs"]["Actor"]["properties"]["system"] = {"type": "integer"}

    found = _changes(published, "commands.staffing", retype)

    assert "quota.approve: field actor.system changed type from string to integer" in found
    assert len(found) == len(published["commands.staffing"]["anyOf"])


def test_a_narrowed_enum_is_breaking(published: dict[str, Document]) -> None:
    def narrow(document: Document) -> None:
        _payload(document, "quota.approve")["properties"]["kind"]["enum"].remove("auxiliary")

    assert _changes(published, "commands.staffing", narrow) == [
        'quota.approve: field payload.kind no longer accepts "auxiliary"'
    ]


def test_a_changed_const_is_breaking() -> None:
    old = _topic(("Open", _command("ledger.open", ("level",), level={"const": "town"})))
    new = _topic(("Open", _command("ledger.open", ("level",), level={"const": "district"})))

    assert breaking_changes(old, new) == ['ledger.open: field level no longer accepts "town"']


def test_an_open_string_becoming_an_enum_is_breaking() -> None:
    old = _topic(("Open", _command("ledger.open", level={"type": "string"})))
    new = _topic(("Open", _command("ledger.open", level={"enum": ["town", "district"]})))

    assert breaking_changes(old, new) == ['ledger.open: field level is now restricted to "town", "district"']


def test_a_new_required_property_is_breaking(published: dict[str, Document]) -> None:
    def require(document: Document) -> None:
        payload = _payload(document, "quota.approve")
        payload["properties"]["authority"] = {"type": "string", "maxLength": 500, "minLength": 1}
        payload["required"].append("authority")

    assert _changes(published, "commands.staffing", require) == [
        "quota.approve: new field payload.authority is required"
    ]


def test_an_optional_property_becoming_required_is_breaking(published: dict[str, Document]) -> None:
    def require(document: Document) -> None:
        _message(document, "quota.approve")["required"].append("document_no")

    assert _changes(published, "commands.staffing", require) == [
        "quota.approve: field document_no became required"
    ]


@pytest.mark.parametrize(
    ("topic", "tag", "field", "keyword", "value", "change"),
    [
        pytest.param(
            "commands.staffing",
            "quota.approve",
            "payload.unit",
            "maxLength",
            32,
            "maxLength lowered from 64 to 32",
            id="a_lowered_max_length",
        ),
        pytest.param(
            "commands.staffing",
            "quota.approve",
            "document_no",
            "maxLength",
            100,
            "maxLength lowered from 500 to 100",
            id="a_lowered_max_length_on_a_nullable_field",
        ),
        pytest.param(
            "commands.staffing",
            "quota.approve",
            "payload.unit",
            "minLength",
            3,
            "minLength raised from 1 to 3",
            id="a_raised_min_length",
        ),
        pytest.param(
            "commands.staffing",
            "quota.approve",
            "payload.unit",
            "pattern",
            "^[A-Z0-9]+$",
            'pattern changed from "^[A-Za-z0-9][A-Za-z0-9._:/-]*$" to "^[A-Z0-9]+$"',
            id="a_changed_pattern",
        ),
        pytest.param(
            "commands.staffing",
            "quota.approve",
            "reason",
            "pattern",
            "^\\S",
            'gained pattern "^\\\\S"',
            id="a_pattern_on_a_free_text_field",
        ),
        pytest.param(
            "commands.staffing",
            "quota.approve",
            "payload.approved",
            "minimum",
            1,
            "minimum raised from 0 to 1",
            id="a_raised_minimum",
        ),
        pytest.param(
            "commands.staffing",
            "quota.approve",
            "payload.approved",
            "maximum",
            1000,
            "maximum lowered from 1000000 to 1000",
            id="a_lowered_maximum",
        ),
        pytest.param(
            "commands.staffing",
            "quota.approve",
            "occurred_at",
            "format",
            "date",
            'format changed from "date-time" to "date"',
            id="a_changed_format",
        ),
        pytest.param(
            "commands.linkage",
            "case.report",
            "payload.priority",
            "default",
            "urgent",
            'default changed from "normal" to "urgent"',
            id="a_changed_default",
        ),
    ],
)
def test_a_tightened_keyword_of_a_field_is_breaking(
    published: dict[str, Document], topic: str, tag: str, field: str, keyword: str, value: object, change: str
) -> None:
    def tighten(document: Document) -> None:
        _field(document, tag, field)[keyword] = value

    assert _changes(published, topic, tighten) == [f"{tag}: field {field} {change}"]


def test_an_object_newly_closed_to_additional_properties_is_breaking(published: dict[str, Document]) -> None:
    def close(document: Document) -> None:
        document["$defs"]["Counts"]["additionalProperties"] = False

    assert _changes(published, "linkage.metrics", close) == [
        "PartyDay: field counts no longer allows additional properties"
    ]


def test_a_tightened_constraint_on_array_items_is_breaking(published: dict[str, Document]) -> None:
    def tighten(document: Document) -> None:
        ref = _message(document, "duty_admission.apply")["properties"]["payload"]["$ref"]
        terms = document["$defs"][ref.rsplit("/", 1)[-1]]
        terms["properties"]["towns"]["items"]["maxLength"] = 16
        terms["properties"]["towns"]["maxItems"] = 100

    assert _changes(published, "commands.duties", tighten) == [
        "duty_admission.apply: field payload.towns maxItems lowered from 5000 to 100",
        "duty_admission.apply: field payload.towns[] maxLength lowered from 64 to 16",
    ]


def test_a_field_removed_from_an_untagged_topic_message_is_breaking(published: dict[str, Document]) -> None:
    def remove(document: Document) -> None:
        del document["$defs"]["Counts"]["properties"]["escalated"]

    assert _changes(published, "linkage.metrics", remove) == ["PartyDay: field counts.escalated removed"]


def test_a_removed_member_of_a_tagged_union_inside_a_payload_is_breaking() -> None:
    def decision(tag: str) -> Document:
        return {"type": "object", "properties": {"type": {"const": tag}}, "required": ["type"]}

    def union(*tags: str) -> Document:
        return {"anyOf": [{"$ref": f"#/$defs/{tag}"} for tag in tags]}

    old = _topic(("Decide", _command("case.decide", ("decision",), decision=union("Admit", "Refuse"))))
    old["$defs"] |= {"Admit": decision("admit"), "Refuse": decision("refuse")}
    new = copy.deepcopy(old)
    new["$defs"]["Decide"]["properties"]["decision"] = union("Admit")

    assert breaking_changes(old, new) == ['case.decide: field decision no longer accepts variant "refuse"']


def test_a_change_inside_a_recursive_definition_is_breaking_and_the_check_ends() -> None:
    node = {
        "type": "object",
        "properties": {
            "code": {"type": "string", "maxLength": 64},
            "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}},
        },
        "required": ["code"],
    }
    old = _topic(("Plant", _command("tree.plant", ("root",), root={"$ref": "#/$defs/Node"})))
    old["$defs"]["Node"] = node
    new = copy.deepcopy(old)
    new["$defs"]["Node"]["properties"]["code"]["maxLength"] = 8

    assert breaking_changes(old, old) == []
    assert breaking_changes(old, new) == ["tree.plant: field root.code maxLength lowered from 64 to 8"]


def test_a_removed_topic_is_breaking(published: dict[str, Document]) -> None:
    current = copy.deepcopy(published)
    del current["linkage.ticks"]

    assert breaking_changes_by_topic(published, current) == ["linkage.ticks: topic removed"]


# Versions


def _with_version_two(document: Document, tag: str, keep_version_one: bool = True) -> Document:
    """The document with a v2 of the message beside its v1 (which then admits only version 1),
    the v2 with a new required field; or in place of it."""
    name = _message_name(document, tag)
    second = copy.deepcopy(document["$defs"][name])
    second["properties"]["version"] = {"const": 2}
    second["properties"]["authority"] = {"type": "string", "minLength": 1}
    second["required"] += ["version", "authority"]
    document["$defs"][f"{name}V2"] = second
    document["anyOf"].append({"$ref": f"#/$defs/{name}V2"})
    if keep_version_one:
        document["$defs"][name]["properties"]["version"] = {"enum": [1], "default": 1}
    else:
        document["anyOf"].remove({"$ref": f"#/$defs/{name}"})
        del document["$defs"][name]
    return document


def test_a_version_two_beside_an_unchanged_version_one_is_not_breaking(
    published: dict[str, Document],
) -> None:
    assert _changes(published, "commands.staffing", lambda d: _with_version_two(d, "quota.approve")) == []


def test_a_version_two_in_place_of_version_one_is_breaking(published: dict[str, Document]) -> None:
    def replace(document: Document) -> None:
        _with_version_two(document, "quota.approve", keep_version_one=False)

    assert _changes(published, "commands.staffing", replace) == ["quota.approve v1: message type removed"]


def test_a_version_two_does_not_excuse_a_break_in_version_one(published: dict[str, Document]) -> None:
    def break_one(document: Document) -> None:
        _with_version_two(document, "quota.approve")
        _message(document, "quota.approve")["required"].append("document_no")

    assert _changes(published, "commands.staffing", break_one) == [
        "quota.approve v1: field document_no became required"
    ]


def test_a_change_to_a_version_two_is_compared_with_the_old_version_two() -> None:
    first = _command("ledger.open", version={"enum": [1], "default": 1}, note={"type": "string"})
    second = _command("ledger.open", ("version",), version={"const": 2}, note={"type": "string"})
    old = _topic(("Open", first), ("OpenV2", second))
    new = copy.deepcopy(old)
    new["$defs"]["OpenV2"]["properties"]["note"]["maxLength"] = 10

    assert breaking_changes(old, new) == ["ledger.open v2: field note gained maxLength 10"]


# Changes that break nobody


def test_a_new_optional_property_is_not_breaking(published: dict[str, Document]) -> None:
    def add(document: Document) -> None:
        _payload(document, "quota.approve")["properties"]["remark"] = {
            "anyOf": [{"type": "string", "maxLength": 4000}, {"type": "null"}],
            "default": None,
        }

    assert _changes(published, "commands.staffing", add) == []


def test_a_new_message_type_is_not_breaking(published: dict[str, Document]) -> None:
    def add(document: Document) -> None:
        new = copy.deepcopy(_message(document, "quota.approve"))
        new["properties"]["type"] = {"enum": ["quota.reapprove"]}
        document["$defs"]["ReapproveQuotas"] = new
        document["anyOf"].append({"$ref": "#/$defs/ReapproveQuotas"})

    assert _changes(published, "commands.staffing", add) == []


def test_a_widened_enum_is_not_breaking(published: dict[str, Document]) -> None:
    def widen(document: Document) -> None:
        _payload(document, "quota.approve")["properties"]["kind"]["enum"].append("leadership")

    assert _changes(published, "commands.staffing", widen) == []


def test_descriptions_examples_titles_and_extension_keys_are_not_breaking(
    published: dict[str, Document],
) -> None:
    def annotate(schema: Any) -> None:
        if isinstance(schema, dict):
            for value in list(schema.values()):
                annotate(value)
            if "type" in schema or "$ref" in schema or "anyOf" in schema or "enum" in schema:
                schema["description"] = "Said otherwise."
                schema["title"] = "Renamed"
                schema["examples"] = [None]
                schema["x-owner"] = "staffing"
        elif isinstance(schema, list):
            for value in schema:
                annotate(value)

    current = copy.deepcopy(published)
    annotate(current)

    assert breaking_changes_by_topic(published, current) == []


def test_loosened_constraints_are_not_breaking(published: dict[str, Document]) -> None:
    def loosen(document: Document) -> None:
        payload = _payload(document, "quota.approve")
        unit, approved = payload["properties"]["unit"], payload["properties"]["approved"]
        unit["maxLength"], unit["minLength"] = 128, 0
        del unit["pattern"]
        approved["minimum"], approved["maximum"] = -10, 10**9
        del payload["additionalProperties"]

    assert _changes(published, "commands.staffing", loosen) == []


def test_a_required_property_becoming_optional_is_not_breaking(published: dict[str, Document]) -> None:
    def relax(document: Document) -> None:
        _payload(document, "quota.approve")["required"].remove("unit")

    assert _changes(published, "commands.staffing", relax) == []


def test_a_field_becoming_nullable_is_not_breaking(published: dict[str, Document]) -> None:
    def widen(document: Document) -> None:
        fields = _payload(document, "quota.approve")["properties"]
        fields["unit"] = {"anyOf": [fields["unit"], {"type": "null"}], "default": None}

    assert _changes(published, "commands.staffing", widen) == []


def test_a_renamed_definition_of_the_same_shape_is_not_breaking(published: dict[str, Document]) -> None:
    def rename(document: Document) -> None:
        document["$defs"]["Signatory"] = document["$defs"].pop("Actor")
        for definition in document["$defs"].values():
            if definition.get("properties", {}).get("actor", {}).get("$ref") == "#/$defs/Actor":
                definition["properties"]["actor"] = {"$ref": "#/$defs/Signatory"}

    assert _changes(published, "commands.staffing", rename) == []


def test_a_renamed_untagged_message_is_not_breaking(published: dict[str, Document]) -> None:
    def rename(document: Document) -> None:
        document["$defs"]["Tick"] = document["$defs"].pop("ClockTick")
        document["$ref"] = "#/$defs/Tick"

    assert _changes(published, "linkage.ticks", rename) == []


def test_a_reference_with_a_description_beside_it_is_not_breaking(published: dict[str, Document]) -> None:
    def describe(document: Document) -> None:
        _message(document, "quota.approve")["properties"]["actor"]["description"] = "Who approved."

    assert _changes(published, "commands.staffing", describe) == []


def test_a_version_two_of_an_untagged_message_beside_version_one_is_not_breaking() -> None:
    tick: Document = {"type": "object", "properties": {"at": {"type": "string"}}, "required": ["at"]}
    old: Document = {"$schema": DRAFT, "$ref": "#/$defs/Tick", "$defs": {"Tick": tick}}
    second = copy.deepcopy(tick)
    second["properties"]["version"] = {"const": 2}
    second["required"].append("version")
    new: Document = {"$schema": DRAFT, "anyOf": [{"$ref": "#/$defs/Tick"}, {"$ref": "#/$defs/TickV2"}]}
    new["$defs"] = {"Tick": tick, "TickV2": second}

    assert breaking_changes(old, new) == []
    assert breaking_changes(old, {**new, "anyOf": [{"$ref": "#/$defs/TickV2"}]}) == [
        "Tick v1: message type removed"
    ]


def test_a_change_to_a_keyword_the_check_does_not_know_is_reported() -> None:
    old = _topic(("Open", _command("ledger.open", level={"type": "string"})))
    new = copy.deepcopy(old)
    new["$defs"]["Open"]["properties"]["level"]["not"] = {"const": "city"}

    assert breaking_changes(old, new) == ['ledger.open: field level gained keyword not {"const": "city"}']
