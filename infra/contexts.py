"""The bounded contexts of the ledger, each declared once, and what the rest derives from them.

A context has a package in each layer — `contracts/<context>/` (its commands and published
events), `aggregates/<context>/` (aggregates, rules, use cases), `consumers/<context>/`
(the translator between contract and domain, both ways), `projections/<context>/` (read
models and their queries) and `infra/api/routes/<context>.py` — and one line in `CONTEXTS`.
Everything that lists contexts (the ledger's use cases, the intake's handlers and decoder,
the topics and partition keys, the relay's contracts, the read models, the API's routes,
the JSON Schema) iterates `CONTEXTS`.

Several contexts share a topic family (`govledger.commands.<family>`, `.events.<family>`):
duty admissions, territorial duties and the burden-reduction registry travel on `duties`;
quota ledgers, the turnover pool, sink-down transfers and the cadre reserve on `staffing`;
items extended to communities travel with their delegations on `powers`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Union

from aggregates.appraisals.use_cases import AppraisalUseCases
from aggregates.burden.use_cases import BurdenUseCases
from aggregates.command_batch import UseCases
from aggregates.community_workers.use_cases import CommunityWorkerUseCases
from aggregates.duties.use_cases import DutyUseCases
from aggregates.extension.use_cases import ExtensionUseCases
from aggregates.grid.use_cases import GridUseCases
from aggregates.jurisdictions.use_cases import JurisdictionUseCases
from aggregates.ledger import Ledger
from aggregates.linkage.use_cases import LinkageUseCases
from aggregates.operations.use_cases import OperationsUseCases
from aggregates.organisation.use_cases import OrganisationUseCases
from aggregates.pool.use_cases import PoolUseCases
from aggregates.powers.use_cases import PowerUseCases
from aggregates.privacy.record import PrivacyUseCases
from aggregates.quotas.use_cases import QuotaUseCases
from aggregates.reserve.use_cases import ReserveUseCases
from aggregates.sinkdown.use_cases import SinkDownUseCases
from aggregates.territorial.use_cases import TerritorialUseCases
from consumers.appraisals import translator as appraisals
from consumers.burden import translator as burden
from consumers.community_workers import translator as community_workers
from consumers.duties import translator as duties
from consumers.event_contracts import EventContracts
from consumers.extension import translator as extension
from consumers.grid import translator as grid
from consumers.handlers import CommandHandlers
from consumers.intake import CommandDecoder, Upgrade
from consumers.jurisdictions import translator as jurisdictions
from consumers.linkage import translator as linkage
from consumers.operations import translator as operations
from consumers.organisation import translator as organisation
from consumers.pool import translator as pool
from consumers.powers import translator as powers
from consumers.privacy import translator as privacy
from consumers.quotas import translator as quotas
from consumers.reserve import translator as reserve
from consumers.sinkdown import translator as sinkdown
from consumers.territorial import translator as territorial
from contracts.appraisals.commands import AppraisalCommand
from contracts.appraisals.events import AppraisalEvent
from contracts.burden.commands import BurdenCommand
from contracts.burden.events import BurdenEvent
from contracts.community_workers.commands import CommunityWorkerCommand
from contracts.community_workers.events import CommunityWorkerEvent
from contracts.deadletter import DeadLetter
from contracts.duties.commands import DutyAdmissionCommand
from contracts.duties.events import DutyAdmissionEvent
from contracts.extension.commands import ExtensionCommand
from contracts.extension.events import ExtensionEvent
from contracts.grid.commands import GridCommand
from contracts.grid.events import GridEvent
from contracts.jurisdictions.commands import JurisdictionCommand
from contracts.jurisdictions.events import JurisdictionEvent
from contracts.linkage.commands import ClockTick, DispatchCase, EscalateCase, LinkageCommand, SuperviseCase
from contracts.linkage.events import LinkageEvent
from contracts.linkage.metrics import PartyDay
from contracts.organisation.commands import EARLIER_VERSIONS as ORGANISATION_EARLIER
from contracts.organisation.commands import OrganisationCommand
from contracts.organisation.events import OrganisationEvent
from contracts.pool.commands import EARLIER_VERSIONS as POOL_EARLIER
from contracts.pool.commands import PoolCommand
from contracts.pool.events import PoolEvent
from contracts.powers.commands import PowerCommand
from contracts.powers.events import PowerEvent
from contracts.quotas.commands import EARLIER_VERSIONS as QUOTAS_EARLIER
from contracts.quotas.commands import QuotaCommand
from contracts.quotas.events import QuotaEvent
from contracts.reserve.commands import ReserveCommand
from contracts.reserve.events import ReserveEvent
from contracts.sinkdown.commands import EARLIER_VERSIONS as SINKDOWN_EARLIER
from contracts.sinkdown.commands import SinkDownCommand
from contracts.sinkdown.events import SinkDownEvent
from contracts.territorial.commands import TerritorialCommand
from contracts.territorial.events import TerritorialEvent
from infra.api.routes import appraisals as appraisals_routes
from infra.api.routes import burden as burden_routes
from infra.api.routes import community_workers as community_workers_routes
from infra.api.routes import duties as duties_routes
from infra.api.routes import extension as extension_routes
from infra.api.routes import grid as grid_routes
from infra.api.routes import jurisdictions as jurisdictions_routes
from infra.api.routes import linkage as linkage_routes
from infra.api.routes import organisation as organisation_routes
from infra.api.routes import pool as pool_routes
from infra.api.routes import powers as powers_routes
from infra.api.routes import quotas as quotas_routes
from infra.api.routes import reserve as reserve_routes
from infra.api.routes import sinkdown as sinkdown_routes
from infra.api.routes import territorial as territorial_routes
from infra.settings import Topics
from projections.appraisals.league import AppraisalLeague
from projections.burden.refused import RefusedImpositions
from projections.burden.registry import BurdenRegister
from projections.community_workers.register import CommunityWorkerRegister
from projections.duties.history import DutyHistory
from projections.duties.refused import RefusedPushdowns
from projections.duties.town_list import TownDutyList
from projections.extension.register import ExtensionRegister
from projections.grid.cases import GridCases
from projections.grid.cells import GridCells
from projections.jurisdictions.tree import JurisdictionTree
from projections.linkage.cases import LinkageCases
from projections.linkage.metrics import LinkageMetrics
from projections.organisation.structure import TownStructure
from projections.pool.balance import PoolBalance
from projections.pool.history import PoolHistory
from projections.powers.history import PowerHistory
from projections.powers.inventory import TownPowerInventory
from projections.quotas.history import QuotaHistory
from projections.quotas.ledgers import QuotaLedgers
from projections.reserve.register import ReserveRegister
from projections.runner import ReadModel
from projections.sinkdown.roster import SinkDownRoster
from projections.territorial.duty_list import TerritorialDutyList
from projections.territorial.history import TerritorialHistory
from projections.territorial.scenarios import JointScenarios


@dataclass(frozen=True)
class BoundedContext:
    """One context: where its messages travel, how they are keyed, and its part of each layer."""

    name: str
    family: str | None  # the topic family of its commands and events; None: not on Kafka
    commands: Any  # the tagged union of its command contracts
    events: Any  # the tagged union of the event contracts it publishes
    key: tuple[str, ...]  # the payload fields naming what a command is about: its partition key
    use_cases: type[UseCases]
    translator: ModuleType  # HANDLERS, TOUCHES, RULES (commands in), PUBLISHED, INTERNAL (events out)
    read_models: tuple[Callable[[], ReadModel], ...] = ()
    routes: tuple[Any, ...] = ()  # its read API's handlers (`infra/api/routes/<context>.py`)
    ordering: str = ""  # what a sender should know of the order beyond the key (the schema says it)
    system: tuple[type, ...] = ()  # commands only our own processors send: not in the published schema
    earlier: Mapping[str, Upgrade] = field(default_factory=dict)  # earlier versions still read, by tag


CONTEXTS: tuple[BoundedContext, ...] = (
    BoundedContext(
        "powers",
        "powers",
        PowerCommand,
        PowerEvent,
        ("item", "code"),
        PowerUseCases,
        powers,
        (TownPowerInventory, PowerHistory),
        tuple(powers_routes.ROUTES),
    ),
    BoundedContext(
        "extension",
        "powers",
        ExtensionCommand,
        ExtensionEvent,
        ("item",),
        ExtensionUseCases,
        extension,
        (ExtensionRegister,),
        tuple(extension_routes.ROUTES),
        "Keyed by the item, as its delegations are: an extension is applied after the delegation "
        "it rests on when both were published in that order.",
    ),
    BoundedContext(
        "duties",
        "duties",
        DutyAdmissionCommand,
        DutyAdmissionEvent,
        ("duty",),
        DutyUseCases,
        duties,
        (TownDutyList, RefusedPushdowns, DutyHistory),
        tuple(duties_routes.ROUTES),
    ),
    BoundedContext(
        "territorial",
        "duties",
        TerritorialCommand,
        TerritorialEvent,
        ("code",),
        TerritorialUseCases,
        territorial,
        (TerritorialDutyList, JointScenarios, TerritorialHistory),
        tuple(territorial_routes.ROUTES),
    ),
    BoundedContext(
        "burden",
        "duties",
        BurdenCommand,
        BurdenEvent,
        ("department", "district"),
        BurdenUseCases,
        burden,
        (BurdenRegister, RefusedImpositions),
        tuple(burden_routes.ROUTES),
        "A district's baseline (burden.take_baseline) is keyed by the district, its items by their "
        "department: an item approved or imposed before its district's baseline is taken in is refused "
        "(BaselineNotTaken) and may be sent again.",
    ),
    BoundedContext(
        "jurisdictions",
        "organisation",
        JurisdictionCommand,
        JurisdictionEvent,
        ("code",),
        JurisdictionUseCases,
        jurisdictions,
        (JurisdictionTree,),
        tuple(jurisdictions_routes.ROUTES),
        "A unit names its parent, registered before it on another partition (a community's town may be "
        "one `town.register` registered, on the organisation topic too): register a city, then its "
        "districts and zones, then towns, then communities, each level once its parents are applied.",
    ),
    BoundedContext(
        "organisation",
        "organisation",
        OrganisationCommand,
        OrganisationEvent,
        ("town", "code"),
        OrganisationUseCases,
        organisation,
        (TownStructure,),
        tuple(organisation_routes.ROUTES),
        earlier=ORGANISATION_EARLIER,
    ),
    BoundedContext(
        "grid",
        "organisation",
        GridCommand,
        GridEvent,
        ("cell",),
        GridUseCases,
        grid,
        (GridCells, GridCases),
        tuple(grid_routes.ROUTES),
        "A cell's town is registered first (`town.register`, keyed by the town: no order holds "
        "between the two keys). Cases reported with a cell (`case.report`, on the linkage topic) "
        "are checked against the cell as the ledger holds it when the report is applied: register "
        "a cell before its cases are reported.",
    ),
    BoundedContext(
        "quotas",
        "staffing",
        QuotaCommand,
        QuotaEvent,
        ("unit",),
        QuotaUseCases,
        quotas,
        (QuotaLedgers, QuotaHistory),
        tuple(quotas_routes.ROUTES),
        earlier=QUOTAS_EARLIER,
        ordering="A transfer travels on the partition of the unit it leaves; the receiving ledger may "
        "take it before its own quota.open, which then completes it.",
    ),
    BoundedContext(
        "pool",
        "staffing",
        PoolCommand,
        PoolEvent,
        ("pool",),
        PoolUseCases,
        pool,
        (PoolBalance, PoolHistory),
        tuple(pool_routes.ROUTES),
        earlier=POOL_EARLIER,
    ),
    BoundedContext(
        "sinkdown",
        "staffing",
        SinkDownCommand,
        SinkDownEvent,
        ("transfer", "unit"),
        SinkDownUseCases,
        sinkdown,
        (SinkDownRoster,),
        tuple(sinkdown_routes.ROUTES),
        earlier=SINKDOWN_EARLIER,
    ),
    BoundedContext(
        "reserve",
        "staffing",
        ReserveCommand,
        ReserveEvent,
        ("town", "district"),
        ReserveUseCases,
        reserve,
        (ReserveRegister,),
        tuple(reserve_routes.ROUTES),
        "A district's rule (reserve.set_rule) is keyed by the district, its streets' reserves by the "
        "street: an appointment reads the rule as the ledger holds it when the appointment is applied.",
    ),
    BoundedContext(
        "community_workers",
        "staffing",
        CommunityWorkerCommand,
        CommunityWorkerEvent,
        ("community", "district", "city"),
        CommunityWorkerUseCases,
        community_workers,
        (CommunityWorkerRegister,),
        tuple(community_workers_routes.ROUTES),
        "A community's register names, on other partitions, its district's scale (keyed by the district) "
        "and the units of administration that place it (`jurisdiction.register`, on the organisation "
        "topic): register the community and define its district's scale before its first batch.",
    ),
    BoundedContext(
        "appraisals",
        "appraisals",
        AppraisalCommand,
        AppraisalEvent,
        ("subject", "scheme"),
        AppraisalUseCases,
        appraisals,
        (AppraisalLeague,),
        tuple(appraisals_routes.ROUTES),
    ),
    BoundedContext(
        "linkage",
        "linkage",
        LinkageCommand,
        LinkageEvent,
        ("case",),
        LinkageUseCases,
        linkage,
        (LinkageCases, LinkageMetrics),
        tuple(linkage_routes.ROUTES),
        "One case's acts are applied in the order published. case.dispatch, case.supervise and "
        "case.escalate travel on this topic too, but only the linkage processors send them.",
        (DispatchCase, SuperviseCase, EscalateCase),
    ),
    BoundedContext("privacy", None, None, None, (), PrivacyUseCases, privacy),
    BoundedContext("operations", None, None, None, (), OperationsUseCases, operations),
)


def _union(types: Sequence[Any]) -> Any:
    return Union[tuple(types)] if len(types) > 1 else types[0]  # a runtime union: Union[...], not X | Y


ON_KAFKA = tuple(c for c in CONTEXTS if c.family is not None)
# topic family -> the contexts on it, in registry order
FAMILIES: dict[str, tuple[BoundedContext, ...]] = {}
for _context in CONTEXTS:
    if _context.family is not None:
        FAMILIES[_context.family] = (*FAMILIES.get(_context.family, ()), _context)

GovernanceLedger = Ledger.of(*(c.use_cases for c in CONTEXTS))
Command = _union([c.commands for c in ON_KAFKA])
COMMANDS = CommandHandlers(c.translator for c in CONTEXTS)
EARLIER: dict[str, Upgrade] = {tag: up for c in CONTEXTS for tag, up in c.earlier.items()}
DECODER = CommandDecoder(Command, earlier=EARLIER)
EVENTS = EventContracts(
    {family: [c.translator for c in contexts] for family, contexts in FAMILIES.items()},
    [c.translator for c in CONTEXTS],
)
# a command's type tag -> its context (what names its partition key and its topic)
_BY_TAG: dict[str, BoundedContext] = {
    member.__struct_config__.tag: c
    for c in ON_KAFKA
    for member in getattr(c.commands, "__args__", (c.commands,))
}

# what tests, benchmarks and tools call directly
apply, touches, decode = COMMANDS.apply, COMMANDS.touches, DECODER.decode
published, to_contract, family_of_event = EVENTS.published, EVENTS.to_contract, EVENTS.family_of_event


def context_of_tag(tag: str) -> BoundedContext | None:
    """The context a command type (`"delegation.approve"`) belongs to."""
    return _BY_TAG.get(tag)


def family_of(command: Any) -> str:
    """The topic family a decoded command travels on."""
    context = _BY_TAG[type(command).__struct_config__.tag]
    if context.family is None:  # never: only the contexts on Kafka are by tag
        raise KeyError(context.name)
    return context.family


def family_commands(family: str) -> Any:
    """The tagged union of the commands on one family's topic."""
    return _union([c.commands for c in FAMILIES[family]])


def sent_commands(family: str) -> Any:
    """The tagged union of the commands upstream systems may send on one family's topic."""
    members = [
        member
        for c in FAMILIES[family]
        for member in getattr(c.commands, "__args__", (c.commands,))
        if member not in c.system
    ]
    return _union(members)


def decoder(topics: Topics) -> CommandDecoder:
    """The intake's decoder: every context's commands, each only on its family's topic."""
    return CommandDecoder(Command, lambda tag: topics.of_family(_BY_TAG[tag].family or ""), EARLIER)


def read_models() -> list[ReadModel]:
    """A fresh instance of every context's read models."""
    return [make() for c in CONTEXTS for make in c.read_models]


def messages() -> dict[str, Any]:
    """Every message on our topics by topic name (after `govledger.`): the published schema."""
    return {
        **{f"commands.{family}": sent_commands(family) for family in FAMILIES},
        **{f"events.{family}": _union([c.events for c in contexts]) for family, contexts in FAMILIES.items()},
        "linkage.metrics": PartyDay,
        "linkage.ticks": ClockTick,
        "deadletters": DeadLetter,
    }
