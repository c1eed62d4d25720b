"""Every inbound command, grouped by the topic family it travels on."""

from __future__ import annotations

from typing import Any, Union, get_args

from contracts.appraisals.commands import AppraisalCommand
from contracts.duties.commands import DutyAdmissionCommand
from contracts.linkage.commands import LinkageCommand
from contracts.organisation.commands import OrganisationCommand
from contracts.pool.commands import PoolCommand
from contracts.powers.commands import PowerCommand
from contracts.quotas.commands import QuotaCommand
from contracts.sinkdown.commands import SinkDownCommand
from contracts.territorial.commands import TerritorialCommand

DutyCommand = Union[DutyAdmissionCommand, TerritorialCommand]
StaffingCommand = Union[QuotaCommand, PoolCommand, SinkDownCommand]
Command = Union[PowerCommand, DutyCommand, OrganisationCommand, StaffingCommand, AppraisalCommand,
                LinkageCommand]
SUPPORTED_VERSIONS = {1}

FAMILIES: dict[str, Any] = {
    "powers": PowerCommand,
    "duties": DutyCommand,
    "organisation": OrganisationCommand,
    "staffing": StaffingCommand,
    "appraisals": AppraisalCommand,
    "linkage": LinkageCommand,
}


def _members(union: Any) -> tuple[Any, ...]:
    return get_args(union) or (union,)


def family_of(command: Any) -> str:
    """The topic family a command belongs to (a key of FAMILIES)."""
    for family, union in FAMILIES.items():
        if type(command) in _members(union):
            return family
    raise KeyError(type(command).__name__)
