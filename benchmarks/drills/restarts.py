"""Drill (b): restart PostgreSQL (a server of the drill's own, stopped abruptly) and the
broker mid-run; the intake, projection and relay workers must ride it out by themselves
(retry with backoff) and the state must equal a clean run of the same input.

The broker here keeps nothing across a restart (memory storage), as a broker that lost its
disk: the drill creates the topics again and republishes the input, as upstream systems
would resend; stored offsets and message ids make the replay harmless.

    .venv/bin/python -m benchmarks.drills.restarts [--commands 100000]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.drills import pipeline, report
from benchmarks.drills.services import FixedBroker, OwnPostgres
from benchmarks.drills.stack import Site, Stack
from benchmarks.drills.workload import workload

ROLES = pipeline.PLAIN_ROLES


class Restarts:
    """Restarts the broker at 15 % of the run's progress (the intake is busy) and PostgreSQL
    at 40 % (every worker is busy); see `pipeline.progress`."""

    def __init__(self, postgres: OwnPostgres, broker: FixedBroker, events: int, down: float) -> None:
        self.postgres, self.broker, self.events, self.down = postgres, broker, events, down
        self.plan = [(0.15, "broker"), (0.4, "postgres")]
        self.started, self.done = time.monotonic(), []

    def __call__(self, stack: Stack) -> None:
        if not self.plan or self.plan[0][0] > pipeline.progress(stack, self.events):
            return
        _, service = self.plan.pop(0)
        if service == "postgres":
            self.postgres.restart(self.down)
        else:
            self.broker.restart(self.down)
            stack.ensure_topics()
            for messages in stack.published[:]:  # upstream sends again what the broker lost
                stack.publish(messages)
        self.done.append((round(time.monotonic() - self.started, 1), service))

    def finished(self) -> bool:
        return not self.plan


def drill(
    site: Site, commands: int, clean: pipeline.Outcome | None = None, down: float = 3.0
) -> dict[str, Any]:
    work = workload(commands, linkage=False)
    clean = clean or pipeline.reference(site, work, ROLES)
    root = Path(tempfile.mkdtemp(prefix="govledger-drill-services-"))
    postgres, own_broker = OwnPostgres(root), FixedBroker(root)
    own_broker.start()
    try:
        with Site(postgres.url, own_broker.bootstrap, site.logs).stack("restarts") as stack:
            restarts = Restarts(postgres, own_broker, clean.digest["events"], down)
            outcome = pipeline.run(stack, work, ROLES, chaos=restarts)
    finally:
        own_broker.stop()
        postgres.stop()
    return report.result("b: restart PostgreSQL and broker", work, clean, outcome, restarts=restarts.done)


if __name__ == "__main__":
    sys.exit(report.main(__doc__, lambda o: [drill(o.site, o.commands)]))
