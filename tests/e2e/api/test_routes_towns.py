"""Towns over the API: duty lists, structure and scenarios answer what the projections give."""

from __future__ import annotations

from datetime import date

import pytest

from infra.api.answers import DutyRow, PowerRow, ScenarioRow
from infra.axes import moment
from projections.duties import overview as town_duty_overview
from projections.duties.history import duty_lists_as_of
from projections.organisation import structure as town_structure
from projections.powers.inventory import town_powers
from projections.territorial.scenarios import scenarios_in
from tests.e2e.api.reading import ALL, READERS, Api, fields, plain, projected, read, statuses

TOWN = "JB-CICHENG"


@pytest.mark.parametrize(
    "path",
    [f"/api/v1/towns/{TOWN}/duties", f"/api/v1/towns/{TOWN}/structure", f"/api/v1/towns/{TOWN}/scenarios"],
)
def test_readers_and_auditors_read_a_towns_lists_operators_do_not(api: Api, path: str) -> None:
    assert statuses(api, path) == READERS


def test_the_duty_lists_are_the_towns_basic_cooperating_and_recalled_duties(api: Api) -> None:
    body = read(api, "reader", f"/api/v1/towns/{TOWN}/duties?{ALL}")
    with projected(api) as cur:
        expected = plain(town_duty_overview.duty_lists(cur, TOWN))
    assert {k: body[k]["items"] for k in ("basic", "cooperating", "recalled")} == expected
    assert body["basic"]["total"] > 0 and body["town"] == TOWN
    assert set(body["basic"]["items"][0]) == fields(DutyRow)


def test_the_duty_lists_as_of_a_day_as_known_then_need_an_auditor(api: Api) -> None:
    path = f"/api/v1/towns/{TOWN}/duties?as_of=2021-12-01&known_at=2099-01-01&{ALL}"
    read(api, "reader", path, 403)
    body = read(api, "auditor", path)
    with projected(api) as cur:
        expected = plain(duty_lists_as_of(cur, TOWN, date(2021, 12, 1), moment("2099-01-01")))
    assert {k: body[k]["items"] for k in expected} == expected
    assert body["basic"]["total"] > 0


def test_each_list_of_the_duties_is_paged_on_its_own(api: Api) -> None:
    first = read(api, "reader", f"/api/v1/towns/{TOWN}/duties?limit=2")
    second = read(api, "reader", f"/api/v1/towns/{TOWN}/duties?limit=2&offset=2")
    whole = read(api, "reader", f"/api/v1/towns/{TOWN}/duties?{ALL}")
    assert first["basic"]["next"] == 2
    assert first["basic"]["items"] + second["basic"]["items"] == whole["basic"]["items"][:4]


def test_the_structure_is_the_towns_model_units_and_removed_plaques(api: Api) -> None:
    town = "AN-JD-PILOT"  # the street report's pilot, which took down its plaques
    body = read(api, "reader", f"/api/v1/towns/{town}/structure?{ALL}")
    with projected(api) as cur:
        assert body["model"] == plain(town_structure.town_model(cur, town))
        assert body["units"]["items"] == plain(town_structure.town_structure(cur, town))
        assert body["plaques_removed"]["items"] == plain(town_structure.removed_plaques(cur, town))
    assert body["units"]["total"] > 0 and body["plaques_removed"]["total"] > 0


def test_the_structure_of_a_town_the_ledger_does_not_know_is_a_404_problem(api: Api) -> None:
    client, tokens = api
    answer = client.get(
        "/api/v1/towns/NO-SUCH-TOWN/structure", headers={"Authorization": f"Bearer {tokens['reader']}"}
    )
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert "NO-SUCH-TOWN" in answer.json()["detail"]


def test_the_scenarios_are_those_in_force_for_the_town(api: Api) -> None:
    body = read(api, "reader", f"/api/v1/towns/{TOWN}/scenarios?{ALL}")
    with projected(api) as cur:
        assert body["items"] == plain(scenarios_in(cur, TOWN))
    assert body["total"] > 0 and set(body["items"][0]) == fields(ScenarioRow)


def test_the_powers_rows_are_described_by_their_schema(api: Api) -> None:
    body = read(api, "reader", f"/api/v1/towns/{TOWN}/powers?limit=1")
    with projected(api) as cur:
        [first, *_] = town_powers(cur, TOWN, date.today())
    assert set(body["items"][0]) == fields(PowerRow) == set(first)


def test_a_code_holding_nul_is_a_400_naming_the_parameter_not_a_database_error(api: Api) -> None:
    for path in (f"/api/v1/towns/{TOWN}%00/powers", f"/api/v1/towns/{TOWN}%00/duties"):
        body = read(api, "reader", path, 400)
        assert "town" in str(body["invalid_params"])
