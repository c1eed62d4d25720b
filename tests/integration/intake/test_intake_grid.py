"""The grid (网格) end to end on real Kafka and PostgreSQL: grid commands on the organisation
topic build the cells, members and teams; then cases reported with a cell on the linkage
topic are checked against them — an unknown cell and a retired one are dead-lettered with
their rules, a known cell and no cell pass — and the register reads per cell and community."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from contracts.grid import commands as g
from contracts.linkage import commands as c
from contracts.organisation import commands as o
from infra.bootstrap import build_ledger
from projections.grid.cases import cases_in
from projections.grid.cells import cell, cells
from tests.support import Intake, encoded, from_bureau, isolated_settings

CST = timezone(timedelta(hours=8))
T0 = datetime(2021, 1, 4, 9, tzinfo=CST)
TOWN, COMMUNITY = "LH-YH-MALUJIE", "LH-YH-MALUJIE-C1"
CELL, OLD = f"{COMMUNITY}-G1", f"{COMMUNITY}-G0"


def _send(cls: type, days: float, payload: Any, **envelope: Any) -> Any:
    label = f"grid-e2e/{cls.__name__}/{days}/{payload}"
    return from_bureau(cls, label, payload, T0 + timedelta(days=days), **envelope)


def _town() -> Any:
    """马路街, registered before its cells: they are keyed otherwise, and read it."""
    street = o.TownDetails(
        code=TOWN, name="马路街街道", district_name="漯河市源汇区", kind="street", model="未载明"
    )
    return _send(o.RegisterTown, 0, street, version=2)


def _grid() -> list[Any]:
    """马路街 and two cells; three riders join one as mobile members, one heads its "1+2"
    team; the other cell is retired on 1 March ("多格合一")."""
    street = o.TownDetails(
        code=TOWN, name="马路街街道", district_name="漯河市源汇区", kind="street", model="未载明"
    )
    out = [_send(o.RegisterTown, 0, street, version=2)]
    for code in (CELL, OLD):
        out.append(
            _send(
                g.RegisterGridCell, 1, g.GridCellDetails(cell=code, town=TOWN, community=COMMUNITY, name=code)
            )
        )
    out.append(_send(g.FormGridTeam, 1, g.GridTeamPlaces(cell=CELL, model="1+2", grid_members=2)))
    for n in (1, 2, 3):
        rider = g.GridMembership(
            cell=CELL, member=f"LH-RIDER-{n:03d}", kind="mobile", drawn_from="delivery-riders"
        )
        out.append(_send(g.AddGridMember, 2, rider))
    out.append(_send(g.AppointGridRole, 3, g.GridAppointment(cell=CELL, member="LH-RIDER-001", role="head")))
    out.append(_send(g.RetireGridCell, 56, g.GridCellRef(cell=OLD), reason="多格合一"))
    return out


def _report(number: str, cell_code: str | None) -> Any:
    report = c.CaseReport(case=number, source="grid", town=TOWN, grid_cell=cell_code, category="fire-safety")
    return _send(c.ReportCase, 300, report)  # 2021-10-31


@pytest.fixture
def intake(database_url: str, broker: str) -> Intake:
    """Topics of one partition each: the town and its cells (keyed otherwise) arrive in the
    order published, as a sender who registers the town first would see them applied."""
    return Intake(database_url, broker, isolated_settings(partitions=1))


def test_grid_commands_build_the_grid_and_a_case_in_an_unknown_or_retired_cell_is_dead_lettered(
    intake: Intake,
) -> None:
    with build_ledger(intake.database_url) as ledger:
        built = intake.run(encoded([_town(), *_grid()]), ledger=ledger)
        assert (built.intake.stats.applied, built.intake.stats.dead_lettered) == (9, 0)

        reports = [
            _report("K1", CELL),
            _report("K2", "LH-NO-SUCH-CELL"),
            _report("K3", OLD),
            _report("K4", None),
        ]
        worker = intake.run(encoded(reports), ledger=ledger)

    assert (worker.intake.stats.applied, worker.intake.stats.dead_lettered) == (2, 2)
    letters = {letter.message_id: letter for letter in intake.dead_letters()}
    assert {(letters[r.message_id].rule, letters[r.message_id].topic) for r in reports[1:3]} == {
        ("GridCellNotRegistered", intake.settings.topics.linkage),
        ("GridCellRetired", intake.settings.topics.linkage),
    }
    assert "LH-NO-SUCH-CELL" in letters[reports[1].message_id].error
    with intake.read_models() as cur:
        [row] = cells(cur, TOWN, COMMUNITY)
        assert (row["cell"], row["mobile"], row["head"], row["model"]) == (CELL, 3, "LH-RIDER-001", "1+2")
        found = cell(cur, OLD)
        assert found is not None and str(found["retired_on"]) == "2021-03-01"
        assert [r["number"] for r in cases_in(cur, community=COMMUNITY)] == ["K1"]
        assert [r["number"] for r in cases_in(cur, cell=OLD)] == []
