"""The contract as published: the JSON Schema documents with what a sender needs beyond types.

`schemas()` is what `govledger contracts schema` prints, what the reference pages are
rendered from and what the compatibility gate compares with the schemas kept in
`contracts/published/`. It adds to the msgspec types, from the context registry: each
topic's name and direction, each command's Kafka key and ordering, the rules it can be
refused with (its translator's `RULES`, and the intake's own rules for every message on
the topic), and a valid example, the first of its kind the demo sends; each event's example is
the first of its kind the demo's commands give when run through a ledger in memory, as the
intake, the relay and the linkage processors would (`event_examples`); and the topics beside
the families (the linkage's metrics and ticks, the dead letters) are described as well.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
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
def _demo() -> list[dict[str, Any]]:
    """The demo's messages, phase by phase, as `govledger demo` sends them (built once)."""
    from infra.demo.run import _phases

    return _phases(Settings())


@cache
def examples() -> dict[str, Any]:
    """A valid example of each command, by type tag (`tag@version` for an earlier version still
    read): the first of its kind the demo sends; a command the demo never sends borrows the
    example of one with the same payload type."""
    decoder = msgspec.json.Decoder(contexts.Command)
    earlier: dict[str, msgspec.json.Decoder[Any]] = {
        tag: msgspec.json.Decoder(old) for tag, (old, _upgrade) in contexts.EARLIER.items()
    }
    found: dict[str, Any] = {}
    sent = [m for phase in _demo() for messages in phase.values() for m in messages]
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


class _Run:
    """The demo run in memory, as the workers would run it: each command applied to an empty
    ledger (a refused one skipped), each event stored published as the relay publishes it
    (`to_contract`), and what the linkage processors answer — a dispatch for each report,
    sending back or escalation, routed by the power and scenario events so far, and the
    deadline clock's supervisions and escalations at each tick — applied in turn. The first
    event of each type is kept as its example, recorded (`recorded_at`) when its command was
    sent, so that the examples are the same from run to run."""

    def __init__(self) -> None:
        from consumers.dry_run import SealingAside, empty
        from consumers.linkage.app import Catalogue

        self.ledger = empty(contexts.GovernanceLedger)
        self.ledger.vault = SealingAside(self.ledger.find)
        self.settings = Settings()
        self.position = 0
        self.aggregates: dict[Any, Any] = {}
        self.sent_at: dict[str, Any] = {}  # message id -> when its command was sent
        self.catalogue = Catalogue()  # the linkage's routing table
        self.cases: dict[str, dict[str, Any]] = {}  # case -> the deadline clock's state
        self.routed: dict[str, dict[str, Any]] = {}  # case -> when reported, lead, cooperating
        self.found: dict[str, Any] = {}

    def send(self, values: Sequence[bytes]) -> None:
        for value in values:
            decoded = contexts.DECODER.decode(_Record(value))
            if decoded.command is not None:
                self.apply(decoded.command)

    def apply(self, command: Any) -> None:
        from aggregates.base import RuleViolation

        self.sent_at.setdefault(command.message_id, command.occurred_at)
        try:
            contexts.apply(self.ledger, command)
        except RuleViolation:
            return
        for answer in self._publish():
            self.apply(answer)

    def tick(self, now: Any) -> None:
        """The deadline clock at `now`: what each open case owes."""
        from consumers.linkage import clock

        for command in clock.due(list(self.cases.values()), now):
            self.apply(command)

    def _publish(self) -> list[Any]:
        from consumers.linkage import clock, routing
        from consumers.linkage.app import dispatch_command
        from contracts.linkage import events as case_events

        answers = []
        for notification in self.ledger.recorder.select_notifications(
            start=self.position, limit=100_000, inclusive_of_start=False
        ):
            self.position = notification.id
            event: Any = self.ledger.mapper.to_domain_event(notification)
            aggregate = self.aggregates[event.originator_id] = event.mutate(
                self.aggregates.get(event.originator_id)
            )
            if not contexts.published(event):
                continue
            contract = contexts.to_contract(event, aggregate)
            contract = msgspec.structs.replace(
                contract, recorded_at=self.sent_at.get(contract.message_id, contract.effective_at)
            )
            if (tag := _tag(type(contract))) not in self.found:
                self.found[tag] = msgspec.json.decode(msgspec.json.encode(contract))
            if isinstance(contract, routing.REQUESTS):
                route = self.catalogue.routes.get(routing.routing_key(contract) or "")
                _key, _case, value = dispatch_command(contract, route, self.settings)
                answers.append(msgspec.json.decode(value, type=contexts.Command))
            self.catalogue.apply(contract)
            if isinstance(contract, case_events.CaseReported):
                self.routed[contract.payload.case] = {"reported_at": contract.effective_at}
            elif isinstance(contract, case_events.CaseDispatched):
                p = contract.payload
                self.routed[p.case].update(lead=p.lead, cooperating=list(p.cooperating))
            if isinstance(contract, case_events.LinkageEvent.__args__):  # type: ignore[attr-defined]  # a Union
                state = clock.fold(self.cases.get(contract.payload.case), contract)
                if state is None:
                    self.cases.pop(contract.payload.case, None)
                else:
                    self.cases[contract.payload.case] = state
        return answers

    def linkage_day(self) -> None:
        """The linkage demo's day in 慈城镇, the clock moved by ticks as the linkage demo moves it."""
        from consumers.linkage.routing import held_since
        from infra.demo import linkage as d

        day = d.DAY.date()
        routes = self.catalogue.routes
        items = sorted(k.removeprefix("item:") for k in routes if k.startswith("item:"))
        held = [i for i in items if held_since(routes[f"item:{i}"], d.TOWN, day)]
        scenarios = sorted(k.removeprefix("category:") for k in routes if k.startswith("category:"))
        values = lambda messages: [value for _key, value in messages]
        self.send(values(d.reports(held, [i for i in items if i not in held], scenarios[0])))
        self.send(values(d.first_acts(self.routed)))
        self.tick(d.DAY + timedelta(hours=10))
        self.send(values(d.closing_acts(self.routed)))
        stuck = self.cases.get(d.case_no(d.STUCK))
        if stuck is not None:
            self.tick(datetime.fromisoformat(stuck["resolve_by"]) + timedelta(minutes=15))
        self.tick(d.DAY + timedelta(days=4, hours=8))


@dataclass(frozen=True)
class _Record:
    value: bytes
    topic: str | None = None


@cache
def event_examples() -> dict[str, Any]:
    """A valid example of each published event, by type tag: the first of its kind in the demo
    run in memory (`_Run`); an event the demo never gives comes of a command it never sends,
    applied once the demo is done (`_after_the_demo`)."""
    run = _Run()
    for phase in _demo():
        run.send([value for messages in phase.values() for _key, value in messages])
    run.linkage_day()
    for command in _after_the_demo(run, examples()):
        run.apply(msgspec.json.decode(msgspec.json.encode(command), type=contexts.Command))
    return run.found


def _variant(example: dict[str, Any], tag: str | None = None, **payload: Any) -> dict[str, Any]:
    """A command example made another (`tag`) or about something else (`payload`'s fields)."""
    tag = tag or example["type"]
    return {
        **example,
        "type": tag,
        "message_id": f"example-event-{tag}",
        "reason": example.get("reason") or "示例",
        "payload": {**example["payload"], **payload},
    }


def _after_the_demo(run: _Run, made: dict[str, Any]) -> list[dict[str, Any]]:
    """What the demo never sends, sent once it is done, for the events it never gives: amending
    and retiring catalogue entries, abolishing a unit, revising a scheme, correcting a score (of
    the next period's appraisal, opened and scored for it), vacating quotas, a ledger first
    opened by a transfer into it, a baseline corrected, and an extension, a sending back, a
    rework and a merge among the day's cases (those still open, and one closed dissatisfied)."""
    from infra.demo import linkage as d

    open_case, other_case = d.case_no(d.OPEN[0]), d.case_no(d.OPEN[1])
    lead = lambda case: run.routed[case]["lead"]
    on = (d.DAY + timedelta(days=2, hours=1)).isoformat()
    at = {"occurred_at": on, "effective_at": on}
    cases = [
        {**_variant(made["case.request_extension"], case=open_case, party=lead(open_case)), **at},
        {**_variant(made["case.grant_extension"], case=open_case), **at},
        {**_variant(made["case.send_back"], case=other_case, party=lead(other_case), suggested=None), **at},
        {**_variant(made["case.rework"], case=d.case_no(7)), **at},  # closed dissatisfied
        {**_variant(made["case.merge"], case=d.case_no(d.OPEN[2]), into=open_case), **at},
    ]
    transfer, item = made["quota.transfer"], made["power_item.amend"]["payload"]
    next_period = str(int(made["appraisal.open"]["payload"]["period"]) + 1)
    score = made["appraisal.score"]["payload"]["score"]
    bands = [dict(b) for b in made["appraisal.revise_scheme"]["payload"]["bands"]]
    bands[0]["floor"] = str(int(bands[0]["floor"]) - 5)  # a lower floor for the top grade
    new_unit = f"{transfer['payload']['unit'].split('-')[0]}-EXAMPLE"
    return [
        _variant(made["power_item.amend"], legal_basis=f"{item['legal_basis']}（示例修订）"),
        _variant(made["power_item.retire"]),
        _variant(made["territorial_duty.retire"]),
        _variant(made["joint_scenario.retire"]),
        _variant(made["town.abolish_unit"]),
        _variant(made["appraisal.open"], period=next_period),  # an appraisal not yet finalised
        _variant(made["appraisal.score"], period=next_period),
        _variant(made["appraisal.correct_score"], period=next_period, score=str(int(score) - 2)),
        _variant(made["appraisal.revise_scheme"], bands=bands),
        _variant(made["quota.vacate"], count=1),
        _variant(transfer, to_unit=new_unit, count=1),
        _variant(made["quota.open"], unit=new_unit, level=transfer["payload"]["to_level"], name="示例镇"),
        _variant(
            made["sinkdown.declare_enforcement_staff"],
            count=made["sinkdown.declare_enforcement_staff"]["payload"]["count"] + 1,
        ),
        *cases,
    ]


# The topics beside the command and event families, by name after `govledger.`: (its setting in
# `Topics`, direction, description, the field that is the key or None, the ordering).
_OTHER_TOPICS: dict[str, tuple[str, str, str, str | None, str]] = {
    "linkage.metrics": (
        "metrics",
        "outbound",
        "The linkage's rolling figures (联动考评指标) per party and day, published by the linkage stream "
        "processors (`govledger linkage`) at each change: counts of dispatches, sign-fors, resolutions, "
        "closings, supervisions (督办) and escalations (升级), and the rates 响应率, 按时办结率, 解决率 and "
        "满意率. A record is the day's whole figure for the party: a later one for the same key replaces "
        "the earlier one.",
        "party/day",
        "Keyed by the party's code and the day joined by a slash (`party/day`, e.g. "
        "`JB-CICHENG/2021-12-01`): the records of one party and day share a partition, in the order "
        "they were computed, and the last is the day's figure; there is no order between keys. "
        "`message_id` is unique per record.",
    ),
    "linkage.ticks": (
        "ticks",
        "inbound",
        "The deadline clock's time (督办的时钟), when the linkage stream processors run on ticks "
        "(`GOVLEDGER_LINKAGE_CLOCK=ticks`: replays, demos and tests, with one linkage worker): each "
        "tick moves the clock to `at`, and the supervisions (`case.supervise`) and escalations "
        "(`case.escalate`) owed by then are sent. On the wall clock (the default) nothing reads it.",
        None,
        "Unkeyed: no order is kept between ticks. A tick at or before a time the clock has passed "
        "owes nothing new, so a late tick does no harm.",
    ),
    "deadletters": (
        "dead_letters",
        "outbound",
        "The dead letters (死信): each message the intake refused before or instead of applying it — "
        "its topic, partition and offset, its original bytes (personal fields sealed), the rule it "
        "broke and the error — published from the outbox the intake stores them in. A dead letter "
        "published again after a crash keeps its `id`: drop repeats by it.",
        "message_id",
        "Keyed by the refused message's `message_id` (`topic/partition/offset` when it had none): the "
        "dead letters of one message share a partition, in the order they were stored; there is no "
        "order between keys.",
    ),
}


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
                example = event_examples().get(_tag(event))
                notes[event] = MessageNotes(
                    "aggregate_id",
                    "The events of one aggregate keep the order they were recorded in.",
                    examples=(example,) if example else (),
                )
    messages = contexts.messages()
    for name, (setting, direction, description, key, ordering) in _OTHER_TOPICS.items():
        described[name] = TopicNotes(getattr(topics, setting), direction, description)
        notes[messages[name]] = MessageNotes(key, ordering)
    earlier = {
        f"commands.{family}": [old for c in on_family for old, _upgrade in c.earlier.values()]
        for family, on_family in contexts.FAMILIES.items()
    }
    return json_schemas(messages, described, notes, earlier)


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
