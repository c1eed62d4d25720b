"""What every answer gets at the API's edge, whatever route (or none) answers it: nosniff,
HEAD as GET without the body, no page loading scripts from elsewhere, and 400s that name the
parameter without handing its value back."""

from __future__ import annotations

import pytest

from tests.e2e.api.conftest import auth
from tests.e2e.api.reading import Api
from tests.e2e.api.test_properties import fill, routes


@pytest.mark.parametrize(
    ("method", "path", "role", "status"),
    [
        ("GET", "/health", None, 200),
        ("GET", "/api/v1/dashboard", "reader", 200),
        ("GET", "/api/v1/dashboard", None, 401),
        ("GET", "/api/v1/audit/trail/x", "reader", 403),
        ("GET", "/no/such/route", None, 404),
        ("POST", "/health", None, 405),
        ("GET", "/api/v1/dashboard?on=someday", "reader", 400),
        ("GET", "/dashboard", None, 200),
        ("GET", "/dashboard/static/dashboard.js", None, 200),
        ("GET", "/schema/openapi.json", None, 200),
    ],
)
def test_every_answer_says_nosniff(api: Api, method: str, path: str, role: str | None, status: int) -> None:
    client, tokens = api
    answer = client.request(method, path, headers=auth(tokens[role]) if role else {})

    assert answer.status_code == status
    assert answer.headers.get_list("x-content-type-options") == ["nosniff"]


def test_head_is_answered_wherever_get_is_with_get_s_headers_and_no_body(api: Api) -> None:
    client, tokens = api
    paths = [
        fill(path, ["JB-CICHENG"] * 3, raw=False) for path, methods, _ in routes(api) if "GET" in methods
    ]
    assert len(paths) >= 23
    for path in [*paths, "/health", "/ready", "/dashboard"]:
        got = client.get(path, headers=auth(tokens["auditor"]))
        head = client.head(path, headers=auth(tokens["auditor"]))

        assert head.status_code == got.status_code, path
        assert head.content == b"", path
        assert head.headers.get("content-type") == got.headers.get("content-type"), path


@pytest.mark.parametrize("path", ["/schema", "/schema/redoc", "/schema/swagger", "/schema/elements"])
def test_no_page_of_the_document_loads_anything_from_elsewhere(api: Api, path: str) -> None:
    answer = api[0].get(path)

    assert answer.status_code in (200, 404)
    assert "<script" not in answer.text and "cdn." not in answer.text
    if answer.status_code == 200:
        assert answer.json()["openapi"].startswith("3.")


@pytest.mark.parametrize(
    ("path", "named"),
    [
        ("/api/v1/dashboard?on=gl_" + "s3cr3t" * 10, "on"),
        ("/api/v1/linkage/metrics?period=2021&limit=Bearer%20abcdefghijklmnopqrstuvwxyz", "limit"),
        ("/api/v1/dashboard?on=" + "x" * 300, "on"),
    ],
)
def test_a_400_names_the_parameter_and_hands_no_long_or_secret_value_back(
    api: Api, path: str, named: str
) -> None:
    client, tokens = api
    answer = client.get(path, headers=auth(tokens["reader"]))

    assert answer.status_code == 400
    problem = answer.json()
    assert named in problem["detail"] and [p["key"] for p in problem["invalid_params"]] == [named]
    assert "s3cr3t" not in answer.text and "abcdefghij" not in answer.text and "x" * 40 not in answer.text
