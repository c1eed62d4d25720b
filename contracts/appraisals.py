"""Commands of appraisals, 考核 (topic `govledger.commands.appraisals`) (stub: the family's commands are being written)."""

from __future__ import annotations

import msgspec

from contracts.envelope import Code, Envelope


class _Ref(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    subject: Code


class OpenAppraisal(Envelope, tag="appraisal.stub"):
    payload: _Ref


AppraisalCommand = OpenAppraisal
SUPPORTED_VERSIONS = {1}
