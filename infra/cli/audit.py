"""`govledger audit trail|verify|digest`: what auditors run beside the audit registers."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import uuid
from datetime import datetime, timezone
from typing import Any

from rich.console import Console
from rich.table import Table

from aggregates.base import Context
from infra.store import audit_trail
from infra.store import chain as chain_verify
from infra.store import vault as personal_data
from infra.store.chain import Digest

COMMANDS = ("trail", "verify", "digest")


def add_commands(audit: Any) -> None:
    trail = audit.add_parser("trail", help="every event of one entity: who, when, why (审计轨迹)")
    trail.add_argument("entity", help="an aggregate id, or a natural key such as town/JB-CICHENG")
    trail.add_argument("--json", action="store_true")
    verify = audit.add_parser("verify", help="check the hash chain over the whole event log")
    verify.add_argument("--digest", help="a digest kept outside (POSITION:SHA256): prove nothing"
                        " before it changed since")
    audit.add_parser("digest", help="print the digest of the log as it stands, to keep outside")


def run(ledger: Any, args: argparse.Namespace, console: Console) -> int:
    datastore, table = ledger.recorder.datastore, ledger.recorder.events_table_name
    if args.view == "digest":
        head = chain_verify.head(datastore)
        print(head if head else "the log is empty")
        return 0
    if args.view == "verify":
        verdict = chain_verify.verify(datastore, table, Digest.parse(args.digest) if args.digest else None)
        if verdict.ok:
            console.print(f"[green]verified[/green]: {verdict.checked} events, head {verdict.head}")
            return 0
        console.print(f"[red]FAILED[/red] at position {verdict.bad_position}: {verdict.problem}")
        if verdict.event:
            console.print(f"  first bad record: {verdict.event}")
        console.print(f"  {verdict.checked} events verified before it")
        return 1
    entries = audit_trail.trail(ledger, audit_trail.entity_id(args.entity))
    if args.json:
        print(json.dumps(entries, ensure_ascii=False, default=str, indent=1))
        return 0 if entries else 1
    table_ = Table(title=f"trail of {args.entity}: {len(entries)} events")
    for column in ("#", "event", "effective", "recorded", "who", "why", "document", "message"):
        table_.add_column(column)
    for e in entries:
        table_.add_row(str(e["version"]), e["event"], str(e["effective_at"])[:19],
                       str(e["recorded_at"])[:19], f"{e['actor']} ({e['role']}, {e['system']})",
                       e["reason"] or "", e["document_no"] or "", e["message_id"])
    console.print(table_)
    return 0 if entries else 1


def add_privacy(sub: Any) -> None:
    privacy = sub.add_parser("privacy", help="read or erase a person's personal data (recorded)")
    actions = privacy.add_subparsers(dest="action", required=True)
    show = actions.add_parser("show", help="a person's personal data; the read is recorded")
    show.add_argument("person")
    show.add_argument("--purpose", required=True, help="why it is read (recorded with the read)")
    erase = actions.add_parser("erase", help="destroy a person's key; the erasure is recorded")
    erase.add_argument("person")
    erase.add_argument("--basis", required=True, help="the legal basis, e.g. 《个人信息保护法》第四十七条")
    for action in (show, erase):
        action.add_argument("--actor", default=os.environ.get("GOVLEDGER_ACTOR") or getpass.getuser())
        action.add_argument("--role", default=os.environ.get("GOVLEDGER_ROLE", "auditor"))


def privacy(ledger: Any, args: argparse.Namespace, console: Console) -> int:
    now = datetime.now(timezone.utc)
    ctx = Context(args.actor, args.role, "govledger-cli", str(uuid.uuid4()), now,
                  reason=getattr(args, "purpose", None) or getattr(args, "basis", None))
    if args.action == "erase":
        destroyed = personal_data.erase(ledger, ctx, args.person, args.basis)
        console.print(f"{args.person}: key {'destroyed' if destroyed else 'already gone'};"
                      " erasure recorded")
        return 0
    found = personal_data.show(ledger, ctx, args.person, args.purpose)
    print(json.dumps(found, ensure_ascii=False))
    return 0 if found is not None else 1
