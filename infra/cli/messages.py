"""`govledger publish`, `contracts schema`, `contracts docs` and `deadletters`: the messages in and out."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.table import Table

from aggregates.base import Context
from consumers.personal import open_letter
from infra.cli.shared import console, open_ledger
from infra.kafka import clients as kafka
from infra.settings import Settings
from infra.store.recorder import recorder_of


def add_commands(sub: Any) -> None:
    publish = sub.add_parser("publish", help="publish upstream commands from a JSON-lines file")
    publish.add_argument("file")
    contracts = sub.add_parser("contracts", help="the published contracts").add_subparsers(
        dest="contracts", required=True
    )
    contracts.add_parser("schema", help="JSON Schema of every inbound command and outbound event")
    docs = contracts.add_parser("docs", help="the contract as HTML pages to browse offline, in a folder")
    docs.add_argument(
        "--out", metavar="DIR", help="the folder to write them to (default: .govledger/reference)"
    )
    kept = contracts.add_parser(
        "publish",
        help="keep today's schemas as the published ones (contracts/published/), unless a change "
        "would break a sender or a reader",
    )
    kept.add_argument("--force", action="store_true", help="write even a breaking change (agreed with all)")
    letters = sub.add_parser("deadletters", help="the latest dead letters; --open ID one's original")
    letters.add_argument("--limit", type=int, default=50)
    letters.add_argument(
        "--open",
        type=int,
        metavar="ID",
        help="print the dead letter's original as sent, its personal fields opened with the keys "
        "(a JSON line to fix and `govledger publish`); each person's data read is recorded",
    )
    letters.add_argument("--purpose", help="why personal data is opened (recorded with the read)")
    letters.add_argument("--actor", default=os.environ.get("GOVLEDGER_ACTOR") or getpass.getuser())
    letters.add_argument("--role", default=os.environ.get("GOVLEDGER_ROLE", "operator"))


def cmd_publish(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.kafka_bootstrap:
        console.print("[red]set GOVLEDGER_KAFKA_BOOTSTRAP to the broker to publish to[/red]")
        return 2
    lines = [line.strip() for line in Path(args.file).read_bytes().splitlines() if line.strip()]
    kafka.ensure_topics(settings.kafka_bootstrap, settings)
    producer = kafka.producer(settings.kafka_bootstrap, settings)
    by_topic: dict[str, list[tuple[bytes | None, bytes]]] = {}
    for line in lines:
        by_topic.setdefault(kafka.command_topic(line, settings.topics), []).append(
            (kafka.command_key(line), line)
        )
    for topic, messages in by_topic.items():
        kafka.publish(producer, topic, messages)
        console.print(f"published {len(messages)} messages to {topic}")
    return 0


def cmd_contracts(args: argparse.Namespace, settings: Settings) -> int:
    """`contracts schema`, `contracts docs` or `contracts publish`."""
    chosen = {"docs": cmd_contracts_docs, "publish": cmd_contracts_publish}.get(args.contracts)
    return (chosen or cmd_contracts_schema)(args, settings)


def cmd_contracts_publish(args: argparse.Namespace, settings: Settings) -> int:
    from infra.published import PUBLISHED, publish

    breaks = publish(force=args.force)
    for said in breaks:
        console.print(f"[red]breaks senders or readers:[/red] {said}")
    if breaks:
        console.print("a change like this goes through a new version of the message (README: upstream)")
        return 1
    console.print(f"published to {PUBLISHED}")
    return 0


def cmd_contracts_schema(args: argparse.Namespace, settings: Settings) -> int:
    from infra.published import schemas

    print(json.dumps(schemas(), ensure_ascii=False, indent=2))
    return 0


def cmd_contracts_docs(args: argparse.Namespace, settings: Settings) -> int:
    from infra.api.reference import pages
    from infra.published import schemas

    out = Path(args.out) if args.out else Path(settings.state_dir) / "reference"
    out.mkdir(parents=True, exist_ok=True)
    written = pages(schemas())
    for name, text in written.items():
        (out / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(written)} files to {out}; open {(out / 'index.html').resolve().as_uri()}")
    return 0


def cmd_deadletters(args: argparse.Namespace, settings: Settings) -> int:
    ledger = open_ledger(settings)
    if args.open is not None:
        return open_dead_letter(ledger, args)
    with recorder_of(ledger).datastore.transaction(commit=False) as cur:
        cur.execute(
            'SELECT id, topic, partition, "offset", message_id, message_type, rule, error,'
            " original, failed_at FROM dead_letters ORDER BY id DESC LIMIT %s",
            (args.limit,),
        )
        rows = cur.fetchall()
    table = Table(title="dead letters (newest first)")
    for column in ["id", "where", "message_id", "type", "rule", "error", "personal"]:
        table.add_column(column)
    for r in rows:
        where = f"{r['topic']}/{r['partition']}@{r['offset']}"
        shut = open_letter(None, bytes(r["original"])).shut  # without keys: what is sealed or redacted
        personal = ", ".join(sorted({"redacted" if part == "redacted" else "sealed" for part in shut}))
        table.add_row(
            str(r["id"]),
            where,
            r["message_id"] or "",
            r["message_type"] or "",
            r["rule"],
            r["error"][:120],
            personal,
        )
    console.print(table)
    return 0


def open_dead_letter(ledger: Any, args: argparse.Namespace) -> int:
    """`deadletters --open ID`: the original as sent, on stdout, when every sealed field of it
    opens; each owner's read (or the attempt, once erased) recorded with the purpose first."""
    with recorder_of(ledger).datastore.transaction(commit=False) as cur:
        cur.execute("SELECT original FROM dead_letters WHERE id = %s", (args.open,))
        row = cur.fetchone()
    if row is None:
        print(f"no dead letter {args.open}", file=sys.stderr)
        return 1
    opened = open_letter(ledger.vault, bytes(row["original"]))
    if opened.sealed:
        if not (args.purpose or "").strip():
            print("its personal fields are sealed: say why they are opened (--purpose)", file=sys.stderr)
            return 2
        ctx = Context(
            args.actor, args.role, "govledger-cli", str(uuid.uuid4()), datetime.now(UTC), reason=args.purpose
        )
        for owner, fields in opened.opened.items():
            ledger.record_personal_data_read(ctx, owner, args.purpose, fields, opened.original is not None)
        for owner in (o for o in opened.shut if o != "redacted"):
            ledger.record_personal_data_read(ctx, owner, args.purpose, (), False)
    if opened.original is None:
        shut = ", ".join(opened.shut)
        print(f"dead letter {args.open} does not open whole: shut for {shut}", file=sys.stderr)
        return 1
    out = getattr(sys.stdout, "buffer", None)
    if out is None:
        print(opened.original.decode("utf-8", errors="replace"))
    else:  # the bytes as they came: an original kept whole need not be UTF-8
        sys.stdout.flush()
        out.write(opened.original + b"\n")
        out.flush()
    return 0
