"""督办时钟 — the deadline clock: which open cases are overdue, and what to send about them.

Each case's clock state is folded from its published events (deadlines of the current
round, whether the lead signed for, which deadlines were supervised); `owed` turns a
state and a moment into `case.supervise` and `case.escalate` commands, and a `Timetable`
keeps the open cases in the order they fall due, so that a tick reads only those. The
commands' message ids come from what they are about (case, deadline, due; case, round), so
a command sent twice — by a repeated tick or a restarted worker — is dropped by the intake
as a duplicate.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from datetime import datetime
from heapq import heapify, heappop, heappush
from typing import Any, Union
from uuid import uuid5

from aggregates.base import NAMESPACE
from aggregates.linkage.deadlines import ESCALATE_AFTER
from contracts.envelope import Actor
from contracts.linkage import commands as c
from contracts.linkage import events as ev

CLOCK = Actor(id="linkage-clock", role="deadline clock", system="govledger-linkage")
RUNNING = {"dispatched", "signed", "handling"}
_NEXT_TIER = {"town": "district", "district": "city"}


def fold(state: dict[str, Any] | None, event: Any) -> dict[str, Any] | None:
    """The case's clock state after `event`; None once the case needs no clock any more."""
    s, p = dict(state or {}), event.payload
    if isinstance(event, ev.CaseDispatched):
        s.update(
            case=p.case,
            round=p.round,
            tier=p.tier,
            lead=p.lead,
            status="dispatched",
            sign_for_by=p.sign_for_by.isoformat(),
            resolve_by=p.resolve_by.isoformat(),
            signed=False,
            supervised=[],
        )
    elif isinstance(event, ev.CaseSignedFor) and p.party == s.get("lead"):
        s.update(signed=True, status="signed")
    elif isinstance(event, ev.CaseHandled):
        s["status"] = "handling"
    elif isinstance(event, ev.ExtensionGranted):
        s["resolve_by"] = p.resolve_by.isoformat()
    elif isinstance(event, ev.ReworkOrdered):
        s.update(status="handling", resolve_by=p.resolve_by.isoformat())
    elif isinstance(event, ev.CaseSupervised):
        s["supervised"] = [*s.get("supervised", []), f"{p.deadline}@{p.due.isoformat()}"]
    elif isinstance(event, (ev.CaseResolved, ev.CaseSentBack, ev.CaseEscalated)):
        s["status"] = type(event).__name__  # waiting on someone else: no deadline runs
    elif isinstance(event, (ev.CaseClosed, ev.CaseMerged)):
        return None
    return s


# What a state owes once the clock is past `when`: (when, at, deadline), the supervision of
# `deadline` due `at`, or with `deadline` None the escalation after a supervision of `at`.
# Plain tuples: every state makes them at every full scan and rebuild.
_Owing = tuple[datetime, str, "c.Deadline | None"]


State = Union[Mapping[str, Any], "Held"]  # a case's state, or what the timetable keeps of it


def _owing(s: State) -> list[_Owing]:
    """All a state may come to owe: the sign-for deadline unless met or supervised, the
    resolution deadline unless supervised, and once it was, the escalation `ESCALATE_AFTER`
    later from a tier that has one above it. Nothing while the case waits on someone else."""
    if s.get("status") not in RUNNING:
        return []
    sign_for_by, resolve_by = s["sign_for_by"], s["resolve_by"]
    out: list[_Owing] = []
    if not s["signed"] and f"sign_for@{sign_for_by}" not in s["supervised"]:
        out.append((datetime.fromisoformat(sign_for_by), sign_for_by, "sign_for"))
    when = datetime.fromisoformat(resolve_by)
    if f"resolve@{resolve_by}" not in s["supervised"]:
        out.append((when, resolve_by, "resolve"))
    elif s["tier"] in _NEXT_TIER:
        out.append((when + ESCALATE_AFTER, resolve_by, None))
    return out


def _key(s: State, owing: _Owing) -> str:
    """What the message id of what is owed is made from: case, deadline and due; case and round."""
    _, at, deadline = owing
    if deadline is None:
        return f"case-escalate/{s['case']}/{s['round']}"
    return f"case-supervise/{s['case']}/{deadline}/{at}"


def _envelope(now: datetime, case: str, key: str, reason: str) -> dict[str, Any]:
    return dict(
        message_id=str(uuid5(NAMESPACE, key)),
        occurred_at=now,
        effective_at=now,
        actor=CLOCK,
        correlation_id=case,
        reason=reason,
    )


def _command(s: State, owing: _Owing, now: datetime) -> Any:
    case, (when, at, deadline) = s["case"], owing
    if deadline is None:
        reason = f"supervised for resolution by {at}, still unresolved"
        return c.EscalateCase(**_envelope(now, case, _key(s, owing), reason), payload=c.Escalation(case=case))
    return c.SuperviseCase(
        **_envelope(now, case, _key(s, owing), f"{deadline} deadline {at} passed"),
        payload=c.Supervision(case=case, deadline=deadline, due=when),
    )


def owed(state: dict[str, Any], now: datetime) -> list[Any]:
    """What one case owes at `now`: a supervision for each deadline passed, neither met nor
    supervised yet; an escalation for a resolution supervised and still overdue a day on."""
    return [_command(state, o, now) for o in _owing(state) if now > o[0]]


def due(states: Iterable[dict[str, Any]], now: datetime) -> list[Any]:
    """The supervisions and escalations owed at `now`, reading every state (a `Timetable`
    reads only the cases that fell due)."""
    return [command for s in states for command in owed(s, now)]


class Held:
    """What the timetable keeps of a case's state: the fields its clock reads, and no more.

    A worker holds a million open cases; the whole state of each, as RocksDB's values or a
    changelog hand it back, is a dict of its own with copies of every key string (1,262
    bytes a case, against 484 for one built live), which took a restarted worker past
    1.6 GB. These take about a third of that: one slotted object a case, the words of small
    vocabularies (status, tier) shared, an empty list of supervisions shared as (). Read like
    the state (`held["tier"]`, `held.get("status")`), so the clock's rules read either."""

    __slots__ = ("case", "status", "sign_for_by", "resolve_by", "signed", "supervised", "tier", "round")

    def __init__(self, state: Mapping[str, Any]) -> None:
        self.case, self.round = state["case"], state.get("round")
        self.status, self.tier = _word(state.get("status")), _word(state.get("tier"))
        self.sign_for_by, self.resolve_by = state.get("sign_for_by"), state.get("resolve_by")
        self.signed, self.supervised = state.get("signed"), tuple(state.get("supervised") or ())

    def __getitem__(self, name: str) -> Any:
        return getattr(self, name)

    def get(self, name: str, default: Any = None) -> Any:
        return getattr(self, name, default)


def _word(text: Any) -> Any:
    """A string of a small vocabulary (a status, a tier), kept once however many cases hold it."""
    return sys.intern(text) if isinstance(text, str) else text


class Timetable:
    """督办时刻表 — the open cases in the order their clocks next owe something.

    A worker holds every open case of its partitions, a million across a province, and only
    a few fall due between two ticks. A case's moment is the earliest `when` among what its
    state owes (`_owing`) and was not sent yet: the sign-for deadline, the resolution
    deadline, or the escalation a day after the resolution was supervised. A case owing
    nothing (waiting on someone else, or every deadline met or supervised and no tier above)
    is not held. `due(now)` pops the cases whose moment is before `now` from a heap, answers
    them with the same rule as `owed`, and puts each back at its next moment if it has one
    (the sign-for deadline passed, the resolution deadline is next): a tick reads what fell
    due and nothing else.

    A supervision is done only once its `CaseSupervised` comes back through `fold` and
    `put`. Until then its key stays in `_sent`, so later ticks do not send it again; a `put`
    keeps only the keys the new state still owes, so the set is as small as what is in
    flight. A worker that starts or is given other partitions builds a new timetable from
    its table (`rebuild`) and sends again what was in flight; the intake drops those as
    duplicates of the same message ids.

    Heap entries are (moment as a POSIX timestamp, case): floats keep instants a microsecond
    apart distinct and in order until the 23rd century, compare faster than aware datetimes
    and take a third of their memory; whether something is owed is still decided on the
    datetimes. A `put` or `drop` leaves the case's earlier entry in the heap; an entry is
    live only while `_next` holds that very tuple, and a stale one is skipped when popped.
    When stale entries outnumber live ones the heap is rebuilt from `_next`. `examined`
    counts the entries popped, live or stale: what the ticks cost.
    """

    def __init__(self) -> None:
        self._states: dict[str, Held] = {}  # held cases, what their clocks read of them
        self._next: dict[str, tuple[float, str]] = {}  # each held case's live heap entry
        self._sent: dict[str, set[str]] = {}  # keys sent and still owed by the state
        self._heap: list[tuple[float, str]] = []
        self.examined = 0

    @classmethod
    def rebuild(cls, states: Iterable[dict[str, Any]]) -> Timetable:
        """The timetable of `states` (a case table's values), nothing sent yet."""
        timetable = cls()
        for s in states:
            if owing := _owing(s):
                case = s["case"]
                timetable._states[case] = Held(s)
                timetable._next[case] = (min(o[0].timestamp() for o in owing), case)
        timetable._heap = list(timetable._next.values())
        heapify(timetable._heap)
        return timetable

    def __len__(self) -> int:
        return len(self._states)

    @property
    def in_flight(self) -> int:
        """Commands sent whose events have not come back yet."""
        return sum(len(keys) for keys in self._sent.values())

    def put(self, state: dict[str, Any]) -> None:
        """Hold `state`, a case's state after `fold`, instead of the case's earlier one. A case
        that owes nothing any more leaves; what was sent and is still owed stays sent."""
        case = state.get("case")
        if case is None:
            return  # never dispatched: no clock runs
        owing = _owing(state)
        if not owing:
            self.drop(case)
            return
        self._states[case] = Held(state)
        if (sent := self._sent.get(case)) is not None:
            sent.intersection_update(_key(state, o) for o in owing)
            if not sent:
                del self._sent[case]
        self._schedule(case, owing)

    def drop(self, case: str) -> None:
        """The case needs no clock any more (closed or merged)."""
        self._states.pop(case, None)
        self._sent.pop(case, None)
        if self._next.pop(case, None) is not None:
            self._compact()

    def due(self, now: datetime) -> list[Any]:
        """What the held cases owe at `now` and was not sent yet, popping only the cases whose
        moment is before `now`."""
        limit, out = now.timestamp(), []
        while self._heap and self._heap[0][0] < limit:
            entry = heappop(self._heap)
            self.examined += 1
            case = entry[1]
            if self._next.get(case) is not entry:
                continue  # replaced by a later put, or dropped
            del self._next[case]
            state, sent = self._states[case], self._sent.setdefault(case, set())
            owing = _owing(state)
            for o in owing:
                if now > o[0] and (key := _key(state, o)) not in sent:
                    out.append(_command(state, o, now))
                    sent.add(key)
            self._schedule(case, owing)
        return out

    def _schedule(self, case: str, owing: list[_Owing]) -> None:
        """The case's entry at its next moment: the earliest of what it owes and was not sent."""
        state, sent = self._states[case], self._sent.get(case)
        moments = [o[0].timestamp() for o in owing if not sent or _key(state, o) not in sent]
        entry = self._next.get(case)
        if not moments:  # all in flight: nothing to do until the events come back
            if entry is not None:
                del self._next[case]
            return
        moment = min(moments)
        if entry is not None and entry[0] == moment:
            return  # the entry in the heap stands
        self._next[case] = entry = (moment, case)
        heappush(self._heap, entry)
        self._compact()

    def _compact(self) -> None:
        if len(self._heap) > 2 * len(self._next) + 64:
            self._heap = list(self._next.values())
            heapify(self._heap)
