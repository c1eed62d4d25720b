"""Events of the staffing turnover pool, 编制周转池 (topic `govledger.commands.staffing`) (stub: the family's events are being written)."""

from __future__ import annotations

import msgspec

from contracts.envelope import Code, EventEnvelope


class _Ref(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    pool: Code


class EstablishPooled(EventEnvelope, tag="pool.stubbed"):
    payload: _Ref


PoolEvent = EstablishPooled
