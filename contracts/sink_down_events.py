"""Events of sink-down transfers, 力量下沉 (topic `govledger.commands.staffing`) (stub: the family's events are being written)."""

from __future__ import annotations

import msgspec

from contracts.envelope import Code, EventEnvelope


class _Ref(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    transfer: Code


class ProposeSinkDowned(EventEnvelope, tag="sinkdown.stubbed"):
    payload: _Ref


SinkDownEvent = ProposeSinkDowned
