"""Rolling linkage metrics per party and day (topic `govledger.linkage.metrics`).

One record per (party, day), keyed `party/day`; a later record for the same key replaces
the earlier one. Rates are fractions (Decimal, 4 places), or absent while nothing counts:
- response 响应率: sign-fors on time / sign-fors;
- on-time resolution 按时办结率: resolutions on time / resolutions;
- resolution 解决率: resolutions that solved the matter / resolutions;
- satisfaction 满意率: (satisfied + basically satisfied) / closings rated.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import msgspec

from contracts.envelope import Code, Instant, MessageId


class Counts(msgspec.Struct, kw_only=True):
    dispatched: int = 0
    signed: int = 0
    signed_on_time: int = 0
    resolved: int = 0
    resolved_on_time: int = 0
    solved: int = 0
    closed: int = 0
    satisfied: int = 0
    basically_satisfied: int = 0
    dissatisfied: int = 0
    supervised: int = 0
    escalated: int = 0

    def add(self, other: Counts) -> Counts:
        return Counts(**{f: getattr(self, f) + getattr(other, f) for f in self.__struct_fields__})


class Rates(msgspec.Struct, frozen=True, kw_only=True):
    response: Decimal | None = None
    on_time_resolution: Decimal | None = None
    resolution: Decimal | None = None
    satisfaction: Decimal | None = None


def _fraction(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def rates(c: Counts) -> Rates:
    return Rates(
        response=_fraction(c.signed_on_time, c.signed),
        on_time_resolution=_fraction(c.resolved_on_time, c.resolved),
        resolution=_fraction(c.solved, c.resolved),
        satisfaction=_fraction(c.satisfied + c.basically_satisfied, c.closed),
    )


class PartyDay(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Where a party stands on a day; `message_id` is unique per publication."""

    message_id: MessageId
    party: Code
    day: date
    counts: Counts
    rates: Rates
    computed_at: Instant
