"""Commands of the staffing turnover pool, 编制周转池 (topic `govledger.commands.staffing`) (stub: the family's commands are being written)."""

from __future__ import annotations

import msgspec

from contracts.envelope import Code, Envelope


class _Ref(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    pool: Code


class EstablishPool(Envelope, tag="pool.stub"):
    payload: _Ref


PoolCommand = EstablishPool
SUPPORTED_VERSIONS = {1}
