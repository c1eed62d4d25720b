"""`govledger privacy show|erase|rotate-kek|new-kek`: a person's personal data read or erased,
either one recorded; the key-encryption key that wraps every person's key, rotated or made."""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import json
import os
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console

from aggregates.base import Context
from infra import bootstrap
from infra.cli.shared import console, open_ledger
from infra.settings import Settings
from infra.store import vault as personal_data
from infra.store.recorder import recorder_of
from infra.store.vault import KekUnavailable, PersonalDataVault, SealBroken


def add_commands(sub: Any) -> None:
    privacy = sub.add_parser("privacy", help="read or erase a person's personal data (recorded); the KEK")
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
    rotate = actions.add_parser(
        "rotate-kek",
        help="re-wrap every person's key under the current KEK and cipher (events untouched; restartable)",
    )
    rotate.add_argument(
        "--kek-file", help="the KEK to wrap under (else GOVLEDGER_KEK, GOVLEDGER_KEK_FILE or STATE_DIR/kek)"
    )
    rotate.add_argument(
        "--previous-kek-file",
        help="the KEK the keys are wrapped under now (else GOVLEDGER_PREVIOUS_KEK[_FILE])",
    )
    rotate.add_argument("--batch", type=_positive, default=500, help="keys re-wrapped per transaction")
    rotate.add_argument("--check", action="store_true", help="count only: change nothing, make no KEK")
    new = actions.add_parser("new-kek", help="write a new random KEK to a file (owner-only, never over one)")
    new.add_argument("path")


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"a whole number of at least 1, not {text!r}")
    return int(text)


def cmd_privacy(args: argparse.Namespace, settings: Settings) -> int:
    if args.action == "new-kek":
        return new_kek(Path(args.path), console)
    try:
        if args.action == "rotate-kek":
            settings = with_keks(settings, args.kek_file, args.previous_kek_file)
            ledger = open_ledger(settings)  # kept while the vault works: its store closes with it
            vault = PersonalDataVault(recorder_of(ledger).datastore, settings)
            return rotate_kek(vault, args.batch, args.check, console)
        ledger = open_ledger(settings)
        bootstrap.build_projections(ledger, settings).catch_up()  # the roster names the transfers
        return privacy(ledger, args, console)
    except (KekUnavailable, SealBroken) as refused:
        console.print(f"[red]{type(refused).__name__}[/red]: {refused}")
        return 1


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


def with_keks(settings: Settings, kek_file: str | None, previous_kek_file: str | None) -> Settings:
    """The settings with the KEK files given on the command line in place of the configured."""
    crypto = settings.crypto
    if kek_file:
        crypto = dataclasses.replace(crypto, kek="", kek_file=kek_file)
    if previous_kek_file:
        crypto = dataclasses.replace(crypto, previous_kek="", previous_kek_file=previous_kek_file)
    return dataclasses.replace(settings, crypto=crypto)


def rotate_kek(vault: PersonalDataVault, batch: int, check: bool, console: Console) -> int:
    """Re-wrap (or, with `check`, count) and say what is left; 0 when every key is under the
    current KEK and cipher."""
    keys = vault.key_encryption_keys(create=not check)
    cipher = vault.suite().cipher.name
    previous = ", ".join(f"{k.id} ({k.source})" for k in keys.previous) or "none"
    console.print(
        f"current KEK {keys.current.id} ({keys.current.source}), cipher {cipher}; previous: {previous}"
    )
    done = vault.rotate_kek(batch, check)
    verb = "would re-wrap" if check else "re-wrapped"
    console.print(
        f"{verb} {done.rewrapped} keys ({done.from_clear} kept in clear before); {done.current} current"
    )
    left = done if check else vault.rotate_kek(batch, check=True)  # what a second run would find
    for kek_id, count in sorted(left.unopened.items()):
        console.print(
            f"[red]{count} keys under KEK {kek_id}, which was not given[/red]:"
            " give it as --previous-kek-file and run again (lost, they never open again)"
        )
    if left.broken:
        console.print(
            f"[red]{len(left.broken)} wrapped keys do not open[/red]: {', '.join(left.broken[:20])}"
        )
    finished = left.done and left.rewrapped == 0
    if finished:
        console.print(f"[green]every key is under KEK {keys.current.id} by {cipher}[/green]")
    return 0 if finished else 1


def new_kek(path: Path, console: Console) -> int:
    try:
        kek = personal_data.write_kek_file(path)
    except FileExistsError:
        console.print(f"[red]{path} exists[/red]: a KEK file is never written over")
        return 1
    console.print(
        f"KEK {kek.id} written to {path} (owner-only). Keep a copy apart from the database and its"
        " backups: keys wrapped under it never open without it."
    )
    return 0
