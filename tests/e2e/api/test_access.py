"""Access to the read API: tokens with roles, problem details, conditional answers."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from infra.api.access import READER, TokenStore, digest
from tests.e2e.api.conftest import auth

Api = tuple[TestClient[Any], dict[str, str]]


def test_no_token_is_401_and_says_how_to_authenticate(api: Api) -> None:
    client, _ = api
    for headers in ({}, {"Authorization": "Bearer gl_not-a-token"}, {"Authorization": "Basic abc"}):
        answer = client.get("/api/v1/towns", headers=headers)
        assert answer.status_code == 401
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert answer.headers["www-authenticate"].startswith("Bearer")
        assert answer.json()["status"] == 401 and answer.json()["title"] == "Unauthorized"


def test_a_token_of_the_wrong_role_is_403(api: Api) -> None:
    client, tokens = api
    answer = client.get("/api/v1/towns", headers=auth(tokens["operator"]))
    assert answer.status_code == 403
    assert "reader or auditor" in answer.json()["detail"]


def test_as_of_needs_an_auditor(api: Api) -> None:
    client, tokens = api
    path = "/api/v1/towns/JB-CICHENG/powers?as_of=2021-08-01"
    assert client.get(path, headers=auth(tokens["reader"])).status_code == 403
    answer = client.get(path, headers=auth(tokens["auditor"]))
    assert answer.status_code == 200 and answer.json()["total"] > 0


def test_tokens_are_stored_only_as_digests_and_revoking_shuts_them_out(api: Api) -> None:
    client, _ = api
    store: TokenStore = client.app.state.tokens
    token = store.issue("test-revoked", READER)
    with store.datastore.transaction(commit=False) as cur:
        cur.execute("SELECT * FROM api_tokens WHERE name = 'test-revoked'")
        row = cur.fetchone()
    assert token not in str(row.values()) and row["digest"] == digest(token)
    assert client.get("/api/v1/towns", headers=auth(token)).status_code == 200
    assert store.revoke("test-revoked")
    store._seen.clear()  # what the guard trusted for its few seconds
    assert client.get("/api/v1/towns", headers=auth(token)).status_code == 401


def test_an_unchanged_answer_is_304_with_its_etag(api: Api) -> None:
    client, tokens = api
    first = client.get("/api/v1/towns/JB-CICHENG/powers?limit=5", headers=auth(tokens["reader"]))
    assert first.status_code == 200 and first.headers["etag"]
    again = client.get(
        "/api/v1/towns/JB-CICHENG/powers?limit=5",
        headers={**auth(tokens["reader"]), "If-None-Match": first.headers["etag"]},
    )
    assert again.status_code == 304 and again.content == b""
    other = client.get(
        "/api/v1/towns/JB-CICHENG/powers?limit=6",
        headers={**auth(tokens["reader"]), "If-None-Match": first.headers["etag"]},
    )
    assert other.status_code == 200


def test_pages_follow_each_other_to_the_total(api: Api) -> None:
    client, tokens = api
    seen, offset = [], 0
    while offset is not None:
        body = client.get(
            f"/api/v1/towns/JB-CICHENG/powers?limit=40&offset={offset}", headers=auth(tokens["reader"])
        ).json()
        seen += [row["code"] for row in body["items"]]
        offset = body["next"]
    assert len(seen) == len(set(seen)) == body["total"] > 40


def test_bad_parameters_are_problems_naming_the_parameter(api: Api) -> None:
    client, tokens = api
    answer = client.get("/api/v1/towns/JB-CICHENG/powers?limit=0", headers=auth(tokens["reader"]))
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert "limit" in str(answer.json())
    answer = client.get("/api/v1/towns/JB-CICHENG/powers?known_at=yesterday", headers=auth(tokens["auditor"]))
    assert answer.status_code == 400 and "known_at" in answer.json()["detail"]


def test_the_openapi_document_describes_the_bearer_scheme(api: Api) -> None:
    client, _ = api
    document = client.get("/schema/openapi.json").json()
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert "/api/v1/towns/{town}/powers" in document["paths"]
