"""Commands of the quota ledgers, 编制 (topic `govledger.commands.staffing`) (stub: the family's commands are being written)."""

from __future__ import annotations

import msgspec

from contracts.envelope import Code, Envelope


class _Ref(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    unit: Code


class OpenQuotaLedger(Envelope, tag="quota.stub"):
    payload: _Ref


QuotaCommand = OpenQuotaLedger
SUPPORTED_VERSIONS = {1}
