"""事项延伸: a town extends only items it holds to its communities and villages, withdraws them,
and counts the cases each handled, one count a period (seed 000: 15 items, 1,392 cases)."""

from __future__ import annotations

from datetime import date

import pytest

from aggregates.base import ReasonRequired
from aggregates.extension.item_extension import (
    HandledPeriodsOverlap,
    InvalidHandledCount,
    InvalidReach,
    ItemExtension,
    ItemNotHeldByTown,
    NotExtendedTo,
    period_days,
)
from aggregates.jurisdictions.jurisdiction import CommunityOfAnotherTown, JurisdictionDetails
from aggregates.organisation.town import TownDetails
from infra.contexts import GovernanceLedger as Ledger
from tests.unit.builders import approved, ctx, day, event_names, immutable, mutated, state

P, T = "P1", "T1"
SQ, CUN = "T1-SQ01", "T1-CUN01"


def extension(ledger: Ledger) -> ItemExtension:
    return ledger.repository.get(ItemExtension.create_id(P, T))


def names(ledger: Ledger) -> list[str]:
    return event_names(ledger, ItemExtension.create_id(P, T))


def extended(ledger: Ledger, *communities: str, on: str = "2021-08-01") -> None:
    """Given P1 delegated to T1 from 2021-07-01 and extended to the communities on `on`."""
    approved(ledger, item=P, town=T)
    ledger.extend_item(ctx(on), P, T, communities or (SQ, CUN))


# -- only an item the town holds -------------------------------------------------------------


def test_a_town_extends_an_item_it_holds_to_its_communities_under_its_delegation(ledger: Ledger) -> None:
    extended(ledger)

    found = extension(ledger)
    assert found.reached() == (SQ, CUN) and names(ledger) == ["Opened", "Extended"]
    [e] = [e for e in ledger.events.get(found.id) if type(e).__name__ == "Extended"]
    assert (e.batch, e.department, e.on) == ("B1", "区自然资源和规划分局", date(2021, 8, 1))


def test_an_item_never_delegated_to_the_town_is_not_extended(ledger: Ledger) -> None:
    approved(ledger, item=P, town="T2")  # held by another town

    for town in (T, "T2"):
        with pytest.raises(ItemNotHeldByTown):
            ledger.extend_item(ctx("2021-08-01"), "P9" if town == "T2" else P, town, (SQ,))
    assert ledger.find(ItemExtension.create_id(P, T)) is None


def test_an_item_is_not_extended_before_its_delegation_takes_effect_nor_after_it_ends(ledger: Ledger) -> None:
    approved(ledger, item=P, town=T, on="2021-07-01")

    with pytest.raises(ItemNotHeldByTown):
        ledger.extend_item(ctx("2021-06-30"), P, T, (SQ,))
    ledger.recall_delegation(ctx("2022-03-01", reason="上收"), "B1", P, T)
    with pytest.raises(ItemNotHeldByTown):
        ledger.extend_item(ctx("2022-03-01"), P, T, (SQ,))
    ledger.extend_item(ctx("2022-02-28"), P, T, (SQ,))  # the last day it held the item
    assert extension(ledger).reached() == (SQ,)


def test_an_item_whose_delegation_was_rejected_is_not_extended(ledger: Ledger) -> None:
    from tests.unit.builders import review, under_review

    under_review(ledger, item=P, town=T)
    ledger.reject_delegation(
        ctx("2021-06-25", reason="不具备承接条件"), "B1", P, T, review(reasonableness=False)
    )

    with pytest.raises(ItemNotHeldByTown):
        ledger.extend_item(ctx("2021-08-01"), P, T, (SQ,))


# -- the communities reached -----------------------------------------------------------------


@pytest.mark.parametrize("communities", [(), (SQ, SQ), (SQ, " ")])
def test_an_act_names_its_communities_each_once(ledger: Ledger, communities: tuple[str, ...]) -> None:
    approved(ledger, item=P, town=T)

    with pytest.raises(InvalidReach):
        ledger.extend_item(ctx("2021-08-01"), P, T, communities)


def test_extending_again_reaches_only_the_communities_not_reached_yet(ledger: Ledger) -> None:
    extended(ledger, SQ)
    ledger.extend_item(ctx("2021-09-01"), P, T, (SQ,))  # resent: nothing
    ledger.extend_item(ctx("2021-09-01"), P, T, (SQ, CUN))

    found = extension(ledger)
    assert [(s.community, s.since) for s in found.spans] == [
        (SQ, day("2021-08-01")),
        (CUN, day("2021-09-01")),
    ]
    assert names(ledger) == ["Opened", "Extended", "Extended"]


def test_a_withdrawal_ends_the_extension_for_the_communities_it_names(ledger: Ledger) -> None:
    extended(ledger)
    ledger.withdraw_extension(ctx("2021-11-01"), P, T, (CUN,))

    assert extension(ledger).reached() == (SQ,)
    with pytest.raises(NotExtendedTo):
        ledger.withdraw_extension(ctx("2021-11-02"), P, T, (CUN,))  # withdrawn already
    with pytest.raises(NotExtendedTo):
        ledger.withdraw_extension(ctx("2021-07-31"), P, T, (SQ,))  # before it was extended
    with pytest.raises(NotExtendedTo):
        ledger.withdraw_extension(ctx("2021-11-01"), "P2", T, (SQ,))  # never extended at all


def test_a_community_is_extended_to_again_no_earlier_than_its_withdrawal(ledger: Ledger) -> None:
    extended(ledger)
    ledger.withdraw_extension(ctx("2021-11-01"), P, T, (CUN,))

    with pytest.raises(InvalidReach):
        ledger.extend_item(ctx("2021-10-15"), P, T, (CUN,))
    ledger.extend_item(ctx("2021-12-01"), P, T, (CUN,))
    assert [(s.community, s.since, s.until) for s in extension(ledger).spans if s.community == CUN] == [
        (CUN, day("2021-08-01"), day("2021-11-01")),
        (CUN, day("2021-12-01"), None),
    ]


# -- the cases handled -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "first", "last"),
    [
        ("2021", "2021-01-01", "2021-12-31"),
        ("2021-Q3", "2021-07-01", "2021-09-30"),
        ("2021-02", "2021-02-01", "2021-02-28"),
        ("2024-02", "2024-02-01", "2024-02-29"),
        ("2021-W27", "2021-07-05", "2021-07-11"),
        ("2021-08-09", "2021-08-09", "2021-08-09"),
    ],
)
def test_a_period_is_a_year_quarter_month_iso_week_or_day(period: str, first: str, last: str) -> None:
    assert period_days(period) == (day(first), day(last))


@pytest.mark.parametrize(
    ("period", "count"), [("2021-13", 3), ("2021-W54", 3), ("2021-02-30", 3), ("2021-08", -1)]
)
def test_a_count_is_at_least_zero_for_a_well_written_period(ledger: Ledger, period: str, count: int) -> None:
    extended(ledger)

    with pytest.raises(InvalidHandledCount):
        ledger.record_handled(ctx("2021-12-05"), P, T, SQ, period, count)


def test_cases_are_counted_per_community_and_period_and_the_same_count_again_records_nothing(
    ledger: Ledger,
) -> None:
    extended(ledger)
    ledger.record_handled(ctx("2021-09-05"), P, T, SQ, "2021-08", 12)
    ledger.record_handled(ctx("2021-09-05"), P, T, CUN, "2021-08", 0)  # zero is a count
    ledger.record_handled(ctx("2021-09-06"), P, T, SQ, "2021-08", 12)  # resent: nothing

    figures = {(f.community, f.period): f.count for f in extension(ledger).figures}
    assert figures == {(SQ, "2021-08"): 12, (CUN, "2021-08"): 0}
    assert names(ledger).count("HandledRecorded") == 2


def test_a_correction_of_a_period_s_count_needs_a_reason_and_replaces_it(ledger: Ledger) -> None:
    extended(ledger)
    ledger.record_handled(ctx("2021-09-05"), P, T, SQ, "2021-08", 17)

    with pytest.raises(ReasonRequired):
        ledger.record_handled(ctx("2021-09-20", reason=None), P, T, SQ, "2021-08", 12)
    ledger.record_handled(ctx("2021-09-20", reason="重复统计5件"), P, T, SQ, "2021-08", 12)
    assert [(f.period, f.count) for f in extension(ledger).figures] == [("2021-08", 12)]


def test_a_community_s_counts_do_not_overlap(ledger: Ledger) -> None:
    extended(ledger)
    ledger.record_handled(ctx("2021-09-05"), P, T, SQ, "2021-08", 12)

    for period in ("2021-08-15", "2021-W33", "2021-08-31"):
        with pytest.raises(HandledPeriodsOverlap):
            ledger.record_handled(ctx("2021-10-05"), P, T, SQ, period, 3)
    ledger.record_handled(ctx("2021-10-05"), P, T, CUN, "2021-08-15", 3)  # another community
    ledger.record_handled(ctx("2021-10-05"), P, T, SQ, "2021-09", 3)


def test_cases_are_counted_only_for_days_the_item_was_extended_to_the_community(ledger: Ledger) -> None:
    extended(ledger, on="2021-08-02")
    ledger.withdraw_extension(ctx("2021-11-01"), P, T, (CUN,))

    for community, period in ((SQ, "2021-08"), ("T1-CUN09", "2021-09"), (CUN, "2021-11"), (CUN, "2021-Q4")):
        with pytest.raises(NotExtendedTo):
            ledger.record_handled(ctx("2021-12-05"), P, T, community, period, 3)
    with pytest.raises(NotExtendedTo):
        ledger.record_handled(ctx("2021-12-05"), "P2", T, SQ, "2021-09", 3)  # nothing extended
    ledger.record_handled(ctx("2021-12-05"), P, T, CUN, "2021-10", 3)
    ledger.record_handled(ctx("2021-12-05"), P, T, SQ, "2021-08-02", 1)


def test_cases_are_counted_only_for_days_the_town_held_the_item(ledger: Ledger) -> None:
    extended(ledger)
    ledger.recall_delegation(ctx("2022-03-01", reason="上收"), "B1", P, T)

    with pytest.raises(ItemNotHeldByTown):
        ledger.record_handled(ctx("2022-04-05"), P, T, SQ, "2022-03", 3)
    with pytest.raises(ItemNotHeldByTown):
        ledger.record_handled(ctx("2022-04-05"), P, T, SQ, "2022-Q1", 3)
    ledger.record_handled(ctx("2022-04-05"), P, T, SQ, "2022-02", 3)


def test_replay_gives_the_same_extension_and_its_state_is_immutable(ledger: Ledger) -> None:
    extended(ledger)
    ledger.withdraw_extension(ctx("2021-11-01"), P, T, (CUN,))
    ledger.record_handled(ctx("2021-12-05"), P, T, SQ, "2021-11", 9)

    found = extension(ledger)
    replayed = mutated(ledger, found.id)
    assert state(replayed) == state(found)
    assert all(immutable(v) for k, v in state(found).items() if not k.startswith("_"))


# -- a community of the town, where the register of jurisdictions knows it -------------------


def test_a_community_the_register_places_under_another_town_is_not_extended_to(ledger: Ledger) -> None:
    approved(ledger, item=P, town=T)
    for town in (T, "T2"):
        ledger.register_town(ctx("2021-01-04"), town, TownDetails(f"{town}镇", "JB", "town", "5+X"))
    other = JurisdictionDetails("某社区", "community", "community", "T2")
    ledger.register_jurisdiction(ctx("2021-01-04"), "T2-SQ01", other)
    own = JurisdictionDetails("本镇社区", "community", "community", T)
    ledger.register_jurisdiction(ctx("2021-01-04"), SQ, own)

    with pytest.raises(CommunityOfAnotherTown, match="T2-SQ01 is registered as a community under T2"):
        ledger.extend_item(ctx("2021-08-01"), P, T, (SQ, "T2-SQ01"))
    ledger.extend_item(ctx("2021-08-01"), P, T, (SQ, CUN))  # its own, and one the register does not know

    assert extension(ledger).reached() == (SQ, CUN) and names(ledger) == ["Opened", "Extended"]
