"""The dashboard page in headless Chromium, served over real HTTP: it shows the API's figures.

The app runs under uvicorn on a free loopback port; the page is opened as a person would
open it, with a reader's token in the address fragment, in a browser set to the en-US locale
(month/day/year) and New York's time zone, so that nothing on the page may lean on the
browser's way of writing dates. A screenshot of the whole page (however long it is) is kept
in `$GOVLEDGER_TEST_ARTEFACTS/dashboard.png` (default `test-artefacts/` at the repository root).
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
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
CASES_DAY = "2021-12-01"  # the day the demo's cases were reported and dispatched
ISO_DAY = r"^\d{4}-\d{2}-\d{2}$"
MIN_TEXT_PX = 11
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
    ledger.close()  # its pool, or the session's connections run out


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh tab with empty storage, wide enough for the two-column layout, in a browser
    that writes dates the American way."""
    context = browser.new_context(
        viewport={"width": 1360, "height": 900}, locale="en-US", timezone_id="America/New_York"
    )
    yield context.new_page()
    context.close()


def opened(served: Served, page: Page, day: str = DAY) -> Any:
    """The page of the day opened with a reader's token, once drawn; the API's answer for it."""
    page.goto(f"{served.base}/dashboard?on={day}#token={served.tokens['reader']}")
    page.wait_for_selector(f"body[data-loaded='{day}']", timeout=20_000)
    return served.json(f"/api/v1/dashboard?on={day}", "reader")


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
    body = opened(served, page)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "dashboard.png"), full_page=True)  # the whole page
    assert "token" not in page.url and page.url.endswith(f"?on={DAY}")
    shown = figures(page)
    text = {name: f["text"] for name, f in shown.items()}
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
        rated = sum(day[rate] is not None for day in body["rates"]["days"])
        chart = shown[f"rates.{rate}"]
        assert chart["bars"] == str(rated) and chart["marks"] == rated > 0
    bars = sum(bool(day[k]) for day in body["rates"]["days"] for k in ("dispatched", "resolved", "closed"))
    assert shown["counts"]["bars"] == str(bars) and shown["counts"]["marks"] == bars > 0


def test_the_rate_window_holds_the_demos_case_day_and_says_it_was_moved_back(
    served: Served, page: Page
) -> None:
    body = opened(served, page)
    rates, shown = body["rates"], figures(page)
    assert rates["first"] <= CASES_DAY <= rates["last"] < DAY and rates["moved_back"] is True
    assert shown["rates.window"]["text"] == f"{rates['first']} – {rates['last']}"
    assert page.locator("#rates-moved").is_visible()
    assert shown["rates.moved_back"]["value"] == rates["last"] and DAY in shown["rates.moved_back"]["text"]
    responded = page.locator(f"svg[data-figure='rates.response'] rect.bar[data-day='{CASES_DAY}']")
    assert responded.count() == 1 and responded.is_visible()
    (counted,) = [d for d in rates["days"] if d["day"] == CASES_DAY]
    dispatched = page.locator(f"svg[data-figure='counts'] rect.bar.dispatched[data-day='{CASES_DAY}']")
    assert dispatched.get_attribute("data-value") == str(counted["dispatched"]) != "0"
    assert shown["rates.total.response"]["value"] == rates["total"]["response"] is not None


def test_names_stand_beside_codes_and_the_vocabulary_is_translated(served: Served, page: Page) -> None:
    body = opened(served, page)
    names = body["names"]
    found = page.eval_on_selector_all(
        ".named",
        "els => els.map(e => ({code: e.dataset.code, name: e.dataset.name ?? null, text: e.innerText,"
        " visible: e.getBoundingClientRect().height > 0}))",
    )
    assert found and all(f["name"] == names.get(f["code"]) for f in found)
    named = [f for f in found if f["name"]]
    assert {f["code"] for f in named} == set(names)  # every name the answer gives is shown
    assert all(f["name"] in f["text"] and f["code"] in f["text"] and f["visible"] for f in named)
    town = page.locator("tr[data-town='JB-CICHENG'] .named")
    assert town.inner_text().split() == ["慈城镇", "JB-CICHENG"]
    leads = page.locator("#overdue-table tr[data-case] td:nth-child(3) .named")
    centre = leads.filter(has_text="district-centre")
    assert centre.count() >= 1 and "区社会治理中心" in centre.first.inner_text()
    assert "区综合行政执法局" in leads.filter(has_text="JB-ZHZF").first.inner_text()
    categories = page.eval_on_selector_all(
        "#departments-table .term",
        "els => els.map(e => [e.dataset.code, e.querySelector('.zh').textContent])",
    )
    assert set(map(tuple, categories)) == {("comprehensive", "综合执法"), ("other", "其他")}
    deadlines = page.eval_on_selector_all("#overdue-table .term .zh", "els => els.map(e => e.textContent)")
    assert deadlines and set(deadlines) <= {"签收", "办结"}


def _smallest_text_px(page: Page) -> float:
    """The smallest height, in CSS pixels, at which any chart's text is drawn: its font size
    (in the chart's units) times how much the chart is scaled from its viewBox."""
    return float(
        page.eval_on_selector_all(
            "svg.chart text",
            """els => Math.min(...els.map(t => {
            const svg = t.ownerSVGElement;
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return parseFloat(getComputedStyle(t).fontSize) * scale; }))""",
        )
    )


def test_a_one_day_rate_shows_a_labelled_bar_and_chart_text_is_legible(served: Served, page: Page) -> None:
    body = opened(served, page)
    days = body["rates"]["days"]
    one_day = [r for r in body["rates"]["names"] if sum(d[r] is not None for d in days) == 1]
    assert one_day  # the demo's rates each stand on a single day
    for rate in one_day:
        (day,) = [d for d in days if d[rate] is not None]
        chart = page.locator(f"svg[data-figure='rates.{rate}']")
        bar = chart.locator(f"rect.bar[data-day='{day['day']}']")
        box = bar.bounding_box()
        assert box is not None and box["height"] >= 1 and box["width"] >= 3 and bar.is_visible()
        label = chart.locator("text.value")
        assert label.text_content() == f"{Decimal(day[rate]) * 100:.1f}%" and label.is_visible()
        assert day["day"][5:] in chart.locator("text.day").all_text_contents()  # its day under it
    assert _smallest_text_px(page) >= MIN_TEXT_PX
    page.set_viewport_size({"width": 420, "height": 900})  # a phone: the charts scroll, not shrink
    assert _smallest_text_px(page) >= MIN_TEXT_PX


def test_dates_read_yyyy_mm_dd_under_a_us_locale(served: Served, page: Page) -> None:
    body = opened(served, page)
    assert page.evaluate("navigator.language") == "en-US"  # a browser that writes 12/31/2021
    day = page.locator("#day")
    assert day.get_attribute("type") == "text" and day.input_value() == DAY
    assert re.fullmatch(ISO_DAY, day.input_value())
    window = figures(page)["rates.window"]["text"].split(" – ")
    assert window == [body["rates"]["first"], body["rates"]["last"]]
    written = re.findall(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}", page.inner_text("body"))
    assert written and all(re.fullmatch(ISO_DAY, d) for d in written)  # every date on the page
    day.fill("12/02/2021")
    page.click("#day-form button[type=submit]")
    assert page.evaluate("document.getElementById('day').validity.valid") is False
    assert page.url.endswith(f"?on={DAY}")  # refused: nothing else loaded
    day.fill("2021-12-02")
    page.click("#day-form button[type=submit]")
    page.wait_for_selector("body[data-loaded='2021-12-02']", timeout=20_000)
    assert page.url.endswith("?on=2021-12-02") and day.input_value() == "2021-12-02"


def test_the_page_shows_the_burden_counts_of_each_district_and_kind(served: Served, page: Page) -> None:
    body = opened(served, page)
    text = {name: f["text"] for name, f in figures(page).items()}
    assert body["burden"]
    for row in body["burden"]:
        for field in ("before", "after", "cleared", "added", "change"):
            assert text[f"burden.{row['district']}.{row['kind']}.{field}"] == str(row[field])


def test_the_page_shows_the_community_workers_per_10000_residents(served: Served, page: Page) -> None:
    body = opened(served, page)
    shown = figures(page)
    assert body["workers"]
    for row in body["workers"]:
        code = row["town"] or row["district"]
        for field in ("workers", "residents", "standard"):
            assert shown[f"workers.{code}.{field}"]["text"] == (
                "—" if row[field] is None else str(row[field])
            )
        assert shown[f"workers.{code}.per_10000"]["value"] == (row["per_10000"] or None)
