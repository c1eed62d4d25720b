"""Driving one run: publish the phases, wait for every worker to catch up, meanwhile let a
drill do its damage; and the clean reference run the drills compare with."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from benchmarks.drills.stack import Site, Stack
from benchmarks.drills.workload import Workload
from consumers.linkage import SOURCE_FAMILIES
from consumers.linkage.app import catalogue_group
from infra.ops.linkage_process import committed, ends

Chaos = Callable[[Stack], None]
PLAIN_ROLES = ("intake", "project", "relay")  # the runs without the linkage worker
ALL_ROLES = (*PLAIN_ROLES, "linkage")


@dataclass
class Outcome:
    seconds: float = 0.0
    crashes: list[str] = field(default_factory=list)  # workers that exited by themselves
    digest: dict[str, Any] = field(default_factory=dict)


def linkage_idle(stack: Stack) -> bool:
    """Whether the linkage worker has read everything on the topics it routes from: the
    catalogue's (its reader commits once it has read them, even empty) and the cases'."""
    events = stack.settings.topics.event_topics(list(SOURCE_FAMILIES))
    app_id, cases = stack.settings.linkage.app_id, events.pop("linkage")
    read, done = committed(stack.broker, catalogue_group(app_id)), committed(stack.broker, app_id)
    held = ends(stack.broker, [*events.values(), cases])
    return (
        all(topic in read and read[topic] >= held[topic] for topic in events.values())
        and done[cases] >= held[cases]
    )


def progress(stack: Stack, events: int) -> float:
    """How far a run has come, 0 to 1: the log's head, the projections' and the relay's
    positions against the clean run's count of events."""
    done = stack.query(
        "SELECT (SELECT coalesce(max(notification_id), 0) FROM ledger_events)"
        f" + ({stack.PROJECTED})"
        " + (SELECT coalesce(max(position), 0) FROM relay_positions)"
    )
    return int(done) / (3 * max(events, 1))


def wait(
    stack: Stack,
    until: Callable[[], bool],
    timeout: float,
    outcome: Outcome,
    chaos: Chaos | None = None,
    settle: float = 0.5,
) -> None:
    """Until `until()` holds twice `settle` seconds apart; workers that died by themselves
    are recorded and started again."""
    deadline, held_since = time.monotonic() + timeout, None
    while True:
        if chaos is not None:
            chaos(stack)
        for role in stack.crashed():
            outcome.crashes.append(role)
            stack.workers.pop(role)
            stack.start(role)
        if until():
            held_since = held_since or time.monotonic()
            if time.monotonic() - held_since >= settle:
                return
        else:
            held_since = None
        if time.monotonic() > deadline:
            raise TimeoutError(f"the run did not settle in {timeout:.0f} s; logs in {stack.logs}")
        time.sleep(0.1)


def caught_up(stack: Stack, roles: tuple[str, ...], reports: int) -> Callable[[], bool]:
    def check() -> bool:
        if not stack.intake_done() or (reports and stack.dispatched() < reports):
            return False
        head = stack.head()
        return stack.projected() >= head and (
            "relay" not in roles or stack.position("relay_positions") >= head
        )

    return check


def run(
    stack: Stack,
    work: Workload,
    roles: tuple[str, ...],
    chaos: Chaos | None = None,
    timeout: float = 1800.0,
    between: Callable[[Stack], None] | None = None,
) -> Outcome:
    """Start the workers, publish each phase once the previous one is in, wait until
    everything is applied, projected and relayed; stop the workers; digest the state."""
    outcome, started = Outcome(), time.monotonic()
    for role in roles:
        stack.start(role)
    for n, phase in enumerate(work.phases):
        if work.reports and n == len(work.phases) - 1:  # the holdings first, then the cases
            wait(stack, lambda: caught_up(stack, roles, 0)() and linkage_idle(stack), timeout, outcome, chaos)
        stack.publish(phase)
        if between is not None:
            between(stack)
        wait(stack, stack.intake_done, timeout, outcome, chaos, settle=0)
    done, finished = caught_up(stack, roles, work.reports), getattr(chaos, "finished", None)
    wait(stack, lambda: (finished is None or finished()) and done(), timeout, outcome, chaos)
    outcome.seconds = time.monotonic() - started
    stack.stop()
    outcome.digest = stack.digest()
    return outcome


def reference(site: Site, work: Workload, roles: tuple[str, ...]) -> Outcome:
    """The clean run: the same input, the same workers, nothing done to them."""
    with site.stack("reference") as stack:
        return run(stack, work, roles)
