"""The faust agents, driven through faust's test tooling (local channels, in-memory tables)."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import msgspec

from consumers.linkage.app import LINKAGE_EVENTS, build
from contracts.linkage import commands as c
from contracts.linkage import events as ev
from contracts.linkage.metrics import PartyDay
from infra.settings import Settings
from tests.integration.intake.published import T0, dispatched, event_of, holding, item, raw, reported


def run(scenario):
    async def main():
        linkage = build(Settings(), "127.0.0.1:1")
        linkage.app.finalize()
        linkage.app.conf.store = "memory://"
        linkage.app.flow_control.resume()
        return await scenario(linkage)

    return asyncio.run(main())


def commands(outputs):
    return [msgspec.json.decode(value, type=c.LinkageCommand) for to, _, value in outputs if to == "commands"]


def to(where, outputs):
    return [(key, value) for there, key, value in outputs if there == where]


def collect(into):
    return lambda outputs: into.extend(outputs)


async def routed(linkage, events):
    """Catalogue events into the catalogue (as its reader folds them), case events through
    the case agent, in the order given."""
    sent = []
    linkage.catalogue.ready.set()
    async with linkage.agents["cases"].test_context(sink=[collect(sent)]) as agent:
        for e in events:
            if isinstance(e, LINKAGE_EVENTS):
                await agent.put(raw(e))
            else:
                linkage.catalogue.apply(e)
    return sent


def test_the_router_follows_the_holdings_so_a_recall_counts_for_the_next_case():
    async def scenario(linkage):
        return await routed(
            linkage,
            (
                item("P1", "CG"),
                holding("P1", "T1", date(2021, 6, 1)),
                reported("C1", "T1", item="P1"),
                holding("P1", "T1", date(2021, 11, 30), taken=False),
                reported("C2", "T1", item="P1"),
            ),
        )

    first, second = commands(run(scenario))
    assert (first.payload.case, first.payload.lead, first.payload.basis) == ("C1", "T1", "delegated")
    assert (second.payload.lead, second.payload.cooperating) == ("CG", ("T1",))
    assert first.causation_id and first.message_id != second.message_id


def test_a_repeated_report_gives_the_same_dispatch_message_id():
    async def scenario(linkage):
        report = reported("C3", "T1", category="litter")
        return await routed(linkage, (report, report))

    once, twice = commands(run(scenario))
    assert once.message_id == twice.message_id and once.payload.basis == "town_daily"


def test_following_a_case_drops_repeats_feeds_the_clock_and_forwards_counts():
    async def scenario(linkage):
        forwarded = []
        d = dispatched("C4", "CG", ("T1",))
        linkage.catalogue.ready.set()
        async with linkage.agents["cases"].test_context(sink=[collect(forwarded)]) as agent:
            await agent.put(raw(d))
            await agent.put(raw(d))  # the relay repeated it
        owed = linkage.tick(T0 + timedelta(hours=3))
        return forwarded, owed, linkage.tick(T0 + timedelta(hours=3))

    forwarded, owed, again = run(scenario)
    assert [k for k, _ in to("tally", forwarded)] == [b"CG/2021-12-01", b"T1/2021-12-01"]
    [supervise] = commands(owed)
    assert (supervise.payload.case, supervise.payload.deadline) == ("C4", "sign_for")
    assert again == []  # not sent twice by one process


def test_counting_publishes_the_party_s_day_with_rates():
    async def scenario(linkage):
        forwarded, published = [], []
        signed = event_of(
            "C5", ev.CaseSignedFor, ev.SignedFor(case="C5", party="T1", due=T0, on_time=True), T0
        )
        late = event_of(
            "C6", ev.CaseSignedFor, ev.SignedFor(case="C6", party="T1", due=T0, on_time=False), T0
        )
        linkage.catalogue.ready.set()
        async with linkage.agents["cases"].test_context(sink=[collect(forwarded)]) as agent:
            await agent.put(raw(signed))
            await agent.put(raw(late))
        async with linkage.agents["count"].test_context(sink=[collect(published)]) as agent:
            for key, value in to("tally", forwarded):
                await agent.put(value, key=key)
        return published

    records = [msgspec.json.decode(v, type=PartyDay) for _, v in to("metrics", run(scenario))]
    assert [(r.counts.signed, str(r.rates.response)) for r in records] == [(1, "1.0000"), (2, "0.5000")]


def test_a_closed_case_leaves_the_table_but_for_a_tombstone_that_drops_repeats_and_expires():
    from consumers.linkage.app import TOMBSTONE_S

    async def scenario(linkage):
        now = [1_000_000.0]
        linkage.wall = lambda: now[0]
        outputs = []
        d = dispatched("C8", "T1")
        closed = event_of(
            "C8",
            ev.CaseClosed,
            ev.Closed(case="C8", satisfaction="satisfied", lead="T1", town="T1", outcome="resolved"),
            T0,
        )
        linkage.catalogue.ready.set()
        async with linkage.agents["cases"].test_context(sink=[collect(outputs)]) as agent:
            await agent.put(raw(reported("C9", "T1", category="litter")))  # a report alone
            await agent.put(raw(d))
            held_open = dict(linkage.tables["cases"]["C8"])
            await agent.put(raw(closed))
            tombstone = dict(linkage.tables["cases"]["C8"])
            counted = len(to("tally", outputs))
            await agent.put(raw(d))  # the relay repeated an older event after the close
            await agent.put(raw(closed))
            repeated = len(to("tally", outputs)) - counted
            owed = linkage.tick(T0 + timedelta(days=30))  # long past every deadline of C8
            kept_before_expiry = "C8" in linkage.tables["cases"]
            now[0] += TOMBSTONE_S + 1
            await agent.put(raw(reported("C10", "T1", category="litter")))  # the partition's next event
            return (
                held_open,
                tombstone,
                repeated,
                owed,
                kept_before_expiry,
                linkage.tables["cases"].get("C8"),
                linkage.tables["cases"].get("C9"),
            )

    held_open, tombstone, repeated, owed, kept, after, report_alone = run(scenario)
    assert held_open["status"] == "dispatched" and held_open["version"] == 1
    assert tombstone == {"case": "C8", "version": 2, "closed_at": 1_000_000.0, "partition": 0}
    assert repeated == 0 and owed == []  # nothing counted twice, nothing supervised after the close
    assert kept and after is None  # swept once the tombstone expired
    assert report_alone is None
