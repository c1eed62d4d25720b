"""Backward compatibility of a topic's published JSON Schema between two versions of it.

A change is backward compatible when every message valid under the old document is still
valid under the new one, with the same meaning: senders built on the old contract go on
being read, and a change a reader could not follow waits for a new message version. The
check names each break in a sentence ("quota.approve: field payload.document_no became
required") so a failing test says what to undo or which version to add.

Kept libraries were weighed first. `jsoncompat` (Rust core) reads our draft 2020-12
documents with their `$defs`, `$ref` and tagged `anyOf`, but it answers one yes or no per
document: it cannot say which field broke, nor match a new version of a message beside the
old one, and it lets a changed `pattern` or `format` pass. `api-schema-diff` is for OpenAPI; its JSON
Schema part sees types, properties and `required` only (no `$ref`, `anyOf`, enums or
constraints). `jsonschema-diff` renders every difference for people and does not sort
breaking from harmless ones. `json-schema-diff` and `schema-compat` are not on PyPI.
So the rules are written here.

Messages are matched by (type tag, version): the tag is the `type` property's const or
enum, the version the `version` property's const or enum, else its integer default, else 1.
A v2 beside an unchanged v1 is therefore a new message, and a v1 that now admits only
version 1 is not narrowed by that. A topic of untagged messages (the metrics, the ticks, the
dead letters) matches them by version, whatever their definitions are called.

Beyond the rules here (removals, types, closed vocabularies, `required`, bounds, `pattern`,
`format`, closed objects, changed defaults), any other keyword whose value changes is
reported too: an unfamiliar change fails loudly rather than passing unseen. Annotations
(`title`, `description`, `examples`, `x-*`...) are never compared.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

Schema = Mapping[str, Any]

_TAG = "type"
_VERSION = "version"

# Raised lower bounds and lowered upper bounds accept less.
_LOWER_BOUNDS = ("minLength", "minItems", "minProperties", "minContains", "minimum", "exclusiveMinimum")
_UPPER_BOUNDS = ("maxLength", "maxItems", "maxProperties", "maxContains", "maximum", "exclusiveMaximum")
# Any new or changed value accepts other strings: regular expressions and formats are not ordered.
_EXACT = ("pattern", "format", "contentEncoding")
_HANDLED = frozenset(
    {
        "type",
        "enum",
        "const",
        "anyOf",
        "oneOf",
        "$ref",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "prefixItems",
        "default",
        "multipleOf",
        "uniqueItems",
        *_LOWER_BOUNDS,
        *_UPPER_BOUNDS,
        *_EXACT,
    }
)
# Words for people and tools: they change no message's validity.
_ANNOTATIONS = frozenset(
    {
        "title",
        "description",
        "examples",
        "example",
        "deprecated",
        "readOnly",
        "writeOnly",
        "contentMediaType",
        "discriminator",
        "$comment",
        "$schema",
        "$id",
        "$anchor",
        "$defs",
        "definitions",
    }
)


class _Message(NamedTuple):
    tag: str | None  # None: an untagged message, told apart from the others by its version
    version: int
    name: str  # its definition's name, for the sentences
    schema: Schema


def breaking_changes(old: Schema, new: Schema) -> list[str]:
    """The changes from `old` to `new` (one topic's schema document) that break a sender or
    reader of `old`, one sentence each; empty when `new` is backward compatible."""
    old_messages, new_messages = _messages(old), _messages(new)
    versions: dict[str | None, set[int]] = {}
    for message in [*old_messages, *new_messages]:
        versions.setdefault(message.tag, set()).add(message.version)
    found: list[str] = []
    for tag, version in sorted({(m.tag, m.version) for m in old_messages}, key=lambda k: (str(k[0]), k[1])):
        before = [m for m in old_messages if (m.tag, m.version) == (tag, version)]
        after = [m for m in new_messages if (m.tag, m.version) == (tag, version)]
        label = tag if tag is not None else before[0].name
        if versions[tag] != {1}:
            label = f"{label} v{version}"
        if not after:
            found.append(f"{label}: message type removed")
            continue
        for message in before:
            problems = _fewest(_Comparison(old, new).message(message.schema, m.schema) for m in after)
            found += [f"{label}: {problem}" for problem in problems]
    return found


def breaking_changes_by_topic(old: Mapping[str, Schema], new: Mapping[str, Schema]) -> list[str]:
    """`breaking_changes` over every topic of `json_schemas(...)`, each sentence led by its topic."""
    found: list[str] = []
    for topic, document in old.items():
        if topic not in new:
            found.append(f"{topic}: topic removed")
        else:
            found += [f"{topic}: {problem}" for problem in breaking_changes(document, new[topic])]
    return found


def _messages(document: Schema) -> list[_Message]:
    """Every message variant a document's root admits, by its (tag, version)."""
    roots: list[tuple[str, Schema]] = []

    def visit(schema: Schema, name: str) -> None:
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
        schema, _ = _resolve(document, schema)
        branches = schema.get("anyOf") or schema.get("oneOf")
        if branches:
            for branch in branches:
                visit(branch, name)
        else:
            roots.append((name, schema))

    visit(document, str(document.get("title", "message")))
    # Untagged messages are told apart by version alone, or else by their definitions' names.
    untagged = [version for _, schema in roots if not _tags(schema) for version in _versions(schema)]
    by_version = len(untagged) == len(set(untagged))
    found: list[_Message] = []
    for name, schema in roots:
        tags: list[str | None] = list(_tags(schema)) or [None if by_version else name]
        for tag in tags:
            found += [_Message(tag, version, name, schema) for version in _versions(schema)]
    return found


def _tags(schema: Schema) -> list[str]:
    values = _vocabulary(schema.get("properties", {}).get(_TAG, {}))
    return [str(v) for v in values or [] if isinstance(v, str | int) and not isinstance(v, bool)]


def _versions(schema: Schema) -> list[int]:
    field = schema.get("properties", {}).get(_VERSION)
    if field is None:
        return [1]
    values = [v for v in _vocabulary(field) or [] if isinstance(v, int) and not isinstance(v, bool)]
    if values:
        return values
    default = field.get("default")
    return [default] if isinstance(default, int) and not isinstance(default, bool) else [1]


def _resolve(document: Schema, schema: Schema) -> tuple[Schema, str | None]:
    """`schema` with its `$ref` followed (its sibling keywords laid over the target), and the
    last reference followed, if any."""
    ref: str | None = None
    seen: set[str] = set()
    while "$ref" in schema:
        ref = schema["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#"):
            raise ValueError(f"only references within the document are resolved, not {ref!r}")
        if ref in seen:
            raise ValueError(f"reference {ref!r} refers to itself")
        seen.add(ref)
        target: Any = document
        for part in ref[1:].split("/")[1:]:
            target = target[part.replace("~1", "/").replace("~0", "~")]
        siblings = {k: v for k, v in schema.items() if k != "$ref"}
        schema = {**target, **siblings}
    return schema, ref


def _vocabulary(schema: Schema) -> list[Any] | None:
    """The closed list of values a schema admits (`const` or `enum`), or None when open."""
    if "const" in schema:
        return [schema["const"]]
    if "enum" in schema:
        return list(schema["enum"])
    return None


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _types(schema: Schema) -> frozenset[str] | None:
    """The JSON types a schema (without `anyOf`) admits, or None for any."""
    declared = schema.get("type")
    if isinstance(declared, str):
        return frozenset({declared})
    if isinstance(declared, list):
        return frozenset(declared)
    values = _vocabulary(schema)
    if values is not None:
        return frozenset(_json_type(v) for v in values)
    if {"properties", "required", "additionalProperties"} & schema.keys():
        return frozenset({"object"})
    if {"items", "prefixItems"} & schema.keys():
        return frozenset({"array"})
    return None


def _uncovered(old: frozenset[str] | None, new: frozenset[str] | None) -> frozenset[str] | None:
    """The types `old` admits and `new` does not (None: `old` admitted any and `new` does not)."""
    if new is None:
        return frozenset()
    if old is None:
        return None
    return frozenset(t for t in old if t not in new and not (t == "integer" and "number" in new))


def _overlap(old: frozenset[str] | None, new: frozenset[str] | None) -> bool:
    """Whether some value is of both kinds (an integer is also a number)."""
    if old is None or new is None or old & new:
        return True
    return ("integer" in old and "number" in new) or ("number" in old and "integer" in new)


def _describe(types: frozenset[str] | None) -> str:
    return "any type" if types is None else " or ".join(sorted(types)) or "nothing"


def _union(schemas: Iterable[Schema]) -> frozenset[str] | None:
    found: set[str] = set()
    for schema in schemas:
        types = _types(schema)
        if types is None:
            return None
        found |= types
    return frozenset(found)


def _fewest(outcomes: Iterable[list[str]]) -> list[str]:
    """The outcome with the fewest problems (of the comparisons with each candidate)."""
    return min(outcomes, key=lambda problems: len(problems))


def _show(values: Iterable[Any]) -> str:
    return ", ".join(json.dumps(v, ensure_ascii=False) for v in values)


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _field(path: str) -> str:
    return f"field {path}" if path else "the message"


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


class _Comparison:
    """One comparison of an old and a new schema, each resolved within its own document."""

    def __init__(self, old_document: Schema, new_document: Schema) -> None:
        self.old_document = old_document
        self.new_document = new_document
        self.open: set[tuple[str, str]] = set()  # pairs of references under comparison

    def message(self, old: Schema, new: Schema) -> list[str]:
        # The tag and version are the message's key: their values were matched already.
        return self.single(old, new, "", skip=(_TAG, _VERSION))

    def schema(self, old: Schema, new: Schema, path: str) -> list[str]:
        old, old_ref = _resolve(self.old_document, old)
        new, new_ref = _resolve(self.new_document, new)
        pair = (old_ref, new_ref) if old_ref is not None and new_ref is not None else None
        if pair in self.open:  # a recursive definition, compared further up
            return []
        if pair is not None:
            self.open.add(pair)
        found: list[str] = []
        if "default" in old and "default" in new and _key(old["default"]) != _key(new["default"]):
            before, after = _show([old["default"]]), _show([new["default"]])
            found.append(f"{_field(path)} default changed from {before} to {after}")
        found += self.branches(old, new, path)
        if pair is not None:
            self.open.discard(pair)
        return found

    def flatten(self, schema: Schema, document: Schema) -> list[Schema]:
        branches = schema.get("anyOf") or schema.get("oneOf")
        if not branches:
            return [schema]
        return [leaf for b in branches for leaf in self.flatten(_resolve(document, b)[0], document)]

    def branches(self, old: Schema, new: Schema, path: str) -> list[str]:
        """Each alternative the old schema admits must still be admitted by one of the new."""
        old_branches = self.flatten(old, self.old_document)
        new_branches = self.flatten(new, self.new_document)
        tag = old.get("discriminator", {}).get("propertyName", _TAG)
        found: list[str] = []
        for branch in old_branches:
            candidates = [b for b in new_branches if _overlap(_types(branch), _types(b))]
            if not candidates:
                if _types(branch) == {"null"}:
                    found.append(f"{_field(path)} is no longer nullable")
                else:
                    found.append(
                        f"{_field(path)} changed type from {_describe(_union(old_branches))}"
                        f" to {_describe(_union(new_branches))}"
                    )
                continue
            variants = _branch_tags(branch, tag)
            if variants:  # a tagged union's member: matched by its tag
                wanted = set(map(_key, variants))
                candidates = [b for b in candidates if wanted & set(map(_key, _branch_tags(b, tag)))]
                if not candidates:
                    found.append(f"{_field(path)} no longer accepts variant {_show(variants)}")
                    continue
            found += _fewest(self.single(branch, b, path) for b in candidates)
        return found

    def single(self, old: Schema, new: Schema, path: str, skip: Iterable[str] = ()) -> list[str]:
        """Two schemas without alternatives."""
        field = _field(path)
        missing = _uncovered(_types(old), _types(new))
        if missing is None or missing:
            if missing == {"null"}:
                return [f"{field} is no longer nullable"]
            return [f"{field} changed type from {_describe(_types(old))} to {_describe(_types(new))}"]
        found: list[str] = []
        old_values, new_values = _vocabulary(old), _vocabulary(new)
        if new_values is not None:
            if old_values is None:
                found.append(f"{field} is now restricted to {_show(new_values)}")
            else:
                kept = set(map(_key, new_values))
                lost = [v for v in old_values if _key(v) not in kept]
                if lost:
                    found.append(f"{field} no longer accepts {_show(lost)}")
        found += self.constraints(old, new, field)
        found += self.object(old, new, path, skip)
        found += self.array(old, new, path)
        for keyword in sorted((old.keys() | new.keys()) - _HANDLED - _ANNOTATIONS):
            if keyword.startswith("x-") or _key(old.get(keyword)) == _key(new.get(keyword)):
                continue
            if keyword not in new:
                found.append(f"{field} lost keyword {keyword}")
            elif keyword not in old:
                found.append(f"{field} gained keyword {keyword} {_show([new[keyword]])}")
            else:
                before, after = _show([old[keyword]]), _show([new[keyword]])
                found.append(f"{field} keyword {keyword} changed from {before} to {after}")
        return found

    def constraints(self, old: Schema, new: Schema, field: str) -> list[str]:
        found: list[str] = []
        for keyword in _LOWER_BOUNDS + _UPPER_BOUNDS:
            if keyword not in new:
                continue
            if keyword not in old:
                found.append(f"{field} gained {keyword} {new[keyword]}")
            elif keyword in _LOWER_BOUNDS and new[keyword] > old[keyword]:
                found.append(f"{field} {keyword} raised from {old[keyword]} to {new[keyword]}")
            elif keyword in _UPPER_BOUNDS and new[keyword] < old[keyword]:
                found.append(f"{field} {keyword} lowered from {old[keyword]} to {new[keyword]}")
        for keyword in _EXACT:
            if keyword not in new:
                continue
            if keyword not in old:
                found.append(f"{field} gained {keyword} {_show([new[keyword]])}")
            elif old[keyword] != new[keyword]:
                found.append(
                    f"{field} {keyword} changed from {_show([old[keyword]])} to {_show([new[keyword]])}"
                )
        if "multipleOf" in new and (
            "multipleOf" not in old or (old["multipleOf"] / new["multipleOf"]) % 1 != 0
        ):
            found.append(f"{field} must now be a multiple of {new['multipleOf']}")
        if new.get("uniqueItems") is True and old.get("uniqueItems") is not True:
            found.append(f"{field} now requires unique items")
        return found

    def object(self, old: Schema, new: Schema, path: str, skip: Iterable[str]) -> list[str]:
        found: list[str] = []
        old_fields, new_fields = old.get("properties", {}), new.get("properties", {})
        old_required, new_required = set(old.get("required", [])), set(new.get("required", []))
        for name, schema in old_fields.items():
            subpath = _join(path, name)
            if name not in new_fields:
                found.append(f"field {subpath} removed")
                continue
            if name in new_required and name not in old_required:
                found.append(f"field {subpath} became required")
            if name not in skip:
                found += self.schema(schema, new_fields[name], subpath)
        for name in sorted(new_required - old_required - old_fields.keys()):
            found.append(f"new field {_join(path, name)} is required")
        old_extra, new_extra = old.get("additionalProperties", True), new.get("additionalProperties", True)
        if new_extra is False and old_extra is not False:
            found.append(f"{_field(path)} no longer allows additional properties")
        elif isinstance(new_extra, Mapping) and old_extra is not False:
            found += self.schema({} if old_extra is True else old_extra, new_extra, _join(path, "*"))
        return found

    def array(self, old: Schema, new: Schema, path: str) -> list[str]:
        found: list[str] = []
        old_items, new_items = old.get("items", True), new.get("items", True)
        old_fixed, new_fixed = old.get("prefixItems", []), new.get("prefixItems", [])
        for i in range(max(len(old_fixed), len(new_fixed))):
            before = old_fixed[i] if i < len(old_fixed) else old_items
            after = new_fixed[i] if i < len(new_fixed) else new_items
            found += self.items(before, after, f"{path}[{i}]")
        found += self.items(old_items, new_items, f"{path}[]")
        return found

    def items(self, old: Any, new: Any, path: str) -> list[str]:
        if old is False or new is True:
            return []
        if new is False:
            return [f"field {path} is no longer allowed"]
        return self.schema({} if old is True else old, new, path)


def _branch_tags(schema: Schema, tag: str) -> list[Any]:
    return _vocabulary(schema.get("properties", {}).get(tag, {})) or []
