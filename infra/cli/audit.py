"""`govledger audit refused-pushdowns|trail|verify|digest`: what auditors run beside the audit registers."""

from __future__ import annotations

import argparse
from typing import Any

import msgspec
from rich.console import Console
from rich.table import Table

from infra.cli.shared import console, open_ledger, read_models
from infra.cli.tables import View, add_views, show
from infra.settings import Settings
from infra.store import audit_trail
from infra.store import chain as chain_verify
from infra.store.chain import Digest
from projections.duties import refused as refused_pushdowns

COMMANDS = ("trail", "verify", "digest")
VIEWS: dict[str, View] = {
    "refused-pushdowns": View(
        "push-downs of duties never admitted (部门擅自甩责)",
        lambda cur, a: refused_pushdowns.refused_pushdowns(cur, a.department, a.town),
        ("attempted_on", "department", "duty", "town", "detail", "message_id"),
        town=False,
    ),
}


def add_commands(sub: Any) -> None:
    audit = add_views(sub, "audit", VIEWS)
    trail = audit.add_parser("trail", help="every event of one entity: who, when, why (审计轨迹)")
    trail.add_argument("entity", help="an aggregate id, or a natural key such as town/JB-CICHENG")
    trail.add_argument("--json", action="store_true")
    verify = audit.add_parser("verify", help="check the hash chain over the whole event log")
    verify.add_argument(
        "--digest", help="a digest kept outside (POSITION:SHA256): prove nothing before it changed since"
    )
    verify.add_argument("--json", action="store_true")
    digest = audit.add_parser("digest", help="print the digest of the log as it stands, to keep outside")
    digest.add_argument("--json", action="store_true")


def cmd_audit(args: argparse.Namespace, settings: Settings) -> int:
    ledger = open_ledger(settings)
    if args.view in COMMANDS:
        return run(ledger, args, console)
    with read_models(ledger, settings) as cur:
        return show(cur, args, console, VIEWS)


def run(ledger: Any, args: argparse.Namespace, console: Console) -> int:
    datastore, table = ledger.recorder.datastore, ledger.recorder.events_table_name
    if args.view == "digest":
        head = chain_verify.head(datastore)
        if args.json:  # the API's answer
            _print_json(chain_verify.digest_answer(head))
        else:
            print(head if head else "the log is empty")
        return 0
    if args.view == "verify":
        verdict = chain_verify.verify(datastore, table, Digest.parse(args.digest) if args.digest else None)
        if args.json:  # the API's answer
            _print_json(verdict.answer())
            return 0 if verdict.ok else 1
        if verdict.ok:
            console.print(f"[green]verified[/green]: {verdict.checked} events, head {verdict.head}")
            return 0
        console.print(f"[red]FAILED[/red] at position {verdict.bad_position}: {verdict.problem}")
        if verdict.event:
            console.print(f"  first bad record: {verdict.event}")
        console.print(f"  {verdict.checked} events verified before it")
        return 1
    entries = audit_trail.trail(ledger, audit_trail.entity_id(args.entity))
    if not entries:  # where the API answers 404
        console.print(f"[red]no event of entity {args.entity.strip('/')!r} is known[/red]")
        return 1
    if args.json:  # as the API encodes it (ISO times)
        _print_json(entries)
        return 0
    table_ = Table(title=f"trail of {args.entity}: {len(entries)} events")
    for column in ("#", "event", "effective", "recorded", "who", "why", "document", "message"):
        table_.add_column(column)
    for e in entries:
        table_.add_row(
            str(e["version"]),
            e["event"],
            str(e["effective_at"])[:19],
            str(e["recorded_at"])[:19],
            f"{e['actor']} ({e['role']}, {e['system']})",
            e["reason"] or "",
            e["document_no"] or "",
            e["message_id"],
        )
    console.print(table_)
    return 0


def _print_json(found: Any) -> None:
    print(msgspec.json.encode(found).decode())
