"""编制周转池: contributions up to capacity, draws for a purpose and a term, back on time."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from aggregates.base import ReasonRequired, RuleViolation
from aggregates.pool.staffing_pool import (
    CapacityExceeded,
    DrawAlreadyRequested,
    DrawNotOutstanding,
    DrawNotPending,
    DrawNotRequested,
    DrawTerms,
    InvalidDrawTerm,
    InvalidPoolDetails,
    PoolAlreadyEstablished,
    PoolDetails,
    PoolExhausted,
    PoolNotEstablished,
    PurposeNotAllowed,
    ReturnBeyondOutstanding,
    StaffingPool,
)
from infra.contexts import GovernanceLedger as Ledger
from tests.unit.builders import ctx, day, event_names, state

P = "JB-POOL"
DETAILS = PoolDetails("江北区事业编制周转池", "宁波市江北区", 60)


def terms(
    town: str = "JB-CICHENG", count: int = 10, purpose: str = "major_task", until: str = "2022-12-31"
) -> DrawTerms:
    return DrawTerms(town, count, purpose, day(until))


def pool(ledger: Ledger) -> StaffingPool:
    return ledger.repository.get(StaffingPool.create_id(P))


def events(ledger: Ledger) -> list[Any]:
    return list(ledger.events.get(StaffingPool.create_id(P)))


def names(ledger: Ledger) -> list[str]:
    return event_names(ledger, StaffingPool.create_id(P))


def funded(ledger: Ledger, contributed: int = 40) -> None:
    """Given the pool is established with capacity 60 and `contributed` quotas given to it."""
    ledger.establish_pool(ctx("2021-03-01"), P, DETAILS)
    ledger.contribute_to_pool(ctx("2021-03-15"), P, "JB-EDU", contributed)


def drawn(ledger: Ledger, *draws: tuple[str, DrawTerms]) -> None:
    """Given the draws are requested on 2021-04-01 and approved on 2021-04-15."""
    for draw, asked in draws:
        ledger.request_draw(ctx("2021-04-01"), P, draw, asked)
    for draw, _ in draws:
        ledger.approve_draw(ctx("2021-04-15"), P, draw)


# -- the pool and its contributions -------------------------------------------------------------


def test_an_established_pool_is_empty_and_establishing_again_records_nothing(
    ledger: Ledger,
) -> None:
    ledger.establish_pool(ctx(), P, DETAILS)
    ledger.establish_pool(ctx(), P, DETAILS)

    with pytest.raises(PoolAlreadyEstablished):
        ledger.establish_pool(ctx(), P, PoolDetails("江北区事业编制周转池", "宁波市江北区", 80))
    found = pool(ledger)
    assert (found.details, found.contributed, found.available) == (DETAILS, 0, 0)
    assert names(ledger) == ["Established"]


@pytest.mark.parametrize(
    "make",
    [
        lambda: PoolDetails("周转池", "江北区", 0),
        lambda: PoolDetails(" ", "江北区", 10),
        lambda: terms(count=0),
        lambda: terms(town=""),
    ],
)
def test_details_outside_the_rules_are_refused(make: Any) -> None:
    with pytest.raises(InvalidPoolDetails):
        make()


def test_nothing_happens_in_a_pool_that_is_not_established(ledger: Ledger) -> None:
    with pytest.raises(PoolNotEstablished):
        ledger.contribute_to_pool(ctx(), P, "JB-EDU", 5)
    with pytest.raises(PoolNotEstablished):
        ledger.expire_due_draws(ctx(), P, date(2022, 1, 1))


def test_contributions_add_up_to_the_capacity_and_no_further(ledger: Ledger) -> None:
    funded(ledger, 40)
    ledger.contribute_to_pool(ctx(), P, "JB-HEALTH", 20)

    with pytest.raises(CapacityExceeded):
        ledger.contribute_to_pool(ctx(), P, "JB-AGRI", 1)
    with pytest.raises(InvalidPoolDetails):
        ledger.contribute_to_pool(ctx(), P, "JB-AGRI", 0)
    assert (pool(ledger).contributed, pool(ledger).available) == (60, 60)


# -- requesting and deciding draws --------------------------------------------------------------


def test_a_draw_needs_an_allowed_purpose() -> None:
    with pytest.raises(PurposeNotAllowed):
        terms(purpose="office_expansion")


def test_a_draw_term_ends_after_the_day_it_is_requested(ledger: Ledger) -> None:
    funded(ledger)
    with pytest.raises(InvalidDrawTerm):
        ledger.request_draw(ctx("2021-04-01"), P, "D1", terms(until="2021-04-01"))


def test_a_draw_id_is_taken_once_and_a_retry_records_nothing(ledger: Ledger) -> None:
    funded(ledger)
    ledger.request_draw(ctx("2021-04-01"), P, "D1", terms())
    ledger.request_draw(ctx("2021-04-02"), P, "D1", terms())

    with pytest.raises(DrawAlreadyRequested):
        ledger.request_draw(ctx("2021-04-02"), P, "D1", terms(count=11))
    assert names(ledger).count("DrawRequested") == 1
    assert pool(ledger).draw("D1").status == "requested"


def test_an_approved_draw_is_outstanding_and_lowers_the_available_balance(ledger: Ledger) -> None:
    funded(ledger)
    drawn(ledger, ("D1", terms(count=10)))
    ledger.approve_draw(ctx(), P, "D1")  # a retry: nothing new

    assert (pool(ledger).outstanding, pool(ledger).available) == (10, 30)
    assert (pool(ledger).draw("D1").status, names(ledger).count("DrawApproved")) == ("approved", 1)


def test_a_draw_beyond_the_balance_is_refused(ledger: Ledger) -> None:
    funded(ledger, 12)
    drawn(ledger, ("D1", terms(count=8)))
    ledger.request_draw(ctx("2021-04-01"), P, "D2", terms("JB-ZHUANGQIAO", 5, "structure"))

    with pytest.raises(PoolExhausted):
        ledger.approve_draw(ctx("2021-04-15"), P, "D2")
    assert (pool(ledger).available, pool(ledger).draw("D2").status) == (4, "requested")


def test_the_available_balance_never_goes_below_zero(ledger: Ledger) -> None:
    funded(ledger, 20)
    for n in range(1, 9):
        ledger.request_draw(ctx("2021-04-01"), P, f"D{n}", terms(count=n))
        try:
            ledger.approve_draw(ctx("2021-04-15"), P, f"D{n}")
        except PoolExhausted:
            pass
        assert pool(ledger).available >= 0
    assert (pool(ledger).outstanding, pool(ledger).available) == (15, 5)  # 1+2+3+4+5


def test_a_draw_is_rejected_with_a_reason_and_the_decision_is_final(ledger: Ledger) -> None:
    funded(ledger)
    ledger.request_draw(ctx("2021-04-01"), P, "D1", terms())
    with pytest.raises(ReasonRequired):
        ledger.reject_draw(ctx(reason=None), P, "D1")

    ledger.reject_draw(ctx(reason="用途不符"), P, "D1")
    ledger.reject_draw(ctx(reason="用途不符"), P, "D1")  # a retry: nothing new

    with pytest.raises(DrawNotPending):
        ledger.approve_draw(ctx(), P, "D1")
    assert (pool(ledger).draw("D1").status, names(ledger).count("DrawRejected")) == ("rejected", 1)
    drawn(ledger, ("D2", terms()))
    with pytest.raises(DrawNotPending):
        ledger.reject_draw(ctx(reason="晚了"), P, "D2")


def test_an_unknown_draw_is_refused(ledger: Ledger) -> None:
    funded(ledger)
    with pytest.raises(DrawNotRequested):
        ledger.approve_draw(ctx(), P, "NOPE")


def test_a_draw_whose_term_ended_before_its_approval_is_refused(ledger: Ledger) -> None:
    funded(ledger)
    ledger.request_draw(ctx("2021-04-01"), P, "D1", terms(until="2021-06-30"))
    with pytest.raises(InvalidDrawTerm):
        ledger.approve_draw(ctx("2021-07-01"), P, "D1")


# -- returns, renewals and the clock --------------------------------------------------------------


def test_a_draw_returns_in_parts_and_ends_when_all_is_back(ledger: Ledger) -> None:
    funded(ledger)
    drawn(ledger, ("D1", terms(count=6)))
    ledger.return_draw(ctx("2021-10-01"), P, "D1", 2)
    assert (pool(ledger).draw("D1").outstanding, pool(ledger).available) == (4, 36)

    with pytest.raises(ReturnBeyondOutstanding):
        ledger.return_draw(ctx(), P, "D1", 5)
    ledger.return_draw(ctx("2021-11-01"), P, "D1")  # all that is left

    assert (pool(ledger).draw("D1").status, pool(ledger).available) == ("returned", 40)
    with pytest.raises(DrawNotOutstanding):
        ledger.return_draw(ctx(), P, "D1", 1)


def test_only_an_outstanding_draw_is_returned_or_renewed(ledger: Ledger) -> None:
    funded(ledger)
    ledger.request_draw(ctx("2021-04-01"), P, "D1", terms())
    with pytest.raises(DrawNotOutstanding):
        ledger.return_draw(ctx(), P, "D1")
    with pytest.raises(DrawNotOutstanding):
        ledger.renew_draw(ctx(reason="延期"), P, "D1", date(2023, 12, 31))


def test_a_renewal_extends_the_term_for_a_stated_reason(ledger: Ledger) -> None:
    funded(ledger)
    drawn(ledger, ("D1", terms(until="2022-06-30")))
    with pytest.raises(ReasonRequired):
        ledger.renew_draw(ctx(reason=None), P, "D1", date(2022, 12, 31))
    with pytest.raises(InvalidDrawTerm):
        ledger.renew_draw(ctx(reason="延期"), P, "D1", date(2022, 6, 30))

    ledger.renew_draw(ctx(reason="重大阶段性任务延期"), P, "D1", date(2022, 12, 31))
    assert pool(ledger).draw("D1").until == date(2022, 12, 31)


def test_the_clock_returns_every_draw_whose_term_ended_unless_renewed(ledger: Ledger) -> None:
    funded(ledger)
    drawn(
        ledger,
        ("ENDED", terms(count=4, until="2021-12-31")),
        ("TODAY", terms(count=3, until="2022-01-01")),
        ("RENEWED", terms(count=5, until="2021-12-31")),
        ("LATER", terms(count=6, until="2022-01-02")),
    )
    ledger.renew_draw(ctx(reason="延期"), P, "RENEWED", date(2022, 6, 30))
    clock = ctx("2022-01-01", message_id="clock/JB-POOL/2022-01-01", reason="期满收回")

    assert ledger.expire_due_draws(clock, P, date(2022, 1, 1)) == 2
    assert ledger.expire_due_draws(clock, P, date(2022, 1, 1)) == 0  # again: nothing is due

    expired = [e for e in events(ledger) if type(e).__name__ == "DrawExpired"]
    assert [(e.draw, e.count, e.on) for e in expired] == [
        ("ENDED", 4, date(2022, 1, 1)),
        ("TODAY", 3, date(2022, 1, 1)),
    ]
    assert {e.ctx.message_id for e in expired} == {"clock/JB-POOL/2022-01-01"}
    assert [d.status for d in pool(ledger).draws] == ["expired", "expired", "approved", "approved"]
    assert (pool(ledger).outstanding, pool(ledger).available) == (11, 29)


# -- replay and the shallow copies of a batch ---------------------------------------------------


def test_replayed_state_equals_live_state(ledger: Ledger) -> None:
    funded(ledger)
    drawn(ledger, ("D1", terms(count=6)), ("D2", terms(count=3, until="2021-12-31")))
    ledger.return_draw(ctx(), P, "D1", 2)
    ledger.renew_draw(ctx(reason="延期"), P, "D1", date(2023, 6, 30))
    ledger.expire_due_draws(ctx("2022-01-01"), P, date(2022, 1, 1))

    assert state(pool(ledger)) == state(ledger.find(StaffingPool.create_id(P)))
    assert all(isinstance(d.terms.until, date) for d in pool(ledger).draws)


def test_a_refused_approval_in_a_batch_leaves_the_staged_pool_untouched(ledger: Ledger) -> None:
    funded(ledger, 10)
    ledger.request_draw(ctx("2021-04-01"), P, "D1", terms(count=6))
    ledger.request_draw(ctx("2021-04-01"), P, "D2", terms(count=6))
    with ledger.batch() as batch:
        ledger.approve_draw(ctx("2021-04-15"), P, "D1")
        with pytest.raises(RuleViolation):
            ledger.approve_draw(ctx("2021-04-15"), P, "D2")
        ledger.commit(batch)

    assert [d.status for d in pool(ledger).draws] == ["approved", "requested"]
    assert pool(ledger).available == 4
