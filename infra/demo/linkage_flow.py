"""The linkage demo run: relay, faust worker and intake together, the clock moved by ticks."""

from __future__ import annotations

import argparse
import dataclasses
from datetime import timedelta
from pathlib import Path
from typing import Any

from kafka import KafkaProducer
from rich.console import Console

from infra import bootstrap
from infra.cli import linkage as cli_linkage
from infra.contexts import FAMILIES
from infra.demo import linkage as d
from infra.demo.messages import Message
from infra.kafka import clients as kafka
from infra.kafka.relay import Relay, relay_producer
from infra.ops.linkage_process import LinkageProcess, caught_up, pump, tick
from infra.settings import Settings
from projections.linkage.cases import cases
from projections.powers.inventory import town_powers
from projections.runner import ProjectionRunner
from projections.territorial.scenarios import scenarios_in


def wiring(settings: Settings, ledger: Any, servers: str) -> tuple[Relay, ProjectionRunner, KafkaProducer]:
    """What a linkage run needs beside the intake and the faust worker: every topic they read
    or write, the relay onto the event topics, the projections' runner and a producer."""
    topics = settings.topics.event_topics(list(FAMILIES))
    kafka.ensure_topics(
        servers, settings, extra=[*topics.values(), settings.topics.metrics, settings.topics.ticks]
    )
    relay = Relay(ledger, relay_producer(servers, settings), topics)
    return relay, bootstrap.build_projections(ledger, settings), kafka.producer(servers, settings)


def run(
    settings: Settings, ledger: Any, worker: Any, servers: str, console: Console, timeout: float = 240.0
) -> bool:
    settings = dataclasses.replace(settings, linkage=dataclasses.replace(settings.linkage, clock="ticks"))
    relay, runner, producer = wiring(settings, ledger, servers)
    targets: dict[tuple[str, int], int] = {}  # partition -> offset just past what was published
    runner.catch_up()
    with ledger.recorder.datastore.transaction(commit=False) as cur:
        held = [row["code"] for row in town_powers(cur, d.TOWN, d.DAY.date())]
        cur.execute("SELECT DISTINCT code FROM power_item_versions ORDER BY code")
        not_held = [row["code"] for row in cur.fetchall() if row["code"] not in set(held)]
        scenario = scenarios_in(cur, d.TOWN)[0]["category"]

    def register() -> dict[str, dict[str, Any]]:
        runner.catch_up()
        with ledger.recorder.datastore.transaction(commit=False) as cur:
            return {row["number"]: row for row in cases(cur, town=d.TOWN)}

    def dispatched(cases: dict[str, dict[str, Any]]) -> bool:
        return len(cases) == 40 and all(c["round"] >= 1 for c in cases.values())

    def taken_in() -> bool:
        return all(worker.intake.positions.get(k, 0) >= v for k, v in targets.items()) and caught_up(
            servers, settings, relay
        )

    def publish(messages: list[Message]) -> None:
        targets.update(kafka.publish(producer, settings.topics.linkage, messages))

    log = Path(settings.state_dir) / "linkage.log"
    console.print(f"linkage worker starting (faust; log in {log})")
    with LinkageProcess(settings, servers, log) as linkage:
        steps = [
            (lambda: None, taken_in),  # the routing table holds every delegation relayed
            (lambda: publish(d.reports(held, not_held, scenario)), lambda: dispatched(register())),
            (lambda: publish(d.first_acts(register())), taken_in),
            (
                lambda: tick(producer, settings, d.DAY + timedelta(hours=10)),
                lambda: register()[d.case_no(d.LATE)]["supervisions"] >= 1,
            ),
            (lambda: publish(d.closing_acts(register())), taken_in),
            (
                lambda: tick(
                    producer, settings, register()[d.case_no(d.STUCK)]["resolve_by"] + timedelta(minutes=15)
                ),
                lambda: register()[d.case_no(d.STUCK)]["supervisions"] >= 1 and taken_in(),
            ),
            (
                lambda: tick(producer, settings, d.DAY + timedelta(days=4, hours=8)),
                lambda: register()[d.case_no(d.STUCK)]["round"] >= 2,
            ),
        ]
        for act, done in steps:
            act()
            if not pump(worker, relay, done, timeout, linkage):
                console.print(f"[red]the linkage did not finish in {timeout:.0f} s; see {log}[/red]")
                return False
    _report(register(), ledger, console)
    return True


def _report(register: dict[str, dict[str, Any]], ledger: Any, console: Console) -> None:
    by_basis: dict[str, int] = {}
    for case in register.values():
        by_basis[case["basis"]] = by_basis.get(case["basis"], 0) + 1
    console.print(
        f"linkage: {len(register)} cases in {d.TOWN} on {d.DAY.date()}; routed by "
        + ", ".join(f"{basis} {n}" for basis, n in sorted(by_basis.items()))
    )
    verdicts = [c["satisfaction"] for c in register.values() if c["satisfaction"]]
    content = sum(v != "dissatisfied" for v in verdicts)
    console.print(
        f"  closed {len(verdicts)}, satisfied or basically satisfied {content} "
        f"({content / max(len(verdicts), 1):.1%}; Jiangsu reports 97.2 %)"
    )
    for n, what in ((d.LATE, "signed for late"), (d.STUCK, "unresolved")):
        case = register[d.case_no(n)]
        console.print(
            f"  {d.case_no(n)} {what}: supervised {case['supervisions']}×, escalated "
            f"{case['escalations']}×, now {case['tier']} tier, lead {case['lead']}"
        )
    with ledger.recorder.datastore.transaction(commit=False) as cur:
        cli_linkage.metrics(cur, argparse.Namespace(period="2021-12", party=None, json=False), console)
