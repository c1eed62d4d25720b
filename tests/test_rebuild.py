"""Rebuilding the read models in several processes gives what the live projection built, on
the whole demo; a rebuild cut off is refused by the projection worker until run again."""

from __future__ import annotations

import pytest

from infra import bootstrap
from infra.checksum import read_model_tables, state_digest
from infra.rebuild import rebuild, split
from infra.settings import Settings
from projections.runner import REBUILDING


def _tables(runner) -> dict:  # noqa: ANN001
    digest = state_digest(runner.datastore, read_model_tables(runner.read_models))
    return digest["tables"]


def test_a_rebuild_in_several_processes_gives_what_the_live_projection_built(
    demo_settings: Settings,
) -> None:
    url = demo_settings.database_url
    runner = bootstrap.build_projections(bootstrap.build_ledger(url), demo_settings)
    live, head = _tables(runner), runner.head()
    assert sum(table["rows"] for table in live.values()) > 1000
    seen: list[tuple[int, int]] = []

    for processes in (3, 2):
        assert rebuild(runner, url, demo_settings, processes, lambda p, h: seen.append((p, h))) >= head
        assert _tables(runner) == live
        assert runner.position() == runner.head()
    assert seen[-1] == (head, head) and all(h == head for _, h in seen)
    with runner.datastore.transaction(commit=False) as cur:
        cur.execute("SELECT name FROM projection_positions WHERE name LIKE '%:rebuild:%'")
        assert cur.fetchall() == []


def test_a_rebuild_cut_off_is_refused_by_the_worker_until_run_again(demo_settings: Settings) -> None:
    url = demo_settings.database_url
    runner = bootstrap.build_projections(bootstrap.build_ledger(url), demo_settings)
    live = _tables(runner)

    runner.empty(REBUILDING)  # as a rebuild leaves it when its processes are killed
    with pytest.raises(RuntimeError, match="rebuild"):
        runner.run_once()

    rebuild(runner, url, demo_settings, processes=2)
    assert _tables(runner) == live and runner.run_once() == 0


def test_read_models_are_split_by_the_events_they_read() -> None:
    class Reads:
        def __init__(self, *classes: type) -> None:
            self.handles = classes

    class A: ...
    class B: ...
    class C: ...

    counts = {f"{__name__}:{cls.__qualname__}": n for cls, n in ((A, 100), (B, 60), (C, 50))}
    models = [Reads(C), Reads(A), Reads(B), Reads()]

    assert split(models, counts, 2) == [[1, 3], [0, 2]]  # A alone is as heavy as B and C
    assert split(models, counts, 8) == [[1], [2], [0], [3]]
