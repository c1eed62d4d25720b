"""Every inbound command, grouped by the topic family it travels on."""

from __future__ import annotations

from typing import Any, Union, get_args

from contracts.duties import DutyAdmissionCommand
from contracts.organisation import OrganisationCommand
from contracts.powers import PowerCommand
from contracts.territorial import TerritorialCommand

DutyCommand = Union[DutyAdmissionCommand, TerritorialCommand]
Command = Union[PowerCommand, DutyCommand, OrganisationCommand]
SUPPORTED_VERSIONS = {1}

FAMILIES: dict[str, Any] = {
    "powers": PowerCommand,
    "duties": DutyCommand,
    "organisation": OrganisationCommand,
}


def family_of(command: Any) -> str:
    """The topic family a command belongs to: `powers`, `duties` or `organisation`."""
    for family, union in FAMILIES.items():
        if type(command) in get_args(union):
            return family
    raise KeyError(type(command).__name__)
