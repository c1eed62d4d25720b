"""Tokens with a scope and an end, over every route of the OpenAPI document: for each role and
scope (all, one town, a district, a department), each GET route with its path filled from the
demo by a thing in scope and one outside it — the statuses the role allows, nothing of a town
or department outside the scope in any answer, 404 for a thing outside it, and 401 for an
expired token everywhere."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote
from uuid import uuid4

import psycopg
import pytest

from infra.api.access import ROLES, TokenStore, digest
from infra.api.paging import page
from infra.api.scope import Attribution, Scope, narrow
from infra.bootstrap import build_ledger
from infra.cli import main as cli
from infra.settings import Settings
from tests.e2e.api.conftest import auth
from tests.e2e.api.reading import Api, projected

TOWN, OTHER_TOWN, DISTRICT, DEPARTMENT = "JB-CICHENG", "JB-KONGPU", "AN", "JB-ZHZF"
SCOPES = {
    "all": "all",
    "town": f"town:{TOWN}",
    "district": f"district:{DISTRICT}",
    "department": f"department:{DEPARTMENT}",
}
# Each path parameter's demo values, with the towns and departments each belongs to: the
# matrix fills a route with every value, so each scope meets one inside it and one outside.
# NULL: the value names no one thing of that kind of scope (a town's lists, for a department:
# its rows are narrowed, the path is not refused).
SAMPLES = {
    "town": "SELECT code AS value, ARRAY[code] AS towns, NULL::text[] AS departments"
    " FROM town_organisations WHERE code IN ('JB-CICHENG', 'JB-KONGPU', 'AN-JD-PILOT')",
    "unit": "SELECT unit AS value, ARRAY[unit] AS towns, ARRAY[unit] AS departments FROM quota_units"
    " WHERE unit IN ('JB-CICHENG', 'JB-KONGPU', 'JB-ORGANS')",
    "number": "(SELECT DISTINCT ON (town, lead = 'JB-ZHZF') number AS value, ARRAY[town] AS towns,"
    " ARRAY[lead] || cooperating AS departments FROM linkage_cases ORDER BY town, lead = 'JB-ZHZF', number)",
    "subject": "SELECT DISTINCT ON (town) subject AS value, ARRAY[town] AS towns,"
    " ARRAY[]::text[] AS departments FROM appraisals ORDER BY town, subject",
    "entity": f"SELECT 'town/{TOWN}' AS value, ARRAY['{TOWN}'] AS towns, ARRAY[]::text[] AS departments",
    "person": "SELECT 'AN-P0001' AS value, ARRAY[]::text[] AS towns, ARRAY[]::text[] AS departments",
    # a department's burden items (减负): its rows are narrowed for a town scope, the path refused
    # for another department (JB-ZHZF imposes nothing: 404 for every scope)
    "department": "SELECT DISTINCT department AS value, NULL::text[] AS towns,"
    " ARRAY[department] AS departments FROM burden_spells"
    " WHERE department IN ('AN-CGJ', 'LH-YC-ORG') UNION ALL"
    " SELECT 'JB-ZHZF', NULL::text[], ARRAY['JB-ZHZF']",
    "cell": "SELECT code AS value, ARRAY[town] AS towns, NULL::text[] AS departments FROM grid_cells"
    " WHERE code IN ('CC-01', 'BH-WNB-C1', 'LH-YH-SHUNHEJIE-C1-G1')",
}
QUERIES = {  # required query parameters, and enough rows on a page for the whole demo
    "/api/v1/appraisals/league": "period=2021",
    "/api/v1/linkage/metrics": "period=2021-12",
    "/api/v1/grid/metrics": "period=2021-12",
    "/api/v1/people/{person}": "purpose=审计核查",
    "/api/v1/dashboard": "on=2021-12-31",
    "/api/v1/monitors": "on=2021-12-31",
}
CODE = re.compile(r"^[A-Z]{2}-[A-Z0-9-]+$")  # a town or department code, e.g. JB-CICHENG
PUBLIC = {"/health", "/ready"}
# Routes refused to a scope, because what they answer names no town (or department) of it.
REFUSED_BY_TOWN = {
    "/api/v1/appraisals/schemes",
    "/api/v1/audit/trail/{entity}",
    "/api/v1/audit/verify",
    "/api/v1/audit/digest",
    "/api/v1/people/{person}",
    "/metrics",
    "/api/v1/ops/positions",
}
REFUSED_BY_DEPARTMENT = REFUSED_BY_TOWN | {
    "/api/v1/grid/cells",  # the grid (网格) is its towns'
    "/api/v1/grid/cells/{cell}",
    "/api/v1/grid/metrics",
    "/api/v1/towns",
    "/api/v1/towns/{town}/structure",
    "/api/v1/towns/{town}/reserve",  # a street's cadre reserve (干部AB库) is its own
    "/api/v1/towns/{town}/reserve/movements",
    "/api/v1/jurisdictions",  # units of administration and their residents: by town only
    "/api/v1/jurisdictions/residents",
    "/api/v1/community-workers",  # a community's register lies in its town
    "/api/v1/pool",
    "/api/v1/pool/expiring",
    "/api/v1/appraisals/league",
    "/api/v1/appraisals/subjects/{subject}",
    "/api/v1/appraisals/missing",
}


def get_routes(api: Api) -> list[str]:
    """Every GET path template of the OpenAPI document."""
    document = api[0].get("/schema/openapi.json").json()
    return [path for path, item in document["paths"].items() if "get" in item]


def filled(
    template: str, samples: dict[str, list[dict[str, Any]]]
) -> list[tuple[str, dict[str, Any] | None]]:
    """The template with its path parameter replaced by each demo value (a template without
    one, as it is), each with the value's towns and departments."""
    found = re.search(r"\{([^}]+)\}", template)
    query = QUERIES.get(template, "")
    query = "?" + "&".join(q for q in (query, "limit=1000") if q)
    if not found:
        return [(template + query, None)]
    return [
        (template.replace(found.group(0), quote(sample["value"], safe="/")) + query, sample)
        for sample in samples[found.group(1)]
    ]


def inside(scope: Scope, sample: dict[str, Any]) -> bool:
    if scope.whole or sample[("towns" if scope.by_town else "departments")] is None:
        return True
    return bool(
        set(sample["towns"]) & scope.towns if scope.by_town else set(sample["departments"]) & set(scope.codes)
    )


def walk(found: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in the answer."""
    if isinstance(found, dict):
        yield found
        for value in found.values():
            yield from walk(value)
    elif isinstance(found, list):
        for value in found:
            yield from walk(value)


def codes(value: Any) -> set[str]:
    if isinstance(value, str):
        return {code.strip() for code in value.split(",")}
    return {v for v in value if isinstance(v, str)} if isinstance(value, list) else set()


def leaks(scope: Scope, answer: Any, towns: set[str]) -> list[Any]:
    """The objects of the answer that name a town or department outside the scope: for a town
    scope, a `town` (or a `party`, `lead`, `unit` that is a known town) not of it; for a
    department scope, a `department` not it, or a row with `lead`/`cooperating`/`partner` that
    does not name it."""
    found = []
    for obj in walk(answer):
        if scope.by_town:
            named = {c for c in codes(obj.get("town")) if CODE.match(c)}  # not a score by party
            named |= {c for key in ("party", "lead", "unit", "to_unit") for c in codes(obj.get(key)) & towns}
            if named - scope.towns:
                found.append(obj)
        else:
            if "department" in obj and obj["department"] not in scope.codes:
                found.append(obj)
            involved = set().union(*(codes(obj[k]) for k in ("lead", "cooperating", "partner") if k in obj))
            if (
                "department" not in obj
                and any(k in obj for k in ("lead", "partner"))
                and not (involved & set(scope.codes))
            ):
                found.append(obj)
            if "unit" in obj and "level" in obj and obj["unit"] not in scope.codes:
                found.append(obj)
    return found


@pytest.fixture(scope="module")
def scoped(api: Api) -> dict[tuple[str, str], tuple[str, Scope]]:
    """A token of every role and scope, and the scope as the guard resolves it."""
    store: TokenStore = api[0].app.state.tokens
    found = {}
    for role in ROLES:
        for label, text in SCOPES.items():
            token = store.issue(f"scoped-{role}-{label}", role, text, datetime.now(UTC) + timedelta(days=1))
            principal = store.principal(token)
            assert principal is not None and principal.scope.text == Scope.parse(text).text
            found[role, label] = token, principal.scope
    return found


@pytest.fixture(scope="module")
def samples(api: Api) -> dict[str, list[dict[str, Any]]]:
    with projected(api) as cur:
        found = {}
        for name, sql in SAMPLES.items():
            cur.execute(sql)
            found[name] = list(cur.fetchall())
        cur.execute(
            "SELECT code FROM town_organisations UNION SELECT unit FROM quota_units WHERE level = 'town'"
        )
        found["_towns"] = [{"value": row["code"]} for row in cur.fetchall()]
    return found


def test_every_route_answers_each_role_and_scope_only_what_is_inside(
    api: Api, scoped: dict[tuple[str, str], tuple[str, Scope]], samples: dict[str, list[dict[str, Any]]]
) -> None:
    client = api[0]
    towns = {row["value"] for row in samples["_towns"]}
    routes = get_routes(api)
    assert len(routes) >= 27, routes
    seen: Counter[int] = Counter()
    refused: dict[str, set[str]] = {"town": set(), "district": set(), "department": set()}
    for template in routes:
        for path, sample in filled(template, samples):
            for role in ROLES:
                whole = client.get(path, headers=auth(scoped[role, "all"][0]))
                towns |= {o["town"] for o in walk(_json(whole)) if CODE.match(str(o.get("town")))}
                for label in ("town", "district", "department"):
                    token, scope = scoped[role, label]
                    answer = client.get(path, headers=auth(token))
                    seen[answer.status_code] += 1
                    where = (path, role, label, answer.status_code, whole.status_code, answer.text[:200])
                    if whole.status_code in (401, 403) or template in PUBLIC:
                        assert answer.status_code == whole.status_code, where  # the role decides
                        continue
                    if answer.status_code == 403:
                        assert f"scoped to {scope.text}" in answer.json()["detail"], where
                        refused[label].add(template)
                        continue
                    if whole.status_code != 200:
                        assert answer.status_code == whole.status_code, where
                        continue
                    if sample is not None and not inside(scope, sample):
                        assert answer.status_code == 404, where  # a thing outside: as unknown
                        assert answer.json()["status"] == 404
                        continue
                    assert answer.status_code == 200, where
                    assert not leaks(scope, answer.json(), towns), (
                        where,
                        leaks(scope, answer.json(), towns)[:3],
                    )
    assert refused["town"] == refused["district"] == REFUSED_BY_TOWN
    assert refused["department"] == REFUSED_BY_DEPARTMENT
    assert sum(seen.values()) > 400 and seen[200] > 100 and seen[404] > 20, seen


def _json(answer: Any) -> Any:
    return answer.json() if answer.headers.get("content-type", "").endswith("json") else None


def test_an_expired_token_is_401_on_every_route_saying_when_it_ended(api: Api) -> None:
    client, store = api[0], api[0].app.state.tokens
    ended = datetime.now(UTC) - timedelta(minutes=5)
    tokens = [store.issue(f"expired-{role}", role, "all", ended) for role in ROLES]
    for template in set(get_routes(api)) - PUBLIC:
        path = re.sub(r"\{[^}]+\}", TOWN, template)
        for token in tokens:
            answer = client.get(path, headers=auth(token))
            assert answer.status_code == 401, (path, answer.status_code)
            assert answer.json()["detail"] == f"token expired at {ended.isoformat(timespec='seconds')}"
            assert answer.headers["www-authenticate"].startswith("Bearer")


def test_every_operation_other_than_get_is_refused_to_a_scoped_or_expired_token(
    api: Api, scoped: dict[tuple[str, str], tuple[str, Scope]]
) -> None:
    """The matrix above reads the GET routes; the others (the dry run) write nothing a scope
    could narrow, so every scoped token is refused (403), and an expired one is 401."""
    client, store = api[0], api[0].app.state.tokens
    document = client.get("/schema/openapi.json").json()
    operations = [
        (method, path)
        for path, item in document["paths"].items()
        for method in item
        if method in ("post", "put", "patch", "delete")
    ]
    assert ("post", "/api/v1/check") in operations
    ended = datetime.now(UTC) - timedelta(minutes=5)
    body, headers = b"[]", {"Content-Type": "application/json"}
    for method, template in operations:
        path = re.sub(r"\{[^}]+\}", TOWN, template)
        for role in ROLES:
            whole = client.request(
                method, path, content=body, headers={**headers, **auth(scoped[role, "all"][0])}
            )
            for label in ("town", "district", "department"):
                token, scope = scoped[role, label]
                answer = client.request(method, path, content=body, headers={**headers, **auth(token)})
                where = (method, path, role, label, answer.status_code, whole.status_code)
                assert answer.status_code == 403, where
                if whole.status_code != 403:  # the role may; the scope may not
                    assert f"scoped to {scope.text}" in answer.json()["detail"], where
            expired = store.issue(f"expired-{method}-{role}-{uuid4().hex[:6]}", role, "all", ended)
            answer = client.request(method, path, content=body, headers={**headers, **auth(expired)})
            assert answer.status_code == 401, (method, path, role, answer.status_code)
            assert answer.json()["detail"] == f"token expired at {ended.isoformat(timespec='seconds')}"


def test_a_kept_answer_is_never_replayed_to_another_scope(api: Api) -> None:
    client, store = api[0], api[0].app.state.tokens
    whole, town = store.issue("kept-all", "reader"), store.issue("kept-town", "reader", f"town:{TOWN}")
    path = "/api/v1/sinkdown?limit=1000"
    assert {r["town"] for r in client.get(path, headers=auth(whole)).json()["items"]} > {TOWN}
    assert {r["town"] for r in client.get(path, headers=auth(town)).json()["items"]} == {TOWN}
    assert (
        client.get(path, headers=auth(whole)).json()["total"]
        > client.get(path, headers=auth(town)).json()["total"]
    )


def test_a_scoped_list_pages_only_its_rows(api: Api) -> None:
    client, store = api[0], api[0].app.state.tokens
    token = store.issue("paged-town", "reader", f"town:{TOWN}")
    first = client.get("/api/v1/sinkdown?limit=2", headers=auth(token)).json()
    every = client.get("/api/v1/sinkdown?limit=1000", headers=auth(token)).json()
    assert first["total"] == every["total"] == len(every["items"]) and first["items"] == every["items"][:2]
    assert first["next"] == (2 if every["total"] > 2 else None)


@pytest.mark.parametrize(
    ("text", "kind", "codes"),
    [
        ("all", "all", ()),
        (f"town:{TOWN},town:{OTHER_TOWN}", "town", (TOWN, OTHER_TOWN)),
        ("district:JB", "district", ("JB",)),
        ("department:JB-HUD", "department", ("JB-HUD",)),
    ],
)
def test_a_scope_is_read_as_the_command_line_writes_it(text: str, kind: str, codes: tuple[str, ...]) -> None:
    scope = Scope.parse(text)
    assert (scope.kind, scope.codes) == (kind, tuple(sorted(codes))) and Scope.parse(scope.text) == scope


@pytest.mark.parametrize(
    "text", ["town", "town:", "county:X", "district:A,district:B", "town:A,department:B"]
)
def test_a_scope_that_is_not_one_is_refused_naming_the_allowed_forms(text: str) -> None:
    with pytest.raises(ValueError, match="scope"):
        Scope.parse(text)


def test_the_command_line_issues_a_scoped_token_with_an_end_and_lists_its_last_use(
    api: Api, demo_settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GOVLEDGER_DATABASE_URL", demo_settings.database_url)
    capsys.readouterr()
    argv = ["token", "issue", "--name", "cli-two-towns", "--role", "reader"]
    assert cli.main([*argv, "--scope", f"town:{TOWN},town:{OTHER_TOWN}", "--expires", "90d"]) == 0
    token = capsys.readouterr().out.strip()
    answer = api[0].get("/api/v1/towns", headers=auth(token))
    assert {t["town"] for t in answer.json()["towns"]} == {TOWN, OTHER_TOWN}
    with pytest.raises(SystemExit):
        cli.main([*argv, "--scope", "county:X"])
    assert "department:<code>" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main([*argv, "--expires", "2001-01-01"])
    assert "already past" in capsys.readouterr().err

    assert cli.main(["token", "list"]) == 0
    listed = capsys.readouterr().out
    line = next(row for row in listed.splitlines() if "cli-two-towns" in row)
    assert f"town:{TOWN},town:{OTHER_TOWN}" in line.replace(" ", "") or "town:" in line
    assert all(column in listed for column in ("scope", "expires_at", "last_used_at"))
    with projected(api) as cur:
        cur.execute("SELECT expires_at, last_used_at FROM api_tokens WHERE name = 'cli-two-towns'")
        row = cur.fetchone()
    assert timedelta(days=89) < row["expires_at"] - datetime.now(UTC) <= timedelta(days=90)
    assert row["last_used_at"] is not None  # the request above


def test_last_use_is_written_at_most_once_a_minute(api: Api) -> None:
    store: TokenStore = api[0].app.state.tokens
    token = store.issue("used-often", "reader")
    for _ in range(3):
        store._seen.clear()  # as if TTL had passed each time
        assert api[0].get("/api/v1/towns", headers=auth(token)).status_code == 200
    with projected(api) as cur:
        cur.execute("SELECT xmin::text AS version, last_used_at FROM api_tokens WHERE name = 'used-often'")
        first = cur.fetchone()
    store._seen.clear()
    api[0].get("/api/v1/towns", headers=auth(token))
    with projected(api) as cur:
        cur.execute("SELECT xmin::text AS version, last_used_at FROM api_tokens WHERE name = 'used-often'")
        assert cur.fetchone() == first  # not written again within the minute


def test_tokens_issued_before_scopes_keep_working_as_whole_and_endless(database_url: str) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE api_tokens (name text PRIMARY KEY, role text NOT NULL,"
            " digest text UNIQUE NOT NULL, issued_at timestamptz NOT NULL, revoked_at timestamptz)"
        )
        conn.execute(
            "INSERT INTO api_tokens VALUES ('old-wall', 'reader', %s, now(), NULL)", (digest("gl_old"),)
        )
    ledger = build_ledger(database_url)  # the schema made sure of, as every process does
    principal = TokenStore(ledger.recorder.datastore).principal("gl_old")
    assert principal is not None and principal.scope.whole and principal.expires_at is None
    assert not principal.expired()


def test_a_page_is_cut_again_from_the_rows_in_scope_and_one_cut_before_is_never_answered() -> None:
    scope, by_town = Scope.parse(f"town:{TOWN}"), Attribution(towns=("town",))
    rows = [{"town": OTHER_TOWN}, {"town": TOWN}, {"town": OTHER_TOWN}, {"town": TOWN}]
    assert narrow(scope, by_town, {"cases": page(rows, 1, 0)})["cases"] == {
        "items": [{"town": TOWN}],
        "total": 2,
        "limit": 1,
        "offset": 0,
        "next": 1,
    }
    with pytest.raises(RuntimeError, match="narrowed"):
        narrow(scope, by_town, {"cases": dict(page(rows, 4, 0))})
