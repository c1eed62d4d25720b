"""`govledger rebuild` and `checksum`: the read models replayed from the log, and digested."""

from __future__ import annotations

import argparse
import json
from typing import Any

from rich.progress import Progress
from rich.table import Table

from infra import bootstrap
from infra.cli.shared import console, open_ledger
from infra.ops.embedded import ensure_database
from infra.settings import Settings


def add_commands(sub: Any) -> None:
    rebuild = sub.add_parser(
        "rebuild",
        help="replay the event log into the read models, blue/green (the live ones answer meanwhile)",
    )
    rebuild.add_argument("--only", metavar="NAME[,NAME]", help="rebuild only these read models")
    sub.add_parser("checksum", help="digest of the log and the read models").add_argument(
        "--json", action="store_true"
    )


def cmd_rebuild(args: argparse.Namespace, settings: Settings) -> int:
    """The read models (those named by --only, else all) built again from the log into
    shadow tables, then swapped in for the live ones in one transaction."""
    url = ensure_database(settings)
    ledger = bootstrap.build_ledger(url)
    only = [n.strip() for n in args.only.split(",") if n.strip()] if getattr(args, "only", None) else None
    try:
        with Progress(console=console) as progress:
            task = progress.add_task(
                f"rebuilding {', '.join(only) if only else 'read models'}",
                total=max(ledger.recorder.max_notification_id() or 0, 1),
            )
            done = bootstrap.rebuild(
                ledger,
                url,
                settings,
                lambda position, head: progress.update(task, completed=position, total=head),
                only,
            )
    except ValueError as refused:  # a name that is no read model's
        console.print(f"[red]{refused}[/red]")
        return 2
    console.print(f"rebuilt {', '.join(only) if only else 'every read model'} from {done} events")
    return 0


def cmd_checksum(args: argparse.Namespace, settings: Settings) -> int:
    """The state digest of the log and the read models (`infra/store/checksum.py`)."""
    from infra.store.checksum import state_digest
    from infra.store.recorder import recorder_of
    from projections.runner import read_model_tables

    ledger = open_ledger(settings)
    runner = bootstrap.build_projections(ledger, settings)
    digest = state_digest(recorder_of(ledger).datastore, read_model_tables(runner.read_models))
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
