"""Commands of sink-down transfers, 力量下沉 (topic `govledger.commands.staffing`) (stub: the family's commands are being written)."""

from __future__ import annotations

import msgspec

from contracts.envelope import Code, Envelope


class _Ref(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    transfer: Code


class ProposeSinkDown(Envelope, tag="sinkdown.stub"):
    payload: _Ref


SinkDownCommand = ProposeSinkDown
SUPPORTED_VERSIONS = {1}
