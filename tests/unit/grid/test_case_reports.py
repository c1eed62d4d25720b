"""A case reported with a grid cell is checked against the grid (网格) on the report's day; a
case reported without one passes as before."""

from __future__ import annotations

from datetime import datetime

import pytest

from aggregates.base import CHINA_STANDARD_TIME, Context
from aggregates.grid.cell import (
    CellDetails,
    GridCell,
    GridCellNotRegistered,
    GridCellOfAnotherTown,
    GridCellRetired,
)
from aggregates.linkage.case import CaseReport, LinkageCase
from aggregates.organisation.town import TownDetails
from infra.contexts import GovernanceLedger as Ledger
from tests.unit.builders import ctx

TOWN, OTHER = "JB-CICHENG", "JB-KONGPU"


def at(text: str) -> Context:
    return ctx(effective_at=datetime.fromisoformat(text).replace(tzinfo=CHINA_STANDARD_TIME), reason=None)


def report(cell: str | None, town: str = TOWN) -> CaseReport:
    return CaseReport("grid", town, grid_cell=cell, category="litter")


@pytest.fixture
def grid(ledger: Ledger) -> Ledger:
    """Given 慈城镇 with cell CC-01 registered on 4 January 2021 and CC-02 retired on 1 October."""
    ledger.register_town(ctx("2021-01-04"), TOWN, TownDetails("慈城镇", "宁波市江北区", "town", "5+X"))
    for code in ("CC-01", "CC-02"):
        ledger.register_grid_cell(ctx("2021-01-04"), code, CellDetails(TOWN, "JB-CC-CIHU", f"网格{code}"))
    ledger.retire_grid_cell(ctx("2021-10-01", reason="网格调整"), "CC-02")
    return ledger


def reported(ledger: Ledger, number: str) -> bool:
    return ledger.find(LinkageCase.create_id(number)) is not None


def test_a_case_in_a_known_cell_of_its_town_is_reported(grid: Ledger) -> None:
    grid.report_case(at("2021-12-01 09:00"), "C1", report("CC-01"))
    grid.report_case(at("2021-09-30 09:00"), "C2", report("CC-02"))  # the day before it retired
    assert reported(grid, "C1") and reported(grid, "C2")


def test_a_case_without_a_cell_passes_as_before(grid: Ledger) -> None:
    grid.report_case(at("2021-12-01 09:00"), "C1", report(None))
    assert reported(grid, "C1")


def test_a_case_in_a_cell_the_grid_does_not_know_is_refused(grid: Ledger) -> None:
    with pytest.raises(GridCellNotRegistered, match="CC-99"):
        grid.report_case(at("2021-12-01 09:00"), "C1", report("CC-99"))
    assert not reported(grid, "C1")


def test_a_case_dated_before_its_cell_was_registered_is_refused(grid: Ledger) -> None:
    with pytest.raises(GridCellNotRegistered, match="registered from 2021-01-04"):
        grid.report_case(at("2021-01-03 09:00"), "C1", report("CC-01"))


def test_a_case_in_a_cell_retired_by_the_report_s_day_is_refused(grid: Ledger) -> None:
    with pytest.raises(GridCellRetired):
        grid.report_case(at("2021-10-01 08:00"), "C1", report("CC-02"))


def test_a_case_in_a_cell_of_another_town_is_refused(grid: Ledger) -> None:
    with pytest.raises(GridCellOfAnotherTown):
        grid.report_case(at("2021-12-01 09:00"), "C1", report("CC-01", OTHER))


def test_a_report_resent_unchanged_after_its_cell_retired_records_nothing(grid: Ledger) -> None:
    grid.report_case(at("2021-09-30 09:00"), "C1", report("CC-02"))
    grid.report_case(at("2021-10-02 09:00"), "C1", report("CC-02"))  # a resend: the case is known
    assert len(list(grid.events.get(LinkageCase.create_id("C1")))) == 1


def test_the_check_reads_the_cell_as_the_ledger_holds_it_without_a_working_copy(grid: Ledger) -> None:
    cell_id = GridCell.create_id("CC-01")
    with grid.batch() as batch, batch.command():
        assert grid._read(GridCell, cell_id) is grid.find(cell_id) is not None  # cached, not copied
        assert grid._read(GridCell, GridCell.create_id("CC-99")) is None
    grid.report_case(at("2021-12-01 09:00"), "C1", report("CC-01"))
    assert grid.find(cell_id).version == 1  # the report changed nothing of its cell
