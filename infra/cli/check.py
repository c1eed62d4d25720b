"""`govledger check FILE.jsonl [--empty] [--json]`: a dry run of a batch before it is published.

Each line is read as the intake would read it once published (consumers/dry_run.py): decoded,
applied in order on a throwaway copy of the ledger (the current one, or with `--empty` an
empty one in memory), and reported; nothing is saved. Exit 0 when every line would be applied
or ignored as a duplicate, 1 when any would be refused or dead-lettered, 2 when the file
cannot be read.
"""

from __future__ import annotations

import argparse
import functools
from typing import Any

import msgspec
from rich.console import Console
from rich.table import Table
from rich.text import Text

from consumers import dry_run
from infra import contexts
from infra.cli.shared import console, open_ledger
from infra.kafka import clients as kafka
from infra.settings import Settings

STYLES = {"applied": "green", "duplicate": "dim", "refused": "yellow", "dead-lettered": "red"}
errors = Console(stderr=True)


def add_commands(sub: Any) -> None:
    check = sub.add_parser(
        "check", help="what the intake would do with a file of commands, saving nothing (a dry run)"
    )
    check.add_argument("file", help="upstream commands, one JSON message a line (as `publish` takes)")
    check.add_argument(
        "--empty", action="store_true", help="against an empty ledger rather than the current one"
    )
    check.add_argument("--json", action="store_true", help="one JSON object per line of the file")


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    try:
        with open(args.file, "rb") as file:
            lines = file.read().splitlines()
    except OSError as error:
        errors.print(Text(f"cannot read {args.file}: {error.strerror or error}", style="red"))
        return 2
    ledger = dry_run.empty(contexts.GovernanceLedger) if args.empty else open_ledger(settings)
    batch = dry_run.records(
        dry_run.numbered(lines),
        functools.partial(kafka.command_topic, topics=settings.topics),
        kafka.command_key,
    )
    verdicts = dry_run.check(ledger, contexts.COMMANDS, contexts.decoder(settings.topics), batch)
    if args.json:
        for verdict in verdicts:
            print(msgspec.json.encode(verdict).decode())
    else:
        against = "an empty ledger" if args.empty else "the current ledger"
        report(console, f"dry run of {args.file} against {against}", verdicts)
    return 0 if dry_run.passes(verdicts) else 1


def report(console: Console, title: str, verdicts: list[dry_run.Verdict]) -> None:
    """The verdicts as a table, and their totals."""
    table = Table(title=title)
    for column in ("line", "message_id", "type", "outcome", "rule"):
        table.add_column(column, no_wrap=True, overflow="fold")  # whole ids, to find the line by
    table.add_column("why")
    for v in verdicts:
        table.add_row(
            str(v.line),
            Text(v.message_id or ""),
            Text(v.message_type or ""),
            Text(v.outcome, style=STYLES[v.outcome]),
            Text(v.rule or ""),
            Text((v.error or "")[:200]),
        )
    console.print(table)
    counted = dry_run.totals(verdicts)
    outcomes = ", ".join(f"{counted[outcome]} {outcome}" for outcome in dry_run.OUTCOMES)
    console.print(
        Text(
            f"{counted['lines']} lines: {outcomes}; {counted['events']} events would be stored."
            " Nothing was saved.",
            style="green" if dry_run.passes(verdicts) else "red",
        )
    )
