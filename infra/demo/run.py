"""The demo: Jiangbei's first batch of delegations, end to end through Kafka and PostgreSQL."""

from __future__ import annotations

import time
from datetime import date

from rich.console import Console

from aggregates.ledger import Ledger
from infra import bootstrap
from infra.cli import appraisals as cli_appraisals
from infra.cli import monitors as cli_monitors
from infra.demo import appraisals as demo_appraisals
from infra.demo import burden as demo_burden
from infra.demo import community_workers as demo_community_workers
from infra.demo import duties as demo_duties
from infra.demo import extension as demo_extension
from infra.demo import grid as demo_grid
from infra.demo import jurisdictions as demo_jurisdictions
from infra.demo import linkage_flow as demo_linkage_flow
from infra.demo import organisation as demo_organisation
from infra.demo import pool as demo_pool
from infra.demo import powers as demo_powers
from infra.demo import quotas as demo_quotas
from infra.demo import report as demo_report
from infra.demo import reserve as demo_reserve
from infra.demo import sinkdown as demo_sink_down
from infra.demo import territorial as demo_territorial
from infra.demo.messages import Message
from infra.kafka import clients as kafka
from infra.ops.embedded import ensure_broker, ensure_database
from infra.settings import Settings
from infra.store.recorder import recorder_of
from projections import monitors as policy_monitors

END_OF_2021 = date(2021, 12, 31)  # the demo's figures stand at the end of its reform year


def run(settings: Settings, console: Console, timeout: float = 300.0) -> int:
    database_url, bootstrap_servers = ensure_database(settings), ensure_broker(settings)
    console.print(f"PostgreSQL: {_safe(database_url)}\nKafka: {bootstrap_servers}")
    ledger = bootstrap.build_ledger(database_url)
    worker = bootstrap.build_intake_worker(ledger, bootstrap_servers, settings)
    first_dead_letter = _max_dead_letter_id(ledger)

    producer, started = kafka.producer(bootstrap_servers, settings), time.monotonic()
    targets: dict[tuple[str, int], int] = {}  # partition -> offset just past what was published

    def caught_up() -> bool:
        return all(worker.intake.positions.get(k, 0) >= v for k, v in targets.items())

    for phase in _phases(settings):  # a phase goes out once the intake took in the one before
        for topic, messages in phase.items():
            targets.update(kafka.publish(producer, topic, messages))
            console.print(f"published {len(messages)} upstream commands to {topic}")
        stats = worker.run(lambda: caught_up() or time.monotonic() - started > timeout)
        if not caught_up():
            worker.consumer.close()
            console.print(f"[red]the intake did not catch up within {timeout:.0f} s[/red]")
            return 1
    if not demo_linkage_flow.run(settings, ledger, worker, bootstrap_servers, console):
        worker.consumer.close()
        return 1
    worker.consumer.close()
    elapsed = time.monotonic() - started
    projected = bootstrap.build_projections(ledger, settings).catch_up()

    recorder = recorder_of(ledger)
    with recorder.datastore.transaction(commit=False) as cur:
        demo_report.print_report(console, cur)
        cli_monitors.print_monitors(console, policy_monitors.monitors(cur, END_OF_2021, 2021), END_OF_2021)
        cli_appraisals.print_league(cur, console, "2021", "stationed-agency")
        cur.execute(
            "SELECT rule, count(*) AS n FROM dead_letters WHERE id > %s GROUP BY rule ORDER BY rule",
            (first_dead_letter,),
        )
        rules = {row["rule"]: row["n"] for row in cur.fetchall()}
        cur.execute(f"SELECT count(*) AS n FROM {recorder.events_table_name}")
        stored = cur.fetchall()[0]["n"]  # an aggregate: always one row
    console.print(
        f"commands: {stats.applied} applied, {stats.refused} refused and recorded, "
        f"{stats.duplicates} duplicates ignored, "
        f"{stats.dead_lettered} dead-lettered; {stats.events} events stored now, "
        f"{stored} in the log; {projected} projected; {elapsed:.1f} s through the intake"
    )
    for rule, n in rules.items():
        console.print(f"  dead letter: {rule} × {n}  (topic {settings.topics.dead_letters})")
    _point_at_the_dashboard(ledger, settings, console)
    return 0


def _point_at_the_dashboard(ledger: Ledger, settings: Settings, console: Console) -> None:
    """A reader's token for the demo's dashboard (issued again on every run, so only the
    latest works) and where to open it once `govledger up` serves the API."""
    from infra.api.access import READER, TokenStore

    token = TokenStore(recorder_of(ledger).datastore).issue("demo-dashboard", READER)
    console.print(
        f"dashboard: run `.venv/bin/govledger up`, then open "
        f"http://{settings.api.host}:{settings.api.port}/dashboard?on={END_OF_2021}#token={token}",
        soft_wrap=True,
    )


Messages = list[Message]


def _phases(settings: Settings) -> list[dict[str, Messages]]:
    """The demo's upstream commands, by the topic of their family, in phases: what a later
    phase refers to across partitions (an appraisal's scheme) is taken in before it."""
    schemes, appraisals = demo_appraisals.demo_phases()
    baselines, burdens = demo_burden.demo_phases()
    top_up_ledgers, top_ups = demo_jurisdictions.top_up_phases()
    return [
        # the units of administration by level, a parent before its units (行政层级)
        *({settings.topics.organisation: units} for units in demo_jurisdictions.demo_phases()),
        {
            settings.topics.commands: demo_powers.demo_commands(),
            settings.topics.duties: (
                demo_duties.demo_commands() + demo_territorial.demo_commands() + baselines  # 减负基线
            ),
            settings.topics.organisation: demo_organisation.demo_commands() + demo_grid.town_commands(),
            settings.topics.staffing: (
                demo_quotas.ledger_commands()
                + demo_pool.demo_commands()
                + demo_sink_down.demo_commands()
                + top_up_ledgers  # 市级补充: the ledgers of 合肥 and 包河's streets
                + demo_community_workers.setup_commands()  # 岗级体系, 配备标准
            ),
            settings.topics.appraisals: schemes,
        },
        {
            settings.topics.appraisals: appraisals,
            settings.topics.duties: burdens,  # once the districts' baselines are in
            settings.topics.staffing: (
                top_ups  # 合肥's top-up of 包河's streets, once their ledgers are open
                + demo_community_workers.register_commands()  # once the scales are in
            ),
            settings.topics.organisation: demo_grid.demo_commands(),  # cells once their towns are in
        },
        {  # once the delegations are in (effective 2021-07-01): 慈城镇's items extended to its
            # villages and communities; 包河's rule for principal posts, before the reserves
            settings.topics.commands: demo_extension.demo_commands(),
            settings.topics.staffing: demo_reserve.rule_commands(),
        },
        {
            settings.topics.staffing: demo_reserve.demo_commands(),
        },
    ]


def _max_dead_letter_id(ledger: Ledger) -> int:
    with recorder_of(ledger).datastore.transaction(commit=False) as cur:
        cur.execute("SELECT coalesce(max(id), 0) AS n FROM dead_letters")
        return int(cur.fetchall()[0]["n"])  # an aggregate: always one row


def _safe(url: str) -> str:
    return url.split("@")[-1] if "@" in url else url
