"""`POST /api/v1/check`: an upstream system's dry run of a batch over the API, for senders (and
operators), against the demo's ledger or an empty one, answered line by line with nothing saved."""

from __future__ import annotations

from typing import Any

import msgspec
import psycopg
import pytest

from contracts.duties import commands as d
from infra.demo import powers as demo_powers
from infra.settings import Settings
from tests.e2e.api.conftest import auth
from tests.e2e.api.reading import Api
from tests.support import ACTOR, JUNE, mid, propose, register

PATH = "/api/v1/check"
TOWN = "JB-CICHENG"


@pytest.fixture(scope="module")
def demo_item() -> dict[str, Any]:
    """The demo's first power item registration, as it was published (and taken in)."""
    registration = b'"type":"power_item.register"'
    return next(
        msgspec.json.decode(value) for _key, value in demo_powers.demo_commands() if registration in value
    )


def _post(api: Api, role: str | None, body: Any, query: str = "") -> Any:
    client, tokens = api
    content = body if isinstance(body, bytes) else msgspec.json.encode(body)
    headers = {"Content-Type": "application/json", **(auth(tokens[role]) if role else {})}
    return client.post(PATH + query, content=content, headers=headers)


def _problem(answer: Any, status: int) -> dict[str, Any]:
    assert answer.status_code == status, answer.text[:300]
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["status"] == status and "Traceback" not in answer.text
    return problem


def _written(api: Api, settings: Settings) -> list[int]:
    """How many rows the ledger's store holds in each table a write would touch."""
    events = api[0].app.state.ledger.recorder.events_table_name
    with psycopg.connect(settings.database_url) as conn:
        return [
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in (events, "intake_messages", "dead_letters", "intake_offsets", "event_chain")
        ]


def test_a_sender_hears_what_the_intake_would_do_with_each_command_and_nothing_is_saved(
    api: Api, demo_settings: Settings, demo_item: dict[str, Any]
) -> None:
    push_down = d.PushDownDuty(
        message_id=mid("api/push/dry"),
        occurred_at=JUNE,
        actor=ACTOR,
        payload=d.DutyPushDown(department="AN-CGJ", duty="AN-CGJ-API-DRY", town="AN-JD-PILOT"),
    )
    too_new = msgspec.structs.replace(register("API-V", message_id=mid("api/v99")), version=99)
    batch = [
        register("API-DRY-1"),
        propose("API-DRY-1", TOWN, batch="API-DRY"),  # needs line 1
        propose("API-NOT-CATALOGUED", TOWN, batch="API-DRY"),
        push_down,
        demo_item,  # taken in by the demo's intake
        register("API-DRY-1"),  # line 1 again
        {"type": "power_item.register", "message_id": "api-broken"},
        too_new,
    ]
    before = _written(api, demo_settings)

    answer = _post(api, "sender", batch)

    assert answer.status_code == 200, answer.text[:300]
    assert answer.headers["cache-control"] == "no-store"
    found = answer.json()
    assert [(r["line"], r["outcome"], r["rule"]) for r in found["results"]] == [
        (1, "applied", None),
        (2, "applied", None),
        (3, "dead-lettered", "ItemNotCatalogued"),
        (4, "refused", "DutyNotAdmitted"),
        (5, "duplicate", None),
        (6, "duplicate", None),
        (7, "dead-lettered", "MalformedMessage"),
        (8, "dead-lettered", "UnsupportedVersion"),
    ]
    assert found["results"][4]["message_id"] == demo_item["message_id"]
    assert found["results"][6]["error"] == "Object missing required field `payload`"
    assert (found["ledger"], found["passes"]) == ("current", False)
    assert found["totals"] == {
        "lines": 8,
        "applied": 2,
        "refused": 1,
        "dead-lettered": 3,
        "duplicate": 2,
        "events": sum(r["events"] for r in found["results"]),
    }
    assert _written(api, demo_settings) == before


def test_against_an_empty_ledger_a_command_that_needs_the_ledgers_state_is_dead_lettered(
    api: Api, demo_item: dict[str, Any]
) -> None:
    batch = [propose(demo_item["payload"]["code"], "JB-API-TOWN", batch="API-DRY"), demo_item]

    current = _post(api, "operator", batch).json()
    empty = _post(api, "sender", batch, "?empty=true").json()

    assert [(r["outcome"], r["rule"]) for r in current["results"]] == [
        ("applied", None),
        ("duplicate", None),
    ]
    assert (current["ledger"], current["passes"]) == ("current", True)
    assert [(r["outcome"], r["rule"]) for r in empty["results"]] == [
        ("dead-lettered", "ItemNotCatalogued"),
        ("applied", None),
    ]
    assert (empty["ledger"], empty["passes"]) == ("empty", False)


def test_readers_and_auditors_are_403_and_no_token_is_401(api: Api) -> None:
    batch = [register("API-DRY-2")]

    for role in ("reader", "auditor"):
        assert "sender or operator" in _problem(_post(api, role, batch), 403)["detail"]
    assert _post(api, None, batch).headers["www-authenticate"].startswith("Bearer")
    _problem(_post(api, None, batch), 401)


def test_more_than_a_thousand_commands_or_a_megabyte_is_413(api: Api) -> None:
    many = _problem(_post(api, "sender", [register(f"API-MANY-{n}") for n in range(1001)]), 413)
    huge = _problem(_post(api, "sender", b'["' + b"x" * (1024 * 1024) + b'"]'), 413)

    assert (many["title"], huge["title"]) == ("Content Too Large", "Content Too Large")
    assert "1001 commands" in many["detail"] and "1048576 bytes" in huge["detail"]
    assert _post(api, "sender", [register(f"API-MANY-{n}") for n in range(1000)]).status_code == 200


@pytest.mark.parametrize("body", [b"", b"not json", b'{"type": "power_item.register"}', b"[1, 2", b"\xff"])
def test_a_body_that_is_not_a_json_array_is_400(api: Api, body: bytes) -> None:
    problem = _problem(_post(api, "sender", body), 400)

    assert problem["detail"].startswith("the body is not a JSON array of commands")


def test_the_document_describes_the_body_its_bounds_and_who_may_post(api: Api) -> None:
    operation = api[0].get("/schema/openapi.json").json()["paths"][PATH]["post"]

    body = operation["requestBody"]
    assert body["content"]["application/json"]["schema"]["type"] == "array"
    assert "at most 1000 commands, 1048576 bytes" in body["description"]
    assert operation["description"].startswith("Role: sender or operator.")
    assert {"200", "400", "401", "403", "413"} <= set(operation["responses"])
    assert {p["name"] for p in operation["parameters"]} == {"empty"}
