"""The contract's reference, served by the API: public pages, the same the CLI writes."""

from __future__ import annotations

import pytest

from infra.api.reference import pages
from infra.published import schemas
from tests.e2e.api.conftest import auth
from tests.e2e.api.reading import Api


def test_the_index_is_public_html_listing_every_topic(api: Api) -> None:
    client, _ = api
    answer = client.get("/reference/")

    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert "script-src" not in answer.headers["content-security-policy"]
    for name in schemas():
        assert f'href="{name}.html"' in answer.text
    assert client.get("/reference", follow_redirects=False).headers["location"] == "reference/"


def test_a_topic_page_and_its_style_sheet_are_served_as_the_cli_writes_them(api: Api) -> None:
    client, tokens = api
    written = pages(schemas())
    for page in ("commands.staffing.html", "style.css", "events.linkage.html", "deadletters.schema.json"):
        answer = client.get(f"/reference/{page}", headers=auth(tokens["operator"]))  # any token, or none
        assert answer.status_code == 200, page
        assert answer.text == written[page], page
    assert "quota.approve" in client.get("/reference/commands.staffing.html").text


@pytest.mark.parametrize(
    "page", ["commands.nothing.html", "index.htm", "..%2fapp.py", "%00", "a/b", "STYLE.CSS", "static"]
)
def test_an_unknown_page_is_a_404_problem(api: Api, page: str) -> None:
    answer = api[0].get(f"/reference/{page}")

    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["status"] == 404
