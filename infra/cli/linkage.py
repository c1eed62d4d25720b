"""`govledger linkage | cases | metrics`: the linkage worker and what it left in the ledger."""

from __future__ import annotations

import argparse
import hashlib
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid5

import msgspec
from rich.console import Console

from aggregates.base import NAMESPACE
from contracts.appraisals import commands as a
from contracts.envelope import Actor
from infra.axes import moment
from infra.cli.shared import console, log, open_ledger, read_models
from infra.cli.tables import percent, print_rows
from infra.kafka import clients as kafka
from infra.ops import observers as worker_metrics
from infra.ops.embedded import ensure_broker
from infra.settings import Settings
from projections.grid import cases as grid_cases
from projections.linkage import cases as linkage_cases
from projections.linkage import metrics as linkage_metrics

CASE_COLUMNS = (
    "number",
    "town",
    "category",
    "item",
    "priority",
    "tier",
    "status",
    "lead",
    "cooperating",
    "basis",
    "sign_for_by",
    "resolve_by",
    "supervisions",
    "escalations",
    "satisfaction",
)
METRIC_COLUMNS = (
    "party",
    "dispatched",
    "signed",
    "response",
    "resolved",
    "on_time_resolution",
    "resolution",
    "closed",
    "satisfaction",
    "supervised",
    "escalated",
)
EVIDENCE = Actor(id="linkage-metrics", role="metrics publisher", system="govledger-linkage")
# Tests only: a file whose appearance stops the worker fetching its case partitions (see
# `_pause_cases_on_request`); outside the GOVLEDGER_ settings on purpose, as it is no setting.
TEST_PAUSE_FILE = "LINKAGE_TEST_PAUSE_FILE"


def add_commands(sub: Any) -> None:
    sub.add_parser(
        "linkage", help="run the linkage stream processors (faust): routing, deadline clock, metrics"
    )
    c = sub.add_parser("cases", help="linkage cases (区镇联动案件台账)")
    c.add_argument("--town")
    c.add_argument("--party", help="cases this department or town leads or cooperates on")
    c.add_argument("--cell", help="cases reported in this grid cell (网格)")
    c.add_argument("--community", help="cases reported in this community's grid cells")
    c.add_argument("--open", action="store_true", help="only cases not closed")
    c.add_argument("--overdue", action="store_true", help="only cases overdue at --at")
    c.add_argument(
        "--at", help="the moment `overdue` is judged at (a day: its end; an ISO time); now by default"
    )
    c.add_argument("--case", help="one case's history, event by event")
    c.add_argument("--json", action="store_true")
    m = sub.add_parser("metrics", help="linkage metrics per party (响应率 / 按时办结率 / 解决率 / 满意率)")
    m.add_argument("--period", required=True, help="2021, 2021-12 or 2021-12-01")
    m.add_argument("--party")
    m.add_argument(
        "--attach",
        action="store_true",
        help="send the figures as evidence to the parties' appraisals of the period",
    )
    m.add_argument("--json", action="store_true")


def cmd_linkage(args: argparse.Namespace, settings: Settings) -> int:
    """The linkage stream processors, until stopped (SIGINT/SIGTERM)."""
    import mode.loop

    mode.loop.use("uvloop")  # libuv's loop: faust spends much of a message's time in the event loop
    import faust

    from consumers.linkage import app as linkage_app
    from infra.contexts import FAMILIES

    servers = ensure_broker(settings)
    events = settings.topics.event_topics(list(FAMILIES))
    kafka.ensure_topics(
        servers, settings, extra=[*events.values(), settings.topics.metrics, settings.topics.ticks]
    )
    linkage = linkage_app.build(settings, servers, client=kafka.aiokafka_options(settings))
    worker_metrics.observe_linkage(linkage, servers, settings)
    if pause_file := os.environ.get(TEST_PAUSE_FILE):
        _pause_cases_on_request(linkage, Path(pause_file), events["linkage"])
    log.info("linkage started", extra={"app_id": settings.linkage.app_id})
    try:
        faust.Worker(linkage.app, loglevel="WARNING", override_logging=False).execute_from_commandline()
    finally:
        log.info("linkage stopped")
    return 0


def _pause_cases_on_request(linkage: Any, request: Path, cases_topic: str) -> None:
    """Tests only (`LINKAGE_TEST_PAUSE_FILE`): once `request` exists and partitions of the case
    events are held, the file is removed and faust stops fetching those partitions, as when an
    agent's fetching dies while the worker's loop turns on (faust-streaming #175, #629). What
    /health and `govledger up` do about it is tested that way (tests/e2e/test_linkage_stuck.py)."""

    @linkage.app.timer(interval=0.2, name="test-pause-cases")
    async def pause_cases() -> None:
        held = {tp for tp in linkage.app.consumer.assignment() if tp.topic == cases_topic}
        if held and request.exists():
            request.unlink()
            linkage.app.consumer.pause_partitions(held)
            log.warning(
                "case partitions paused on a test's request",
                extra={"partitions": sorted(f"{tp.topic}/{tp.partition}" for tp in held)},
            )


def cmd_cases(args: argparse.Namespace, settings: Settings) -> int:
    with read_models(open_ledger(settings), settings, catch_up=True) as cur:
        return cases(cur, args, console)


def cmd_metrics(args: argparse.Namespace, settings: Settings) -> int:
    """The figures, or with --attach the figures sent as appraisal evidence."""
    with read_models(open_ledger(settings), settings, catch_up=True) as cur:
        if args.attach:
            return attach(cur, args.period, settings, ensure_broker(settings), console)
        return metrics(cur, args, console)


def _show(
    console: Console,
    args: argparse.Namespace,
    title: str,
    rows: list[dict[str, Any]],
    columns: tuple[str, ...],
) -> int:
    if args.json:
        print(msgspec.json.encode(rows).decode())
    else:
        print_rows(console, title, [{k: percent(v) for k, v in r.items()} for r in rows], columns)
    return 0


def cases(cur: Any, args: argparse.Namespace, console: Console) -> int:
    """The case register, or one case and its history, as the API answers them: each case
    says whether it is `overdue` at --at (now by default)."""
    at = _at(args)  # a bad --at fails whatever is asked
    if args.case:
        row = linkage_cases.case(cur, args.case)
        if row is None:  # where the API answers 404
            console.print(f"[red]no case {args.case!r} is known[/red]")
            return 1
        history = linkage_cases.case_history(cur, args.case)
        if args.json:
            overdue = args.case in linkage_cases.overdue_numbers(cur, at)
            print(msgspec.json.encode({"case": {**row, "overdue": overdue}, "history": history}).decode())
            return 0
        columns = tuple(history[0]) if history else ("event",)
        return _show(console, args, f"case {args.case}", history, columns)
    rows = grid_cases.register(
        cur, at, args.cell, args.community, args.town, args.party, args.open, args.overdue
    )
    return _show(console, args, "open cases" if args.open else "cases", rows, (*CASE_COLUMNS, "overdue"))


def _at(args: argparse.Namespace) -> datetime:
    return moment(args.at) if args.at else datetime.now(UTC)


def metrics(cur: Any, args: argparse.Namespace, console: Console) -> int:
    rows = linkage_metrics.metrics(cur, args.period)
    rows = [r for r in rows if r["party"] == args.party] if args.party else rows
    return _show(console, args, f"linkage metrics {args.period}", rows, METRIC_COLUMNS)


def evidence(cur: Any, period: str) -> list[a.AttachEvidence]:
    """`appraisal.attach_evidence` for every appraisal of the period whose subject has
    figures; the message id is made of the figures, so an unchanged figure goes once."""
    cur.execute("SELECT DISTINCT subject FROM appraisals WHERE period = %s", (period,))
    subjects = {row["subject"] for row in cur.fetchall()}
    now, out = datetime.now(UTC), []
    for row in linkage_metrics.metrics(cur, period):
        rated = [row[k] for k in ("response", "on_time_resolution", "resolution", "satisfaction")]
        if row["party"] not in subjects or any(r is None for r in rated):
            continue
        figures = msgspec.json.encode([row["party"], period, row]).decode()
        digest = hashlib.sha256(figures.encode()).hexdigest()[:16]
        out.append(
            a.AttachEvidence(
                message_id=str(uuid5(NAMESPACE, f"linkage-evidence/{row['party']}/{period}/{digest}")),
                occurred_at=now,
                actor=EVIDENCE,
                reason="区镇联动 figures of the period",
                payload=a.LinkageEvidence(
                    subject=row["party"],
                    period=period,
                    response_on_time=rated[0],
                    on_time_resolution=rated[1],
                    resolution=rated[2],
                    satisfaction=rated[3],
                    cases=row["dispatched"],
                    metrics_message_id=f"{row['party']}/{period}/{digest}",
                ),
            )
        )
    return out


def attach(cur: Any, period: str, settings: Settings, servers: str, console: Console) -> int:
    sent = evidence(cur, period)
    messages = [(m.payload.subject.encode(), msgspec.json.encode(m)) for m in sent]
    kafka.publish(kafka.producer(servers, settings), settings.topics.appraisals, messages)
    console.print(f"sent {len(sent)} appraisal.attach_evidence to {settings.topics.appraisals}")
    return 0
