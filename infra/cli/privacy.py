"""`govledger privacy show|erase`: a person's personal data read or erased, either one recorded."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import uuid
from datetime import UTC, datetime
from typing import Any

from rich.console import Console

from aggregates.base import Context
from infra import bootstrap
from infra.cli.shared import console, open_ledger
from infra.settings import Settings
from infra.store import vault as personal_data


def add_commands(sub: Any) -> None:
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


def cmd_privacy(args: argparse.Namespace, settings: Settings) -> int:
    ledger = open_ledger(settings)
    bootstrap.build_projections(ledger, settings).catch_up()  # the roster names the transfers
    return privacy(ledger, args, console)


def privacy(ledger: Any, args: argparse.Namespace, console: Console) -> int:
    now = datetime.now(UTC)
    ctx = Context(
        args.actor,
        args.role,
        "govledger-cli",
        str(uuid.uuid4()),
        now,
        reason=getattr(args, "purpose", None) or getattr(args, "basis", None),
    )
    if args.action == "erase":
        destroyed = personal_data.erase(ledger, ctx, args.person, args.basis)
        console.print(f"{args.person}: key {'destroyed' if destroyed else 'already gone'}; erasure recorded")
        return 0
    found = personal_data.show(ledger, ctx, args.person, args.purpose)
    print(json.dumps(found, ensure_ascii=False))
    return 0 if found is not None else 1
