"""网格: cells registered in a town and community, members by kind and dated, "1+2+N" teams,
cells retired — and the rules each act is refused by."""

from __future__ import annotations

from datetime import date

import pytest

from aggregates.base import ReasonRequired
from aggregates.grid.cell import (
    AlreadyInTeam,
    CellDetails,
    CommunityGridCode,
    GridCell,
    GridCellAlreadyRegistered,
    GridCellNotRegistered,
    GridCellRetired,
    GridDatesOutOfOrder,
    InvalidGridDetails,
    MemberAlreadyInCell,
    NotACellMember,
    NotInTeam,
    TeamNotFormed,
    TeamPlaces,
    TeamRoleFull,
)
from aggregates.jurisdictions.jurisdiction import CommunityOfAnotherTown, JurisdictionDetails
from aggregates.organisation.town import TownDetails
from aggregates.organisation.use_cases import TownNotRegistered
from infra.contexts import GovernanceLedger as Ledger
from tests.unit.builders import ctx, event_names, immutable, state

TOWN, COMMUNITY, CELL = "BH-WANNIANBU", "BH-WNB-C1", "BH-WNB-C1-G1"
STREET = TownDetails("万年埠街道", "合肥市包河区", "street", "一办七部两中心")
DETAILS = CellDetails(TOWN, COMMUNITY, "万年埠街道第1社区第1网格")
BAOHE = TeamPlaces("1+2+N3+6", grid_members=2, posts=3, officers=6)


def cell(ledger: Ledger, code: str = CELL) -> GridCell:
    return ledger.repository.get(GridCell.create_id(code))


def events(ledger: Ledger, code: str = CELL) -> list[str]:
    return event_names(ledger, GridCell.create_id(code))


def registered(ledger: Ledger) -> None:
    """Given the street is registered and its cell registered on 4 January 2021."""
    ledger.register_town(ctx("2021-01-04"), TOWN, STREET)
    ledger.register_grid_cell(ctx("2021-01-04"), CELL, DETAILS)


def teamed(ledger: Ledger) -> None:
    """Given the cell's "1+2+N3+6" team is formed and M1 (full-time) heads it, M2 a grid member."""
    registered(ledger)
    ledger.form_grid_team(ctx("2021-01-04"), CELL, BAOHE)
    ledger.add_grid_member(ctx("2021-01-05"), CELL, "M1", "full_time")
    ledger.add_grid_member(ctx("2021-01-05"), CELL, "M2", "full_time")
    ledger.appoint_grid_role(ctx("2021-01-06"), CELL, "M1", "head")
    ledger.appoint_grid_role(ctx("2021-01-06"), CELL, "M2", "grid_member")


# -- registering and retiring --------------------------------------------------------------------


def test_a_cell_is_registered_in_a_registered_town_with_its_community_as_given(ledger: Ledger) -> None:
    registered(ledger)
    ledger.register_grid_cell(ctx("2021-01-05"), CELL, DETAILS)  # again as it is: nothing new

    found = cell(ledger)
    assert (found.details, found.registered_on, found.retired_on, found.members) == (
        DETAILS,
        date(2021, 1, 4),
        None,
        (),
    )
    assert events(ledger) == ["Registered"]
    teamed(other := Ledger())
    assert all(immutable(v) for v in state(cell(other)).values())  # what a batch's copies need


def test_a_cell_in_a_town_never_registered_is_refused(ledger: Ledger) -> None:
    with pytest.raises(TownNotRegistered):
        ledger.register_grid_cell(ctx(), CELL, DETAILS)


def test_a_cell_code_taken_with_other_details_is_refused(ledger: Ledger) -> None:
    registered(ledger)
    with pytest.raises(GridCellAlreadyRegistered):
        ledger.register_grid_cell(ctx(), CELL, CellDetails(TOWN, "BH-WNB-C2", DETAILS.name))


def test_a_level_outside_the_vocabulary_or_an_empty_name_is_refused() -> None:
    with pytest.raises(InvalidGridDetails):
        CellDetails(TOWN, COMMUNITY, "网格", "street")
    with pytest.raises(InvalidGridDetails):
        CellDetails(TOWN, COMMUNITY, " ")


def test_a_community_s_own_grid_is_registered_under_the_community_s_code(ledger: Ledger) -> None:
    registered(ledger)
    own = CellDetails(TOWN, COMMUNITY, "第1社区网格", "community")

    with pytest.raises(CommunityGridCode):
        ledger.register_grid_cell(ctx(), "BH-WNB-C1-ALL", own)
    ledger.register_grid_cell(ctx(), COMMUNITY, own)
    assert cell(ledger, COMMUNITY).details.level == "community"


def test_acts_on_a_cell_never_registered_are_refused(ledger: Ledger) -> None:
    with pytest.raises(GridCellNotRegistered):
        ledger.add_grid_member(ctx(), "NOWHERE", "M1", "mobile")
    with pytest.raises(GridCellNotRegistered):
        ledger.retire_grid_cell(ctx(reason="调整"), "NOWHERE")


def test_retiring_needs_a_reason_and_ends_memberships_and_roles_that_day(ledger: Ledger) -> None:
    teamed(ledger)
    with pytest.raises(ReasonRequired):
        ledger.retire_grid_cell(ctx("2021-10-08", reason=None), CELL)

    ledger.retire_grid_cell(ctx("2021-10-08", reason="多格合一"), CELL)
    ledger.retire_grid_cell(ctx("2021-10-09", reason="多格合一"), CELL)  # again: nothing new

    found = cell(ledger)
    assert (found.retired_on, found.members) == (date(2021, 10, 8), ())
    assert found.retired_by(date(2021, 10, 8)) and not found.retired_by(date(2021, 10, 7))
    assert events(ledger)[-1:] == ["Retired"] and events(ledger).count("Retired") == 1


def test_a_retired_cell_takes_no_member_team_or_role(ledger: Ledger) -> None:
    teamed(ledger)
    ledger.retire_grid_cell(ctx("2021-10-08", reason="多格合一"), CELL)

    with pytest.raises(GridCellRetired):
        ledger.add_grid_member(ctx("2021-10-09"), CELL, "M9", "mobile")
    with pytest.raises(GridCellRetired):
        ledger.form_grid_team(ctx("2021-10-09"), CELL, TeamPlaces("1+2", 2))
    with pytest.raises(GridCellRetired):
        ledger.appoint_grid_role(ctx("2021-10-09"), CELL, "M1", "head")
    with pytest.raises(NotACellMember):  # its members left with it
        ledger.remove_grid_member(ctx("2021-10-09"), CELL, "M1")


def test_a_cell_retires_no_earlier_than_its_members_last_acts(ledger: Ledger) -> None:
    teamed(ledger)
    with pytest.raises(GridDatesOutOfOrder):
        ledger.retire_grid_cell(ctx("2021-01-05", reason="调整"), CELL)  # M1 was appointed on the 6th


# -- members ---------------------------------------------------------------------------------------


def test_members_join_by_kind_and_leave_dated_and_may_rejoin_later(ledger: Ledger) -> None:
    registered(ledger)
    ledger.add_grid_member(ctx("2021-03-01"), CELL, "LH-RIDER-001", "mobile", "delivery-riders")
    ledger.add_grid_member(ctx("2021-03-02"), CELL, "LH-RIDER-001", "mobile", "delivery-riders")  # no-op
    ledger.remove_grid_member(ctx("2021-06-30"), CELL, "LH-RIDER-001")
    ledger.add_grid_member(ctx("2021-08-01"), CELL, "LH-RIDER-001", "mobile", "delivery-riders")

    [rider] = cell(ledger).members
    assert (rider.kind, rider.drawn_from, rider.joined_on) == ("mobile", "delivery-riders", date(2021, 8, 1))
    assert events(ledger) == ["Registered", "MemberAdded", "MemberRemoved", "MemberAdded"]


def test_a_kind_outside_the_vocabulary_is_refused(ledger: Ledger) -> None:
    registered(ledger)
    with pytest.raises(InvalidGridDetails):
        ledger.add_grid_member(ctx(), CELL, "M1", "volunteer")


def test_a_member_already_in_the_cell_does_not_join_again_as_another_kind(ledger: Ledger) -> None:
    registered(ledger)
    ledger.add_grid_member(ctx("2021-03-01"), CELL, "M1", "part_time")
    with pytest.raises(MemberAlreadyInCell):
        ledger.add_grid_member(ctx("2021-03-02"), CELL, "M1", "full_time")


def test_only_a_current_member_leaves(ledger: Ledger) -> None:
    registered(ledger)
    with pytest.raises(NotACellMember):
        ledger.remove_grid_member(ctx(), CELL, "M1")


@pytest.mark.parametrize(
    ("act", "day"),
    [
        ("join before the cell", "2021-01-03"),
        ("leave before joining", "2021-02-28"),
        ("rejoin before leaving", "2021-05-31"),
    ],
)
def test_a_cell_s_acts_keep_their_days_in_order(ledger: Ledger, act: str, day: str) -> None:
    registered(ledger)
    with pytest.raises(GridDatesOutOfOrder):
        if act == "join before the cell":
            ledger.add_grid_member(ctx(day), CELL, "M1", "mobile")
        ledger.add_grid_member(ctx("2021-03-01"), CELL, "M1", "mobile")
        if act == "leave before joining":
            ledger.remove_grid_member(ctx(day), CELL, "M1")
        ledger.remove_grid_member(ctx("2021-06-01"), CELL, "M1")
        ledger.add_grid_member(ctx(day), CELL, "M1", "mobile")


# -- the team ("1+2+N") ----------------------------------------------------------------------------


def test_a_team_has_one_head_two_grid_members_three_posts_and_six_officers(ledger: Ledger) -> None:
    teamed(ledger)
    for n in range(3, 14):
        ledger.add_grid_member(ctx("2021-01-05"), CELL, f"M{n}", "part_time")
    ledger.appoint_grid_role(ctx("2021-01-06"), CELL, "M3", "grid_member")
    for n in (4, 5, 6):
        ledger.appoint_grid_role(ctx("2021-01-06"), CELL, f"M{n}", "post")
    for n in range(7, 13):
        ledger.appoint_grid_role(ctx("2021-01-06"), CELL, f"M{n}", "officer")

    found = cell(ledger)
    assert [found.holders(r) for r in ("head", "grid_member", "post", "officer")] == [1, 2, 3, 6]
    for role in ("head", "grid_member", "post", "officer"):
        with pytest.raises(TeamRoleFull):
            ledger.appoint_grid_role(ctx("2021-01-07"), CELL, "M13", role)


def test_a_team_formed_again_must_fit_its_holders(ledger: Ledger) -> None:
    teamed(ledger)
    with pytest.raises(TeamRoleFull):
        ledger.form_grid_team(ctx("2021-02-01"), CELL, TeamPlaces("1+0", grid_members=0))
    ledger.form_grid_team(ctx("2021-02-01"), CELL, TeamPlaces("1+3", grid_members=3))
    assert cell(ledger).team == TeamPlaces("1+3", 3)


def test_places_outside_0_to_50_or_an_empty_model_are_refused() -> None:
    with pytest.raises(InvalidGridDetails):
        TeamPlaces("1+2", grid_members=51)
    with pytest.raises(InvalidGridDetails):
        TeamPlaces(" ", grid_members=2)


def test_roles_need_a_formed_team_a_member_and_a_role_of_the_vocabulary(ledger: Ledger) -> None:
    registered(ledger)
    ledger.add_grid_member(ctx("2021-01-05"), CELL, "M1", "full_time")
    with pytest.raises(TeamNotFormed):
        ledger.appoint_grid_role(ctx(), CELL, "M1", "head")
    ledger.form_grid_team(ctx("2021-01-05"), CELL, BAOHE)
    with pytest.raises(NotACellMember):
        ledger.appoint_grid_role(ctx(), CELL, "STRANGER", "head")
    with pytest.raises(InvalidGridDetails):
        ledger.appoint_grid_role(ctx(), CELL, "M1", "secretary")
    with pytest.raises(GridDatesOutOfOrder):
        ledger.appoint_grid_role(ctx("2021-01-04"), CELL, "M1", "head")  # before M1 joined


def test_a_member_holds_one_role_until_relieved_and_stays_a_member(ledger: Ledger) -> None:
    teamed(ledger)
    ledger.appoint_grid_role(ctx("2021-01-07"), CELL, "M1", "head")  # again: nothing new
    with pytest.raises(AlreadyInTeam):
        ledger.appoint_grid_role(ctx("2021-01-07"), CELL, "M1", "officer")
    with pytest.raises(GridDatesOutOfOrder):
        ledger.relieve_grid_role(ctx("2021-01-05"), CELL, "M1")  # before the appointment

    ledger.relieve_grid_role(ctx("2021-09-01"), CELL, "M1")
    ledger.appoint_grid_role(ctx("2021-09-01"), CELL, "M1", "officer")

    assert cell(ledger).current("M1").role == "officer"
    assert events(ledger).count("RoleAppointed") == 3 and events(ledger).count("RoleRelieved") == 1
    with pytest.raises(NotInTeam):
        ledger.add_grid_member(ctx("2021-09-02"), CELL, "M3", "part_time")
        ledger.relieve_grid_role(ctx("2021-09-02"), CELL, "M3")


def test_a_member_leaving_takes_their_role_with_them(ledger: Ledger) -> None:
    teamed(ledger)
    ledger.remove_grid_member(ctx("2021-05-01"), CELL, "M1")

    assert cell(ledger).holders("head") == 0
    ledger.add_grid_member(ctx("2021-05-01"), CELL, "M9", "full_time")
    ledger.appoint_grid_role(ctx("2021-05-01"), CELL, "M9", "head")
    assert cell(ledger).current("M9").role_since == date(2021, 5, 1)


def test_a_cell_names_a_community_of_its_own_town_where_the_register_knows_it(ledger: Ledger) -> None:
    ledger.register_town(ctx("2021-01-04"), TOWN, STREET)
    ledger.register_town(ctx("2021-01-04"), "BH-CHANGQING", STREET)
    elsewhere = JurisdictionDetails("常青某社区", "community", "community", "BH-CHANGQING")
    ledger.register_jurisdiction(ctx("2021-01-04"), COMMUNITY, elsewhere)

    with pytest.raises(
        CommunityOfAnotherTown, match=f"{COMMUNITY} is registered as a community under BH-CHANGQING"
    ):
        ledger.register_grid_cell(ctx("2021-01-04"), CELL, DETAILS)
    ledger.register_grid_cell(
        ctx("2021-01-04"), "BH-CQ-G1", CellDetails("BH-CHANGQING", COMMUNITY, "常青网格")
    )
    unknown = CellDetails(TOWN, "BH-WNB-C9", "登记簿未载社区的网格")  # a community the register does not know
    ledger.register_grid_cell(ctx("2021-01-04"), "BH-WNB-C9-G1", unknown)

    assert cell(ledger, "BH-CQ-G1").details.community == COMMUNITY
    assert events(ledger, "BH-WNB-C9-G1") == ["Registered"] and events(ledger) == []
