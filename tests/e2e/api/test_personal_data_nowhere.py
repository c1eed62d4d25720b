"""No personal data in clear in anything we store, publish or log: the whole demo (its refused
rotation dead-lettered with a person's data in it) and three dead letters of our own, searched
for every name, ID number and phone they carry — in every column of every table, on every
topic we write, in every log line and in what the demo printed. The upstream staffing topic
holds them all (what we cannot erase there is upstream's), which proves the search finds them.
A sealed dead letter opens for an operator with the keys, and no more once its person is erased."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from itertools import groupby
from pathlib import Path
from typing import Any

import msgspec
import psycopg
import pytest
from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition
from psycopg import sql

from aggregates.base import CHINA_STANDARD_TIME
from contracts.sinkdown import commands as s
from infra.cli import main as cli
from infra.demo import sinkdown as demo_sink_down
from infra.kafka import clients as kafka
from infra.settings import Settings
from tests.e2e.api.conftest import DemoRun
from tests.support import PII_CLERK, PII_PERSONAL, cli_json, pii_proposal, run_intake

BASIS = "本人申请删除（《个人信息保护法》第四十七条）"
PERSON = PII_CLERK.person
OURS = [
    PII_PERSONAL,
    s.PersonalData(name="测试人员乙", id_number="TEST-ID-PII000002", phone="13800000002"),
    s.PersonalData(name="测试人员丙", id_number="TEST-ID-PII000003", phone="13800000003"),
]


def _decodable() -> bytes:
    """A proposal naming its person twice: refused (`InvalidSinkDownDetails`) once sealed."""
    return msgspec.json.encode(pii_proposal(PII_CLERK, PII_CLERK, label="pii/propose-twice"))


def _undecodable() -> bytes:
    """JSON that is no command (its person has no id), as a sender escaping non-ASCII writes it."""
    command = json.loads(_decodable())
    command["message_id"] = "pii/no-person-id"
    command["payload"]["persons"] = [
        {"post": "进驻执法人员", "enforcement": True, "personal": msgspec.to_builtins(OURS[1])}
    ]
    return json.dumps(command).encode()


def _not_json() -> bytes:
    p = OURS[2]
    return f"name={p.name};id_number={p.id_number};phone={p.phone}".encode()


# What to look for, and where.


def _seeded() -> set[str]:
    """Every name, ID number and phone of the demo, read from its messages as they are sent."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "personal" and isinstance(value, dict):
                    found.update(str(v) for v in value.values() if v is not None)
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for _key, value in demo_sink_down.demo_commands():
        walk(json.loads(value))
    return found


def _forms(value: str) -> set[bytes]:
    """The value in UTF-8 and as JSON writes it with \\uXXXX escapes (either case of hex digits)."""
    escaped = json.dumps(value)[1:-1]
    upper = re.sub(r"\\u([0-9a-f]{4})", lambda m: "\\u" + m.group(1).upper(), escaped)
    return {value.encode(), escaped.encode(), upper.encode()}


def _trie(words: Iterable[bytes]) -> bytes:
    """One regular expression matching exactly the words, as a trie (fast on many words)."""
    root: dict[Any, Any] = {}
    for word in words:
        node = root
        for byte in word:
            node = node.setdefault(byte, {})
        node[None] = True

    def pattern(node: dict[Any, Any]) -> bytes:
        branches = [
            re.escape(bytes([b])) + pattern(child) for b, child in sorted(node.items()) if b is not None
        ]
        if not branches:
            return b""
        body = branches[0] if len(branches) == 1 else b"(?:" + b"|".join(branches) + b")"
        return b"(?:" + body + b")?" if None in node else body

    return pattern(root)


def _finder(values: set[str]) -> Callable[[bytes], set[str]]:
    """Which of the values a blob holds, in any of their forms, also inside base64 in it."""
    by_form = {form: value for value in values for form in _forms(value)}
    found = re.compile(_trie(by_form))
    base64_run = re.compile(rb"[A-Za-z0-9+/_-]{16,}={0,2}")

    def views(blob: bytes) -> Iterator[bytes]:
        yield blob
        for run in base64_run.findall(blob):
            for decode in (base64.b64decode, base64.urlsafe_b64decode):
                try:
                    yield decode(run + b"=" * (-len(run) % 4))
                except ValueError:
                    pass

    return lambda blob: {by_form[hit] for view in views(blob) for hit in found.findall(view) if hit}


def _stored(database_url: str) -> dict[str, bytes]:
    """Every column of every table, by `table.column`: bytea as stored, the rest as text."""
    with psycopg.connect(database_url) as conn:
        columns = conn.execute(
            "SELECT c.table_schema, c.table_name, c.column_name, c.data_type"
            " FROM information_schema.columns c JOIN information_schema.tables t"
            " USING (table_schema, table_name) WHERE t.table_type = 'BASE TABLE'"
            " AND c.table_schema NOT IN ('pg_catalog', 'information_schema')"
            " ORDER BY 1, 2, c.ordinal_position"
        ).fetchall()
        blobs: dict[str, bytes] = {}
        for (schema, table), group in groupby(columns, key=lambda c: (c[0], c[1])):
            cols = [(name, kind) for _s, _t, name, kind in group]
            exprs = [
                sql.Identifier(name) if kind == "bytea" else sql.SQL("{}::text").format(sql.Identifier(name))
                for name, kind in cols
            ]
            query = sql.SQL("SELECT {} FROM {}.{}").format(
                sql.SQL(", ").join(exprs), sql.Identifier(schema), sql.Identifier(table)
            )
            rows = conn.execute(query).fetchall()
            for i, (name, _kind) in enumerate(cols):
                values = (r[i] for r in rows if r[i] is not None)
                blobs[f"{table}.{name}"] = b"\0".join(
                    bytes(v) if isinstance(v, bytes | memoryview) else str(v).encode() for v in values
                )
        return blobs


def _written_topics(settings: Settings) -> tuple[list[str], list[str]]:
    """The topics the demo's ledger and linkage write (dead letters, events, metrics, ticks, the
    linkage app's own), and the command topics upstream writes."""
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
    try:
        topics = set(admin.list_topics())
    finally:
        admin.close()
    upstream = set(kafka.command_topics(settings.topics))
    prefix = settings.topics.dead_letters.rsplit(".", 1)[0] + "."
    ours = (prefix, settings.linkage.app_id, settings.topics.events + ".")
    return sorted(t for t in topics if t.startswith(ours) and t not in upstream), sorted(upstream)


def _published(broker: str, topics: list[str]) -> dict[str, bytes]:
    """Every record of the topics (keys, values, headers), read to their end, by topic."""
    consumer = KafkaConsumer(bootstrap_servers=broker, group_id=None, enable_auto_commit=False)
    partitions = [TopicPartition(t, p) for t in topics for p in consumer.partitions_for_topic(t) or ()]
    consumer.assign(partitions)
    consumer.seek_to_beginning(*partitions)
    ends = consumer.end_offsets(partitions)  # may fall short of the end: read on until a poll is empty
    chunks: dict[str, list[bytes]] = defaultdict(list)
    while True:
        polled = consumer.poll(timeout_ms=1000)
        for tp, records in polled.items():
            for r in records:
                chunks[tp.topic] += [r.key or b"", r.value or b"", *(v or b"" for _k, v in r.headers or ())]
        if not polled and all(consumer.position(tp) >= ends[tp] for tp in partitions):
            break
    consumer.close()
    return {topic: b"\0".join(parts) for topic, parts in chunks.items()}


def _hits(finder: Callable[[bytes], set[str]], blobs: dict[str, bytes]) -> dict[str, set[str]]:
    return {where: found for where, blob in blobs.items() if (found := finder(blob))}


def _open(capsys: pytest.CaptureFixture[str], letter: int, purpose: str = "审计核查") -> tuple[int, str]:
    code = cli.main(["deadletters", "--open", str(letter), "--purpose", purpose, "--actor", "wang.wu"])
    out = capsys.readouterr()
    return code, out.out


def test_no_name_id_number_or_phone_is_stored_published_or_logged_and_a_sealed_dead_letter_opens_until_erased(
    demo_run: DemoRun,
    logged: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = demo_run.settings
    seeded = _seeded()
    ours = {str(v) for p in OURS for v in (p.name, p.id_number, p.phone)}
    assert len(seeded) > 3 * 264  # the street report's 264 staff and Jiangbei's cadres, three values each
    with psycopg.connect(settings.database_url) as conn:
        before = conn.execute("SELECT coalesce(max(id), 0) FROM dead_letters").fetchone()[0]
    raw = [_decodable(), _undecodable(), _not_json()]

    worker = run_intake(
        settings.database_url, settings.kafka_bootstrap, settings, [(b"PII-T1", r) for r in raw]
    )

    assert worker.intake.stats.dead_lettered == 3
    with psycopg.connect(settings.database_url) as conn:
        rows = conn.execute(
            "SELECT message_id, id, rule, original FROM dead_letters WHERE id > %s", (before,)
        ).fetchall()
        [refused_rotation] = conn.execute(
            "SELECT id, message_id FROM dead_letters WHERE rule = 'AdjustmentWithoutTownConsent'"
        ).fetchall()
    by_id = {message_id: (letter, rule, json.loads(bytes(kept))) for message_id, letter, rule, kept in rows}
    ids = [json.loads(raw[0])["message_id"], "pii/no-person-id", None]  # the last: not JSON, no id
    assert sorted(by_id, key=str) == sorted(ids, key=str)
    [(first, rule1, sealed1), (second, rule2, sealed2), (third, rule3, redacted)] = [by_id[i] for i in ids]
    assert (rule1, rule2, rule3) == ("InvalidSinkDownDetails", "MalformedMessage", "MalformedMessage")
    assert sealed1["payload"]["persons"][0]["personal"]["x-sealed"]["owner"] == PERSON
    month = datetime.now(CHINA_STANDARD_TIME).strftime("%Y-%m")
    assert sealed2["payload"]["persons"][0]["personal"]["x-sealed"]["owner"] == f"dead-letters/{month}"
    assert redacted == {"x-redacted": {"sha256": hashlib.sha256(raw[2]).hexdigest(), "bytes": len(raw[2])}}

    finder = _finder(seeded | ours)
    written, upstream = _written_topics(settings)
    assert settings.topics.dead_letters in written and len(written) > 3
    stored, published = _stored(settings.database_url), _published(settings.kafka_bootstrap, written)
    assert {"ledger_events.state", "dead_letters.original", "dead_letters.error"} <= set(stored)
    linkage_log = Path(settings.state_dir) / "linkage.log"
    said = {
        "the demo's log": "\n".join(demo_run.logged).encode(),
        "the demo's console": demo_run.printed.encode(),
        "the linkage worker's log": linkage_log.read_bytes() if linkage_log.exists() else b"",
        "this test's log": "\n".join(logged).encode(),
        "this test's output": "".join(capsys.readouterr()).encode(),
    }
    assert _hits(finder, stored) == {}
    assert _hits(finder, published) == {}
    assert _hits(finder, said) == {}
    # what upstream keeps on its own topic, where the search finds every value
    staffing = _published(settings.kafka_bootstrap, [settings.topics.staffing])
    assert finder(staffing[settings.topics.staffing]) >= seeded | {
        str(v) for v in (OURS[0].name, OURS[1].name)
    }
    assert settings.topics.staffing in upstream

    monkeypatch.setenv("GOVLEDGER_DATABASE_URL", settings.database_url)
    assert cli.main(["deadletters", "--limit", "3"]) == 0
    assert capsys.readouterr().out.count("sealed") == 2  # the third is redacted whole
    assert cli.main(["deadletters", "--open", str(first)]) == 2  # no purpose given
    code, out = _open(capsys, first)
    assert code == 0 and json.loads(out) == json.loads(raw[0])
    code, out = _open(capsys, second)
    assert code == 0 and json.loads(out) == json.loads(raw[1])
    code, out = _open(capsys, refused_rotation[0])
    [sent] = [
        v for _k, v in demo_sink_down.demo_commands() if json.loads(v)["message_id"] == refused_rotation[1]
    ]
    assert code == 0 and json.loads(out) == json.loads(sent)
    assert _open(capsys, third) == (1, "")  # redacted: nothing to open

    assert cli.main(["privacy", "erase", PERSON, "--basis", BASIS]) == 0
    capsys.readouterr()
    assert _open(capsys, first) == (1, "")
    events = cli_json(capsys, "audit", "trail", f"personal-record/{PERSON}")
    assert [e["event"] for e in events][-3:] == [
        "PersonalRecord.ReadRecorded",
        "PersonalRecord.Erased",
        "PersonalRecord.ReadRecorded",
    ]
    assert (events[-3]["details"]["found"], events[-1]["details"]["found"]) == (True, False)
