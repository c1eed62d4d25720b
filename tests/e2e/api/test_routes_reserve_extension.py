"""The cadre reserve (干部AB库) and the items extended to communities (事项延伸) over the API, on
the demo: the answers are the projections' rows, typed as `infra.api.answers` says, on both time
axes for auditors; an unknown street or town is a 404."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from infra.api.answers import (
    ExtendedRow,
    ExtensionItemRow,
    HandledRow,
    ReserveAppointmentRow,
    ReserveCadreRow,
    ReserveMovementRow,
    ReserveRow,
)
from infra.demo.extension import HANDLED, TOWN
from projections.extension import register as extensions
from projections.reserve import register as reserve
from tests.e2e.api.reading import ALL, READERS, Api, fields, plain, projected, read, statuses

STREET = "BH-WANNIANBU"


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/towns/{STREET}/reserve",
        f"/api/v1/towns/{STREET}/reserve/movements",
        f"/api/v1/towns/{TOWN}/extensions",
        "/api/v1/extensions",
    ],
)
def test_readers_and_auditors_read_the_reserve_and_the_extensions_operators_do_not(
    api: Api, path: str
) -> None:
    assert statuses(api, path) == READERS


def test_a_street_s_reserve_its_cadres_movements_and_appointments(api: Api) -> None:
    body = read(api, "reader", f"/api/v1/towns/{STREET}/reserve?{ALL}")
    moved = read(api, "reader", f"/api/v1/towns/{STREET}/reserve/movements?{ALL}")

    [summary] = body["reserve"]["items"]
    assert set(summary) == fields(ReserveRow) and set(body["cadres"]["items"][0]) == fields(ReserveCadreRow)
    assert (summary["tier_b"], summary["tier_a"], summary["appointed"], summary["principal_only_from_a"]) == (
        5,
        3,
        4,
        True,
    )
    assert set(moved["movements"]["items"][0]) == fields(ReserveMovementRow)
    assert set(moved["appointments"]["items"][0]) == fields(ReserveAppointmentRow)
    with projected(api) as cur:
        on, now = date.today(), datetime.now(UTC)
        assert body["cadres"]["items"] == plain(reserve.cadres_as_of(cur, STREET, on, now))
        assert moved["appointments"]["items"] == plain(reserve.appointments_as_of(cur, STREET, on, now))


def test_the_reserve_as_of_a_day_needs_an_auditor_and_an_unknown_street_is_404(api: Api) -> None:
    path = f"/api/v1/towns/{STREET}/reserve?as_of=2021-06-29&{ALL}"
    read(api, "reader", path, 403)
    body = read(api, "auditor", path)
    assert [(r["tier_b"], r["tier_a"]) for r in body["reserve"]["items"]] == [(12, 0)]
    assert (
        read(api, "auditor", f"/api/v1/towns/{STREET}/reserve?as_of=2021-06-30")["reserve"]["items"][0][
            "tier_a"
        ]
        == 4
    )
    read(api, "reader", "/api/v1/towns/BH-NOWHERE/reserve", 404)
    read(api, "auditor", f"/api/v1/towns/{STREET}/reserve?as_of=2021-01-01", 404)  # not opened yet


def test_a_town_s_items_extended_to_its_communities_with_1392_cases(api: Api) -> None:
    body = read(api, "reader", f"/api/v1/towns/{TOWN}/extensions?{ALL}")

    assert set(body["items"]["items"][0]) == fields(ExtensionItemRow)
    assert set(body["extended"]["items"][0]) == fields(ExtendedRow)
    assert set(body["handled"]["items"][0]) == fields(HandledRow)
    assert body["items"]["total"] == 15 and sum(i["handled"] for i in body["items"]["items"]) == HANDLED
    assert body["extended"]["total"] == 15 * 6 - 1  # one village withdrawn from one item
    then = read(api, "auditor", f"/api/v1/towns/{TOWN}/extensions?as_of=2021-09-30&{ALL}")
    assert sum(i["handled"] for i in then["items"]["items"]) < HANDLED
    read(api, "reader", "/api/v1/towns/JB-KONGPU/extensions", 404)


def test_what_each_community_takes_in_and_the_cases_it_handled(api: Api) -> None:
    community = "JB-CICHENG-SQ01"
    body = read(api, "reader", f"/api/v1/extensions?community={community}&{ALL}")

    assert body["extended"]["total"] == 15 and {r["community"] for r in body["extended"]["items"]} == {
        community
    }
    with projected(api) as cur:
        found = extensions.handled_as_of(cur, None, community, date.today(), datetime.now(UTC))
        assert body["handled"]["items"] == plain(found)
    assert read(api, "reader", f"/api/v1/extensions?community=NOWHERE&{ALL}")["extended"]["total"] == 0
