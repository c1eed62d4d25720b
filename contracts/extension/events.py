"""Events of items extended to communities and villages (topic `govledger.events.powers`)."""

from __future__ import annotations

from datetime import date
from typing import Union

from contracts.envelope import Code, EventEnvelope
from contracts.extension.commands import HandledCount, Reach


class Extended(Reach):
    batch: Code  # the batch of the delegation the town holds the item by
    department: Code  # the item's owning department
    on: date


class Withdrawn(Reach):
    on: date


class HandledRecorded(HandledCount):
    first_day: date
    last_day: date


class ItemExtended(EventEnvelope, tag="extension.extended"):
    """事项延伸 — the item extended to the communities, from `on`, under the town's delegation."""

    payload: Extended


class ExtensionWithdrawn(EventEnvelope, tag="extension.withdrawn"):
    """撤回延伸 — the communities no longer take the item in, from `on`."""

    payload: Withdrawn


class HandledCountRecorded(EventEnvelope, tag="extension.handled_recorded"):
    """办理件数 — a community's count of cases for a period (a correction replaces the figure
    of the same period)."""

    payload: HandledRecorded


ExtensionEvent = Union[ItemExtended, ExtensionWithdrawn, HandledCountRecorded]
