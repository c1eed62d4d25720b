"""Events of the quota ledgers, 编制 (topic `govledger.commands.staffing`) (stub: the family's events are being written)."""

from __future__ import annotations

import msgspec

from contracts.envelope import Code, EventEnvelope


class _Ref(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    unit: Code


class OpenQuotaLedgered(EventEnvelope, tag="quota.stubbed"):
    payload: _Ref


QuotaEvent = OpenQuotaLedgered
