"""The clock's timetable: a tick owes what the full scan owes, sends it once, and reads
only the cases that fell due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from aggregates.linkage.deadlines import ESCALATE_AFTER
from consumers.linkage.clock import RUNNING, Timetable, due, fold
from contracts.linkage import events as ev
from contracts.linkage.commands import PartyAct
from tests.integration.intake.published import T0, dispatched, event_of

CHINA = timezone(timedelta(hours=8))
BASE = datetime(2021, 12, 1, 9, tzinfo=CHINA)
NEVER = datetime(9999, 1, 1, tzinfo=UTC)  # past every deadline: what a state may ever owe
STATUSES = [*sorted(RUNNING), "CaseResolved", "CaseSentBack", "CaseEscalated"]

# on an hourly grid, and a microsecond either side, so that ticks fall on deadlines
instants = st.builds(
    lambda hours, us: BASE + timedelta(hours=hours, microseconds=us),
    st.integers(0, 200),
    st.sampled_from([-1, 0, 1]),
)
ticks = instants.map(lambda at: at.astimezone(UTC))
case_ids = st.sampled_from([f"C{n}" for n in range(6)])


@st.composite
def states(draw: st.DrawFn, cases: st.SearchStrategy[str] = case_ids) -> dict:
    """A case's clock state as `fold` leaves it (and the table stores it, with a version)."""
    sign_for_by, resolve_by = draw(instants).isoformat(), draw(instants).isoformat()
    candidates = [f"sign_for@{sign_for_by}", f"resolve@{resolve_by}", f"resolve@{BASE.isoformat()}"]
    return dict(
        case=draw(cases),
        round=draw(st.integers(1, 3)),
        tier=draw(st.sampled_from(["town", "district", "city"])),
        lead="T1",
        status=draw(st.sampled_from(sorted(RUNNING)) | st.sampled_from(STATUSES)),  # mostly running
        sign_for_by=sign_for_by,
        resolve_by=resolve_by,
        signed=draw(st.booleans()),
        supervised=draw(st.lists(st.sampled_from(candidates), unique=True)),
        version=draw(st.integers(1, 9)),
    )


def by_id(commands):
    return sorted(commands, key=lambda command: command.message_id)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        states(st.sampled_from([f"C{n}" for n in range(40)])),
        min_size=1,
        max_size=30,
        unique_by=lambda s: s["case"],
    ),
    st.integers(0, 5),
    ticks,
)
def test_a_new_timetable_owes_at_a_tick_exactly_what_the_full_scan_owes(held, closed, now):
    table = [*held, *({"status": "closed", "version": 3} for _ in range(closed))]
    timetable = Timetable.rebuild(table)
    assert len(timetable) == sum(1 for s in table if due([s], NEVER))
    assert by_id(timetable.due(now)) == by_id(due(table, now))


@settings(max_examples=400, deadline=None)
@given(
    st.lists(states(), unique_by=lambda s: s["case"]),
    st.lists(
        st.one_of(
            st.tuples(st.just("put"), states()),
            st.tuples(st.just("drop"), case_ids),
            st.tuples(st.just("tick"), ticks),
        ),
        max_size=40,
    ),
)
def test_states_put_and_dropped_between_ticks_owe_what_the_full_scan_owes_less_what_is_in_flight(
    initial, steps
):
    timetable = Timetable.rebuild(initial)
    table = {s["case"]: s for s in initial}
    in_flight: dict[str, set[str]] = {}  # sent, and still owed by the case's state
    for step, arg in steps:
        if step == "put":
            table[arg["case"]] = arg
            owed_ever = {command.message_id for command in due([arg], NEVER)}
            in_flight[arg["case"]] = in_flight.get(arg["case"], set()) & owed_ever
            timetable.put(arg)
        elif step == "drop":
            table.pop(arg, None)
            in_flight.pop(arg, None)
            timetable.drop(arg)
        else:
            expected = [
                command
                for command in due(table.values(), arg)
                if command.message_id not in in_flight.get(command.payload.case, set())
            ]
            for command in expected:
                in_flight.setdefault(command.payload.case, set()).add(command.message_id)
            assert by_id(timetable.due(arg)) == by_id(expected)
        assert len(timetable) == sum(1 for s in table.values() if due([s], NEVER))
        assert timetable.in_flight == sum(len(sent) for sent in in_flight.values())


def supervised(case, deadline, at):
    return event_of(
        case, ev.CaseSupervised, ev.Supervised(case=case, deadline=deadline, due=at, parties=("T1",)), at
    )


def test_each_supervision_and_escalation_is_sent_once_and_again_only_by_a_rebuilt_timetable():
    d = dispatched("C1", "T1")
    sign_for_by, resolve_by = d.payload.sign_for_by, d.payload.resolve_by
    s = fold(None, d)
    timetable = Timetable.rebuild([s])

    [supervise] = timetable.due(sign_for_by + timedelta(minutes=1))
    assert (supervise.payload.deadline, supervise.payload.due) == ("sign_for", sign_for_by)
    assert timetable.due(sign_for_by + timedelta(hours=1)) == []
    handled = fold(s, event_of("C1", ev.CaseHandled, PartyAct(case="C1", party="T1"), T0))
    timetable.put(s)  # the same state again, then a change that leaves the deadline unmet
    timetable.put(handled)
    assert timetable.due(sign_for_by + timedelta(hours=2)) == []

    restarted = Timetable.rebuild([handled])  # the supervision's event had not come back
    [again] = restarted.due(sign_for_by + timedelta(hours=2))
    assert again.message_id == supervise.message_id  # the intake drops it as a duplicate

    s = fold(handled, supervised("C1", "sign_for", sign_for_by))
    timetable.put(s)
    assert timetable.due(resolve_by) == []  # not past it yet
    [supervise] = timetable.due(resolve_by + timedelta(minutes=1))
    assert supervise.payload.deadline == "resolve"
    assert timetable.due(resolve_by + timedelta(hours=1)) == []

    timetable.put(fold(s, supervised("C1", "resolve", resolve_by)))
    assert timetable.due(resolve_by + timedelta(hours=2)) == []
    [escalate] = timetable.due(resolve_by + ESCALATE_AFTER + timedelta(minutes=1))
    assert type(escalate).__name__ == "EscalateCase"
    assert timetable.due(resolve_by + 2 * ESCALATE_AFTER) == []
    assert len(timetable) == 1  # until its escalation comes back

    timetable.drop("C1")  # closed
    assert len(timetable) == 0
    assert timetable.due(resolve_by + 3 * ESCALATE_AFTER) == []


def test_an_extension_granted_before_the_supervision_came_back_is_supervised_at_its_new_deadline():
    d = dispatched("C1", "T1")
    signed = fold(
        fold(None, d),
        event_of("C1", ev.CaseSignedFor, ev.SignedFor(case="C1", party="T1", due=T0, on_time=True), T0),
    )
    timetable = Timetable.rebuild([signed])
    late = d.payload.resolve_by + timedelta(minutes=1)
    [first] = timetable.due(late)
    extended = d.payload.resolve_by + timedelta(days=2)
    grant = ev.Extended(case="C1", days=2, resolve_by=extended)
    timetable.put(fold(signed, event_of("C1", ev.ExtensionGranted, grant, late)))
    assert timetable.due(late + timedelta(hours=1)) == []
    [second] = timetable.due(extended + timedelta(minutes=1))
    assert (second.payload.due, first.payload.due) == (extended, d.payload.resolve_by)


def test_a_tick_reads_only_the_cases_that_fell_due_and_the_entries_left_stale():
    """200,000 open cases, 1,000 of them past their sign-for deadline: the tick pops the
    1,000, and the entries a later put or drop left behind, nothing else."""
    passed = [(BASE + timedelta(minutes=n + 1)).isoformat() for n in range(1_000)]
    ahead = [(BASE + timedelta(days=1, minutes=n)).isoformat() for n in range(1_000)]
    resolve_by = (BASE + timedelta(days=30)).isoformat()
    states = [
        dict(
            case=f"C{n:06d}",
            round=1,
            tier="town",
            lead="T1",
            status="dispatched",
            sign_for_by=passed[n] if n < 1_000 else ahead[n % 1_000],
            resolve_by=resolve_by,
            signed=False,
            supervised=[],
        )
        for n in range(200_000)
    ]
    now = BASE + timedelta(minutes=1_000, seconds=30)
    timetable = Timetable.rebuild(states)
    assert len(timetable) == 200_000

    for s in states[:300]:  # signed for: next due at the resolution deadline
        timetable.put({**s, "signed": True, "status": "signed"})
    for s in states[300:500]:  # closed
        timetable.drop(s["case"])
    owed = timetable.due(now)
    assert len(owed) == 500
    assert timetable.examined == 500 + 500  # the due ones, and one stale entry per put or drop
    assert timetable.due(now + timedelta(seconds=10)) == []
    assert timetable.examined == 1_000  # nothing more fell due: nothing read


def test_cases_replaced_or_dropped_over_and_over_leave_few_stale_entries_behind():
    s = fold(None, dispatched("C1", "T1"))
    timetable = Timetable.rebuild([])
    for n in range(10_000):  # the moment moves with each put
        timetable.put({**s, "sign_for_by": (BASE + timedelta(seconds=n)).isoformat()})
    [supervise] = timetable.due(BASE + timedelta(days=1))
    assert supervise.payload.due == BASE + timedelta(seconds=9_999)
    assert timetable.examined <= 100

    closed = Timetable.rebuild({**s, "case": f"C{n}"} for n in range(10_000))
    for n in range(10_000):
        closed.drop(f"C{n}")
    assert closed.due(BASE + timedelta(days=1)) == []
    assert len(closed) == 0
    assert closed.examined <= 64  # what was left of the entries once the heap was last rebuilt
