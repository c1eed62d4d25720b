"""The dashboard page in headless Chromium, served over real HTTP: it shows the API's figures.

The app runs under uvicorn on a free loopback port; the page is opened as a person would
open it, with a reader's token in the address fragment. A full-page screenshot is kept in
`$GOVLEDGER_TEST_ARTEFACTS/dashboard.png` (default `test-artefacts/` at the repository root).
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

from infra.api.access import TokenStore
from infra.api.app import create_app
from infra.bootstrap import build_ledger
from infra.settings import Settings

CHROMIUM = Path(os.environ.get("GOVLEDGER_CHROMIUM") or "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTEFACTS = Path(
    os.environ.get("GOVLEDGER_TEST_ARTEFACTS") or Path(__file__).resolve().parents[3] / "test-artefacts"
)
DAY = "2021-12-31"
pytestmark = pytest.mark.skipif(
    not CHROMIUM.is_file(),
    reason=(f"no Chromium executable at {CHROMIUM} (set GOVLEDGER_CHROMIUM, or install Debian's chromium)"),
)


class Served:
    """The API at `base`, with a token of each role the tests use."""

    def __init__(self, base: str, tokens: dict[str, str]) -> None:
        self.base, self.tokens = base, tokens

    def json(self, path: str, role: str) -> Any:
        answer = httpx.get(self.base + path, headers={"Authorization": f"Bearer {self.tokens[role]}"})
        assert answer.status_code == 200, answer.text[:300]
        return answer.json()


@pytest.fixture(scope="module")
def served(demo_settings: Settings) -> Iterator[Served]:
    """create_app on the demo, under uvicorn in a thread, on a loopback port of its own."""
    ledger = build_ledger(demo_settings.database_url)
    store = TokenStore(ledger.recorder.datastore)
    tokens = {
        role: store.issue(f"test-dashboard-{role}-{uuid.uuid4().hex[:6]}", role)
        for role in ("reader", "auditor")
    }
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    server = uvicorn.Server(
        uvicorn.Config(create_app(ledger, demo_settings), log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield Served(f"http://127.0.0.1:{listening.getsockname()[1]}", tokens)
    server.should_exit = True
    thread.join(10)
    listening.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh tab with empty storage, wide enough for the two-column layout."""
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    yield context.new_page()
    context.close()


def figures(page: Page) -> dict[str, dict[str, Any]]:
    """Every element naming a figure: its text, raw value, and how many marks a chart drew."""
    found = page.eval_on_selector_all(
        "[data-figure]",
        """els => els.map(e => [e.dataset.figure, {
        text: e.textContent, value: e.dataset.value ?? null, points: e.dataset.points ?? null,
        bars: e.dataset.bars ?? null, marks: e.querySelectorAll('circle, rect').length}])""",
    )
    return dict(found)


def test_the_page_shows_the_apis_figures_for_the_day(served: Served, page: Page) -> None:
    page.goto(f"{served.base}/dashboard?on={DAY}#token={served.tokens['reader']}")
    page.wait_for_selector(f"body[data-loaded='{DAY}']", timeout=20_000)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "dashboard.png"), full_page=True)
    assert "token" not in page.url and page.url.endswith(f"?on={DAY}")
    shown = figures(page)
    text = {name: f["text"] for name, f in shown.items()}
    body = served.json(f"/api/v1/dashboard?on={DAY}", "reader")
    towns = served.json(f"/api/v1/towns?as_of={DAY}", "auditor")["towns"]

    assert page.locator("tr[data-town]").count() == len(towns) == len(body["towns"])
    for town in towns:
        name = town["town"]
        assert text[f"towns.{name}.items"] == str(town["items"])
        for kind, items in town["by_kind"].items():
            assert text[f"towns.{name}.by_kind.{kind}"] == str(items)
        for listed, items in town["by_list"].items():
            assert text[f"towns.{name}.by_list.{listed}"] == str(items)
    for pool in body["pool"]["balances"]:
        for field in ("capacity", "contributed", "outstanding", "available"):
            assert text[f"pool.{pool['pool']}.{field}"] == str(pool[field])
    assert text["cases.open"] == str(body["cases"]["open"])
    assert text["cases.overdue"] == str(body["cases"]["overdue"]) != "0"
    assert page.locator("tr[data-case]").count() == len(body["cases"]["overdue_list"])
    for case in body["cases"]["overdue_list"]:
        assert shown[f"cases.overdue_list.{case['number']}.late"]["value"] == str(case["late_seconds"])
    assert text["monitors.missed"] == str(body["monitors"]["missed"])
    assert page.locator("tr.missed").count() == body["monitors"]["missed"]

    for rate in body["rates"]["names"]:
        dots = sum(day[rate] is not None for day in body["rates"]["days"])
        chart = shown[f"rates.{rate}"]
        assert chart["points"] == str(dots) and chart["marks"] == dots
    bars = sum(bool(day[k]) for day in body["rates"]["days"] for k in ("dispatched", "resolved", "closed"))
    assert shown["counts"]["bars"] == str(bars) and shown["counts"]["marks"] == bars > 0


def test_without_a_token_the_page_asks_for_one_and_shows_no_figures(served: Served, page: Page) -> None:
    page.goto(f"{served.base}/dashboard?on={DAY}")
    page.wait_for_selector("#prompt", state="visible", timeout=20_000)
    assert page.locator("[data-figure]").count() == 0 and page.locator("#board").is_hidden()
    page.fill("#token", served.tokens["reader"])
    page.click("#token-form button")
    page.wait_for_selector(f"body[data-loaded='{DAY}']", timeout=20_000)
    assert page.locator("#prompt").is_hidden() and page.locator("[data-figure]").count() > 0


def test_a_bad_token_shows_the_401_problem_and_asks_again(served: Served, page: Page) -> None:
    problem = httpx.get(
        f"{served.base}/api/v1/dashboard?on={DAY}", headers={"Authorization": "Bearer gl_not-a-token"}
    )
    assert problem.status_code == 401
    page.goto(f"{served.base}/dashboard?on={DAY}#token=gl_not-a-token")
    page.wait_for_selector("#problem", state="visible", timeout=20_000)
    message = page.inner_text("#problem")
    assert problem.json()["detail"] in message and "401" in message
    assert page.locator("#prompt").is_visible() and page.locator("[data-figure]").count() == 0
    assert page.evaluate("Object.keys(sessionStorage).length") == 0
