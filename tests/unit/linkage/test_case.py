"""区镇联动案件: reported, dispatched in rounds, signed for, reported in, handled, sent back,
resolved, closed, reworked and merged (more time, 督办 and escalation: test_linkage_deadlines)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest

from aggregates.base import CHINA_STANDARD_TIME, ReasonRequired, RuleViolation
from aggregates.grid.cell import CellDetails
from aggregates.linkage.case import (
    AlreadyReportedIn,
    AlreadyResolved,
    AlreadySignedFor,
    Assignment,
    CannotMergeIntoItself,
    CaseAlreadyReported,
    CaseClosed,
    CaseNotDispatched,
    CaseNotReported,
    CaseReport,
    DeadlinesOutOfOrder,
    LeadAmongCooperating,
    LinkageCase,
    NotACooperatingParty,
    NotAParty,
    NotAwaitingDispatch,
    NotResolved,
    NotSignedFor,
    NotTheLead,
    ReworkDeadlinePassed,
    ReworkOnlyAfterDissatisfaction,
    SubjectRequired,
    SuggestedIsTheSender,
    TierMismatch,
)
from aggregates.organisation.town import TownDetails
from infra.contexts import GovernanceLedger as Ledger
from tests.unit.builders import ctx, event_names, immutable, state

C = "JB-12345-0001"
TOWN, ZHZF, SCJG, GHJ = "JB-CICHENG", "JB-ZHZF", "JB-SCJG", "JB-ZRZY"  # 慈城镇, 综合执法, 市场监管, 规划
REPORT = CaseReport("hotline", TOWN, grid_cell="CC-07", category="illegal-building", summary="屋顶加层")


def at(text: str) -> datetime:
    """A moment in China Standard Time, "2021-07-01 09:00"."""
    return datetime.fromisoformat(text).replace(tzinfo=CHINA_STANDARD_TIME)


def when(text: str, **overrides: Any) -> Any:
    """The context of an act taking effect at that moment (with no reason unless given)."""
    return ctx(**{"effective_at": at(text), "reason": None, **overrides})


def assignment(
    lead: str = TOWN,
    cooperating: tuple[str, ...] = (ZHZF,),
    tier: str = "town",
    sign_for_by: str = "2021-07-02 09:00",
    resolve_by: str = "2021-07-08 18:00",
    cause: str = "case-reported",
) -> Assignment:
    return Assignment(tier, lead, cooperating, at(sign_for_by), at(resolve_by), "town_daily", None, cause)


def district_dispatch(sign_for_by: str, cause: str, resolve_by: str = "2021-07-08 18:00") -> Assignment:
    """The district's dispatch of a case escalated from the town: 规划 leads, the town cooperates."""
    return assignment(GHJ, (TOWN,), "district", sign_for_by, resolve_by, cause)


def case(ledger: Ledger, number: str = C) -> LinkageCase:
    return ledger.repository.get(LinkageCase.create_id(number))


def events(ledger: Ledger, number: str = C) -> list[Any]:
    return list(ledger.events.get(LinkageCase.create_id(number)))


def names(ledger: Ledger) -> list[str]:
    return event_names(ledger, LinkageCase.create_id(C))


def in_the_grid(ledger: Ledger) -> None:
    """Given 慈城镇 and its grid cell CC-07 are registered (a report naming a cell is checked
    against the grid: tests/unit/grid/test_case_reports.py)."""
    ledger.register_town(ctx("2021-01-04"), TOWN, TownDetails("慈城镇", "宁波市江北区", "town", "5+X"))
    ledger.register_grid_cell(ctx("2021-01-04"), "CC-07", CellDetails(TOWN, "JB-CC-CIHU", "慈城镇第7网格"))


def reported(ledger: Ledger) -> None:
    """Given the case is reported by the 12345 hotline on 1 July at 09:00, in cell CC-07."""
    in_the_grid(ledger)
    ledger.report_case(when("2021-07-01 09:00"), C, REPORT)


def dispatched(ledger: Ledger, **terms: Any) -> None:
    """Given it is dispatched at 10:00 to the town, with the enforcement bureau cooperating."""
    reported(ledger)
    ledger.dispatch_case(when("2021-07-01 10:00"), C, assignment(**terms))


def signed(ledger: Ledger) -> None:
    """Given the town, the lead, signed for it at 11:00."""
    dispatched(ledger)
    ledger.sign_for_case(when("2021-07-01 11:00"), C, TOWN, "已签收")


def resolved(ledger: Ledger) -> None:
    """Given the town resolved it on 5 July."""
    signed(ledger)
    ledger.resolve_case(when("2021-07-05 16:00"), C, TOWN, "resolved", "已拆除")


def closed(ledger: Ledger, satisfaction: str = "satisfied") -> None:
    resolved(ledger)
    ledger.close_case(when("2021-07-06 10:00"), C, satisfaction)


# -- reporting --------------------------------------------------------------------------------


def test_a_reported_case_awaits_dispatch_without_a_tier_and_a_resent_report_records_nothing(
    ledger: Ledger,
) -> None:
    reported(ledger)
    ledger.report_case(when("2021-07-01 09:05"), C, REPORT)

    found = case(ledger)
    assert (found.status, found.tier, found.round, found.lead) == ("reported", None, 0, None)
    assert (found.report, found.reported_at) == (REPORT, at("2021-07-01 09:00"))
    assert names(ledger) == ["Reported"]


def test_another_report_under_a_number_already_reported_is_refused(ledger: Ledger) -> None:
    reported(ledger)
    with pytest.raises(CaseAlreadyReported):
        ledger.report_case(when("2021-07-01 09:05"), C, replace(REPORT, source="grid"))


def test_a_report_names_a_category_or_a_power_item() -> None:
    with pytest.raises(SubjectRequired):
        CaseReport("grid", TOWN)
    assert CaseReport("grid", TOWN, item="330211-CF-001").item == "330211-CF-001"


@pytest.mark.parametrize(
    "act",
    [
        lambda L: L.dispatch_case(when("2021-07-01 10:00"), C, assignment()),
        lambda L: L.sign_for_case(when("2021-07-01 10:00"), C, TOWN),
        lambda L: L.close_case(when("2021-07-01 10:00"), C, "satisfied"),
        lambda L: L.escalate_case(when("2021-07-01 10:00", reason="疑难"), C),
    ],
)
def test_nothing_happens_to_a_case_never_reported(ledger: Ledger, act: Any) -> None:
    with pytest.raises(CaseNotReported):
        act(ledger)


# -- dispatching ------------------------------------------------------------------------------


def test_the_first_dispatch_classifies_the_case_and_opens_round_one(ledger: Ledger) -> None:
    dispatched(ledger, cooperating=(ZHZF, SCJG))

    found = case(ledger)
    assert (found.status, found.tier, found.round, found.lead) == ("dispatched", "town", 1, TOWN)
    assert found.assignment.cooperating == (ZHZF, SCJG)
    assert found.resolve_by == at("2021-07-08 18:00")
    [_, dispatch] = events(ledger)
    assert (dispatch.round, dispatch.assignment.cause) == (1, "case-reported")


def test_a_dispatched_case_is_not_dispatched_again_and_the_same_dispatch_records_nothing(
    ledger: Ledger,
) -> None:
    dispatched(ledger)
    ledger.dispatch_case(when("2021-07-01 10:01"), C, assignment())

    with pytest.raises(NotAwaitingDispatch):
        ledger.dispatch_case(when("2021-07-01 10:02"), C, assignment(lead=ZHZF, cooperating=()))
    assert names(ledger) == ["Reported", "Dispatched"]


def test_the_lead_is_not_also_a_cooperating_party() -> None:
    with pytest.raises(LeadAmongCooperating):
        assignment(cooperating=(ZHZF, TOWN))


@pytest.mark.parametrize(
    "sign_for_by, resolve_by",
    [
        ("2021-07-01 10:00", "2021-07-08 18:00"),  # the deadline to sign for is the act itself
        ("2021-07-01 08:00", "2021-07-08 18:00"),  # already passed
        ("2021-07-03 09:00", "2021-07-02 09:00"),  # resolve before signing for
    ],
)
def test_a_dispatch_s_deadlines_lie_ahead_in_order(ledger: Ledger, sign_for_by: str, resolve_by: str) -> None:
    reported(ledger)
    with pytest.raises(DeadlinesOutOfOrder):
        ledger.dispatch_case(
            when("2021-07-01 10:00"), C, assignment(sign_for_by=sign_for_by, resolve_by=resolve_by)
        )
    assert case(ledger).status == "reported"


def test_after_an_escalation_the_case_is_dispatched_at_the_tier_it_went_up_to(
    ledger: Ledger,
) -> None:
    dispatched(ledger)
    ledger.escalate_case(when("2021-07-01 12:00", reason="涉及多个部门"), C)

    with pytest.raises(TierMismatch):
        ledger.dispatch_case(
            when("2021-07-01 13:00"), C, assignment(sign_for_by="2021-07-02 13:00", cause="escalated")
        )
    ledger.dispatch_case(when("2021-07-01 13:00"), C, district_dispatch("2021-07-02 13:00", "escalated"))
    assert (case(ledger).tier, case(ledger).round, case(ledger).lead) == ("district", 2, GHJ)


def test_a_new_round_after_a_sending_back_starts_with_no_one_signed_or_reported_in(
    ledger: Ledger,
) -> None:
    signed(ledger)
    ledger.report_in_to_case(when("2021-07-01 11:30"), C, ZHZF)
    ledger.send_back_case(when("2021-07-01 12:00", reason="属规划执法事项"), C, TOWN, GHJ)
    ledger.dispatch_case(
        when("2021-07-01 13:00"),
        C,
        assignment(
            lead=GHJ, cooperating=(TOWN,), tier="town", sign_for_by="2021-07-02 13:00", cause="sent-back"
        ),
    )

    found = case(ledger)
    assert (found.status, found.round, found.lead, found.signed, found.reported_in) == (
        "dispatched",
        2,
        GHJ,
        (),
        (),
    )
    ledger.sign_for_case(when("2021-07-01 14:00"), C, TOWN)  # now cooperating: signs anew
    assert case(ledger).status == "dispatched"


# -- the round: signing for, reporting in, handling --------------------------------------------


def test_a_party_signs_for_once_and_the_lead_s_signature_marks_the_case_signed(
    ledger: Ledger,
) -> None:
    dispatched(ledger)
    ledger.sign_for_case(when("2021-07-01 10:30"), C, ZHZF)
    assert case(ledger).status == "dispatched"  # a cooperating party's signature is not the lead's
    ledger.sign_for_case(when("2021-07-02 09:00"), C, TOWN)  # at the deadline: still on time

    with pytest.raises(AlreadySignedFor):
        ledger.sign_for_case(when("2021-07-02 10:00"), C, TOWN)
    assert (case(ledger).status, case(ledger).signed) == ("signed", (ZHZF, TOWN))
    assert [(e.party, e.due, e.on_time) for e in events(ledger)[2:]] == [
        (ZHZF, at("2021-07-02 09:00"), True),
        (TOWN, at("2021-07-02 09:00"), True),
    ]


def test_a_sign_for_after_the_deadline_is_recorded_late(ledger: Ledger) -> None:
    dispatched(ledger)
    ledger.sign_for_case(when("2021-07-02 09:01"), C, TOWN)
    assert events(ledger)[-1].on_time is False


def test_only_the_parties_of_the_round_sign_for(ledger: Ledger) -> None:
    dispatched(ledger)
    with pytest.raises(NotAParty):
        ledger.sign_for_case(when("2021-07-01 11:00"), C, SCJG)


def test_nothing_is_signed_for_before_a_dispatch_or_after_the_resolution(ledger: Ledger) -> None:
    reported(ledger)
    with pytest.raises(CaseNotDispatched):
        ledger.sign_for_case(when("2021-07-01 09:30"), C, TOWN)
    ledger.dispatch_case(when("2021-07-01 10:00"), C, assignment())
    ledger.sign_for_case(when("2021-07-01 11:00"), C, TOWN)
    ledger.resolve_case(when("2021-07-05 16:00"), C, TOWN, "resolved")
    with pytest.raises(AlreadyResolved):
        ledger.sign_for_case(when("2021-07-05 17:00"), C, ZHZF)


def test_cooperating_parties_report_in_once_per_round_and_the_lead_does_not(
    ledger: Ledger,
) -> None:
    dispatched(ledger)
    ledger.report_in_to_case(when("2021-07-01 11:00"), C, ZHZF, "执法队员到场")

    with pytest.raises(AlreadyReportedIn):
        ledger.report_in_to_case(when("2021-07-01 12:00"), C, ZHZF)
    with pytest.raises(NotACooperatingParty):
        ledger.report_in_to_case(when("2021-07-01 12:00"), C, TOWN)
    assert case(ledger).reported_in == (ZHZF,)


def test_only_the_lead_handles_and_only_after_signing_for(ledger: Ledger) -> None:
    dispatched(ledger)
    with pytest.raises(NotSignedFor):
        ledger.handle_case(when("2021-07-01 10:30"), C, TOWN)
    ledger.sign_for_case(when("2021-07-01 11:00"), C, ZHZF)
    with pytest.raises(NotTheLead):
        ledger.handle_case(when("2021-07-01 11:30"), C, ZHZF)
    ledger.sign_for_case(when("2021-07-01 11:00"), C, TOWN)
    ledger.handle_case(when("2021-07-01 14:00"), C, TOWN, "约谈当事人")
    ledger.handle_case(when("2021-07-02 14:00"), C, TOWN, "下达整改通知")

    assert case(ledger).status == "handling"
    assert [e.note for e in events(ledger) if type(e).__name__ == "Handled"] == ["约谈当事人", "下达整改通知"]


# -- sending back (退单) -------------------------------------------------------------------------


def test_the_lead_sends_a_case_back_for_a_reason_and_it_awaits_a_new_dispatch(
    ledger: Ledger,
) -> None:
    signed(ledger)
    ledger.send_back_case(when("2021-07-01 12:00", reason="属规划执法事项"), C, TOWN, GHJ)

    found, sent_back = case(ledger), events(ledger)[-1]
    assert (found.status, found.tier, found.round) == ("sent_back", "town", 1)
    assert (sent_back.party, sent_back.suggested, sent_back.tier) == (TOWN, GHJ, "town")
    assert sent_back.ctx.reason == "属规划执法事项"


def test_a_sending_back_needs_the_lead_a_reason_someone_else_suggested_and_no_resolution(
    ledger: Ledger,
) -> None:
    signed(ledger)
    with pytest.raises(ReasonRequired):
        ledger.send_back_case(when("2021-07-01 12:00", reason=" "), C, TOWN, GHJ)
    with pytest.raises(NotTheLead):
        ledger.send_back_case(when("2021-07-01 12:00", reason="非本单位职责"), C, ZHZF)
    with pytest.raises(SuggestedIsTheSender):
        ledger.send_back_case(when("2021-07-01 12:00", reason="非本单位职责"), C, TOWN, TOWN)
    ledger.resolve_case(when("2021-07-05 16:00"), C, TOWN, "explained")
    with pytest.raises(AlreadyResolved):
        ledger.send_back_case(when("2021-07-05 17:00", reason="非本单位职责"), C, TOWN)
    assert "SentBack" not in names(ledger)


# -- resolving, closing, reworking ---------------------------------------------------------------


def test_the_signed_lead_resolves_on_time_or_late_against_the_round_s_deadline(
    ledger: Ledger,
) -> None:
    resolved(ledger)
    on_time = events(ledger)[-1]
    assert (on_time.outcome, on_time.due, on_time.on_time) == ("resolved", at("2021-07-08 18:00"), True)

    other = Ledger()
    signed(other)
    other.resolve_case(when("2021-07-08 18:01"), C, TOWN, "explained", "已解释说明")
    assert (case(other).status, case(other).outcome, events(other)[-1].on_time) == (
        "resolved",
        "explained",
        False,
    )


def test_only_the_lead_resolves_and_only_after_signing_for(ledger: Ledger) -> None:
    dispatched(ledger)
    with pytest.raises(NotSignedFor):
        ledger.resolve_case(when("2021-07-03 10:00"), C, TOWN, "resolved")
    ledger.sign_for_case(when("2021-07-01 11:00"), C, ZHZF)
    with pytest.raises(NotTheLead):
        ledger.resolve_case(when("2021-07-03 10:00"), C, ZHZF, "resolved")


def test_only_a_resolved_case_is_closed_and_the_closing_names_lead_town_and_outcome(
    ledger: Ledger,
) -> None:
    signed(ledger)
    with pytest.raises(NotResolved):
        ledger.close_case(when("2021-07-03 10:00"), C, "satisfied")
    ledger.resolve_case(when("2021-07-05 16:00"), C, TOWN, "resolved")
    ledger.close_case(when("2021-07-06 10:00"), C, "basically_satisfied")

    closing = events(ledger)[-1]
    assert (closing.satisfaction, closing.lead, closing.town, closing.outcome) == (
        "basically_satisfied",
        TOWN,
        TOWN,
        "resolved",
    )
    assert (case(ledger).status, case(ledger).satisfaction) == ("closed", "basically_satisfied")


@pytest.mark.parametrize(
    "act",
    [
        lambda L: L.sign_for_case(when("2021-07-07 10:00"), C, ZHZF),
        lambda L: L.report_in_to_case(when("2021-07-07 10:00"), C, ZHZF),
        lambda L: L.handle_case(when("2021-07-07 10:00"), C, TOWN),
        lambda L: L.resolve_case(when("2021-07-07 10:00"), C, TOWN, "resolved"),
        lambda L: L.close_case(when("2021-07-07 10:00"), C, "satisfied"),
        lambda L: L.dispatch_case(
            when("2021-07-07 10:00"),
            C,
            assignment(sign_for_by="2021-07-08 10:00", resolve_by="2021-07-09 10:00", cause="again"),
        ),
        lambda L: L.send_back_case(when("2021-07-07 10:00", reason="非本单位职责"), C, TOWN),
        lambda L: L.request_case_extension(when("2021-07-07 10:00", reason="需要检测"), C, TOWN, 5),
        lambda L: L.grant_case_extension(when("2021-07-07 10:00"), C, 5),
        lambda L: L.merge_case(when("2021-07-07 10:00"), C, "JB-12345-0002"),
        lambda L: L.supervise_case(when("2021-07-09 10:00"), C, "resolve", at("2021-07-08 18:00")),
        lambda L: L.escalate_case(when("2021-07-07 10:00", reason="疑难"), C),
    ],
)
def test_a_closed_case_refuses_everything_else(ledger: Ledger, act: Any) -> None:
    closed(ledger)
    with pytest.raises(CaseClosed):
        act(ledger)
    assert names(ledger)[-1] == "Closed"


def test_a_case_closed_dissatisfied_is_reworked_by_its_lead_and_resolved_again(
    ledger: Ledger,
) -> None:
    closed(ledger, "dissatisfied")
    ledger.rework_case(when("2021-07-07 09:00", reason="回访不满意：仍有搭建"), C, at("2021-07-12 18:00"))

    found, rework = case(ledger), events(ledger)[-1]
    assert (found.status, found.lead, found.resolve_by, found.outcome, found.satisfaction) == (
        "handling",
        TOWN,
        at("2021-07-12 18:00"),
        None,
        None,
    )
    assert (rework.lead, rework.resolve_by) == (TOWN, at("2021-07-12 18:00"))
    ledger.resolve_case(when("2021-07-10 16:00"), C, TOWN, "resolved")
    ledger.close_case(when("2021-07-11 10:00"), C, "satisfied")
    assert (case(ledger).status, events(ledger)[-2].due) == ("closed", at("2021-07-12 18:00"))


def test_rework_follows_only_a_dissatisfied_closing_for_a_reason_and_a_deadline_ahead(
    ledger: Ledger,
) -> None:
    resolved(ledger)
    with pytest.raises(ReworkOnlyAfterDissatisfaction):
        ledger.rework_case(when("2021-07-06 09:00", reason="复查"), C, at("2021-07-12 18:00"))
    ledger.close_case(when("2021-07-06 10:00"), C, "satisfied")
    with pytest.raises(ReworkOnlyAfterDissatisfaction):
        ledger.rework_case(when("2021-07-07 09:00", reason="复查"), C, at("2021-07-12 18:00"))

    other = Ledger()
    closed(other, "dissatisfied")
    with pytest.raises(ReasonRequired):
        other.rework_case(when("2021-07-07 09:00", reason=None), C, at("2021-07-12 18:00"))
    with pytest.raises(ReworkDeadlinePassed):
        other.rework_case(when("2021-07-07 09:00", reason="不满意"), C, at("2021-07-07 09:00"))
    assert names(other)[-1] == "Closed"


# -- merging -----------------------------------------------------------------------------------


def test_a_duplicate_is_merged_into_another_case_and_then_takes_nothing_more(
    ledger: Ledger,
) -> None:
    dispatched(ledger)
    with pytest.raises(CannotMergeIntoItself):
        ledger.merge_case(when("2021-07-01 10:30"), C, C)
    ledger.merge_case(when("2021-07-01 10:30"), C, "JB-12345-0002")

    assert (case(ledger).status, events(ledger)[-1].into) == ("merged", "JB-12345-0002")
    for act in (
        lambda: ledger.sign_for_case(when("2021-07-01 11:00"), C, TOWN),
        lambda: ledger.merge_case(when("2021-07-01 11:00"), C, "JB-12345-0003"),
        lambda: ledger.rework_case(when("2021-07-01 11:00", reason="重办"), C, at("2021-07-09 18:00")),
    ):
        with pytest.raises(CaseClosed):
            act()


def test_a_resolved_case_not_yet_closed_may_still_be_merged(ledger: Ledger) -> None:
    resolved(ledger)
    ledger.merge_case(when("2021-07-05 17:00"), C, "JB-12345-0002")
    assert case(ledger).status == "merged"


# -- replay and the shallow copies of a batch --------------------------------------------------


def test_replayed_state_equals_live_state_and_holds_only_immutable_values(ledger: Ledger) -> None:
    dispatched(ledger, cooperating=(ZHZF, SCJG))
    ledger.sign_for_case(when("2021-07-01 11:00"), C, ZHZF)
    ledger.supervise_case(when("2021-07-02 09:30"), C, "sign_for", at("2021-07-02 09:00"))
    ledger.sign_for_case(when("2021-07-02 10:00"), C, TOWN)
    ledger.report_in_to_case(when("2021-07-02 11:30"), C, SCJG)
    ledger.request_case_extension(when("2021-07-03 09:00", reason="需要检测"), C, TOWN, 3)

    replayed, live = case(ledger), ledger.find(LinkageCase.create_id(C))

    assert state(replayed) == state(live)
    assert all(immutable(v) for v in state(replayed).values())
    assert replayed.assignment.cooperating == (ZHZF, SCJG)
    assert replayed.supervised == (("sign_for", at("2021-07-02 09:00")),)


def test_a_refused_command_in_a_batch_leaves_the_staged_case_untouched(ledger: Ledger) -> None:
    dispatched(ledger)
    with ledger.batch() as batch:
        ledger.sign_for_case(when("2021-07-01 11:00"), C, ZHZF)
        with pytest.raises(RuleViolation):
            ledger.sign_for_case(when("2021-07-01 11:05"), C, SCJG)
        ledger.sign_for_case(when("2021-07-01 11:10"), C, TOWN)
        ledger.commit(batch)

    assert (case(ledger).signed, case(ledger).status) == ((ZHZF, TOWN), "signed")
    assert events(ledger)[-1].ctx.effective_at - events(ledger)[-2].ctx.effective_at == (
        timedelta(minutes=10)
    )
