"""Events of territorial duties and joint-enforcement scenarios the ledger publishes
(topic `govledger.events.duties`).

`revision` counts registrations and amendments (1 on registration); `aggregate_version`
of the envelope counts every event, retirement included.
"""

from __future__ import annotations

from typing import Annotated, Union

import msgspec

from contracts.envelope import Code, EventEnvelope
from contracts.territorial.commands import DutyTerms, ScenarioTerms, TerritorialRef

Revision = Annotated[int, msgspec.Meta(ge=1)]


class DutyRevision(DutyTerms, kw_only=True):
    revision: Revision


class ScenarioRevision(ScenarioTerms, kw_only=True):
    revision: Revision


class RetiredScenario(TerritorialRef, kw_only=True):
    """The scenario's category too, so that a subscriber keyed by category finds it."""

    category: Code | None = None


class TerritorialDutyRegistered(EventEnvelope, tag="territorial_duty.registered"):
    payload: DutyRevision


class TerritorialDutyAmended(EventEnvelope, tag="territorial_duty.amended"):
    payload: DutyRevision


class TerritorialDutyRetired(EventEnvelope, tag="territorial_duty.retired"):
    payload: TerritorialRef


class JointScenarioRegistered(EventEnvelope, tag="joint_scenario.registered"):
    payload: ScenarioRevision


class JointScenarioAmended(EventEnvelope, tag="joint_scenario.amended"):
    payload: ScenarioRevision


class JointScenarioRetired(EventEnvelope, tag="joint_scenario.retired"):
    payload: RetiredScenario


TerritorialEvent = Union[
    TerritorialDutyRegistered,
    TerritorialDutyAmended,
    TerritorialDutyRetired,
    JointScenarioRegistered,
    JointScenarioAmended,
    JointScenarioRetired,
]
