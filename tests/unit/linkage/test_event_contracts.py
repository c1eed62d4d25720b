"""Every event of a linkage case has a published contract that round-trips and carries what the
stream processors need: the case's facts for routing again, on-time flags and outcomes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, get_args

import msgspec

from aggregates.grid.cell import GridCell
from aggregates.linkage.case import LinkageCase
from aggregates.organisation.town import Town
from consumers.linkage import translator as event_contracts_linkage
from contracts.grid import commands as g
from contracts.linkage import commands as c
from contracts.linkage.events import CaseFacts, LinkageEvent
from contracts.organisation import commands as o
from infra.contexts import EVENTS
from tests.support import from_bureau
from tests.unit.builders import applied, contract_classes, event_classes, published_as

CST = timezone(timedelta(hours=8))
T0 = datetime(2021, 7, 1, 9, tzinfo=CST)
C, D, TOWN, ZHZF, GHJ = "JB-12345-0001", "JB-12345-0002", "JB-CICHENG", "JB-ZHZF", "JB-ZRZY"
# nothing of a case is internal; the town and the grid cell its report names are not the case's
contracts_of = published_as("linkage", LinkageEvent, event_classes(Town) | event_classes(GridCell))


def _send(cls: type, hours: float, payload: Any, reason: str | None = None) -> Any:
    label = f"{cls.__name__}/{hours}/{payload.case}"
    return from_bureau(cls, label, payload, T0 + timedelta(hours=hours), reason=reason)


def _dispatch(hours: float, lead: str, cooperating: tuple[str, ...], tier: str, cause: str) -> Any:
    at = T0 + timedelta(hours=hours)
    return _send(
        c.DispatchCase,
        hours,
        c.Dispatch(
            case=C,
            tier=tier,
            lead=lead,
            cooperating=cooperating,
            sign_for_by=at + timedelta(days=1),
            resolve_by=at + timedelta(days=7),
            basis="town_daily",
            cause=cause,
        ),
    )


def _in_the_grid() -> list[Any]:
    """The town and the grid cell CC-07 that the report names, registered before it."""
    town = o.TownDetails(code=TOWN, name="慈城镇", district_name="宁波市江北区", kind="town", model="5+X")
    cell = g.GridCellDetails(cell="CC-07", town=TOWN, community="JB-CC-CIHU", name="慈城镇第7网格")
    return [
        from_bureau(o.RegisterTown, "town/CC", town, T0 - timedelta(days=30)),
        from_bureau(g.RegisterGridCell, "grid/CC-07", cell, T0 - timedelta(days=30)),
    ]


def _history() -> list[Any]:
    """A case through every kind of event: sent back, escalated, supervised, extended,
    resolved, closed dissatisfied, reworked, closed; a duplicate merged into it."""

    def act(cls: type, hours: float, party: str, **kw: Any) -> Any:
        return _send(cls, hours, c.PartyAct(case=C, party=party, **kw))

    return [
        *_in_the_grid(),
        _send(
            c.ReportCase,
            0,
            c.CaseReport(case=C, source="hotline", town=TOWN, grid_cell="CC-07", category="illegal-building"),
        ),
        _dispatch(1, TOWN, (ZHZF,), "town", "reported"),
        _send(c.SendBackCase, 2, c.SendBack(case=C, party=TOWN, suggested=GHJ), "属规划执法事项"),
        _dispatch(3, TOWN, (GHJ,), "town", "sent-back"),
        act(c.SignForCase, 4, GHJ),
        _send(c.SuperviseCase, 28, c.Supervision(case=C, deadline="sign_for", due=T0 + timedelta(hours=27))),
        _send(c.EscalateCase, 29, c.Escalation(case=C), "镇级无法协调"),
        _dispatch(30, GHJ, (TOWN,), "district", "escalated"),
        act(c.SignForCase, 31, GHJ),
        act(c.ReportIn, 32, TOWN, note="属地配合"),
        act(c.HandleCase, 33, GHJ),
        _send(c.RequestExtension, 34, c.ExtensionRequest(case=C, party=GHJ, days=5), "需测绘"),
        _send(c.GrantExtension, 35, c.ExtensionGrant(case=C, days=3)),
        _send(c.ResolveCase, 40, c.Resolution(case=C, party=GHJ, outcome="resolved")),
        _send(c.CloseCase, 41, c.Closing(case=C, satisfaction="dissatisfied")),
        _send(c.ReworkCase, 42, c.Rework(case=C, resolve_by=T0 + timedelta(days=12)), "回访不满意"),
        _send(c.ResolveCase, 50, c.Resolution(case=C, party=GHJ, outcome="explained")),
        _send(c.CloseCase, 51, c.Closing(case=C, satisfaction="satisfied")),
        _send(c.ReportCase, 2, c.CaseReport(case=D, source="grid", town=TOWN, category="illegal-building")),
        _send(c.MergeCase, 3, c.Merge(case=D, into=C)),
    ]


def test_every_case_event_has_a_contract_and_every_contract_of_the_union_is_used() -> None:
    m = event_contracts_linkage.PUBLISHED
    assert event_classes(LinkageCase) == set(m)
    assert not event_contracts_linkage.INTERNAL and not set(m) & EVENTS.internal  # nothing personal
    assert EVENTS.families["linkage"] == m
    assert contract_classes(m) == set(get_args(LinkageEvent))


def test_a_case_s_whole_history_is_published_and_round_trips() -> None:
    by_tag = contracts_of(applied(*_history()))

    assert {tag: len(found) for tag, found in by_tag.items()} == {
        "case.reported": 2,
        "case.dispatched": 3,
        "case.sent_back": 1,
        "case.signed_for": 2,
        "case.supervised": 1,
        "case.escalated": 1,
        "case.reported_in": 1,
        "case.handled": 1,
        "case.extension_requested": 1,
        "case.extension_granted": 1,
        "case.resolved": 2,
        "case.closed": 2,
        "case.rework_ordered": 1,
        "case.merged": 1,
    }
    dispatches = [d.payload for d in by_tag["case.dispatched"]]
    assert [(d.round, d.lead, d.tier) for d in dispatches] == [
        (1, TOWN, "town"),
        (2, TOWN, "town"),
        (3, GHJ, "district"),
    ]
    [supervised] = by_tag["case.supervised"]
    assert supervised.payload.parties == (TOWN,)  # the lead had not signed; GHJ had
    [granted] = by_tag["case.extension_granted"]
    assert granted.payload.resolve_by == T0 + timedelta(hours=30, days=10)
    assert [(r.payload.outcome, r.payload.on_time) for r in by_tag["case.resolved"]] == [
        ("resolved", True),
        ("explained", True),
    ]
    assert [(x.payload.satisfaction, x.payload.lead, x.payload.town) for x in by_tag["case.closed"]] == [
        ("dissatisfied", GHJ, TOWN),
        ("satisfied", GHJ, TOWN),
    ]


def test_a_sending_back_and_an_escalation_carry_the_case_s_facts_for_routing_again() -> None:
    by_tag = contracts_of(applied(*_history()))
    facts = CaseFacts(
        case=C, source="hotline", town=TOWN, grid_cell="CC-07", category="illegal-building", reported_at=T0
    )

    [reported, _], [sent_back], [escalated] = (
        by_tag[t] for t in ("case.reported", "case.sent_back", "case.escalated")
    )
    assert reported.payload == facts
    assert msgspec.structs.asdict(sent_back.payload) == {
        "case": C,
        "party": TOWN,
        "suggested": GHJ,
        "facts": facts,
        "tier": "town",
    }
    assert sent_back.reason == "属规划执法事项"
    assert (
        escalated.payload.facts,
        escalated.payload.from_tier,
        escalated.payload.to_tier,
        escalated.payload.previous_lead,
    ) == (facts, "town", "district", TOWN)
    [merged] = by_tag["case.merged"]
    assert (merged.payload.case, merged.payload.into) == (D, C)
