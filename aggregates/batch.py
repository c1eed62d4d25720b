"""赋权批次 — a batch of delegations ("首批下放", "成熟一批、赋予一批")."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from aggregates.base import Context, RuleViolation, natural_id


class BatchAlreadyDeclared(RuleViolation):
    """The batch code is taken by a batch with another title."""


class DelegationBatch(Aggregate):
    """赋权批次 — declared once, with its title and document number.

    A delegation names its batch but does not wait for the declaration: the two travel
    on different partitions (a delegation is keyed by its power item), so requiring the
    declaration first would make the outcome depend on delivery order across partitions.
    """

    @staticmethod
    def create_id(code: str) -> UUID:
        return natural_id("delegation-batch", code)

    @event("Declared")
    def __init__(self, code: str, title: str, ctx: Context) -> None:
        self.code, self.title = code, title
