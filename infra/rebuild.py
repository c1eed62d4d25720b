"""重建 — rebuilding every read model, in several processes when asked.

One process replays the log page by page and is client-bound: decoding events and sending
each read model's statements take most of a core while PostgreSQL waits. Read models do
not read each other's tables, so they can be rebuilt side by side: the read models are
split into groups of about equal work (the number of stored events of the topics each
reads), each group is replayed up to the same head by a process of its own (spawned, with
its own connections), and when all have finished the read models' position moves to that
head in one statement; the usual catch-up then takes whatever came meanwhile.

While groups run, the read models' position is REBUILDING, which the projection worker
refuses to run over; a rebuild cut off leaves it so until `govledger rebuild` runs again.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Sequence
from typing import Any

from eventsourcing.utils import get_topic
from psycopg.sql import SQL, Identifier

from infra import bootstrap, runtime
from infra.settings import Settings
from projections.runner import REBUILDING, ProjectionRunner

Progress = Callable[[int, int], None]


def rebuild(runner: ProjectionRunner, database_url: str, settings: Settings, processes: int = 1,
            progress: Progress = lambda done, total: None) -> int:
    """Empty the read models and replay the whole log into them; return how far the position moved."""
    if processes <= 1 or len(runner.read_models) < 2:
        return runner.rebuild(progress)
    head = runner.head()
    groups = split(runner.read_models, topic_counts(runner), processes)
    runner.empty(REBUILDING)
    context = multiprocessing.get_context("spawn")
    names = [f"{runner.name}:rebuild:{n}" for n in range(len(groups))]
    children = [context.Process(target=_replay, args=(database_url, settings, group, name, head),
                                name=name, daemon=True) for group, name in zip(groups, names)]
    for child in children:
        child.start()
    while any(child.is_alive() for child in children):
        progress(min(_positions(runner, names).values(), default=0), head)
        time.sleep(0.5)
    failed = [child.name for child in children if child.exitcode != 0]
    if failed:
        raise RuntimeError(f"rebuild processes failed: {', '.join(failed)}; run the rebuild again")
    with runner.datastore.transaction(commit=True) as cursor:
        runner.move_to(cursor, head)
        cursor.execute("DELETE FROM projection_positions WHERE name = ANY(%s)", (names,))
    progress(head, head)
    return head + runner.catch_up(progress)


def topic_counts(runner: ProjectionRunner) -> dict[str, int]:
    """How many events of each topic the log holds."""
    table = runner.ledger.recorder.events_table_name  # type: ignore[attr-defined]
    with runner.datastore.transaction(commit=False) as cursor:
        cursor.execute(SQL("SELECT topic, count(*) AS events FROM {} GROUP BY topic").format(Identifier(table)))
        return {row["topic"]: row["events"] for row in cursor.fetchall()}


def split(read_models: Sequence[Any], counts: dict[str, int], parts: int) -> list[list[int]]:
    """The read models' indexes in `parts` groups of about equal work (heaviest first, each
    to the lightest group); a read model that does not name its events weighs the whole log."""
    def weight(model: Any) -> int:
        handled = getattr(model, "handles", None)
        if handled is None:
            return sum(counts.values())
        return sum(counts.get(get_topic(cls), 0) for cls in handled)

    groups: list[list[int]] = [[] for _ in range(min(parts, len(read_models)))]
    loads = [0] * len(groups)
    for index in sorted(range(len(read_models)), key=lambda i: -weight(read_models[i])):
        lightest = loads.index(min(loads))
        groups[lightest].append(index)
        loads[lightest] += weight(read_models[index]) + 1
    return [sorted(group) for group in groups if group]


def _positions(runner: ProjectionRunner, names: list[str]) -> dict[str, int]:
    with runner.datastore.transaction(commit=False) as cursor:
        cursor.execute("SELECT name, position FROM projection_positions WHERE name = ANY(%s)", (names,))
        return {row["name"]: row["position"] for row in cursor.fetchall()}


def _replay(database_url: str, settings: Settings, indexes: list[int], name: str, head: int) -> None:
    """In a process of its own: replay the log up to `head` into the read models at `indexes`."""
    runtime.tune_garbage_collector()
    ledger = bootstrap.build_ledger(database_url)
    models = bootstrap.read_models()  # not build_projections: its DDL would lock the others' tables
    group = ProjectionRunner(ledger, [models[i] for i in indexes], name=name, page=settings.projection_page)
    with group.datastore.transaction(commit=True) as cursor:
        group.move_to(cursor, 0)  # its tables were emptied by the parent
    group.catch_up(until=head)
    ledger.close()
