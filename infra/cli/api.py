"""`govledger api` (the read API and dashboard) and `govledger token issue|revoke|list`."""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

from rich.console import Console

from infra import bootstrap
from infra.api.access import DEFAULT_EXPIRY, ROLES, TokenStore, expiry
from infra.api.scope import Scope
from infra.cli.shared import console, open_ledger
from infra.cli.tables import print_rows
from infra.ops.embedded import ensure_database
from infra.settings import Settings


def add_commands(sub: Any) -> None:
    api = sub.add_parser("api", help="serve the read API, its OpenAPI document and the dashboard")
    api.add_argument("--host", help="listen address (GOVLEDGER_API_HOST)")
    api.add_argument("--port", type=int, help="listen port (GOVLEDGER_API_PORT)")
    tokens = sub.add_parser("token", help="API tokens: issue (shown once), revoke, list")
    actions = tokens.add_subparsers(dest="action", required=True)
    issue = actions.add_parser("issue", help="issue a token; only its digest is stored")
    issue.add_argument("--name", required=True, help="who or what holds it, e.g. dashboard-wall")
    issue.add_argument("--role", required=True, choices=ROLES)
    issue.add_argument(
        "--scope",
        default="all",
        type=_checked(Scope.parse),
        help="what it may see: all (default), district:<district>, town:<town>[,town:<town>…]"
        " or department:<code>",
    )
    issue.add_argument(
        "--expires",
        default=DEFAULT_EXPIRY,
        type=_checked(expiry),
        help=f"when it ends: Nd, Nh, an ISO day (its end, China time) or time, or never"
        f" (default {DEFAULT_EXPIRY})",
    )
    revoke = actions.add_parser("revoke", help="revoke a token by name")
    revoke.add_argument("--name", required=True)
    actions.add_parser("list", help="the tokens issued: names, roles, scopes, ends, last use, revoked")


def _checked(parse: Any) -> Any:
    """An argparse type from a parser raising ValueError, its message shown as it is."""

    def checked(text: str) -> Any:
        try:
            return parse(text)
        except ValueError as e:
            raise argparse.ArgumentTypeError(str(e)) from None

    return checked


def cmd_api(args: argparse.Namespace, settings: Settings) -> int:
    settings = dataclasses.replace(settings, database_url=ensure_database(settings))  # workers' too
    ledger = bootstrap.build_ledger(settings.database_url)
    bootstrap.build_projections(ledger, settings)  # make sure the read models' tables exist
    return serve(ledger, settings, args)


def cmd_token(args: argparse.Namespace, settings: Settings) -> int:
    return tokens(open_ledger(settings), args, console)


def tokens(ledger: Any, args: argparse.Namespace, console: Console) -> int:
    store = TokenStore(ledger.recorder.datastore)
    if args.action == "issue":
        print(store.issue(args.name, args.role, args.scope, args.expires))
        return 0
    if args.action == "revoke":
        revoked = store.revoke(args.name)
        console.print(f"{args.name}: {'revoked' if revoked else 'no such live token'}")
        return 0 if revoked else 1
    columns = ("name", "role", "scope", "issued_at", "expires_at", "last_used_at", "revoked_at")
    print_rows(console, "API tokens", store.listed(), columns)
    return 0


def serve(ledger: Any, settings: Settings, args: argparse.Namespace) -> int:
    from infra.api import server
    from infra.api.app import create_app

    app = create_app(ledger, settings) if settings.api.workers <= 1 else None
    server.serve(app, settings, host=args.host or settings.api.host, port=args.port or settings.api.port)
    return 0
