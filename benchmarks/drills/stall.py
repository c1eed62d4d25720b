"""Drill (e): one read model made to fail on one event in the middle of a run (a trigger on
its table refuses the row that event writes, as a read model's bug would): that read model
must stall there, every other one must reach the end of the log meanwhile with the state a
clean run gives, and once the fault is removed and the projection worker started again,
the stalled one must resume where it stopped and the whole state equal the clean run's.

    .venv/bin/python -m benchmarks.drills.stall [--commands 100000]
"""

from __future__ import annotations

import sys
import time
from typing import Any

import msgspec
import psycopg

from benchmarks.drills import pipeline, report
from benchmarks.drills.stack import Site, Stack
from benchmarks.drills.workload import Workload, workload
from infra.store.checksum import differences, state_digest
from projections.runner import model_name, read_model_tables

ROLES = pipeline.PLAIN_ROLES
MODEL = "town_power_inventory"  # the read model poisoned; its table below
POISON = """
CREATE FUNCTION drill_poison() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.item = %(item)s AND NEW.town = %(town)s AND NEW.status = 'approved' THEN
        RAISE EXCEPTION 'drill: a read model bug meets the approval of % in %', NEW.item, NEW.town;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER drill_poison BEFORE INSERT OR UPDATE ON delegations
    FOR EACH ROW EXECUTE FUNCTION drill_poison();
"""
CURE = "DROP TRIGGER drill_poison ON delegations; DROP FUNCTION drill_poison()"


def target(work: Workload) -> tuple[str, str]:
    """The delegation whose approval is poisoned: the middle one of the run."""
    approvals = [
        message["payload"]
        for phase in work.phases
        for _key, value in phase
        if b'"delegation.approve"' in value
        for message in [msgspec.json.decode(value)]
        if message.get("type") == "delegation.approve"
    ]
    middle = approvals[len(approvals) // 2]
    return middle["item"], middle["town"]


def states(stack: Stack) -> dict[str, dict[str, Any]]:
    rows = stack.query(
        "SELECT name, position, state, fault FROM projection_positions WHERE name NOT LIKE '%%@%%'", rows=True
    )
    return {name: {"position": p, "state": s, "fault": f} for name, p, s, f in rows}


def others_caught_up(stack: Stack) -> bool:
    """The poisoned read model stalled, every other at the head, the intake and relay done."""
    found, head = states(stack), stack.head()
    return (
        stack.intake_done()
        and found.get(MODEL, {}).get("state") == "stalled"
        and all(s["position"] >= head for name, s in found.items() if name != MODEL)
        and stack.position("relay_positions") >= head
    )


def drill(site: Site, commands: int, clean: pipeline.Outcome | None = None) -> dict[str, Any]:
    work = workload(commands, linkage=False)
    clean = clean or pipeline.reference(site, work, ROLES)
    item, town = target(work)
    outcome = pipeline.Outcome()
    with site.stack("stall") as stack:
        others = [m for m in stack.runner.read_models if model_name(m) != MODEL]
        with psycopg.connect(stack.url, autocommit=True) as conn:
            conn.execute(POISON.replace("%(item)s", f"'{item}'").replace("%(town)s", f"'{town}'"))
        started = time.monotonic()
        for role in ROLES:
            stack.start(role)
        for phase in work.phases:
            stack.publish(phase)
            pipeline.wait(stack, stack.intake_done, 1800, outcome, settle=0)
        pipeline.wait(stack, lambda: others_caught_up(stack), 1800, outcome)
        stalled = states(stack)[MODEL]
        apart = state_digest(stack.ledger.recorder.datastore, read_model_tables(others))
        with psycopg.connect(stack.url, autocommit=True) as conn:
            conn.execute(CURE)  # the fix deployed, the worker started again
        stack.workers.pop("project").terminate()
        stack.start("project")
        pipeline.wait(stack, pipeline.caught_up(stack, ROLES, 0), 1800, outcome)
        outcome.seconds = time.monotonic() - started
        stack.stop()
        outcome.digest = stack.digest()
        log = (stack.logs / "project.log").read_text(errors="replace")
    mine = set(read_model_tables([m for m in stack.runner.read_models if model_name(m) == MODEL]))
    meanwhile = differences(
        {**clean.digest, "tables": {t: d for t, d in clean.digest["tables"].items() if t not in mine}},
        {**clean.digest, "tables": apart["tables"]},
    )
    fault = stalled["fault"] or {}
    return report.result(
        "e: a read model poisoned",
        work,
        clean,
        outcome,
        ok=not meanwhile and stalled["state"] == "stalled" and log.count("stalled at event") == 1,
        stalled={
            "read_model": MODEL,
            "delegation": f"{item}@{town}",
            "event_id": fault.get("event_id"),
            "error": (fault.get("error") or "")[:120],
            "others_differing_meanwhile": meanwhile,
        },
    )


if __name__ == "__main__":
    sys.exit(report.main(__doc__, lambda o: [drill(o.site, o.commands)]))
