"""What the route tests share: reading the API as a role, and the projections beside it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import msgspec
from litestar.testing import TestClient

from tests.e2e.api.conftest import auth

Api = tuple[TestClient[Any], dict[str, str]]
ALL = "limit=1000"  # one page holds every row of the demo's lists
# a view's statuses by role
READERS = {"reader": 200, "auditor": 200, "operator": 403, "sender": 403, "anonymous": 401}


def read(api: Api, role: str, path: str, status: int = 200) -> Any:
    """The JSON answer of `path` read with a token of `role`, checking its status."""
    client, tokens = api
    answer = client.get(path, headers=auth(tokens[role]))
    assert answer.status_code == status, (path, answer.status_code, answer.text[:300])
    return answer.json()


def plain(found: Any) -> Any:
    """What a projection returned, as it looks on the wire (dates, decimals as JSON)."""
    return msgspec.json.decode(msgspec.json.encode(found))


@contextmanager
def projected(api: Api) -> Iterator[Any]:
    """A cursor on the read models the API answers from."""
    with api[0].app.state.ledger.recorder.datastore.transaction(commit=False) as cur:
        yield cur


def statuses(api: Api, path: str) -> dict[str, int]:
    """The status of `path` for each role's token, and without one."""
    client, tokens = api
    found = {role: client.get(path, headers=auth(token)).status_code for role, token in tokens.items()}
    return {**found, "anonymous": client.get(path).status_code}


def fields(struct: type[msgspec.Struct]) -> set[str]:
    return set(struct.__struct_fields__)
