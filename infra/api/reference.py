"""消息契约参考 — the contract's reference: browsable, offline HTML pages for upstream teams.

`pages(schemas)` renders the published JSON Schema documents (`infra.published.schemas`,
one per topic) into files by relative path: `index.html` (every topic, its direction, its
message types with their key and ordering), one page per topic (`commands.staffing.html`:
the rules every message on it can be refused with, then each message type's description,
topic, key, ordering, its fields flattened into dotted paths, the rules it can be refused
with and its example), the topic's JSON Schema document beside it
(`commands.staffing.schema.json`) and `style.css`. The pages load nothing but that style
sheet, hold no script, and every text in them is escaped; what a document does not state
(`x-topic`, `x-direction`, a type's `x-key`, `x-ordering`, `x-rules`, `examples`) reads "not
stated" (no rules are told of an outbound event unless its document names some). Rendering
reads and writes nothing: `govledger contracts docs` writes the files to a folder, and the
API serves them, public, at /reference/ (`ROUTES`).
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote

from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect

NOT_STATED = "not stated"
TAG = "type"  # the field whose value names a message's type (msgspec's tag field)
DIRECTIONS = {
    "inbound": "inbound: upstream systems publish, the ledger reads",
    "outbound": "outbound: the ledger publishes, subscribers read",
}


@dataclass(frozen=True)
class Field:
    """One row of a message type's fields table."""

    path: str  # dotted from the message's top, `[]` for an array's items, `*` for a map's values
    type: str
    required: str
    constraints: tuple[str, ...]  # already HTML
    description: str


@dataclass(frozen=True)
class MessageType:
    name: str  # its $defs name (the Struct's)
    tag: str | None  # the `type` value that names it on the wire
    schema: dict[str, Any]
    versioned: bool = False  # its tag has several versions on the topic, each its own entry

    @property
    def version(self) -> int | None:
        values = self.schema.get("properties", {}).get("version", {}).get("enum", [])
        return values[0] if len(values) == 1 else None

    @property
    def anchor(self) -> str:
        if self.versioned and self.tag and self.version is not None:
            return f"{self.tag}-v{self.version}"
        return self.tag or self.name


def pages(schemas: Mapping[str, Any]) -> dict[str, str]:
    """Every file of the reference by its relative path, for the documents by topic name
    (after `govledger.`), as `json_schemas` gives them."""
    found = {"index.html": index_page(schemas), "style.css": STYLE}
    for name, document in schemas.items():
        found[f"{name}.html"] = topic_page(name, document)
        found[f"{name}.schema.json"] = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    return found


# ---------------------------------------------------------------------------------------------
# Reading a topic's document


def message_types(document: Mapping[str, Any]) -> list[MessageType]:
    """The document's message types, in its own order: the `$ref` or `anyOf` at its top and
    the discriminator's mapping; if it has neither, every struct of `$defs` tagged by `type`
    with a single value (a payload's own `type` field lists several or is not at the top)."""
    defs: dict[str, Any] = document.get("$defs", {})
    mapping: dict[str, str] = document.get("discriminator", {}).get("mapping", {})
    tags = {_ref_name(ref): tag for tag, ref in mapping.items()}
    named = [_ref_name(entry.get("$ref", "")) for entry in document.get("anyOf", [document])]
    named += [_ref_name(ref) for ref in mapping.values()]
    if not any(name in defs for name in named):
        named = [name for name, struct in defs.items() if _tag_of(struct) is not None]
    ordered = [name for name in dict.fromkeys(named) if name in defs]
    found = [
        MessageType(name, defs[name].get("x-type") or _tag_of(defs[name]) or tags.get(name), defs[name])
        for name in ordered
    ]
    tags_seen = [m.tag for m in found]
    return [replace(m, versioned=tags_seen.count(m.tag) > 1) if m.tag else m for m in found]


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1] if ref.startswith("#/$defs/") else ""


def _tag_of(struct: Mapping[str, Any]) -> str | None:
    tag = struct.get("properties", {}).get(TAG, {})
    values = [tag["const"]] if "const" in tag else tag.get("enum", [])
    return values[0] if len(values) == 1 and isinstance(values[0], str) else None


def _resolved(schema: Mapping[str, Any], defs: Mapping[str, Any]) -> tuple[str | None, Mapping[str, Any]]:
    """(the $defs name, the schema it names) of a reference; (None, the schema) otherwise."""
    name = _ref_name(schema.get("$ref", ""))
    return (name, defs[name]) if name in defs else (None, schema)


def _variants(schema: Mapping[str, Any]) -> tuple[bool, list[Mapping[str, Any]]]:
    """(whether null is allowed, the schemas other than null) of a property."""
    options = schema.get("anyOf") or schema.get("oneOf") or [schema]
    if isinstance(schema.get("type"), list):
        options = [{**schema, "type": t} for t in schema["type"]]
    kept = [o for o in options if o.get("type") != "null"]
    return len(kept) < len(options), kept


def _is_struct(schema: Mapping[str, Any]) -> bool:
    return "properties" in schema


def type_of(schema: Mapping[str, Any], defs: Mapping[str, Any]) -> str:
    """A property's type in words: `string`, `integer or null`, `array of QuotaMove`…"""
    nullable, kept = _variants(schema)
    words = [_one_type(option, defs) for option in kept] or ["any"]
    return " or ".join([*dict.fromkeys(words), *(["null"] if nullable else [])])


def _one_type(schema: Mapping[str, Any], defs: Mapping[str, Any]) -> str:
    name, target = _resolved(schema, defs)
    if name is not None:
        return f"object {name}" if _is_struct(target) else f"{type_of(target, defs)} ({name})"
    if "anyOf" in schema or "oneOf" in schema:
        return type_of(schema, defs)
    values = [schema["const"]] if "const" in schema else schema.get("enum")
    if values is not None:
        kinds = {type(v).__name__ for v in values}
        return {"str": "string", "int": "integer", "bool": "boolean", "float": "number"}.get(
            kinds.pop() if len(kinds) == 1 else "", "value"
        )
    kind = schema.get("type")
    if kind == "array":
        return f"array of {type_of(schema['items'], defs)}" if "items" in schema else "array"
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return f"map of string to {type_of(schema['additionalProperties'], defs)}"
    return str(kind or "any")


def constraints(schema: Mapping[str, Any], defs: Mapping[str, Any]) -> tuple[str, ...]:
    """What a property's value must be beyond its type, as HTML: value, format, pattern,
    allowed values, lengths, bounds, encoding, default; an array's of each item."""
    found: list[str] = []
    _, kept = _variants(schema)
    for option in kept:
        name, target = _resolved(option, defs)
        if name is not None and _is_struct(target):
            continue
        found += _own_constraints(target)
        if target.get("type") == "array" and "items" in target:
            found += [f"each: {c}" for c in constraints(target["items"], defs)]
    if "default" in schema:
        found.append(f"default {_code(schema['default'])}")
    return tuple(dict.fromkeys(found))


def _own_constraints(schema: Mapping[str, Any]) -> list[str]:
    found = []
    values = [schema["const"]] if "const" in schema else schema.get("enum")
    if values is not None and len(values) == 1:
        found.append(f"always {_code(values[0])}")
    elif values is not None:
        found.append("one of " + ", ".join(_code(v) for v in values))
    for key, label in (("format", "format"), ("pattern", "pattern"), ("contentEncoding", "encoding")):
        if key in schema:
            found.append(f"{label} <code>{e(str(schema[key]))}</code>")
    for low, high, unit in (
        ("minLength", "maxLength", " characters"),
        ("minimum", "maximum", ""),
        ("minItems", "maxItems", " items"),
        ("minProperties", "maxProperties", " entries"),
    ):
        if low in schema and high in schema:
            found.append(f"{e(str(schema[low]))} to {e(str(schema[high]))}{unit}")
        elif low in schema:
            found.append(f"at least {e(str(schema[low]))}{unit}")
        elif high in schema:
            found.append(f"at most {e(str(schema[high]))}{unit}")
    for key, label in (
        ("exclusiveMinimum", "above"),
        ("exclusiveMaximum", "below"),
        ("multipleOf", "a multiple of"),
    ):
        if key in schema:
            found.append(f"{label} {e(str(schema[key]))}")
    if schema.get("uniqueItems"):
        found.append("items unique")
    return found


def _described(schema: Mapping[str, Any], defs: Mapping[str, Any]) -> str:
    """A property's own description, else that of the struct or named type it holds."""
    if schema.get("description"):
        return str(schema["description"])
    for option in _variants(schema)[1]:
        _, target = _resolved(option.get("items", option) if option.get("type") == "array" else option, defs)
        if target.get("description"):
            return str(target["description"])
    return ""


def _nested(schema: Mapping[str, Any], defs: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The structs a property holds, as (what follows its path before their fields, $defs
    name): "" for the struct itself, "[]" for an array's items, ".*" for a map's values."""
    found: list[tuple[str, str]] = []
    for option in _variants(schema)[1]:
        name, target = _resolved(option, defs)
        if name is not None and _is_struct(target):
            found.append(("", name))
        elif target.get("type") == "array" and "items" in target:
            found += [("[]" + s, n) for s, n in _nested(target["items"], defs)]
        elif isinstance(target.get("additionalProperties"), dict):
            found += [(".*" + s, n) for s, n in _nested(target["additionalProperties"], defs)]
    return found


def fields(struct: Mapping[str, Any], defs: Mapping[str, Any]) -> list[Field]:
    """A struct's fields, those of the structs it holds flattened under dotted paths
    (`payload.unit`, `payload.posts[].grade`)."""
    return list(_fields(struct, defs, "", None, ()))


def _fields(
    struct: Mapping[str, Any], defs: Mapping[str, Any], prefix: str, given: str | None, seen: tuple[str, ...]
) -> Iterator[Field]:
    required = set(struct.get("required", ()))
    for name, schema in struct.get("properties", {}).items():
        path = prefix + name
        if name not in required:
            needed = "no"
        elif given is None:
            needed = "yes"
        else:
            needed = f"yes, when {given} is given"
        nested = _nested(schema, defs)
        several = len({n for _, n in nested}) > 1
        kind = type_of(schema, defs)
        if any(n in seen for _, n in nested):
            kind += " (recursive: its fields are listed above)"
        yield Field(path, kind, needed, constraints(schema, defs), _described(schema, defs))
        nullable = _variants(schema)[0]
        for suffix, held in nested:
            if held in seen:
                continue
            under = given if name in required and not nullable and not several else path
            for row in _fields(defs[held], defs, f"{path}{suffix}.", under, (*seen, held)):
                yield replace(row, required=f"{row.required} (in {held})") if several else row


# ---------------------------------------------------------------------------------------------
# HTML


def e(value: Any) -> str:
    """Text, escaped for HTML (quotes too, so it may stand in an attribute)."""
    return html.escape(str(value), quote=True)


def _code(value: Any) -> str:
    return f"<code>{e(json.dumps(value, ensure_ascii=False))}</code>"


CODE_SPAN = re.compile(r"`([^`\n]+)`")


def prose(text: str | None) -> str:
    """A description as paragraphs (blank lines part them), `code` as code; "not stated" if none."""
    if not text or not str(text).strip():
        return f'<p class="missing">{NOT_STATED}</p>'
    paragraphs = re.split(r"\n\s*\n", str(text).strip())
    return "".join(f"<p>{_spans(e(p))}</p>" for p in paragraphs)


def _spans(escaped: str) -> str:
    return CODE_SPAN.sub(r"<code>\1</code>", escaped)


def _inline(text: str | None) -> str:
    """A short text in one line (a key field, an ordering), `code` as code; "not stated" if none."""
    if not text or not str(text).strip():
        return f'<span class="missing">{NOT_STATED}</span>'
    return _spans(e(str(text).strip()))


def _key(message: MessageType) -> str:
    key = message.schema.get("x-key")
    return f"<code>{e(key)}</code>" if key else f'<span class="missing">{NOT_STATED}</span>'


def _direction(document: Mapping[str, Any]) -> str:
    direction = document.get("x-direction")
    if not direction:
        return f'<span class="missing">{NOT_STATED}</span>'
    return f'<span class="direction {e(direction)}">{e(DIRECTIONS.get(direction, direction))}</span>'


def _topic(document: Mapping[str, Any]) -> str:
    topic = document.get("x-topic")
    return f"<code>{e(topic)}</code>" if topic else f'<span class="missing">{NOT_STATED}</span>'


def _href(page: str, anchor: str | None = None) -> str:
    return e(quote(page, safe="._-") + (f"#{quote(anchor, safe='._-')}" if anchor else ""))


def _page(title: str, body: str) -> str:
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n<link rel="icon" href="data:,">\n'
        f"<title>{e(title)}</title>\n"
        '<link rel="stylesheet" href="style.css">\n</head>\n<body>\n'
        '<header class="top"><p><a href="index.html">基层治理台账 · 消息契约 '
        '<span class="en">Grassroots Governance Ledger · message contract</span></a></p></header>\n'
        f"<main>\n{body}</main>\n</body>\n</html>\n"
    )


def index_page(schemas: Mapping[str, Any]) -> str:
    """Every topic, its direction and description, and each of its message types with its key
    and ordering."""
    summary = "".join(
        f'<tr><td><a href="{_href(name + ".html")}"><code>{e(name)}</code></a></td>'
        f"<td>{_topic(document)}</td><td>{_direction(document)}</td>"
        f'<td class="number">{len(message_types(document))}</td></tr>\n'
        for name, document in schemas.items()
    )
    sections = []
    for name, document in schemas.items():
        rows = "".join(
            f'<tr><td><a href="{_href(name + ".html", m.anchor)}"><code>{e(m.tag or m.name)}</code></a>'
            f'<span class="struct">{e(m.name)}</span></td>'
            f"<td>{_key(m)}</td><td>{_inline(m.schema.get('x-ordering'))}</td></tr>\n"
            for m in message_types(document)
        )
        sections.append(
            f'<section class="topic" id="{e(name)}">\n'
            f'<h2><a href="{_href(name + ".html")}">{e(name)}</a></h2>\n'
            f"<dl><dt>topic</dt><dd>{_topic(document)}</dd>"
            f"<dt>direction</dt><dd>{_direction(document)}</dd></dl>\n"
            f"{prose(document.get('description'))}\n"
            "<table><thead><tr><th>message type</th><th>key</th><th>ordering</th></tr></thead>\n"
            f"<tbody>\n{rows}</tbody></table>\n</section>\n"
        )
    body = (
        '<h1>消息契约 <span class="en">The message contract</span></h1>\n'
        "<p>Every topic the ledger reads (inbound commands from upstream systems) and writes "
        "(outbound events), each message type on it, the field whose value is the message's "
        "Kafka key, and what order messages must keep. Each topic's page lists its message "
        "types' fields, the rules a command can be refused with and an example; its JSON Schema "
        "document lies beside it. These pages are made from the published schema "
        "(<code>govledger contracts schema</code>) by <code>govledger contracts docs</code>.</p>\n"
        "<table><thead><tr><th>name</th><th>topic</th><th>direction</th><th>message types</th>"
        f"</tr></thead>\n<tbody>\n{summary}</tbody></table>\n" + "".join(sections)
    )
    return _page("Message contract · 消息契约", body)


def topic_page(name: str, document: Mapping[str, Any]) -> str:
    """One topic: its direction and description, then each message type in full."""
    defs: Mapping[str, Any] = document.get("$defs", {})
    found = message_types(document)
    contents = "".join(
        f'<li><a href="#{e(quote(m.anchor, safe="._-"))}"><code>{e(m.tag or m.name)}</code></a>'
        f' <span class="struct">{e(m.name)}</span></li>\n'
        for m in found
    )
    body = (
        f"<h1>{e(document.get('title') or name)}</h1>\n"
        f"<dl><dt>name</dt><dd><code>{e(name)}</code></dd><dt>topic</dt><dd>{_topic(document)}</dd><dt>direction</dt><dd>{_direction(document)}</dd>"
        f'<dt>JSON Schema</dt><dd><a href="{_href(name + ".schema.json")}">{e(name)}.schema.json</a></dd>'
        "</dl>\n"
        f"{prose(document.get('description'))}\n"
        f'<nav><h2>Message types</h2><ul class="contents">\n{contents}</ul></nav>\n'
        + _topic_rules(document)
        + "".join(_message_section(document, m, defs) for m in found)
    )
    return _page(f"{name} · message contract", body)


def _message_section(document: Mapping[str, Any], message: MessageType, defs: Mapping[str, Any]) -> str:
    schema = message.schema
    rows = "".join(
        f"<tr><td><code>{e(f.path)}</code></td><td>{e(f.type)}</td><td>{e(f.required)}</td>"
        f"<td>{'<br>'.join(f.constraints)}</td>"
        f"<td>{prose(f.description) if f.description else ''}</td></tr>\n"
        for f in fields(schema, defs)
    )
    return (
        f'<section class="message" id="{e(message.anchor)}">\n'
        f"<h2><code>{e(message.tag or message.name)}</code>"
        f' <span class="struct">{e(message.name)}</span></h2>\n'
        f"{prose(schema.get('description'))}\n"
        f"<dl><dt>topic</dt><dd>{_topic(document)}</dd><dt>key</dt><dd>{_key(message)}</dd>"
        f"<dt>ordering</dt><dd>{_inline(schema.get('x-ordering'))}</dd></dl>\n"
        "<h3>Fields</h3>\n"
        '<table class="fields"><thead><tr><th>path</th><th>type</th><th>required</th>'
        "<th>format, pattern, values</th><th>description</th></tr></thead>\n"
        f"<tbody>\n{rows}</tbody></table>\n"
        + _refused(document, schema)
        + (
            '<p>and by <a href="#rules">those of every message on the topic</a>.</p>\n'
            if document.get("x-rules")
            else ""
        )
        + f"<h3>Example</h3>\n{_examples(schema.get('examples'))}\n"
        "</section>\n"
    )


def _refused(document: Mapping[str, Any], schema: Mapping[str, Any]) -> str:
    """The rules a message type can be refused with; none are told of an outbound message
    (the ledger publishes it) unless its document names some."""
    if document.get("x-direction") == "outbound" and "x-rules" not in schema:
        return ""
    return f"<h3>Refused by the rules</h3>\n{_rules(schema.get('x-rules'))}\n"


def _topic_rules(document: Mapping[str, Any]) -> str:
    """The rules any message on the topic can be refused with, if the document names them."""
    if not document.get("x-rules"):
        return ""
    return (
        '<section class="rules" id="rules"><h2>Rules of every message on the topic</h2>\n'
        f"{_rules(document['x-rules'])}\n</section>\n"
    )


def _rules(rules: Any) -> str:
    if rules is None:
        return f'<p class="missing">{NOT_STATED}</p>'
    if not rules:
        return "<p>none: no rule of the ledger refuses it.</p>"
    rows = "".join(
        f"<tr><td><code>{e(rule.get('rule', ''))}</code></td><td>{prose(rule.get('description'))}</td></tr>\n"
        if isinstance(rule, Mapping)
        else f"<tr><td><code>{e(rule)}</code></td><td>{prose(None)}</td></tr>\n"
        for rule in rules
    )
    return (
        '<table class="rules"><thead><tr><th>rule</th><th>broken when</th></tr></thead>\n'
        f"<tbody>\n{rows}</tbody></table>"
    )


def _examples(examples: Any) -> str:
    if not examples:
        return f'<p class="missing">{NOT_STATED}</p>'
    return "".join(
        f'<pre class="example"><code>{e(json.dumps(example, ensure_ascii=False, indent=2))}</code></pre>'
        for example in examples
    )


STYLE = """\
/* The contract's reference: plain pages, readable offline and printed. */
:root {
  --ink: #1f2933; --muted: #616e7c; --line: #dde3ea; --paper: #f5f7fa; --card: #ffffff;
  --accent: #0b6e79; --accent-soft: #e3f1f2; --out: #3563c9; --out-soft: #e8eefb;
  font-family: "Segoe UI", "Helvetica Neue", Arial, "PingFang SC", "Hiragino Sans GB",
    "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif;
  color: var(--ink); background: var(--paper); font-size: 14px; line-height: 1.5;
}
* { box-sizing: border-box; }
body { margin: 0; }
a { color: var(--accent); }
code, pre { font-family: "SFMono-Regular", Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
.top { padding: 12px 28px; background: #12343b; }
.top p { margin: 0; }
.top a { color: #fff; text-decoration: none; font-weight: 600; }
.en { font-weight: 400; color: var(--muted); font-size: 0.85em; margin-left: 0.4em; }
.top .en { color: #b7d4d7; }
main { max-width: 1320px; margin: 0 auto; padding: 20px 28px 48px; }
h1 { font-size: 24px; margin: 8px 0 12px; }
h2 { font-size: 18px; margin: 0 0 8px; }
h3 { font-size: 14px; margin: 18px 0 6px; }
section, nav { background: var(--card); border-radius: 10px; padding: 16px 20px; margin: 18px 0;
  box-shadow: 0 1px 2px rgba(15, 35, 45, 0.08); }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 14px; margin: 8px 0; }
dt { color: var(--muted); }
dd { margin: 0; }
table { border-collapse: collapse; width: 100%; background: var(--card); }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--line); }
th { color: var(--muted); font-weight: 600; font-size: 12px; }
td p { margin: 0 0 4px; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
table.fields td:first-child { white-space: nowrap; }
.struct { color: var(--muted); font-size: 12px; margin-left: 0.6em; }
.missing { color: var(--muted); font-style: italic; }
.direction { padding: 1px 8px; border-radius: 10px; font-size: 12px; }
.direction.inbound { background: var(--accent-soft); color: var(--accent); }
.direction.outbound { background: var(--out-soft); color: var(--out); }
ul.contents { columns: 3 18em; margin: 0; padding-left: 1.2em; }
pre.example { background: var(--paper); border: 1px solid var(--line); border-radius: 6px;
  padding: 10px 12px; overflow-x: auto; }
@media print { section, nav { box-shadow: none; border: 1px solid var(--line); } .top { display: none; } }
"""


# ---------------------------------------------------------------------------------------------
# Served by the API: public, like the OpenAPI document; rendered once, when the app is made.

MEDIA_TYPES = {".html": "text/html", ".css": "text/css", ".json": "application/json"}
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src data:;"
    " base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


@functools.cache
def rendered() -> dict[str, str]:
    """The reference of today's contract, rendered at its first request (not at every start)."""
    from infra.published import schemas

    return pages(schemas())


def _served(request: Request[Any, Any, Any], page: str) -> Response[str]:
    """One file of the reference, named exactly (no path is ever joined to a folder)."""
    found = rendered()
    if page not in found:
        raise NotFoundException()
    return Response(found[page], media_type=MEDIA_TYPES[page[page.rindex(".") :]], headers=HEADERS)


@get("/reference", sync_to_thread=False, include_in_schema=False)
def reference_index(request: Request[Any, Any, Any]) -> Response[str] | Redirect:
    """The index, at /reference/: /reference (no slash, where the pages' relative links would
    miss) is sent there. The router drops a trailing slash from the path; the raw path, as
    sent, keeps it."""
    sent = request.scope.get("raw_path") or b"/"
    if not sent.partition(b"?")[0].endswith(b"/"):
        return Redirect("reference/", status_code=308)
    return _served(request, "index.html")


@get("/reference/{page:str}", sync_to_thread=False, include_in_schema=False)
def reference_page(request: Request[Any, Any, Any], page: FromPath[str]) -> Response[str]:
    """A topic's page, its JSON Schema document, or the style sheet."""
    return _served(request, page)


ROUTES = [reference_index, reference_page]
