"""The demo: Jiangbei's first batch of delegations, end to end through Kafka and PostgreSQL."""

from __future__ import annotations

import time
from datetime import date

from rich.console import Console
from rich.table import Table

from infra import bootstrap, kafka
from infra.demo_scenario import TOWNS, demo_commands
from infra.embedded import ensure_broker, ensure_database
from infra.settings import Settings
from projections.town_power_inventory import town_counts

KINDS = ["licensing", "penalty", "inspection", "coercion", "public_service", "other"]
LISTS = ["government_affairs", "supervisory", "service"]


def run(settings: Settings, console: Console, timeout: float = 300.0) -> int:
    database_url, bootstrap_servers = ensure_database(settings), ensure_broker(settings)
    console.print(f"PostgreSQL: {_safe(database_url)}\nKafka: {bootstrap_servers}")
    ledger = bootstrap.build_ledger(database_url)
    worker = bootstrap.build_intake_worker(ledger, bootstrap_servers, settings)
    first_dead_letter = _max_dead_letter_id(ledger)

    messages = demo_commands()
    targets = kafka.publish(kafka.producer(bootstrap_servers), settings.topics.commands, messages)
    console.print(f"published {len(messages)} upstream commands to {settings.topics.commands}")

    started = time.monotonic()
    caught_up = lambda: all(worker.intake.positions.get(k, 0) >= v for k, v in targets.items())  # noqa: E731
    stats = worker.run(lambda: caught_up() or time.monotonic() - started > timeout)
    worker.consumer.close()
    if not caught_up():
        console.print(f"[red]the intake did not catch up within {timeout:.0f} s[/red]")
        return 1
    elapsed = time.monotonic() - started
    projected = bootstrap.build_projections(ledger, settings).catch_up()

    with ledger.recorder.datastore.transaction(commit=False) as cur:  # type: ignore[attr-defined]
        counts = town_counts(cur, date.today())
        cur.execute(
            "SELECT rule, count(*) AS n FROM dead_letters WHERE id > %s GROUP BY rule ORDER BY rule",
            (first_dead_letter,),
        )
        rules = {row["rule"]: row["n"] for row in cur.fetchall()}
        cur.execute(f"SELECT count(*) AS n FROM {ledger.recorder.events_table_name}")  # type: ignore[attr-defined]
        stored = cur.fetchone()["n"]
    console.print(_inventory_table(counts))
    console.print(
        f"commands: {stats.applied} applied, {stats.duplicates} duplicates ignored, "
        f"{stats.dead_lettered} dead-lettered; {stats.events} events stored now, "
        f"{stored} in the log; {projected} projected; {elapsed:.1f} s through the intake"
    )
    for rule, n in rules.items():
        console.print(f"  dead letter: {rule} × {n}  (topic {settings.topics.dead_letters})")
    return 0


def _inventory_table(rows: list[dict]) -> Table:
    table = Table(title=f"Town power inventories on {date.today()} (镇街权力清单)")
    present = {row["kind"] for row in rows} | {row["list"] for row in rows}
    columns = ["items", *(c for c in [*KINDS, *LISTS] if c in present)]
    table.add_column("town")
    for column in columns:
        table.add_column(column.replace("_", " "), justify="right")
    per_town: dict[str, dict[str, int]] = {}
    for row in rows:
        town = per_town.setdefault(row["town"], {})
        town["items"] = town.get("items", 0) + row["items"]
        town[row["kind"]] = town.get(row["kind"], 0) + row["items"]
        town[row["list"]] = town.get(row["list"], 0) + row["items"]
    for code, figures in sorted(per_town.items()):
        table.add_row(f"{TOWNS.get(code, '')} {code}".strip(), *(str(figures.get(c, 0)) for c in columns))
    return table


def _max_dead_letter_id(ledger: object) -> int:
    with ledger.recorder.datastore.transaction(commit=False) as cur:  # type: ignore[attr-defined]
        cur.execute("SELECT coalesce(max(id), 0) AS n FROM dead_letters")
        return int(cur.fetchone()["n"])


def _safe(url: str) -> str:
    return url.split("@")[-1] if "@" in url else url
