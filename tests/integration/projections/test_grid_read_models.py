"""网格台账 and 网格案件 on a real PostgreSQL: cells per town and community with their members
and teams on both time axes; the case register and the linkage figures per cell and community."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from aggregates.grid.cell import CellDetails, TeamPlaces
from aggregates.linkage.case import CaseReport
from aggregates.organisation.town import TownDetails
from infra.bootstrap import build_ledger
from infra.contexts import GovernanceLedger as Ledger
from projections.grid.cases import GridCases, cases_in, metrics_by
from projections.grid.cells import GridCells, cell, cells
from projections.linkage.cases import LinkageCases
from projections.linkage.metrics import LinkageMetrics
from projections.runner import ProjectionRunner
from tests.support import caught_up, rebuilt
from tests.unit.builders import ctx
from tests.unit.linkage.test_case import TOWN, ZHZF, assignment, when

A, B = "JB-CC-CIHU", "JB-CC-GUCHENG"  # two communities of 慈城镇


def _grid(ledger: Ledger) -> datetime:
    """Cells A-1, A-2 (community A) and B-1, and A's own grid; A-1's "1+2" team, whose grid
    member gives up the role on 1 August; a rider who leaves A-1 on 1 June, recorded after the
    moment returned; B-1 retired on 1 November."""
    ledger.register_town(ctx("2021-01-04"), TOWN, TownDetails("慈城镇", "宁波市江北区", "town", "5+X"))
    for code, community, level in ((f"{A}-1", A, "basic"), (f"{A}-2", A, "basic"), (f"{B}-1", B, "basic")):
        ledger.register_grid_cell(ctx("2021-01-04"), code, CellDetails(TOWN, community, f"网格{code}", level))
    ledger.register_grid_cell(ctx("2021-03-01"), A, CellDetails(TOWN, A, "慈湖社区网格", "community"))
    one = f"{A}-1"
    ledger.form_grid_team(ctx("2021-01-04"), one, TeamPlaces("1+2", 2))
    for member, kind in (("M1", "full_time"), ("M2", "part_time"), ("R1", "mobile")):
        ledger.add_grid_member(
            ctx("2021-01-05"), one, member, kind, "delivery-riders" if kind == "mobile" else None
        )
    ledger.appoint_grid_role(ctx("2021-01-06"), one, "M1", "head")
    ledger.appoint_grid_role(ctx("2021-01-06"), one, "M2", "grid_member")
    ledger.add_grid_member(ctx("2021-02-01"), f"{B}-1", "R2", "mobile", "delivery-riders")
    before_leaving = datetime.now(UTC)
    ledger.remove_grid_member(ctx("2021-06-01"), one, "R1")
    ledger.relieve_grid_role(ctx("2021-08-01"), one, "M2")  # stays a member
    ledger.retire_grid_cell(ctx("2021-11-01", reason="多格合一"), f"{B}-1")
    return before_leaving


def _cases(ledger: Ledger) -> None:
    """Two cases in A-1 (one resolved on time and closed satisfied), one in B-1 before it
    retired, one with no cell."""
    for number, cell_code, minute in (("K1", f"{A}-1", 0), ("K2", f"{A}-1", 10), ("K3", f"{B}-1", 20)):
        report = CaseReport("grid", TOWN, cell_code, "litter")
        ledger.report_case(when(f"2021-07-01 09:{minute:02d}"), number, report)
        ledger.dispatch_case(when(f"2021-07-01 10:{minute:02d}"), number, assignment())
    ledger.report_case(when("2021-07-04 09:00"), "K4", CaseReport("hotline", TOWN, None, "noise"))
    ledger.sign_for_case(when("2021-07-01 11:00"), "K1", TOWN)
    ledger.sign_for_case(when("2021-07-01 11:30"), "K1", ZHZF)
    ledger.resolve_case(when("2021-07-05 16:00"), "K1", TOWN, "resolved")
    ledger.close_case(when("2021-07-06 10:00"), "K1", "satisfied")


def _runner(ledger: Ledger) -> ProjectionRunner:
    models: list[Any] = [GridCells(), GridCases(), LinkageCases(), LinkageMetrics()]
    return ProjectionRunner(ledger, models, name="grid")


def test_cells_per_town_and_community_with_members_and_teams_on_both_time_axes(database_url: str) -> None:
    with build_ledger(database_url) as ledger:
        before_leaving = _grid(ledger)
        with caught_up(_runner(ledger)) as cur:
            summer = {r["cell"]: r for r in cells(cur, TOWN, on=date(2021, 7, 1))}
            assert list(summer) == [A, f"{A}-1", f"{A}-2", f"{B}-1"]
            one = summer[f"{A}-1"]
            assert (one["members"], one["full_time"], one["part_time"], one["mobile"]) == (2, 1, 1, 0)
            assert (one["model"], one["head"], one["team"], one["level"]) == ("1+2", "M1", 2, "basic")
            assert summer[A]["level"] == "community" and summer[f"{B}-1"]["mobile"] == 1

            spring = {r["cell"]: r for r in cells(cur, TOWN, on=date(2021, 2, 1))}
            assert A not in spring and spring[f"{A}-1"]["mobile"] == 1  # A's own grid came in March
            # as the ledger stood before R1's leaving was recorded, R1 was still in on 1 July
            then = {r["cell"]: r for r in cells(cur, TOWN, on=date(2021, 7, 1), known_at=before_leaving)}
            assert then[f"{A}-1"]["mobile"] == 1
            # B-1 retired on 1 November: out of the grid from that day, its member with it
            assert [r["cell"] for r in cells(cur, community=B, on=date(2021, 11, 1))] == []
            assert [r["cell"] for r in cells(cur, community=B, on=date(2021, 10, 31))] == [f"{B}-1"]

            found = cell(cur, f"{A}-1", date(2021, 7, 1))
            assert found is not None and found["team"]["model"] == "1+2" and found["retired_on"] is None
            assert [(m["member"], m["kind"], m["role"]) for m in found["members"]] == [
                ("M1", "full_time", "head"),
                ("M2", "part_time", "grid_member"),
            ]
            august = cell(cur, f"{A}-1", date(2021, 8, 1))
            assert august is not None
            assert [(m["member"], m["role"]) for m in august["members"]] == [("M1", "head"), ("M2", None)]
            assert {r["cell"]: r["team"] for r in cells(cur, community=A, on=date(2021, 8, 1))}[f"{A}-1"] == 1
            retired = cell(cur, f"{B}-1", date(2021, 12, 1))
            assert retired is not None and (retired["retired_on"], retired["members"]) == (
                date(2021, 11, 1),
                [],
            )
            assert cell(cur, "NOWHERE") is None and cell(cur, A, date(2021, 2, 1)) is None


def test_the_case_register_and_the_figures_per_cell_and_community(database_url: str) -> None:
    with build_ledger(database_url) as ledger:
        _grid(ledger)
        _cases(ledger)
        runner = _runner(ledger)

        def read() -> tuple[Any, ...]:
            with caught_up(runner) as cur:
                return (
                    [r["number"] for r in cases_in(cur, cell=f"{A}-1")],
                    [r["number"] for r in cases_in(cur, community=B)],
                    [r["number"] for r in cases_in(cur, town=TOWN)],
                    [r["number"] for r in cases_in(cur, community=A, open_only=True)],
                    metrics_by(cur, "2021-07", "cell"),
                    metrics_by(cur, "2021-07", "community", town=TOWN),
                )

        before, after = rebuilt(runner, read)
        assert before == after
        one, b, town, open_in_a, by_cell, by_community = before
        assert (one, b, town, open_in_a) == (["K1", "K2"], ["K3"], ["K1", "K2", "K3"], ["K2"])
        first = next(r for r in by_cell if r["cell"] == f"{A}-1")
        # K1 and K2 dispatched to the town and ZHZF: 2 parties each; K1's two sign-fors on time
        assert (first["dispatched"], first["signed"], first["signed_on_time"], first["resolved"]) == (
            4,
            2,
            2,
            1,
        )
        assert (first["response"], first["satisfaction"], first["community"]) == (
            Decimal("1.0000"),
            Decimal("1.0000"),
            A,
        )
        assert [(r["community"], r["cells"], r["dispatched"]) for r in by_community] == [(A, 1, 4), (B, 1, 2)]
