"""All the fault drills (`make drills`), sharing one clean run per input:

    .venv/bin/python -m benchmarks.drills [--commands 100000] [--kills 10] [--only a,b,c,d,e]
                                          [--parallel]

(a) kill -9 the workers; (b) restart PostgreSQL and the broker; (c) poison messages;
(d) four intake workers in one group; (e) one read model made to fail on one event.
Results go to benchmarks/results/drills.json.
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ThreadPoolExecutor
from threading import Lock
from typing import Any

from benchmarks.drills import contention, kills, pipeline, poison, report, restarts, stall
from benchmarks.drills.workload import workload

RUNS = {"b": restarts.drill, "c": poison.drill, "d": contention.drill, "e": stall.drill}


def drills(o: argparse.Namespace) -> list[dict[str, Any]]:
    only, results, lock = set(o.only.split(",")), [], Lock()

    def done(result: dict[str, Any]) -> dict[str, Any]:
        with lock:
            results.append(result)
            report.write([result], o.out)  # kept even if a later drill fails
        return result

    with ThreadPoolExecutor(2) as pool:  # the two clean runs side by side
        linked = (
            pool.submit(pipeline.reference, o.site, workload(o.commands, True), pipeline.ALL_ROLES)
            if "a" in only
            else None
        )
        plain = (
            pool.submit(pipeline.reference, o.site, workload(o.commands, False), pipeline.PLAIN_ROLES)
            if only & set(RUNS)
            else None
        )

    def killing() -> None:
        if linked is not None:
            done(kills.drill(o.site, o.commands, o.kills, linked.result()))

    def the_others() -> None:
        for name in sorted(only & set(RUNS)):
            done(RUNS[name](o.site, o.commands, clean=plain.result()))

    if o.parallel:  # (a) beside the others: quicker, but each run slows the other down
        with ThreadPoolExecutor(2) as pool:
            for future in [pool.submit(killing), pool.submit(the_others)]:
                future.result()
    else:
        killing()
        the_others()
    return results


if __name__ == "__main__":
    sys.exit(report.main(__doc__, drills))
