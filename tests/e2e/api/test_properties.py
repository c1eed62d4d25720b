"""The API's edge under random input, over every route of its OpenAPI document: odd path
segments (unicode, very long, '%', '..', NUL), query values of the wrong type, huge numbers,
random tokens and methods. Whatever comes in: never a 5xx, never a traceback in the body,
and every error is application/problem+json whose `status` is the response's."""

from __future__ import annotations

import re
import string
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.e2e.api.reading import Api

EDGE = settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
KNOWN = [
    "JB-CICHENG",
    "AN-JD-PILOT",
    "JB-POOL",
    "plans",
    "CC-20211201-001",
    "AN-P0001",
    "JB-CICHENG-PCS",
    "town/JB-CICHENG",
    "personal-record/AN-P0001",
]
ODD = [
    "..",
    ".",
    "%",
    "%00",
    "%2F",
    "%25",
    "%ff",
    "../..",
    "a/../b",
    " ",
    "\x00",
    "\u202e",
    "😀" * 40,
    "x" * 5000,
    "'; DROP TABLE linkage_cases; --",
    "{town}",
    "-1",
    "1e309",
]
VALUES = [
    "",
    "true",
    "false",
    "null",
    "0",
    "-1",
    "1.5",
    "NaN",
    "1e309",
    str(10**40),
    str(-(10**40)),
    "9999-12-31",
    "0001-01-01",
    "10000-01-01",
    "2021-02-30",
    "2021-12-01T10:00:00+14:00",
    "0001-01-01T00:00:00+08:00",
    "9999-12-31T23:59:59-12:00",
    "%00",
    "\x00",
    "[]",
    "{}",
]
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "PROPFIND"]
TOKEN_TEXT = st.text(alphabet=string.ascii_letters + string.digits + "-_.~+/=", max_size=80)

segments = st.one_of(
    st.sampled_from(KNOWN), st.sampled_from(ODD), st.text(max_size=40), st.integers().map(str)
)
values = st.one_of(
    st.sampled_from(VALUES),
    st.text(max_size=60),
    st.integers().map(str),
    st.floats().map(str),
    st.dates().map(str),
    st.booleans().map(str),
)


def routes(api: Api) -> list[tuple[str, list[str], list[str]]]:
    """(path template, methods, query parameter names) of every operation in the document."""
    document = api[0].get("/schema/openapi.json").json()
    found = []
    for path, item in document["paths"].items():
        methods = [m.upper() for m in item if m in ("get", "post", "put", "patch", "delete")]
        names = sorted(
            {
                p["name"]
                for op in item.values()
                if isinstance(op, dict)
                for p in op.get("parameters", [])
                if p.get("in") == "query"
            }
        )
        found.append((path, methods, names))
    return found


@pytest.fixture(scope="module")
def route_list(api: Api) -> list[tuple[str, list[str], list[str]]]:
    found = routes(api)
    assert len(found) >= 23  # every route module is in the document
    return found


def fill(template: str, parts: list[str], raw: bool) -> str:
    """The template with its {parameters} replaced by the parts, percent-encoded or (some '%'
    and '..' left as they are) nearly raw."""
    pieces = iter(parts)
    return re.sub(r"\{[^}]+\}", lambda _: quote(next(pieces), safe="%./" if raw else ""), template)


def headers(token: str | None, tokens: dict[str, str]) -> dict[str, str]:
    if token is None:
        return {}
    return {"Authorization": f"Bearer {tokens.get(token, token)}"}


def check(answer: Any, method: str = "GET") -> None:
    status, body = answer.status_code, answer.text
    assert status < 500, (answer.request.url, status, body[:300])
    assert "Traceback" not in body and 'File "' not in body, body[:300]
    if status >= 400 and method != "HEAD":
        assert answer.headers["content-type"].startswith("application/problem+json"), answer.headers
        assert answer.json()["status"] == status


def tokens_of(api: Api) -> st.SearchStrategy[str | None]:
    """Mostly a role's token (so requests get past the guard), sometimes none or a made-up one."""
    return st.one_of(st.sampled_from(["auditor", "auditor", "reader", "operator"]), st.none(), TOKEN_TEXT)


@settings(EDGE, max_examples=500)
@given(data=st.data(), parts=st.lists(segments, min_size=3, max_size=3), raw=st.booleans())
def test_random_path_segments_never_break_a_route(
    api: Api, route_list: list[Any], data: st.DataObject, parts: list[str], raw: bool
) -> None:
    client, tokens = api
    route, token = data.draw(st.sampled_from(route_list)), data.draw(tokens_of(api))
    check(client.get(fill(route[0], parts, raw), headers=headers(token, tokens)))


@settings(EDGE, max_examples=700)
@given(
    data=st.data(),
    part=st.sampled_from(KNOWN),
    token=st.sampled_from(["auditor", "auditor", "reader", "operator"]),
)
def test_random_query_values_are_refused_as_problems_not_errors(
    api: Api, route_list: list[Any], data: st.DataObject, part: str, token: str
) -> None:
    client, tokens = api
    route = data.draw(st.sampled_from(route_list))
    names = st.sampled_from(route[2]) if route[2] else st.text(max_size=10)
    query = data.draw(st.lists(st.tuples(st.one_of(names, names, st.text(max_size=10)), values), max_size=4))
    path = fill(route[0], [part] * 3, raw=False) + "?" + urlencode(query)
    check(client.get(path, headers=headers(token, tokens)))


@EDGE
@given(data=st.data(), token=TOKEN_TEXT, scheme=st.sampled_from(["Bearer", "bearer", "Basic", ""]))
def test_random_tokens_are_401_problems_never_more(
    api: Api, route_list: list[Any], data: st.DataObject, token: str, scheme: str
) -> None:
    route = data.draw(st.sampled_from(route_list))
    answer = api[0].request(  # in the route's own method: another is 405 before any token is read
        route[1][0],
        fill(route[0], ["JB-CICHENG"] * 3, raw=False),
        headers={"Authorization": f"{scheme} {token}"},
    )
    check(answer, route[1][0])
    assert answer.status_code in (200, 304, 401), answer.status_code  # public, or refused


@EDGE
@given(data=st.data(), method=st.sampled_from(METHODS))
def test_random_methods_are_405_problems(
    api: Api, route_list: list[Any], data: st.DataObject, method: str
) -> None:
    client, tokens = api
    route, token = data.draw(st.sampled_from(route_list)), data.draw(tokens_of(api))
    answer = client.request(
        method, fill(route[0], ["JB-CICHENG"] * 3, raw=False), headers=headers(token, tokens)
    )
    check(answer, method)
    if method not in route[1] and method not in ("HEAD", "OPTIONS"):
        assert answer.status_code == 405


def test_every_route_is_described_in_the_document(route_list: list[Any], api: Api) -> None:
    document = api[0].get("/schema/openapi.json").json()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post") and path.startswith("/api/v1/"):
                assert operation.get("description", "").strip(), (method, path)
    assert {
        "/api/v1/cases/{number}",
        "/api/v1/audit/trail/{entity}",
        "/api/v1/people/{person}",
        "/api/v1/quotas/{unit}",
        "/api/v1/monitors",
    } <= set(document["paths"])


# The first and last days of the calendar, the months and years that hold them, and the
# moments at their ends: windows reaching past them (a dashboard's 30 days, a draw's term
# coming due, a period's last day) used to overflow into 500s.
EDGE_DAYS = ["0001-01-01", "9999-12-31", "0001-01-01T00:00:00-12:00", "9999-12-31T23:59:59+14:00"]
EDGE_PERIODS = ["0001", "9999", "0001-01", "9999-12", "0001-01-01", "9999-12-31"]


def test_every_day_parameter_takes_the_first_and_last_days_of_the_calendar(
    api: Api, route_list: list[Any]
) -> None:
    client, tokens = api
    tried = 0
    for path, _, names in route_list:
        for name in names:
            edges = EDGE_PERIODS if name == "period" else EDGE_DAYS if name in DAY_PARAMETERS else []
            for value in edges:
                answer = client.get(
                    fill(path, KNOWN[:1] * 3, raw=False) + "?" + urlencode({name: value}),
                    headers=headers("auditor", tokens),
                )
                check(answer)
                assert answer.status_code in (200, 304, 400, 404), (path, name, value, answer.status_code)
                tried += 1
    assert tried >= 40  # the dashboard, monitors, metrics, pool and as-of routes among them


DAY_PARAMETERS = {"on", "as_of", "known_at", "at"}


@pytest.mark.parametrize(
    "path",
    [
        "/dashboard/static/dashboard.js%00.html",
        "/dashboard/static/dashboard.js%00",
        "/dashboard/static/%00",
        "/dashboard/static/..%2fdashboard.py",
        "/dashboard/static/..%2f..%2fsettings.py",
        "/dashboard/static/dashboard.html",
        "/dashboard/static/DASHBOARD.JS",
    ],
)
def test_the_dashboard_files_answer_404_to_anything_but_their_own_names(api: Api, path: str) -> None:
    answer = api[0].get(path)
    check(answer)
    assert answer.status_code == 404


def test_the_edge_days_reported_as_500s_are_answered(api: Api) -> None:
    client, tokens = api
    for path in [
        "/api/v1/dashboard?on=0001-01-01",
        "/api/v1/dashboard?on=9999-12-31",
        "/api/v1/monitors?on=9999-12-31",
        "/api/v1/linkage/metrics?period=9999-12-31",
        "/api/v1/pool/expiring?on=9999-12-31&within_days=365",
    ]:
        answer = client.get(path, headers=headers("auditor", tokens))
        assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
