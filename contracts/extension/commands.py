"""Commands of the extension of a town's items to its communities and villages, 事项延伸
(topic `govledger.commands.powers`).

A town extends a power item it holds — an effective delegation of that item to that town —
to one or more of its communities and villages (村、社区) so they take the matter in
("15项高频事项向村(社区)延伸", seed 000), withdraws it later, and reports how many cases each
one handled, a figure per period. Every payload is keyed by `item`, so an extension stays in
order with the delegations of its item. A community the register of jurisdictions knows must
be one of the town's (`CommunityOfAnotherTown`); one it does not know is kept as named.
"""

from __future__ import annotations

from typing import Annotated, Union

import msgspec

from contracts.envelope import Code, Envelope, Payload, Period

Communities = Annotated[tuple[Code, ...], msgspec.Meta(min_length=1, max_length=1000)]
Handled = Annotated[int, msgspec.Meta(ge=0, le=10_000_000)]


class ExtensionRef(Payload):
    item: Code
    town: Code


class Reach(ExtensionRef):
    """The communities and villages an act of extension or withdrawal covers, each once."""

    communities: Communities


class HandledCount(ExtensionRef):
    """办理件数: the cases one community handled under the extended item in one period."""

    community: Code
    period: Period
    count: Handled


class ExtendItem(Envelope, tag="extension.extend"):
    """事项向村(社区)延伸 — a town extends an item it holds on the effective day to communities
    and villages (those it already reaches are left as they are)."""

    payload: Reach


class WithdrawExtension(Envelope, tag="extension.withdraw"):
    """撤回延伸 — the item no longer taken in by these communities from the effective day."""

    payload: Reach


class RecordHandled(Envelope, tag="extension.record_handled"):
    """办理件数 — how many cases a community handled under the extended item in a period; a
    later figure for the same period corrects it (the envelope's `reason` required)."""

    payload: HandledCount


ExtensionCommand = Union[ExtendItem, WithdrawExtension, RecordHandled]
