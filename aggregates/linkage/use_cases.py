"""Use cases of district-to-town linkage cases (SPEC §7, 区镇联动)."""

from __future__ import annotations

from datetime import date, datetime

from aggregates.base import Context
from aggregates.command_batch import UseCases, use_case
from aggregates.grid.cell import GridCell, GridCellNotRegistered, GridCellOfAnotherTown, GridCellRetired
from aggregates.linkage.case import Assignment, CaseAlreadyReported, CaseNotReported, CaseReport, LinkageCase

VALUE_TYPES: tuple[type, ...] = (CaseReport, Assignment)


class LinkageUseCases(UseCases):
    """区镇联动 — a linkage case reported, dispatched, handled, closed, supervised, escalated."""

    value_types = VALUE_TYPES

    def _case(self, number: str) -> LinkageCase:
        return self._found(
            LinkageCase,
            LinkageCase.create_id(number),
            lambda: CaseNotReported(f"case {number} was not reported: send case.report first"),
        )

    @use_case
    def report_case(self, ctx: Context, case: str, report: CaseReport) -> None:
        """A report resent unchanged records nothing; other content under the number is refused.
        A new report naming a grid cell is checked against the grid (网格) on its day."""
        self._create_once(
            LinkageCase,
            LinkageCase.create_id(case),
            new=lambda: self._new_case(case, report, ctx),
            same=lambda reported: reported.report == report,
            conflict=lambda: CaseAlreadyReported(
                f"reporting case {case}: it was reported with other content; report the new case under "
                "another number"
            ),
        )

    def _new_case(self, case: str, report: CaseReport, ctx: Context) -> LinkageCase:
        if report.grid_cell is not None:
            self._in_the_grid(case, report, ctx.effective_on)
        return LinkageCase(number=case, report=report, ctx=ctx)

    def _in_the_grid(self, case: str, report: CaseReport, day: date) -> None:
        """The report's cell is registered by its day, not retired by then, and in its town:
        one aggregate the intake reads with the case (and keeps cached), no query of its own,
        read without a working copy (the report changes nothing of it)."""
        cell_code = report.grid_cell or ""
        cell = self._read(GridCell, GridCell.create_id(cell_code))
        if cell is None or day < cell.registered_on:
            since = (
                "; send its grid.register_cell first"
                if cell is None
                else f" (registered from {cell.registered_on}); report it on or after {cell.registered_on}"
            )
            raise GridCellNotRegistered(f"case {case} names grid cell {cell_code}, unknown on {day}{since}")
        GridCellRetired.check(
            not cell.retired_by(day),
            f"case {case} on {day}: grid cell {cell_code} retired on {cell.retired_on}; name a cell of "
            f"{report.town} in service on {day}",
        )
        GridCellOfAnotherTown.check(
            cell.details.town == report.town,
            f"case {case} in {report.town} names grid cell {cell_code} of {cell.details.town}; name a cell "
            f"of {report.town}",
        )

    @use_case
    def dispatch_case(self, ctx: Context, case: str, assignment: Assignment) -> None:
        self._case(case).dispatch(assignment, ctx)

    @use_case
    def sign_for_case(self, ctx: Context, case: str, party: str, note: str = "") -> None:
        self._case(case).sign_for(party, note, ctx)

    @use_case
    def report_in_to_case(self, ctx: Context, case: str, party: str, note: str = "") -> None:
        self._case(case).report_in(party, note, ctx)

    @use_case
    def handle_case(self, ctx: Context, case: str, party: str, note: str = "") -> None:
        self._case(case).handle(party, note, ctx)

    @use_case
    def send_back_case(self, ctx: Context, case: str, party: str, suggested: str | None = None) -> None:
        self._case(case).send_back(party, suggested, ctx)

    @use_case
    def request_case_extension(self, ctx: Context, case: str, party: str, days: int) -> None:
        self._case(case).request_extension(party, days, ctx)

    @use_case
    def grant_case_extension(self, ctx: Context, case: str, days: int) -> None:
        self._case(case).grant_extension(days, ctx)

    @use_case
    def resolve_case(self, ctx: Context, case: str, party: str, outcome: str, summary: str = "") -> None:
        self._case(case).resolve(party, outcome, summary, ctx)

    @use_case
    def close_case(self, ctx: Context, case: str, satisfaction: str) -> None:
        self._case(case).close(satisfaction, ctx)

    @use_case
    def rework_case(self, ctx: Context, case: str, resolve_by: datetime) -> None:
        self._case(case).rework(resolve_by, ctx)

    @use_case
    def merge_case(self, ctx: Context, case: str, into: str) -> None:
        self._case(case).merge(into, ctx)

    @use_case
    def supervise_case(self, ctx: Context, case: str, deadline: str, due: datetime) -> None:
        """督办, sent by the deadline clock for a deadline of this round that passed unmet."""
        self._case(case).supervise(deadline, due, ctx)

    @use_case
    def escalate_case(self, ctx: Context, case: str) -> None:
        self._case(case).escalate(ctx)
