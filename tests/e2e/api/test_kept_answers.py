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
