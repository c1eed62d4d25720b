"""事项延伸 — items extended to communities and villages: commands to their use cases, and the
events to the published contracts (topic family `powers`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aggregates import base
from aggregates.base import RuleViolation
from aggregates.extension import item_extension as x
from aggregates.extension.item_extension import ItemExtension
from aggregates.jurisdictions.jurisdiction import CommunityOfAnotherTown, Jurisdiction
from aggregates.powers.holding import PowerHolding
from consumers.event_contracts import copied
from consumers.handlers import Touches, touching
from contracts.extension import commands as c
from contracts.extension import events as out

HANDLERS: dict[type, Callable[..., Any]] = {
    c.ExtendItem: lambda app, ctx, p: app.extend_item(ctx, p.item, p.town, p.communities),
    c.WithdrawExtension: lambda app, ctx, p: app.withdraw_extension(ctx, p.item, p.town, p.communities),
    c.RecordHandled: lambda app, ctx, p: app.record_handled(
        ctx, p.item, p.town, p.community, p.period, p.count
    ),
}


# Each command reads the extension. An extension reads the (item, town) slot whose delegation
# it rests on (that delegation itself is read when the slot names it) and the communities it
# reaches; a count reads the delegation of the batch the extension names, which the command
# does not say.
TOUCHES: dict[type, Touches] = {
    **dict.fromkeys(HANDLERS, touching(ItemExtension.create_id, "item", "town")),
    c.ExtendItem: lambda p: [
        ItemExtension.create_id(p.item, p.town),
        PowerHolding.create_id(p.item, p.town),
        *(Jurisdiction.create_id(community) for community in p.communities),
    ],
}

# The rules each command can be refused with: what it names missing first, then values, the
# business rules, and the reason last.
RULES: dict[type, tuple[type[RuleViolation], ...]] = {
    c.ExtendItem: (x.InvalidReach, CommunityOfAnotherTown, x.ItemNotHeldByTown),
    c.WithdrawExtension: (x.NotExtendedTo, x.InvalidReach),
    c.RecordHandled: (
        x.NotExtendedTo,
        x.InvalidHandledCount,
        x.HandledPeriodsOverlap,
        x.ItemNotHeldByTown,
        base.ReasonRequired,
    ),
}

# (contract class, payload builder(event, aggregate as of the event)): the extension goes out
# by its item and town (its communities as the contract's tuple, however the log read them back).
PUBLISHED: dict[type, tuple[type, Any]] = {
    ItemExtension.Extended: (
        out.ItemExtended,
        lambda e, a: copied(out.Extended, e, item=a.item, town=a.town, communities=tuple(e.communities)),
    ),
    ItemExtension.Withdrawn: (
        out.ExtensionWithdrawn,
        lambda e, a: copied(out.Withdrawn, e, item=a.item, town=a.town, communities=tuple(e.communities)),
    ),
    ItemExtension.HandledRecorded: (
        out.HandledCountRecorded,
        lambda e, a: copied(out.HandledRecorded, e, item=a.item, town=a.town),
    ),
}

# Internal bookkeeping, not published: an extension's opening says nothing until it reaches someone.
INTERNAL: set[type] = {ItemExtension.Opened}
