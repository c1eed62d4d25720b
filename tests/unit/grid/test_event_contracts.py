"""Every event of a grid cell has a published contract (events.organisation) that round-trips
and names the cell, its members by id and the day each act took effect."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any, Union, get_args

from aggregates.grid.cell import GridCell
from aggregates.organisation.town import Town
from consumers.grid import translator
from contracts.grid import commands as g
from contracts.grid.events import GridEvent
from contracts.organisation import commands as o
from contracts.organisation.events import OrganisationEvent
from infra.contexts import EVENTS
from tests.support import from_bureau
from tests.unit.builders import applied, contract_classes, event_classes, published_as

CST = timezone(timedelta(hours=8))
T0 = datetime(2021, 1, 4, 9, tzinfo=CST)
TOWN, CELL = "BH-WANNIANBU", "BH-WNB-C1-G1"
contracts_of = published_as("organisation", Union[OrganisationEvent, GridEvent], event_classes(Town))


def _send(cls: type, days: int, payload: Any, reason: str | None = None) -> Any:
    return from_bureau(
        cls, f"{cls.__name__}/{days}/{payload}", payload, T0 + timedelta(days=days), reason=reason
    )


def _history() -> list[Any]:
    member = lambda m: g.GridMemberRef(cell=CELL, member=m)  # a payload builder
    return [
        _send(
            o.RegisterTown,
            0,
            o.TownDetails(
                code=TOWN,
                name="万年埠街道",
                district_name="合肥市包河区",
                kind="street",
                model="一办七部两中心",
            ),
        ),
        _send(
            g.RegisterGridCell,
            0,
            g.GridCellDetails(cell=CELL, town=TOWN, community="BH-WNB-C1", name="第1网格"),
        ),
        _send(
            g.FormGridTeam,
            0,
            g.GridTeamPlaces(cell=CELL, model="1+2+N3+6", grid_members=2, posts=3, officers=6),
        ),
        _send(g.AddGridMember, 1, g.GridMembership(cell=CELL, member="M1", kind="full_time")),
        _send(
            g.AddGridMember,
            1,
            g.GridMembership(cell=CELL, member="R1", kind="mobile", drawn_from="delivery-riders"),
        ),
        _send(g.AppointGridRole, 2, g.GridAppointment(cell=CELL, member="M1", role="head")),
        _send(g.RelieveGridRole, 30, member("M1")),
        _send(g.RemoveGridMember, 31, member("R1")),
        _send(g.RetireGridCell, 60, g.GridCellRef(cell=CELL), "多格合一"),
    ]


def test_every_cell_event_has_a_contract_and_every_contract_of_the_union_is_used() -> None:
    published = translator.PUBLISHED
    assert event_classes(GridCell) == set(published)
    assert not translator.INTERNAL and not set(published) & EVENTS.internal  # members are ids only
    assert contract_classes(published) == set(get_args(GridEvent))


def test_a_cell_s_whole_history_is_published_with_its_days_and_round_trips() -> None:
    by_tag = contracts_of(applied(*_history()))

    assert {tag: len(found) for tag, found in by_tag.items()} == {
        "grid.cell_registered": 1,
        "grid.team_formed": 1,
        "grid.member_added": 2,
        "grid.role_appointed": 1,
        "grid.role_relieved": 1,
        "grid.member_removed": 1,
        "grid.cell_retired": 1,
    }
    [opened], [team], [rider] = (
        by_tag["grid.cell_registered"],
        by_tag["grid.team_formed"],
        by_tag["grid.member_added"][1:],
    )
    assert (opened.payload.cell, opened.payload.town, opened.payload.level, opened.payload.on) == (
        CELL,
        TOWN,
        "basic",
        date(2021, 1, 4),
    )
    assert (team.payload.model, team.payload.grid_members, team.payload.posts, team.payload.officers) == (
        "1+2+N3+6",
        2,
        3,
        6,
    )
    assert (rider.payload.member, rider.payload.kind, rider.payload.drawn_from) == (
        "R1",
        "mobile",
        "delivery-riders",
    )
    [relieved] = by_tag["grid.role_relieved"]
    assert (relieved.payload.member, relieved.payload.role, relieved.payload.on) == (
        "M1",
        "head",
        date(2021, 2, 3),
    )
    [retired] = by_tag["grid.cell_retired"]
    assert (retired.payload.on, retired.reason) == (date(2021, 3, 5), "多格合一")
