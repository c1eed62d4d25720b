"""Reading and erasing a person's personal data: every read recorded, erasure for good.

Reading opens the person's sealed tokens (kept in the sink-down events) with their key
and records the read — who, role, system, purpose, which fields, found or not — as an
event before returning anything. Erasing destroys the key first (nothing can be opened
after that, whatever happens next) and then records the erasure with its legal basis;
run again after a failure, it records what is missing. The log is not touched: the hash
chain still verifies and every count and inventory stays as it was.
"""

from __future__ import annotations

from typing import Any

from aggregates.base import Context
from aggregates.sink_down import SinkDownTransfer


def _tokens(ledger: Any, person: str) -> list[str]:
    with ledger.recorder.datastore.transaction(commit=False) as cur:
        cur.execute("SELECT DISTINCT transfer_id FROM sink_down_postings WHERE person = %s", (person,))
        transfers = [row["transfer_id"] for row in cur.fetchall()]
    tokens = []
    for transfer_id in transfers:
        transfer = ledger.find(transfer_id)
        if isinstance(transfer, SinkDownTransfer):
            tokens += [m.person.sealed for m in transfer.members
                       if m.person.person == person and m.person.sealed]
    return tokens


def show(ledger: Any, ctx: Context, person: str, purpose: str) -> dict[str, str] | None:
    """The person's personal data (the latest sealed), or None when erased or never given."""
    found: dict[str, str] | None = None
    for token in _tokens(ledger, person):
        found = ledger.vault.open(person, token) or found
    ledger.record_personal_data_read(ctx, person, purpose, tuple(sorted(found or ())), found is not None)
    return found


def erase(ledger: Any, ctx: Context, person: str, basis: str) -> bool:
    """Destroy the person's key, then record the erasure; False if the key was gone already."""
    destroyed = ledger.vault.erase(person, basis)
    ledger.record_erasure(ctx, person, basis)
    return destroyed
