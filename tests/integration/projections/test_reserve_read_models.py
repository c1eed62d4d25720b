"""干部AB库台账 on PostgreSQL: a street's reserve, cadres, movements and appointments on a day, as
the ledger stood at a moment; the district's rule dated the same way; a rebuild gives the same."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from aggregates.organisation.town import TownDetails
from aggregates.reserve.cadre_reserve import Appointment, Selection
from infra.axes import RESERVE, RESERVE_MOVEMENTS, Unknown
from infra.bootstrap import build_ledger
from projections.reserve.register import (
    ReserveRegister,
    appointments_as_of,
    cadres_as_of,
    movements_as_of,
    reserve_as_of,
)
from projections.runner import ProjectionRunner
from tests.support import built_and_read, rebuilt_row_counts
from tests.unit.builders import ctx

T, D = "BH-WANNIANBU", "BH"
CHOSEN = Selection("appraisal", "2020年度考核优秀")
DOC = "包河万年埠党工〔2021〕28号"


def _built(database_url: str) -> tuple[Any, datetime]:
    """A reserve with six cadres in B, two moved up to A, one appointed to a principal post;
    then, recorded later, a removal and a demotion effective earlier, a deputy appointed, and
    the district's rule lifted for 2022. The ledger and the moment between."""
    ledger = build_ledger(database_url)
    ledger.set_appointment_rule(ctx("2021-01-01"), D, True)
    ledger.register_town(ctx("2021-01-04"), T, TownDetails("万年埠街道", D, "street", "一办七部两中心"))
    ledger.open_reserve(ctx("2021-03-01"), T, D)
    for n in range(1, 7):
        ledger.enter_reserve(ctx("2021-03-15"), T, f"C{n}", CHOSEN)
    for n in (1, 2):
        ledger.promote_cadre(ctx("2021-06-30"), T, f"C{n}", Selection("performance", "实绩突出"))
    ledger.appoint_cadre(
        ctx("2021-09-01", document_no=DOC), T, "C1", Appointment("principal", "城市管理部部长")
    )
    between = datetime.now(UTC)
    ledger.remove_cadre(ctx("2021-08-01", reason="庸者下"), T, "C6")
    ledger.demote_cadre(ctx("2021-10-01", reason="实绩靠后"), T, "C2")
    ledger.appoint_cadre(
        ctx("2021-10-15", document_no=DOC), T, "C3", Appointment("deputy", "社会事务部副部长")
    )
    ledger.set_appointment_rule(ctx("2022-01-01"), D, False)
    return ledger, between


@pytest.fixture(scope="module")
def known(pg_server_url: str):
    """A cursor on the read models of `_built` (one database for the module's readers), and the
    moment between."""
    yield from built_and_read(pg_server_url, _built)


def _summary(cur, on: str, at: datetime) -> tuple:
    [row] = reserve_as_of(cur, T, date.fromisoformat(on), at)
    return row["tier_b"], row["tier_a"], row["appointed"], row["removed"], row["principal_only_from_a"]


def test_the_reserve_on_a_day_counts_its_tiers_and_what_left_it(known) -> None:
    cur, between = known
    now = datetime.now(UTC)

    assert _summary(cur, "2021-03-15", now) == (6, 0, 0, 0, True)
    assert _summary(cur, "2021-07-01", now) == (4, 2, 0, 0, True)
    assert _summary(cur, "2021-12-31", now) == (3, 0, 2, 1, True)
    assert _summary(cur, "2022-01-01", now) == (3, 0, 2, 1, False)
    assert reserve_as_of(cur, T, date(2021, 2, 28), now) == []  # not opened yet


def test_movements_recorded_later_change_only_what_is_known_now(known) -> None:
    cur, between = known

    assert _summary(cur, "2021-12-31", between) == (4, 1, 1, 0, True)
    assert _summary(cur, "2022-01-01", between) == (4, 1, 1, 0, True)  # the lifting was not known
    then = [(c["person"], c["tier"]) for c in cadres_as_of(cur, T, date(2021, 12, 31), between)]
    assert then == [("C2", "A"), ("C3", "B"), ("C4", "B"), ("C5", "B"), ("C6", "B")]
    now = [
        (c["person"], c["tier"], c["since"])
        for c in cadres_as_of(cur, T, date(2021, 12, 31), datetime.now(UTC))
    ]
    assert now == [  # by tier, then since when
        ("C4", "B", date(2021, 3, 15)),
        ("C5", "B", date(2021, 3, 15)),
        ("C2", "B", date(2021, 10, 1)),
    ]


def test_the_movements_and_appointments_of_a_street_in_the_order_they_took_effect(known) -> None:
    cur, _between = known
    now = datetime.now(UTC)

    moves = [
        (m["person"], m["movement"], m["from_tier"], m["tier"])
        for m in movements_as_of(cur, T, date(2021, 12, 31), now)
    ]
    assert moves[-4:] == [
        ("C6", "removed", "B", None),
        ("C1", "appointed", "A", None),
        ("C2", "demoted", "A", "B"),
        ("C3", "appointed", "B", None),
    ]
    assert len(moves) == 6 + 2 + 4
    [removal] = [m for m in movements_as_of(cur, T, date(2021, 12, 31), now) if m["movement"] == "removed"]
    assert (removal["reason"], removal["on_day"]) == ("庸者下", date(2021, 8, 1))
    appointed = appointments_as_of(cur, T, date(2021, 12, 31), now)
    assert [(a["person"], a["office"], a["from_tier"], a["document_no"]) for a in appointed] == [
        ("C1", "principal", "A", DOC),
        ("C3", "deputy", "B", DOC),
    ]
    assert [a["person"] for a in appointments_as_of(cur, T, date(2021, 9, 30), now)] == ["C1"]


def test_the_views_in_sections_answer_now_and_on_the_axes_and_an_unknown_street_is_unknown(known) -> None:
    cur, between = known

    found = RESERVE.read(cur, T, (date(2021, 12, 31), between))
    assert found["reserve"][0]["tier_a"] == 1 and len(found["cadres"]) == 5
    current = RESERVE.read(cur, T, None)
    assert current["reserve"][0]["principal_only_from_a"] is False and len(current["cadres"]) == 3
    assert len(RESERVE_MOVEMENTS.read(cur, T, None)["appointments"]) == 2
    with pytest.raises(Unknown):
        RESERVE.read(cur, "BH-NOWHERE", None)
    with pytest.raises(Unknown):
        RESERVE.read(cur, T, (date(2021, 2, 1), between))


def test_a_rebuild_in_small_pages_gives_the_same_rows(database_url: str) -> None:
    ledger, _between = _built(database_url)
    runner = ProjectionRunner(ledger, [ReserveRegister()], name="reserve_register", page=3)
    tables = ("reserve_rows", "reserve_movements", "reserve_rule_districts", "reserve_rules")

    assert rebuilt_row_counts(runner, database_url, tables) == [1, 12, 1, 2]
