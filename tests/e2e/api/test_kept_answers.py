"""Answers of the read views kept while the read models stand still: replayed (304 to a
client holding them) until a projection moves, never across roles, never to a token that
no longer holds."""

from __future__ import annotations

import time
from typing import Any

from litestar.testing import TestClient

from infra.api.app import create_app
from infra.bootstrap import build_ledger, build_projections
from tests.e2e.api.conftest import auth
from tests.support import apply_all, declare, delegate, isolated_settings, register

PATH = "/api/v1/towns/T1/powers"


def test_a_kept_answer_lasts_until_a_projection_moves_and_serves_only_its_role(database_url: str) -> None:
    ledger = build_ledger(database_url)
    settings = isolated_settings()
    runner = build_projections(ledger, settings)
    apply_all(ledger, [declare(), register("P1"), *delegate("P1", "T1")])
    runner.catch_up()
    with TestClient(app=create_app(ledger, settings)) as client:
        tokens: Any = client.app.state.tokens
        reader, operator = tokens.issue("kept-reader", "reader"), tokens.issue("kept-ops", "operator")
        first = client.get(PATH, headers=auth(reader))
        views = client.app.state.views
        kept = len(views._kept)

        with ledger.recorder.datastore.transaction(commit=True) as cur:  # behind the projection's back
            cur.execute("DELETE FROM delegations WHERE town = 'T1'")
        again = client.get(PATH, headers=auth(reader))  # the kept answer, not the table
        held = client.get(PATH, headers={**auth(reader), "If-None-Match": first.headers["etag"]})
        refused = client.get(PATH, headers=auth(operator))

        apply_all(ledger, [register("P2"), *delegate("P2", "T1", batch="B1")])
        runner.catch_up()
        time.sleep(views.fresh * 2)  # past the positions' freshness
        moved = client.get(PATH, headers=auth(reader))

        tokens.revoke("kept-reader")
        tokens._seen.clear()  # as once the token's short cache has lapsed
        revoked = client.get(PATH, headers=auth(reader))

    assert first.status_code == again.status_code == 200 and kept == 1
    assert again.content == first.content and again.headers["etag"] == first.headers["etag"]
    assert held.status_code == 304 and held.content == b""
    assert refused.status_code == 403
    assert first.json()["total"] == 1
    assert moved.status_code == 200 and [r["code"] for r in moved.json()["items"]] == ["P2"]  # composed anew
    assert revoked.status_code == 401


def test_requests_at_once_read_the_positions_once_and_compose_each_answer_once(database_url: str) -> None:
    """Fifty requests arriving together, the positions stale and nothing kept: one read of the
    positions serves them all, one composition of each answer, and all get the same answer."""
    import asyncio

    from litestar.testing import AsyncTestClient

    ledger = build_ledger(database_url)
    settings = isolated_settings()
    runner = build_projections(ledger, settings)
    apply_all(ledger, [declare(), register("P1"), *delegate("P1", "T1")])
    runner.catch_up()
    app = create_app(ledger, settings)
    views, reads, kept = app.state.views, [], []
    read_positions, keep = views.positions, views.keep

    def counted_read() -> Any:
        reads.append(1)
        time.sleep(0.02)  # a read that takes a while, so the others come meanwhile
        return read_positions()

    views.positions = counted_read
    views.fresh = 60.0  # stale at first (never read), then fresh for the whole burst
    views.keep = lambda *a: (kept.append(a[0]), keep(*a))

    async def burst() -> list[Any]:
        async with AsyncTestClient(app=app) as client:
            token = app.state.tokens.issue("burst-reader", "reader")
            app.state.tokens.principal(token)  # as a client that has been here before
            paths = [PATH, "/api/v1/towns"] * 25
            return await asyncio.gather(*(client.get(p, headers=auth(token)) for p in paths))

    answers = asyncio.run(burst())
    assert [a.status_code for a in answers] == [200] * 50
    assert len(reads) == 1
    assert len(kept) == len(set(kept)) == 2  # each path's answer composed (and kept) once
    assert len({a.content for a in answers[::2]}) == 1 and len({a.content for a in answers[1::2]}) == 1
