"""去重窗口 · 保存期限 — how long the intake's bookkeeping is kept: each message id for the
duplicate window, each published dead letter for its retention; what is older is removed.

The intake records every message id it takes (`intake_messages`) to drop a redelivery, and
every message it refuses (`dead_letters`) until the dead-letter publisher has sent it on.
Both would grow for as long as the ledger runs. `prune` removes message ids received more
than `duplicate_window_days` ago and dead letters published more than
`dead_letter_retention_days` ago (0 keeps them for ever), in batches of `BATCH` rows, each
batch its own short transaction, so the intake writing beside it never waits long.
`govledger clock` runs it daily; a long-running worker may call it too.

What stays whatever the age:

- the event log and its hash chain (`ledger_events`, `event_chain`): `audit verify` and
  `audit trail` read nothing else. Every event keeps the message id that caused it
  (`ctx.message_id`), and a refusal recorded as evidence stays in the log;
- a dead letter not yet published (`published_at` unset), however old: it is the outbox
  the publisher still owes the dead-letter topic;
- the state digest the drills compare (`infra/store/checksum.py`), which leaves both
  tables out as bookkeeping.

What an operator or auditor loses past the limits:

- for a message id: where the message was read (topic, partition, offset) and its outcome.
  A redelivery of it is then taken as a new message and meets the rules again: a creation
  resent unchanged records nothing, a step already taken is refused by its rule (a dead
  letter), but a command that adds (a pool contribution, say) would be applied a second
  time. Hence a window longer than any redelivery upstream can make (README: Operations);
- for a dead letter: its original, rule and error in PostgreSQL, so `govledger deadletters`
  no longer lists it and `--open` no longer opens it. The copy on the dead-letter topic lasts
  as long as that topic keeps records. Personal fields in it were sealed under their owners'
  keys; removing the row keeps that personal data no longer than needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from infra.settings import Settings

BATCH = 10_000  # rows a statement removes: short transactions, a few MB of WAL each

# Each finds its rows by the index schema.py makes for it (intake_messages_received,
# dead_letters_published); the ids first, then the rows, as DELETE takes no LIMIT.
_MESSAGE_IDS = """DELETE FROM intake_messages WHERE message_id IN (
    SELECT message_id FROM intake_messages WHERE received_at < %s LIMIT %s)"""
_DEAD_LETTERS = """DELETE FROM dead_letters WHERE id IN (
    SELECT id FROM dead_letters WHERE published_at IS NOT NULL AND published_at < %s LIMIT %s)"""


@dataclass(frozen=True)
class Pruned:
    """What one pruning removed, and the moment before which it removed it (None: that table
    is kept for ever)."""

    message_ids: int
    dead_letters: int
    message_ids_before: datetime | None
    dead_letters_before: datetime | None


def prune(datastore: Any, settings: Settings, *, now: datetime | None = None, batch: int = BATCH) -> Pruned:
    """Remove the message ids older than the duplicate window and the published dead letters
    older than their retention, as of `now` (an aware datetime; by default the database's
    clock, which stamped the rows).

    The limits are fixed once, before the first batch, so rows arriving meanwhile are never
    taken and the loop ends."""
    if now is not None and now.tzinfo is None:
        raise ValueError(f"prune needs an aware moment (with its offset), not {now.isoformat()}")
    now = now or _database_now(datastore)
    ids_before = _before(now, settings.duplicate_window_days)
    letters_before = _before(now, settings.dead_letter_retention_days)
    return Pruned(
        message_ids=_removed(datastore, _MESSAGE_IDS, ids_before, batch),
        dead_letters=_removed(datastore, _DEAD_LETTERS, letters_before, batch),
        message_ids_before=ids_before,
        dead_letters_before=letters_before,
    )


def _before(now: datetime, days: int) -> datetime | None:
    return now - timedelta(days=days) if days else None


def _database_now(datastore: Any) -> datetime:
    with datastore.transaction(commit=False) as cur:
        cur.execute("SELECT now() AS now")
        moment: datetime = cur.fetchone()["now"]
        return moment


def _removed(datastore: Any, statement: str, before: datetime | None, batch: int) -> int:
    """Run the DELETE batch after batch, each committed, until one removes less than a
    batch; how many rows went."""
    if before is None:
        return 0
    total = 0
    while True:
        with datastore.transaction(commit=True) as cur:
            cur.execute(statement, (before, batch))
            removed = cur.rowcount
        total += removed
        if removed < batch:
            return total
