"""The topics under which the log holds each event class, older module names included.

An event is stored under its class's topic (`module:QualifiedName`). Events recorded
before each context had a package of its own name modules that no longer exist; each is
registered with the library as the module that now holds its classes, so every stored
event still reads as its class, and the projections ask the log for both names.
"""

from __future__ import annotations

import importlib
from functools import cache

from eventsourcing.utils import get_topic, register_topic

# module an event class was stored under -> the module that holds it now. Only modules that
# held aggregates: an older name that is now a context's package (aggregates.powers was the
# powers' use cases) must not be registered, or the library would resolve the package's
# own modules through it.
MOVED = {
    "aggregates.power_item": "aggregates.powers.item",
    "aggregates.delegation_terms": "aggregates.powers.delegation",
    "aggregates.batch": "aggregates.powers.delegation",
    "aggregates.delegation": "aggregates.powers.delegation",
    "aggregates.holding": "aggregates.powers.holding",
    "aggregates.duty_terms": "aggregates.duties.admission",
    "aggregates.duty_admission": "aggregates.duties.admission",
    "aggregates.territorial_duty": "aggregates.territorial.duty",
    "aggregates.joint_enforcement": "aggregates.territorial.scenario",
    "aggregates.town_terms": "aggregates.organisation.town",
    "aggregates.town": "aggregates.organisation.town",
    "aggregates.quota_terms": "aggregates.quotas.quota_ledger",
    "aggregates.quota_ledger": "aggregates.quotas.quota_ledger",
    "aggregates.pool_terms": "aggregates.pool.staffing_pool",
    "aggregates.staffing_pool": "aggregates.pool.staffing_pool",
    "aggregates.sink_down_terms": "aggregates.sinkdown.transfer",
    "aggregates.sink_down": "aggregates.sinkdown.transfer",
    "aggregates.placement": "aggregates.sinkdown.placement",
    "aggregates.enforcement_staffing": "aggregates.sinkdown.baseline",
    "aggregates.sink_downs": "aggregates.sinkdown.use_cases",
    "aggregates.appraisal_terms": "aggregates.appraisals.scheme",
    "aggregates.appraisal_scheme": "aggregates.appraisals.scheme",
    "aggregates.appraisal_records": "aggregates.appraisals.appraisal",
    "aggregates.appraisal": "aggregates.appraisals.appraisal",
    "aggregates.linkage_terms": "aggregates.linkage.case",
    "aggregates.linkage_round": "aggregates.linkage.case",
    "aggregates.linkage_closing": "aggregates.linkage.case",
    "aggregates.linkage_case": "aggregates.linkage.case",
    "aggregates.personal_data": "aggregates.privacy.record",
}


@cache
def register() -> None:
    """Register every older module name with the library's topic resolver (once)."""
    for old, new in MOVED.items():
        register_topic(old, importlib.import_module(new))


def stored_topics(cls: type) -> tuple[str, ...]:
    """Every topic an event of the class may be stored under: its own, then older ones."""
    topic = get_topic(cls)
    module, _, name = topic.partition(":")
    return (topic, *(f"{old}:{name}" for old, new in MOVED.items() if new == module))


def module_prefixes(module: str) -> tuple[str, ...]:
    """The topic prefixes of a module's classes, its older names included."""
    return (f"{module}:", *(f"{old}:" for old, new in MOVED.items() if new == module))
