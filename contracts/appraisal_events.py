"""Events of appraisals, 考核 (topic `govledger.commands.appraisals`) (stub: the family's events are being written)."""

from __future__ import annotations

import msgspec

from contracts.envelope import Code, EventEnvelope


class _Ref(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    subject: Code


class OpenAppraisaled(EventEnvelope, tag="appraisal.stubbed"):
    payload: _Ref


AppraisalEvent = OpenAppraisaled
