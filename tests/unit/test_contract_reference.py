"""The contract's reference pages: every topic, message type and field of the published
schema is there, every link holds, nothing is loaded from elsewhere, every text is escaped,
and what a document does not state reads "not stated"."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote, urlsplit

import msgspec.inspect as mi
import pytest

from contracts.sinkdown.commands import ProposeSinkDown
from infra.api import reference
from infra.api.reference import NOT_STATED, pages
from infra.published import schemas

SCHEMAS = schemas()  # as `govledger contracts schema` prints them
PAGES = pages(SCHEMAS)


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def all(self, tag: str | None = None) -> Iterator[Node]:
        for child in self.children:
            if isinstance(child, Node):
                if tag is None or child.tag == tag:
                    yield child
                yield from child.all(tag)

    def by_id(self, id_: str) -> Node:
        return next(n for n in self.all() if n.attrs.get("id") == id_)

    def terms(self) -> dict[str, str]:
        """The first definition list's terms and definitions, as text."""
        listed = next(self.all("dl"))
        return dict(zip((t.text() for t in listed.all("dt")), (d.text() for d in listed.all("dd"))))


VOID = {"meta", "link", "br", "img", "input", "hr"}


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("document", {})
        self.open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.open[-1].children.append(node)
        if tag not in VOID:
            self.open.append(node)

    def handle_endtag(self, tag: str) -> None:
        assert self.open[-1].tag == tag, f"</{tag}> closes <{self.open[-1].tag}>"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.open[-1].children.append(data)


def parsed(page: str) -> Node:
    tree = _Tree()
    tree.feed(page)
    tree.close()
    assert tree.open == [tree.root], "an element is left open"
    return tree.root


def table_rows(table: Node) -> list[list[str]]:
    return [[cell.text() for cell in row.all("td")] for row in table.all("tr") if list(row.all("td"))]


def test_every_topic_has_a_page_linked_from_the_index() -> None:
    index = parsed(PAGES["index.html"])
    linked = {a.attrs["href"] for a in index.all("a")}

    for name in SCHEMAS:
        assert f"{name}.html" in PAGES and f"{name}.html" in linked
        parsed(PAGES[f"{name}.html"])  # well formed: every element closed, none closed twice
    assert len(SCHEMAS) == 15 and "commands.staffing" in SCHEMAS


def test_every_message_type_of_every_topic_is_on_its_page_and_on_the_index() -> None:
    index = parsed(PAGES["index.html"])
    for name, document in SCHEMAS.items():
        types = reference.message_types(document)
        named = [m.anchor for m in types]  # a tag (-vN where a tag has several), or the struct
        tagged = sorted(d["x-type"] for d in document["$defs"].values() if "x-type" in d)
        assert sorted(m.tag or "" for m in types) == tagged or not tagged, name
        assert len(set(named)) == len(named) > 0, name
        page = parsed(PAGES[f"{name}.html"])

        sections = [n.attrs["id"] for n in page.all("section") if n.attrs["class"] == "message"]
        assert sections == named, name
        listed = next(index.by_id(name).all("table"))
        assert [a.attrs["href"] for a in listed.all("a")] == [f"{name}.html#{anchor}" for anchor in named]


def _paths(struct: mi.StructType, prefix: str = "") -> Iterator[str]:
    for f in struct.fields:
        yield prefix + f.encode_name
        yield from _held(f.type, prefix + f.encode_name)


def _held(kind: mi.Type, path: str) -> Iterator[str]:
    if isinstance(kind, mi.Metadata):
        yield from _held(kind.type, path)
    elif isinstance(kind, mi.StructType):
        yield from _paths(kind, path + ".")
    elif isinstance(kind, mi.CollectionType):  # list, tuple[X, ...], set
        yield from _held(kind.item_type, path + "[]")
    elif isinstance(kind, mi.UnionType):
        for option in kind.types:
            yield from _held(option, path)


def test_every_field_path_of_the_sink_down_proposal_is_in_its_table() -> None:
    info = mi.type_info(ProposeSinkDown)
    assert isinstance(info, mi.StructType)
    expected = {"type", *_paths(info)}  # msgspec's own view of the struct, not the schema's

    section = parsed(PAGES["commands.staffing.html"]).by_id("sinkdown.propose")
    rows = table_rows(next(t for t in section.all("table") if "fields" in t.attrs.get("class", "")))

    assert {row[0] for row in rows} == expected and len(rows) == len(expected)  # each path once
    assert {"payload.persons[].personal.name", "payload.persons[].rank", "actor.system"} <= expected
    by_path = {row[0]: row for row in rows}
    assert by_path["type"][3] == 'always "sinkdown.propose"'
    assert by_path["actor.id"][2] == "yes"
    assert by_path["payload.persons[].personal.name"][2] == "yes, when payload.persons[].personal is given"
    assert by_path["effective_at"][1:3] == ["string or null", "no"]
    assert "format date-time" in by_path["effective_at"][3]
    assert by_path["payload"][1] == "object Proposal"


def test_what_each_message_type_of_the_published_schema_states_is_on_its_page() -> None:
    stated = {"key": 0, "ordering": 0, "rules": 0, "examples": 0, "topic rules": 0}
    for name, document in SCHEMAS.items():
        page = parsed(PAGES[f"{name}.html"])
        if document.get("x-rules"):
            rules = table_rows(next(page.by_id("rules").all("table")))
            assert [row[0] for row in rules] == [r["rule"] for r in document["x-rules"]]
            stated["topic rules"] += 1
        for section in (n for n in page.all("section") if n.attrs["class"] == "message"):
            struct = next(section.all("h2")).text().split()[-1]
            schema = document["$defs"][struct]
            terms = section.terms()
            if "x-key" in schema:
                assert terms["key"] == schema["x-key"]
                stated["key"] += 1
            if "x-ordering" in schema:
                assert terms["ordering"] == schema["x-ordering"].replace("`", "").strip()
                stated["ordering"] += 1
            tables = [t for t in section.all("table") if "rules" in t.attrs.get("class", "")]
            if schema.get("x-rules"):
                names = [row[0] for row in table_rows(tables[0])]
                assert names == [r["rule"] for r in schema["x-rules"]]
                stated["rules"] += 1
            if schema.get("examples"):
                shown = [json.loads(pre.text()) for pre in section.all("pre")]
                assert shown == json.loads(json.dumps(schema["examples"]))
                stated["examples"] += 1
    assert all(stated.values()), stated  # the published schema states each of them somewhere


def test_the_pages_load_nothing_from_elsewhere_and_every_link_holds() -> None:
    trees = {name: parsed(text) for name, text in PAGES.items() if name.endswith(".html")}
    for name, tree in trees.items():
        assert not list(tree.all("script")), name
        assert [m.attrs for m in tree.all("meta") if "charset" in m.attrs] == [{"charset": "utf-8"}]
        for node in tree.all():
            for attribute in ("href", "src"):
                if attribute not in node.attrs or node.attrs[attribute] == "data:,":
                    continue
                target = urlsplit(node.attrs[attribute])
                assert not target.scheme and not target.netloc, (name, node.attrs)
                page = unquote(target.path) or name
                assert page in PAGES, (name, node.attrs)
                if target.fragment:
                    assert trees[page].by_id(unquote(target.fragment)), (name, node.attrs)


def test_chinese_text_of_the_schema_is_shown_as_written() -> None:
    assert "核定" in json.dumps(SCHEMAS["commands.staffing"], ensure_ascii=False)
    assert "核定" in PAGES["commands.staffing.html"]
    assert "基层治理台账" in PAGES["index.html"] and "font-family" in PAGES["style.css"]


def test_each_topic_s_json_schema_document_lies_beside_its_page() -> None:
    for name, document in SCHEMAS.items():
        assert json.loads(PAGES[f"{name}.schema.json"]) == json.loads(json.dumps(document))  # () is []


HOSTILE = '<script>alert("x")</script>'
BREAKOUT = '"><img src=x onerror=alert(1)>'


def _synthetic(text: str, stated: bool = True) -> dict[str, Any]:
    """A topic document of the enriched shape, with `text` in every place a text can be;
    `stated=False` leaves out every x-* key and the examples."""
    told: dict[str, Any] = {
        "x-type": "thing.do",
        "x-key": f"payload.unit{text}",
        "x-ordering": f"in order of unit {text}",
        "x-rules": [{"rule": f"ThingRefused{text}", "description": f"when {text}"}],
        "examples": [{"type": "thing.do", "payload": {"unit": text}}],
    }
    message = {
        "title": "DoThing",
        "description": f"做事 — does a thing {text}",
        "type": "object",
        "properties": {
            "type": {"enum": ["thing.do"]},
            "payload": {"$ref": "#/$defs/Thing"},
        },
        "required": ["type", "payload"],
        **(told if stated else {}),
    }
    thing = {
        "title": "Thing",
        "type": "object",
        "properties": {
            "unit": {"type": "string", "pattern": f"^{text}$", "description": f"the unit {text}"},
            "kind": {"enum": [text, "plain"], "default": text},
        },
        "required": ["unit"],
    }
    top = {
        "x-topic": f"govledger.things{text}",
        "x-direction": "inbound",
        "x-rules": [{"rule": f"UnknownThing{text}", "description": f"no such thing {text}"}],
    }
    return {
        "title": f"Things {text}",
        "description": f"the things {text}",
        **(top if stated else {}),
        "anyOf": [{"$ref": "#/$defs/DoThing"}],
        "discriminator": {"propertyName": "type", "mapping": {"thing.do": "#/$defs/DoThing"}},
        "$defs": {"DoThing": message, "Thing": thing},
    }


@pytest.mark.parametrize("text", [HOSTILE, BREAKOUT])
def test_every_text_is_escaped(text: str) -> None:
    rendered = pages({"commands.things": _synthetic(text)})
    for name in ("index.html", "commands.things.html"):
        page = rendered[name]
        assert "<script" not in page.lower() and "<img" not in page.lower(), name
        tree = parsed(page)
        assert not list(tree.all("script")) and not list(tree.all("img"))
    shown = parsed(rendered["commands.things.html"]).text()
    assert shown.count(text) >= 12  # title, descriptions, topic, key, ordering, rules, pattern…
    assert json.dumps({"unit": text}, ensure_ascii=False, indent=2)[1:-1].strip() in shown


def test_what_a_document_states_is_shown_and_what_it_does_not_reads_not_stated() -> None:
    stated = parsed(pages({"commands.things": _synthetic("")})["commands.things.html"])
    silent = parsed(pages({"commands.things": _synthetic("", stated=False)})["commands.things.html"])

    told = stated.by_id("thing.do").terms()
    assert told == {"topic": "govledger.things", "key": "payload.unit", "ordering": "in order of unit"}
    assert silent.by_id("thing.do").terms() == dict.fromkeys(("topic", "key", "ordering"), NOT_STATED)
    assert stated.terms()["direction"].startswith("inbound") and silent.terms()["direction"] == NOT_STATED

    example = next(stated.by_id("thing.do").all("pre")).text()
    assert json.loads(example) == {"type": "thing.do", "payload": {"unit": ""}}
    rules = [t for t in stated.by_id("thing.do").all("table") if "rules" in t.attrs.get("class", "")]
    assert table_rows(rules[0]) == [["ThingRefused", "when"]]
    assert table_rows(next(stated.by_id("rules").all("table"))) == [["UnknownThing", "no such thing"]]
    assert "#rules" in {a.attrs["href"] for a in stated.by_id("thing.do").all("a")}
    silent_section = silent.by_id("thing.do")
    assert not [n for n in silent.all() if n.attrs.get("id") == "rules"]
    assert not any("rules" in t.attrs.get("class", "") for t in silent_section.all("table"))
    assert [p.text() for p in silent_section.all("p") if "missing" in p.attrs.get("class", "")] == [
        NOT_STATED,  # rules
        NOT_STATED,  # example
    ]


def test_an_outbound_event_tells_of_no_rules_unless_its_document_names_some() -> None:
    document = _synthetic("")
    document["x-direction"] = "outbound"
    named = parsed(pages({"events.things": document})["events.things.html"]).by_id("thing.do")
    del document["$defs"]["DoThing"]["x-rules"]
    unnamed = parsed(pages({"events.things": document})["events.things.html"]).by_id("thing.do")

    assert "Refused by the rules" in [h.text() for h in named.all("h3")]
    assert [h.text() for h in unnamed.all("h3")] == ["Fields", "Example"]
