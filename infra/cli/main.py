"""`govledger` — the command line of the Grassroots Governance Ledger."""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from infra import bootstrap
from infra.cli import api as cli_api
from infra.cli import audit as cli_audit
from infra.cli import linkage as cli_linkage
from infra.cli import appraisals as cli_staffing
from infra.cli import inventory as cli_views
from infra.kafka import clients as kafka
from infra.ops import logs
from infra.ops import runtime
from infra.ops import supervisor as up
from infra.ops import metrics as worker_metrics
from infra.ops import metrics as worker_metrics_linkage
from infra.ops.embedded import ensure_broker, ensure_database
from infra.settings import Settings

console = Console(width=None if sys.stdout.isatty() else 132)
log = logging.getLogger("infra.cli.main")


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda _n, _f: stop.set())
    return stop


def _ledger(settings: Settings):  # noqa: ANN202
    return bootstrap.build_ledger(ensure_database(settings))


def _retrying(step: Callable[[], int], stop: threading.Event,
              reset: Callable[[], None] = lambda: None) -> int:
    """One step of a worker loop, waiting out a lost database or broker connection with
    backoff (`reset` renews what a failure may leave broken); -1 once stopped. The position
    is stored only after a step succeeds, so a retried step neither skips nor doubles."""
    delay = 0.5
    while not stop.is_set():
        try:
            return step()
        except Exception as error:  # noqa: BLE001
            logging.getLogger("govledger").warning("%s; retrying in %.1f s", error, delay)
            stop.wait(delay)
            delay = min(delay * 2, 10.0)
            try:
                reset()
            except Exception:  # noqa: BLE001 - still away: the next round tries again
                pass
    return -1


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from infra.demo import run as demo

    return demo.run(settings, console)


def cmd_intake(args: argparse.Namespace, settings: Settings) -> int:
    ledger = _ledger(settings)
    servers = ensure_broker(settings)
    if not settings.kafka_bootstrap:
        console.print(f"embedded broker at {servers} (GOVLEDGER_KAFKA_BOOTSTRAP={servers})")
    worker = bootstrap.build_intake_worker(ledger, servers, settings)
    ops = worker_metrics.observe_intake(worker, ledger, servers, settings)
    stop = _stop_on_signals()
    log.info("intake started", extra={"group": settings.consumer_group, "topics": worker.topics,
                                      "database": logs.redact(ensure_database(settings))})
    stats = worker.run(ops.beating(stop.is_set))  # a stop lets the batch in flight commit first
    worker.consumer.close()
    worker.after_commit.kafka.close()  # flushes the dead letters' producer
    ops.close()
    log.info("intake stopped", extra=vars(stats))
    return 0


def cmd_project(args: argparse.Namespace, settings: Settings) -> int:
    runner = bootstrap.build_projections(_ledger(settings), settings)
    ops = worker_metrics.observe_projections(runner, settings)
    stop = _stop_on_signals()
    log.info("projections started", extra={"position": runner.position()})
    while not stop.is_set():
        if _retrying(lambda: ops.step(runner.run_once), stop) == 0:
            stop.wait(0.05)  # caught up: look again soon, a command's way to the read models waits on it
    ops.close()
    log.info("projections stopped", extra={"position": runner.position(), "head": runner.head()})
    return 0


def cmd_publish(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.kafka_bootstrap:
        console.print("[red]set GOVLEDGER_KAFKA_BOOTSTRAP to the broker to publish to[/red]")
        return 2
    lines = [line.strip() for line in Path(args.file).read_bytes().splitlines() if line.strip()]
    kafka.ensure_topics(settings.kafka_bootstrap, settings)
    producer = kafka.producer(settings.kafka_bootstrap)
    by_topic: dict[str, list[tuple[bytes | None, bytes]]] = {}
    for line in lines:
        by_topic.setdefault(kafka.command_topic(line, settings.topics), []).append(
            (kafka.command_key(line), line)
        )
    for topic, messages in by_topic.items():
        kafka.publish(producer, topic, messages)
        console.print(f"published {len(messages)} messages to {topic}")
    return 0


def cmd_read(args: argparse.Namespace, settings: Settings) -> int:
    """`appraisals` and `monitors`: read the read models, as tables or JSON."""
    ledger = _ledger(settings)
    bootstrap.build_projections(ledger, settings)  # make sure the tables exist
    with ledger.recorder.datastore.transaction(commit=False) as cur:
        return getattr(cli_staffing, args.command)(cur, args, console)


def cmd_clock(args: argparse.Namespace, settings: Settings) -> int:
    """Publish the day's clock commands (a scheduler runs this daily, e.g. from cron)."""
    from datetime import date

    from infra.kafka import clock
    from projections.pool.balance import pool_balance

    ledger = _ledger(settings)
    bootstrap.build_projections(ledger, settings).catch_up()
    with ledger.recorder.datastore.transaction(commit=False) as cur:
        pools = [row["pool"] for row in pool_balance(cur)]
    servers = ensure_broker(settings)
    kafka.ensure_topics(servers, settings)
    on = date.fromisoformat(args.on) if args.on else date.today()
    kafka.publish(kafka.producer(servers), settings.topics.staffing, clock.clock_messages(pools, on))
    console.print(f"clock for {on}: pool.expire_due published for {len(pools)} pool(s)")
    return 0


def cmd_privacy(args: argparse.Namespace, settings: Settings) -> int:
    ledger = _ledger(settings)
    bootstrap.build_projections(ledger, settings).catch_up()  # the roster names the transfers
    return cli_audit.privacy(ledger, args, console)


def cmd_relay(args: argparse.Namespace, settings: Settings) -> int:
    from consumers.event_contracts import FAMILIES
    from infra.kafka.relay import Relay, relay_producer

    ledger = _ledger(settings)
    servers = ensure_broker(settings)
    topics = settings.topics.event_topics(list(FAMILIES))
    kafka.ensure_topics(servers, settings, extra=list(topics.values()))
    relay = Relay(ledger, relay_producer(servers), topics)
    ops = worker_metrics.observe_relay(relay, servers, settings)
    stop = _stop_on_signals()
    log.info("relay started", extra={"position": relay.position()})
    while not stop.is_set():
        if _retrying(lambda: ops.step(relay.run_once), stop, lambda: (
                relay.producer.close(timeout=0), setattr(relay, "producer", relay_producer(servers)))) == 0:
            stop.wait(0.5)
    relay.producer.close()  # flushes
    ops.close()
    log.info("relay stopped", extra={"position": relay.position(), "published": relay.stats.published,
                                     "by_topic": dict(relay.stats.by_topic)})
    return 0


def cmd_linkage(args: argparse.Namespace, settings: Settings) -> int:
    """The linkage stream processors, until stopped (SIGINT/SIGTERM)."""
    import faust

    from consumers.linkage import app as linkage_app
    from consumers.event_contracts import FAMILIES

    servers = ensure_broker(settings)
    events = settings.topics.event_topics(list(FAMILIES))
    kafka.ensure_topics(servers, settings, extra=[*events.values(), settings.topics.metrics,
                                                     settings.topics.ticks])
    linkage = linkage_app.build(settings, servers)
    worker_metrics_linkage.observe_linkage(linkage, servers, settings)
    log.info("linkage started", extra={"app_id": settings.linkage.app_id})
    try:
        faust.Worker(linkage.app, loglevel="WARNING", override_logging=False).execute_from_commandline()
    finally:
        log.info("linkage stopped")
    return 0


def cmd_linkage_read(args: argparse.Namespace, settings: Settings) -> int:
    """`cases` and `metrics` (with --attach: the figures as appraisal evidence)."""
    ledger = _ledger(settings)
    bootstrap.build_projections(ledger, settings).catch_up()
    with ledger.recorder.datastore.transaction(commit=False) as cur:
        if getattr(args, "attach", False):
            return cli_linkage.attach(cur, args.period, settings, ensure_broker(settings), console)
        return getattr(cli_linkage, args.command)(cur, args, console)


def cmd_view(args: argparse.Namespace, settings: Settings) -> int:
    ledger = _ledger(settings)
    if args.command == "audit" and args.view in cli_audit.COMMANDS:
        return cli_audit.run(ledger, args, console)
    bootstrap.build_projections(ledger, settings)  # make sure the tables exist
    with ledger.recorder.datastore.transaction(commit=False) as cur:
        return cli_views.show(cur, args, console)


def cmd_rebuild(args: argparse.Namespace, settings: Settings) -> int:
    url = ensure_database(settings)
    ledger = bootstrap.build_ledger(url)
    with Progress(console=console) as progress:
        task = progress.add_task("rebuilding read models", total=max(ledger.recorder.max_notification_id() or 0, 1))
        done = bootstrap.rebuild(ledger, url, settings,
                                 lambda position, head: progress.update(task, completed=position, total=head))
    console.print(f"rebuilt from {done} events")
    return 0


def cmd_checksum(args: argparse.Namespace, settings: Settings) -> int:
    """The state digest of the log and the read models (`infra/store/checksum.py`)."""
    from infra.store.checksum import state_digest
    from projections.runner import read_model_tables

    ledger = _ledger(settings)
    runner = bootstrap.build_projections(ledger, settings)
    digest = state_digest(ledger.recorder.datastore, read_model_tables(runner.read_models))
    if args.json:
        print(json.dumps(digest, indent=2))
        return 0
    console.print(f"events {digest['events']}, streams {digest['streams']}, settled {digest['settled']}")
    table = Table(title="read models")
    for column in ["table", "rows", "digest"]:
        table.add_column(column)
    for name, found in digest["tables"].items():
        table.add_row(name, str(found["rows"]), found["digest"])
    console.print(table)
    return 0


def cmd_api(args: argparse.Namespace, settings: Settings) -> int:
    ledger = _ledger(settings)
    bootstrap.build_projections(ledger, settings)  # make sure the read models' tables exist
    return cli_api.serve(ledger, settings, args)


def cmd_token(args: argparse.Namespace, settings: Settings) -> int:
    return cli_api.tokens(_ledger(settings), args, console)


def cmd_up(args: argparse.Namespace, settings: Settings) -> int:
    return up.run(args, settings)


def cmd_contracts_schema(args: argparse.Namespace, settings: Settings) -> int:
    from contracts.schema import json_schemas

    print(json.dumps(json_schemas(), ensure_ascii=False, indent=2))
    return 0


def cmd_deadletters(args: argparse.Namespace, settings: Settings) -> int:
    ledger = _ledger(settings)
    with ledger.recorder.datastore.transaction(commit=False) as cur:
        cur.execute(
            'SELECT id, topic, partition, "offset", message_id, message_type, rule, error,'
            " failed_at FROM dead_letters ORDER BY id DESC LIMIT %s", (args.limit,)
        )
        rows = cur.fetchall()
    table = Table(title="dead letters (newest first)")
    for column in ["id", "where", "message_id", "type", "rule", "error"]:
        table.add_column(column)
    for r in rows:
        where = f"{r['topic']}/{r['partition']}@{r['offset']}"
        table.add_row(str(r["id"]), where, r["message_id"] or "", r["message_type"] or "",
                      r["rule"], r["error"][:120])
    console.print(table)
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="govledger", description=__doc__)
    sub = root.add_subparsers(dest="command", required=True)
    sub.add_parser("demo", help="run the demo scenario end to end (embedded services by default)")
    sub.add_parser("intake", help="run the command intake worker")
    sub.add_parser("project", help="keep the read models up to date with the event log")
    sub.add_parser("relay", help="publish the event log to Kafka (govledger.events.*)")
    clock = sub.add_parser("clock", help="publish the day's clock commands (pool draws due back)")
    clock.add_argument("--on", help="the day (YYYY-MM-DD), today by default")
    publish = sub.add_parser("publish", help="publish upstream commands from a JSON-lines file")
    publish.add_argument("file")
    cli_audit.add_commands(cli_views.add_views(sub)["audit"])
    cli_staffing.add_commands(sub)
    cli_audit.add_privacy(sub)
    cli_linkage.add_commands(sub)
    cli_api.add_commands(sub)
    sub.add_parser("rebuild", help="replay the event log into the read models")
    up.add_command(sub)
    sub.add_parser("checksum", help="digest of the log and the read models").add_argument(
        "--json", action="store_true")
    contracts = sub.add_parser("contracts", help="the published contracts").add_subparsers(
        dest="contracts", required=True
    )
    contracts.add_parser("schema", help="JSON Schema of every inbound command and outbound event")
    letters = sub.add_parser("deadletters", help="the latest dead letters")
    letters.add_argument("--limit", type=int, default=50)
    return root


COMMANDS = {
    "demo": cmd_demo, "intake": cmd_intake, "project": cmd_project, "relay": cmd_relay, "clock": cmd_clock,
    "privacy": cmd_privacy, "linkage": cmd_linkage, "cases": cmd_linkage_read,
    "metrics": cmd_linkage_read, "api": cmd_api, "token": cmd_token,
    "publish": cmd_publish,
    "inventory": cmd_view, "audit": cmd_view, "appraisals": cmd_read,
    "monitors": cmd_read, "rebuild": cmd_rebuild, "checksum": cmd_checksum,
    "contracts": cmd_contracts_schema, "deadletters": cmd_deadletters, "up": cmd_up,
}


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    settings = Settings.from_env()
    logs.configure(settings.ops)
    runtime.tune_garbage_collector()
    return COMMANDS[args.command](args, settings)


if __name__ == "__main__":
    sys.exit(main())
