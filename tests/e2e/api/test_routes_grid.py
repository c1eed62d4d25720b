"""The grid (网格) over the API and the command line, on the demo: 慈城镇's twelve cells the
linkage cases name, 包河's "1+2+N3+6" teams, 漯河's 223 riders; the case register and the
figures per cell and community."""

from __future__ import annotations

from typing import Any

import pytest

from infra.api.answers import GridCellDetail, GridCellRow, GridFigures, GridMemberRow
from infra.cli import main as cli
from infra.demo import grid as demo
from infra.settings import Settings
from projections.linkage import metrics as linkage_metrics
from tests.e2e.api.reading import ALL, READERS, Api, fields, projected, read, statuses
from tests.support import cli_json

BAOHE_CELL = "BH-WNB-C1-G1"


@pytest.fixture()
def cli_on_demo(demo_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVLEDGER_DATABASE_URL", demo_settings.database_url)


@pytest.mark.parametrize(
    "path", ["/api/v1/grid/cells", f"/api/v1/grid/cells/{BAOHE_CELL}", "/api/v1/grid/metrics?period=2021-12"]
)
def test_readers_and_auditors_read_the_grid_operators_do_not(api: Api, path: str) -> None:
    assert statuses(api, path) == READERS


def test_the_cells_the_linkage_cases_name_are_in_the_grid_with_their_teams(api: Api) -> None:
    body = read(api, "reader", f"/api/v1/grid/cells?town={demo.CICHENG}&{ALL}")
    assert sorted(row["cell"] for row in body["items"]) == demo.CICHENG_CELLS
    assert all(set(row) == fields(GridCellRow) for row in body["items"])
    assert {(r["members"], r["full_time"], r["part_time"], r["model"], r["team"]) for r in body["items"]} == {
        (2, 1, 1, "1+2", 2)
    }


def test_baohe_s_cells_run_one_head_two_grid_members_three_posts_and_six_officers(api: Api) -> None:
    found = read(api, "reader", f"/api/v1/grid/cells/{BAOHE_CELL}?{ALL}")
    assert set(found) == fields(GridCellDetail) and set(found["members"]["items"][0]) == fields(GridMemberRow)
    assert (found["team"]["model"], found["town"], found["level"]) == (demo.BAOHE_MODEL, demo.BAOHE, "basic")
    roles = [m["role"] for m in found["members"]["items"]]
    assert [roles.count(r) for r in ("head", "grid_member", "post", "officer")] == [1, 2, 3, 6]
    assert found["members"]["total"] == 13 and roles.count(None) == 1  # an officer relieved, replaced
    community = read(api, "reader", f"/api/v1/grid/cells?community=BH-WNB-C1&{ALL}")
    assert [(r["cell"], r["level"], r["team"]) for r in community["items"]][0] == (
        "BH-WNB-C1",
        "community",
        3,
    )
    assert read(api, "reader", "/api/v1/grid/cells/NO-SUCH-CELL", 404)["status"] == 404


def test_luohe_s_223_riders_are_mobile_members_one_has_left_and_two_cells_merged(api: Api) -> None:
    rows = [
        row
        for town in demo.LUOHE_STREETS
        for row in read(api, "reader", f"/api/v1/grid/cells?town={town}&{ALL}")["items"]
    ]
    assert sum(r["mobile"] for r in rows) == demo.RIDERS - 1 and {r["full_time"] for r in rows} == {0}
    assert len(rows) == 12 - 2 + 1  # 多格合一: two cells retired into one
    earlier = read(api, "auditor", f"/api/v1/grid/cells?town=LH-YH-MALUJIE&as_of=2021-06-01&{ALL}")
    assert len(earlier["items"]) == 4 and sum(r["mobile"] for r in earlier["items"]) == 4 * 19
    read(api, "reader", "/api/v1/grid/cells?as_of=2021-06-01", 403)  # another day asks for an auditor


def test_the_register_and_the_figures_read_per_cell_and_community(
    api: Api, cli_on_demo: None, capsys: Any
) -> None:
    in_cell = read(api, "reader", f"/api/v1/cases?cell=CC-01&{ALL}")
    assert [row["number"] for row in in_cell["items"]] == [f"CC-20211201-{n:03d}" for n in (0, 12, 24, 36)]
    in_community = read(api, "reader", f"/api/v1/cases?community={demo.CICHENG_COMMUNITIES[0]}&{ALL}")
    assert in_community["total"] == 16  # CC-01 … CC-04
    assert cli_json(capsys, "cases", "--community", demo.CICHENG_COMMUNITIES[0]) == in_community["items"]

    by = read(api, "reader", f"/api/v1/grid/metrics?period=2021-12&by=community&town={demo.CICHENG}&{ALL}")
    assert [r["community"] for r in by["items"]] == sorted(demo.CICHENG_COMMUNITIES)
    assert all(set(row) == fields(GridFigures) for row in by["items"])
    with projected(api) as cur:  # every case of the demo's day names a cell: the sums agree
        parties = linkage_metrics.summed(linkage_metrics.metrics(cur, "2021-12"))
    for counter in ("dispatched", "signed", "resolved", "closed", "supervised", "escalated"):
        assert sum(r[counter] for r in by["items"]) == parties[counter], counter
    per_cell = read(api, "reader", f"/api/v1/grid/metrics?period=2021-12&town={demo.CICHENG}&{ALL}")
    by_cli = cli_json(capsys, "grid", "metrics", "--period", "2021-12", "--town", demo.CICHENG)
    assert per_cell["total"] == len(by_cli) == 12


def test_the_command_line_shows_a_cell_as_the_api_does_and_names_an_unknown_one(
    api: Api, cli_on_demo: None, capsys: Any
) -> None:
    by_cli = cli_json(capsys, "grid", "cell", "--cell", BAOHE_CELL)
    by_api = read(api, "reader", f"/api/v1/grid/cells/{BAOHE_CELL}?{ALL}")
    assert by_cli == {**by_api, "members": by_api["members"]["items"]}
    assert cli.main(["grid", "cell", "--cell", "NO-SUCH-CELL"]) == 1
    assert "no grid cell 'NO-SUCH-CELL' is known" in capsys.readouterr().out
