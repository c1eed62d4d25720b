"""Personal-data reads are limited per token and minute: past the limit, 429 with
Retry-After, nothing recorded, and another token is not held back."""

from __future__ import annotations

import dataclasses
from typing import Any

from litestar.testing import TestClient

from aggregates.privacy.record import PersonalRecord
from infra.api.access import TokenStore
from infra.api.app import create_app
from infra.bootstrap import build_ledger
from infra.settings import Api, Settings
from tests.e2e.api.conftest import auth

PATH = "/api/v1/people/AN-P0001?purpose=审计核查"


def test_past_the_reads_a_token_may_make_a_minute_it_gets_429_with_retry_after(
    demo_settings: Settings,
) -> None:
    settings = dataclasses.replace(demo_settings, api=Api(personal_reads_per_minute=3))
    with build_ledger(settings.database_url) as ledger:
        store = TokenStore(ledger.recorder.datastore)
        first, second = store.issue("limited-one", "auditor"), store.issue("limited-two", "auditor")
        with TestClient(app=create_app(ledger, settings)) as client:
            statuses = [client.get(PATH, headers=auth(first)).status_code for _ in range(4)]
            refused: Any = client.get(PATH, headers=auth(first))
            other = client.get(PATH, headers=auth(second)).status_code
            dashboard = client.get("/api/v1/dashboard", headers=auth(first)).status_code
            record = ledger.find(_record_id())
        reads = _reads_by(ledger, "limited-one")

    assert statuses == [200, 200, 200, 429]
    assert refused.status_code == 429 and 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert other == 200  # another token's reads are its own
    assert dashboard == 200  # other routes are not counted
    assert record is not None and reads == 3


def _record_id() -> Any:
    return PersonalRecord.create_id("AN-P0001")


def _reads_by(ledger: Any, actor: str) -> int:
    events = ledger.repository.event_store.get(_record_id())
    return sum(1 for e in events if type(e).__name__ == "ReadRecorded" and e.ctx.actor == actor)
