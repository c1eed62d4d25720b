"""What the intake publishes when it cannot apply a message (topic `govledger.deadletters`)."""

from __future__ import annotations

from datetime import datetime

import msgspec


class DeadLetter(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A message that failed: where it came from, its original bytes (personal fields sealed),
    and why it failed.

    `rule` names the broken rule (`ItemNotCatalogued`, `HolderAlreadyEffective`, …) or the
    kind of decoding failure (`MalformedMessage`, `UnsupportedVersion`).
    """

    id: int
    topic: str
    partition: int
    offset: int
    message_id: str | None
    message_type: str | None
    rule: str
    error: str
    original: bytes
    failed_at: datetime
