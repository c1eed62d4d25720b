"""Drill (a): SIGKILL the intake, projection, relay and linkage workers at random points
of a run, `--kills` times each, starting each again at once; then compare the state with
a clean run of the same input, and the relay's output with the store.

    .venv/bin/python -m benchmarks.drills.kills [--commands 100000] [--kills 10]
"""

from __future__ import annotations

import random
import sys
import time
from typing import Any

from benchmarks.drills import pipeline, report
from benchmarks.drills.relay_check import relay_check
from benchmarks.drills.stack import Site, Stack
from benchmarks.drills.workload import workload

ROLES = pipeline.ALL_ROLES


class Killer:
    """Kills each worker `kills` times, each at a random point of the run's progress (see
    `pipeline.progress`: the same share of the clean run's work), and starts it again."""

    def __init__(self, kills: int, events: int, seed: int = 7) -> None:
        rng = random.Random(seed)
        points = sorted(rng.uniform(0.02, 0.95) for _ in range(kills * len(ROLES)))
        roles = [role for role in ROLES for _ in range(kills)]
        rng.shuffle(roles)
        self.plan, self.events = list(zip(points, roles)), events
        self.started = time.monotonic()
        self.done: list[tuple[float, float, str]] = []  # (seconds, progress, role)

    def __call__(self, stack: Stack) -> None:
        if not self.plan:
            return
        reached = pipeline.progress(stack, self.events)
        while self.plan and self.plan[0][0] <= reached:
            _, role = self.plan.pop(0)
            stack.kill(role)
            stack.start(role)
            self.done.append((round(time.monotonic() - self.started, 1), round(reached, 3), role))

    def finished(self) -> bool:
        return not self.plan


def drill(site: Site, commands: int, kills: int, clean: pipeline.Outcome | None = None) -> dict[str, Any]:
    work = workload(commands, linkage=True)
    clean = clean or pipeline.reference(site, work, ROLES)
    with site.stack("kills") as stack:
        killer = Killer(kills, clean.digest["events"])
        outcome = pipeline.run(stack, work, ROLES, chaos=killer)
        relayed = relay_check(stack)
    return report.result(
        "a: kill -9 workers",
        work,
        clean,
        outcome,
        ok=relayed["missing"] == relayed["unknown"] == 0,
        kills={role: sum(1 for *_, r in killer.done if r == role) for role in ROLES},
        moments=killer.done,
        relay=relayed,
    )


if __name__ == "__main__":
    sys.exit(report.main(__doc__, lambda o: [drill(o.site, o.commands, o.kills)]))
