"""事项延伸台账 on PostgreSQL: who takes a town's items in on a day and the cases handled by then,
as the ledger stood at a moment; a recall of the town's delegation ends what rests on it; a
rebuild in small pages gives the same rows."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from infra.axes import TOWN_EXTENSIONS, Unknown, extensions
from infra.bootstrap import build_ledger
from projections.extension.register import ExtensionRegister, extended_as_of, handled_as_of, items_as_of
from projections.runner import ProjectionRunner
from tests.support import built_and_read, rebuilt_row_counts
from tests.unit.builders import approved, ctx

T, SQ, CUN = "T1", "T1-SQ01", "T1-CUN01"


def _built(database_url: str) -> tuple[Any, datetime]:
    """P1 and P2 delegated to T1 from 2021-07-01, extended to a community and a village on
    08-01, counts for August and September; then, recorded later: P2 withdrawn from the village
    from 10-01, September's count of P1 in the community corrected, and P1's delegation
    recalled from 2022-03-01. The ledger and the moment between."""
    ledger = build_ledger(database_url)
    approved(ledger, item="P1", town=T)
    approved(ledger, batch="B2", item="P2", town=T)
    for item in ("P1", "P2"):
        ledger.extend_item(ctx("2021-08-01"), item, T, (SQ, CUN))
        for n, month in enumerate(("2021-08", "2021-09")):
            ledger.record_handled(ctx("2021-10-05"), item, T, SQ, month, 10 + n)
            ledger.record_handled(ctx("2021-10-05"), item, T, CUN, month, 1 + n)
    between = datetime.now(UTC)
    ledger.withdraw_extension(ctx("2021-10-01"), "P2", T, (CUN,))
    ledger.record_handled(ctx("2021-10-20", reason="复核更正"), "P1", T, SQ, "2021-09", 7)
    ledger.recall_delegation(ctx("2022-03-01", reason="上收"), "B1", "P1", T)
    return ledger, between


@pytest.fixture(scope="module")
def known(pg_server_url: str):
    """A cursor on the read models of `_built` (one database for the module's readers), and the
    moment between."""
    yield from built_and_read(pg_server_url, _built)


def _reached(cur: Any, on: str, at: datetime, community: str | None = None) -> list[tuple]:
    rows = extended_as_of(cur, None if community else T, community, date.fromisoformat(on), at)
    return [(r["item"], r["community"], r["batch"], r["handled"]) for r in rows]


def test_who_takes_the_items_in_on_a_day_with_the_cases_handled_by_then(known) -> None:
    cur, between = known

    assert _reached(cur, "2021-07-31", between) == []
    assert _reached(cur, "2021-08-31", between) == [
        ("P1", CUN, "B1", 1),
        ("P1", SQ, "B1", 10),
        ("P2", CUN, "B2", 1),
        ("P2", SQ, "B2", 10),
    ]
    assert _reached(cur, "2021-12-31", between) == [
        ("P1", CUN, "B1", 3),
        ("P1", SQ, "B1", 21),
        ("P2", CUN, "B2", 3),
        ("P2", SQ, "B2", 21),
    ]


def test_a_withdrawal_a_correction_and_a_recall_recorded_later_change_only_what_is_known_now(known) -> None:
    cur, between = known
    now = datetime.now(UTC)

    assert _reached(cur, "2021-12-31", now) == [
        ("P1", CUN, "B1", 3),
        ("P1", SQ, "B1", 17),  # September corrected from 11 to 7
        ("P2", SQ, "B2", 21),
    ]
    assert _reached(cur, "2022-03-01", now) == [("P2", SQ, "B2", 21)]  # P1 recalled from the town
    assert _reached(cur, "2022-03-01", between) == _reached(cur, "2021-12-31", between)
    assert [(r["item"], r["town"]) for r in extended_as_of(cur, None, SQ, date(2022, 3, 1), now)] == [
        ("P2", T)
    ]


def test_each_item_s_communities_and_cases_and_the_counts_period_by_period(known) -> None:
    cur, _between = known
    now = datetime.now(UTC)

    items = items_as_of(cur, T, date(2021, 12, 31), now)
    assert [(i["item"], i["communities"], i["handled"]) for i in items] == [("P1", 2, 20), ("P2", 1, 24)]
    figures = handled_as_of(cur, T, CUN, date(2021, 12, 31), now)
    assert [(f["item"], f["period"], f["first_day"], f["last_day"], f["count"]) for f in figures] == [
        ("P1", "2021-08", date(2021, 8, 1), date(2021, 8, 31), 1),
        ("P2", "2021-08", date(2021, 8, 1), date(2021, 8, 31), 1),
        ("P1", "2021-09", date(2021, 9, 1), date(2021, 9, 30), 2),
        ("P2", "2021-09", date(2021, 9, 1), date(2021, 9, 30), 2),
    ]
    assert [f["period"] for f in handled_as_of(cur, T, CUN, date(2021, 9, 29), now)] == ["2021-08", "2021-08"]
    assert TOWN_EXTENSIONS.read(cur, T, None)["items"] == items_as_of(cur, T, date.today(), now)
    assert len(extensions(cur, None, SQ, (date(2021, 12, 31), now))["handled"]) == 4
    with pytest.raises(Unknown):
        TOWN_EXTENSIONS.read(cur, "T9", None)


def test_a_rebuild_in_small_pages_gives_the_same_rows(database_url: str) -> None:
    ledger, _between = _built(database_url)
    runner = ProjectionRunner(ledger, [ExtensionRegister()], name="extension_register", page=3)
    tables = ("extension_keys", "extension_acts", "extension_lapses", "extension_handled")

    assert rebuilt_row_counts(runner, database_url, tables) == [2, 5, 1, 9]
