"""`govledger demo`: the demo scenario, end to end."""

from __future__ import annotations

import argparse
from typing import Any

from infra.cli.shared import console
from infra.settings import Settings


def add_commands(sub: Any) -> None:
    sub.add_parser("demo", help="run the demo scenario end to end (embedded services by default)")


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from infra.demo import run as demo

    return demo.run(settings, console)
