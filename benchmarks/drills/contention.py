"""Drill (d): four intake workers in one consumer group over one input whose quota
transfers converge, from every partition, on the same few towns' ledgers: writers collide
and retry; nothing may be lost (the towns received every quota, the state equals a clean
run with one worker).

    .venv/bin/python -m benchmarks.drills.contention [--commands 100000]
"""

from __future__ import annotations

import sys
from typing import Any

from benchmarks.drills import pipeline, report
from benchmarks.drills.stack import Site, Stack
from benchmarks.drills.workload import contended, workload

ROLES = pipeline.PLAIN_ROLES
WORKERS = ("intake", "intake-2", "intake-3", "intake-4")


def received(stack: Stack) -> int:
    """Administrative quotas the contended towns (HT*) received."""
    return int(
        stack.query(
            "SELECT coalesce(sum(approved), 0) FROM quota_counts c JOIN quota_units u"
            " ON u.id = c.unit_id WHERE u.unit LIKE 'HT%%' AND c.kind = 'administrative'"
        )
    )


def conflicts(stack: Stack) -> int:
    return sum(
        (stack.logs / f"{w}.log").read_text(errors="replace").count("collided with another writer")
        for w in WORKERS
    )


def drill(
    site: Site, commands: int, clean: pipeline.Outcome | None = None, linkage: bool = False
) -> dict[str, Any]:
    work = workload(commands, linkage=linkage)
    clean = clean or pipeline.reference(site, work, ROLES)
    extra = ("linkage",) if linkage else ()
    with site.stack("contention", max_poll_records=250) as stack:
        outcome = pipeline.run(stack, work, (*WORKERS, "project", "relay", *extra))
        got, retried = received(stack), conflicts(stack)
    sent = sum(
        1 for command in contended(max(5, commands // 500)) if type(command).__name__ == "TransferQuotas"
    )
    return report.result(
        "d: four intakes, one group",
        work,
        clean,
        outcome,
        ok=got == sent,
        quotas={"sent": sent, "received": got},
        conflicts_retried=retried,
    )


if __name__ == "__main__":
    sys.exit(report.main(__doc__, lambda o: [drill(o.site, o.commands)]))
