"""The two time axes of the command line and the API: the day in force (`--as-of`,
`as_of`) and the moment the ledger stood at (`--known-at`, `known_at`)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from aggregates.base import CHINA_STANDARD_TIME


def day(text: str | None) -> date:
    return date.fromisoformat(text) if text else date.today()


def moment(text: str) -> datetime:
    """A recorded-time bound: a full ISO time, or a day meaning its end (China time)."""
    if "T" in text or " " in text:
        found = datetime.fromisoformat(text)
        return found if found.tzinfo else found.replace(tzinfo=CHINA_STANDARD_TIME)
    return datetime.combine(date.fromisoformat(text), time.max, CHINA_STANDARD_TIME)


def as_of(as_of: date | str | None, known_at: str | None) -> tuple[date, datetime] | None:
    """(day, moment) when the day in force or the recorded-time bound was given (today and
    now stand in for the other); None when neither was, for the current view."""
    if not (as_of or known_at):
        return None
    known = moment(known_at) if known_at else datetime.now(UTC)
    return as_of if isinstance(as_of, date) else day(as_of), known
