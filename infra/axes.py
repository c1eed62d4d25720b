"""The two time axes of the command line: the day in force (`--as-of`) and the moment the
ledger stood at (`--known-at`)."""

from __future__ import annotations

import argparse
from datetime import date, datetime, time, timezone

from aggregates.base import CHINA_STANDARD_TIME


def day(text: str | None) -> date:
    return date.fromisoformat(text) if text else date.today()


def moment(text: str) -> datetime:
    """A recorded-time bound: a full ISO time, or a day meaning its end (China time)."""
    if "T" in text or " " in text:
        found = datetime.fromisoformat(text)
        return found if found.tzinfo else found.replace(tzinfo=CHINA_STANDARD_TIME)
    return datetime.combine(date.fromisoformat(text), time.max, CHINA_STANDARD_TIME)


def as_of(args: argparse.Namespace) -> tuple[date, datetime] | None:
    """(day, moment) when `--as-of` or `--known-at` was given (today and now stand in for the
    other); None when neither was, for the current view."""
    if not (getattr(args, "on", None) or getattr(args, "known_at", None)):
        return None
    known = moment(args.known_at) if args.known_at else datetime.now(timezone.utc)
    return day(args.on), known
