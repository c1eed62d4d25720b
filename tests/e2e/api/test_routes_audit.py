"""Audit over the API (auditors only): trails, the chain's verdict and digest, refused
push-downs, and personal data whose every read is recorded with the token's name."""

from __future__ import annotations

from typing import Any

import pytest

from infra.api.answers import TrailEntry
from infra.settings import Settings
from infra.store import audit_trail
from infra.store import chain as chain_verify
from projections.duties import refused as refused_pushdowns
from tests.e2e.api.conftest import auth
from tests.e2e.api.reading import ALL, Api, fields, plain, projected, read, statuses
from tests.support import cli_json

AUDITORS = {"reader": 403, "auditor": 200, "operator": 403, "sender": 403, "anonymous": 401}
PERSON = "AN-P0001"  # sunk down in the street report's pilot, with sealed personal data


def trail_of(api: Api, entity: str) -> list[dict[str, Any]]:
    return plain(audit_trail.trail(api[0].app.state.ledger, audit_trail.entity_id(entity)))


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/audit/trail/town/JB-CICHENG",
        "/api/v1/audit/verify",
        "/api/v1/audit/digest",
        "/api/v1/audit/refused-pushdowns",
        f"/api/v1/people/{PERSON}?purpose=审计核查",
    ],
)
def test_only_auditors_read_the_audit_views(api: Api, path: str) -> None:
    assert statuses(api, path) == AUDITORS


def test_an_entitys_trail_by_natural_key_or_by_id(api: Api) -> None:
    body = read(api, "auditor", f"/api/v1/audit/trail/town/JB-CICHENG?{ALL}")
    assert body["items"] == trail_of(api, "town/JB-CICHENG") and body["total"] > 1
    assert set(body["items"][0]) == fields(TrailEntry)
    by_id = read(api, "auditor", f"/api/v1/audit/trail/{audit_trail.entity_id('town/JB-CICHENG')}?{ALL}")
    assert by_id == body


def test_a_trail_of_nothing_is_404_and_a_bad_key_is_400(api: Api) -> None:
    assert read(api, "auditor", "/api/v1/audit/trail/town/NO-SUCH-TOWN", 404)["status"] == 404
    assert "natural key" in read(api, "auditor", "/api/v1/audit/trail/no-kind", 400)["detail"]


def test_verify_and_digest_agree_with_the_chain(api: Api) -> None:
    digest = read(api, "auditor", "/api/v1/audit/digest")
    head = chain_verify.head(api[0].app.state.ledger.recorder.datastore)
    assert digest == {"digest": str(head), "position": head.position}
    verdict = read(api, "auditor", f"/api/v1/audit/verify?digest={digest['digest']}")
    assert verdict["ok"] is True and verdict["head"] == digest["digest"] and verdict["checked"] > 0
    forged = f"{head.position}:{'0' * 64}"
    refused = read(api, "auditor", f"/api/v1/audit/verify?digest={forged}")
    assert refused["ok"] is False and refused["bad_position"] == head.position
    assert "digest" in read(api, "auditor", "/api/v1/audit/verify?digest=nonsense", 400)["detail"]


def test_the_refused_pushdowns_are_what_the_command_line_prints(
    api: Api, demo_settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    monkeypatch.setenv("GOVLEDGER_DATABASE_URL", demo_settings.database_url)
    body = read(api, "auditor", f"/api/v1/audit/refused-pushdowns?{ALL}")
    assert body["items"] == cli_json(capsys, "audit", "refused-pushdowns") and body["total"] > 0
    town = body["items"][0]["town"]
    one = read(api, "auditor", f"/api/v1/audit/refused-pushdowns?town={town}&{ALL}")
    with projected(api) as cur:
        assert one["items"] == plain(refused_pushdowns.refused_pushdowns(cur, None, town))


def test_reading_personal_data_records_who_read_it_and_why(api: Api) -> None:
    client, tokens = api
    before = trail_of(api, f"personal-record/{PERSON}")
    answer = client.get(f"/api/v1/people/{PERSON}?purpose=纪检核查", headers=auth(tokens["auditor"]))
    assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"
    assert answer.json()["data"]["name"] == "人员0001"
    after = trail_of(api, f"personal-record/{PERSON}")
    read_event = after[-1]
    name = client.app.state.tokens.principal(tokens["auditor"]).name
    assert len(after) > len(before)
    assert (
        read_event["event"],
        read_event["actor"],
        read_event["role"],
        read_event["system"],
        read_event["reason"],
    ) == ("PersonalRecord.ReadRecorded", name, "auditor", "govledger-api", "纪检核查")
    assert read_event["details"]["found"] is True


def test_a_person_without_data_is_404_and_the_read_is_still_recorded(api: Api) -> None:
    body = read(api, "auditor", "/api/v1/people/NO-SUCH-PERSON?purpose=审计核查", 404)
    assert "recorded" in body["detail"]
    [*_, recorded] = trail_of(api, "personal-record/NO-SUCH-PERSON")
    assert recorded["event"] == "PersonalRecord.ReadRecorded" and recorded["details"]["found"] is False


def test_no_purpose_no_read_and_nothing_recorded(api: Api) -> None:
    before = trail_of(api, f"personal-record/{PERSON}")
    assert "purpose" in read(api, "auditor", f"/api/v1/people/{PERSON}", 400)["detail"]
    assert "purpose" in read(api, "auditor", f"/api/v1/people/{PERSON}?purpose=%20%20", 400)["detail"]
    read(api, "reader", f"/api/v1/people/{PERSON}?purpose=审计核查", 403)
    assert trail_of(api, f"personal-record/{PERSON}") == before


def test_a_purpose_outside_the_deployments_vocabulary_is_refused_and_nothing_recorded(api: Api) -> None:
    before = trail_of(api, f"personal-record/{PERSON}")
    detail = read(api, "auditor", f"/api/v1/people/{PERSON}?purpose=好奇", 400)["detail"]
    assert detail.startswith("purpose: one of") and "纪检核查" in detail
    assert trail_of(api, f"personal-record/{PERSON}") == before
    document = api[0].get("/schema/openapi.json").json()
    [purpose] = [
        p for p in document["paths"]["/api/v1/people/{person}"]["get"]["parameters"] if p["name"] == "purpose"
    ]
    assert purpose["schema"]["enum"] == list(Settings().api.purposes)


def test_reads_that_find_nothing_are_recorded_once_per_token_person_and_day(api: Api) -> None:
    client, tokens = api
    for _ in range(3):
        read(api, "auditor", "/api/v1/people/NEVER-GIVEN?purpose=审计核查", 404)
    other = client.app.state.tokens.issue("second-auditor", "auditor")
    assert client.get("/api/v1/people/NEVER-GIVEN?purpose=审计核查", headers=auth(other)).status_code == 404

    reads = [
        e for e in trail_of(api, "personal-record/NEVER-GIVEN") if e["event"] == "PersonalRecord.ReadRecorded"
    ]
    assert [e["actor"] for e in reads] == [
        client.app.state.tokens.principal(tokens["auditor"]).name,
        "second-auditor",
    ]
