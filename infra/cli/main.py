"""`govledger` — the command line of the Grassroots Governance Ledger."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from infra.cli import (
    api,
    appraisals,
    audit,
    burden,
    check,
    clock,
    community_workers,
    demo,
    extension,
    grid,
    inventory,
    jurisdictions,
    linkage,
    messages,
    monitors,
    privacy,
    readmodels,
    reserve,
    workers,
)
from infra.ops import logs, runtime
from infra.ops import supervisor as up
from infra.settings import Settings, SettingsError

GROUPS = (
    demo,
    workers,
    clock,
    messages,
    check,
    inventory,
    jurisdictions,
    community_workers,
    reserve,
    extension,
    grid,
    audit,
    monitors,
    appraisals,
    burden,
    privacy,
    linkage,
    api,
    readmodels,
)  # in the order `govledger --help` lists their commands; `up` comes last

COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
    "demo": demo.cmd_demo,
    "intake": workers.cmd_intake,
    "project": workers.cmd_project,
    "relay": workers.cmd_relay,
    "clock": clock.cmd_clock,
    "publish": messages.cmd_publish,
    "contracts": messages.cmd_contracts,
    "deadletters": messages.cmd_deadletters,
    "check": check.cmd_check,
    "inventory": inventory.cmd_inventory,
    "jurisdictions": jurisdictions.cmd_jurisdictions,
    "community-workers": community_workers.cmd_community_workers,
    "reserve": reserve.cmd_reserve,
    "extensions": extension.cmd_extensions,
    "grid": grid.cmd_grid,
    "audit": audit.cmd_audit,
    "monitors": monitors.cmd_monitors,
    "appraisals": appraisals.cmd_appraisals,
    "burden": burden.cmd_burden,
    "privacy": privacy.cmd_privacy,
    "linkage": linkage.cmd_linkage,
    "cases": linkage.cmd_cases,
    "metrics": linkage.cmd_metrics,
    "api": api.cmd_api,
    "token": api.cmd_token,
    "rebuild": readmodels.cmd_rebuild,
    "checksum": readmodels.cmd_checksum,
    "up": up.run,
}


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="govledger", description=__doc__)
    sub = root.add_subparsers(dest="command", required=True)
    for group in GROUPS:
        group.add_commands(sub)
    up.add_command(sub)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as refused:  # a setting outside what it takes: one line, exit 2
        print(f"govledger: error: {refused}", file=sys.stderr)
        return 2
    logs.configure(settings.ops)
    runtime.tune_garbage_collector()
    return COMMANDS[args.command](args, settings)


if __name__ == "__main__":
    sys.exit(main())
