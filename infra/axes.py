"""The two time axes of the command line and the API: the day in force (`--as-of`,
`as_of`) and the moment the ledger stood at (`--known-at`, `known_at`); the views in
sections both of them read on those axes; and when what was asked for is not known at all
(the API answers 404, the command line says so and exits 1)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from aggregates.base import CHINA_STANDARD_TIME
from projections.burden import registry as burden_registry
from projections.extension import register as extension_register
from projections.organisation import structure as town_structure
from projections.pool import balance as pool_balance
from projections.pool import history as pool_history
from projections.quotas import history as quota_history
from projections.quotas import ledgers as quota_ledgers
from projections.reserve import register as reserve_register


def day(text: str | None) -> date:
    return date.fromisoformat(text) if text else date.today()


# A leap second (RFC 3339 allows second 60) read as the last instant of the second before.
LEAP_SECOND = re.compile(r"(\d{2}:\d{2}):60(\.\d+)?")


def moment(text: str) -> datetime:
    """A recorded-time bound: an ISO (RFC 3339) time, or a day meaning its end (China time)."""
    text = text.strip().upper()  # RFC 3339 allows "t" and "z"
    if "T" in text or " " in text:
        found = datetime.fromisoformat(LEAP_SECOND.sub(r"\1:59.999999", text))
        return found if found.tzinfo else found.replace(tzinfo=CHINA_STANDARD_TIME)
    return datetime.combine(date.fromisoformat(text), time.max, CHINA_STANDARD_TIME)


def as_of(as_of: date | str | None, known_at: str | None) -> tuple[date, datetime] | None:
    """(day, moment) when the day in force or the recorded-time bound was given (today and
    now stand in for the other); None when neither was, for the current view."""
    if not (as_of or known_at):
        return None
    known = moment(known_at) if known_at else datetime.now(UTC)
    return as_of if isinstance(as_of, date) else day(as_of), known


class Unknown(LookupError):
    """Nothing is known of what was asked for (a code the ledger never saw, or not yet then)."""

    def __init__(self, what: str, then: bool = False) -> None:
        super().__init__(f"no {what}{' as of then' if then else ''} is known")


@dataclass(frozen=True)
class Sections:
    """A view in sections of one code (or of all, None): each section's rows as they stand,
    `now[name](cur, code)`, or on both time axes, `then[name](cur, code, day, moment)`. A
    code whose `known_by` section is empty is unknown: `what` names it."""

    now: Mapping[str, Callable[..., list[dict[str, Any]]]]
    then: Mapping[str, Callable[..., list[dict[str, Any]]]]
    known_by: str
    what: str

    def read(self, cur: Any, code: str | None, when: tuple[date, datetime] | None) -> dict[str, list[Any]]:
        """The sections as they stand, or on the axes `when` (see `as_of`); `Unknown` for a
        code of which nothing is known."""
        if when:
            found = {name: read(cur, code, *when) for name, read in self.then.items()}
        else:
            found = {name: read(cur, code) for name, read in self.now.items()}
        if code is not None and not found[self.known_by]:
            raise Unknown(f"{self.what} {code!r}", when is not None)
        return found


def organisation(cur: Any, town: str) -> dict[str, Any]:
    """镇街机构设置 — the town's model (大部门制), units and removed plaques; `Unknown` when
    the ledger knows no organisation of the town."""
    model = town_structure.town_model(cur, town)
    if model is None:
        raise Unknown(f"organisation of town {town!r}")
    return {
        "model": model,
        "units": town_structure.town_structure(cur, town),
        "plaques_removed": town_structure.removed_plaques(cur, town),
    }


# 编制台账: a unit's quotas by kind and its transfers
QUOTA_LEDGER = Sections(
    now={"quotas": quota_ledgers.quota_ledger, "transfers": quota_ledgers.quota_transfers},
    then={"quotas": quota_history.quota_ledger_as_of, "transfers": quota_history.quota_transfers_as_of},
    known_by="quotas",
    what="quota ledger of unit",
)
# 编制周转池: the balances and the draws; on the axes, the balances that day and the draws
# with quotas out that day
TURNOVER_POOL = Sections(
    now={"pools": pool_balance.pool_balance, "draws": pool_balance.pool_draws},
    then={"pools": pool_history.pool_balance_as_of, "draws": pool_history.outstanding_draws_as_of},
    known_by="pools",
    what="turnover pool",
)


def department_burden(cur: Any, department: str, when: tuple[date, datetime] | None) -> dict[str, Any]:
    """减负台账 — what the department imposes on towns and what it cleared, as they stand or on
    the axes `when`; `Unknown` when the registry holds nothing of it (then)."""
    found = burden_registry.department_burden(cur, department, *(when or (None, None)))
    if not any(found.values()):
        raise Unknown(f"burden item of department {department!r}", when is not None)
    return found


def town_burden(cur: Any, town: str, when: tuple[date, datetime] | None) -> list[dict[str, Any]]:
    """Everything imposed on the town, as it stands or on the axes `when`; `Unknown` for a town
    of no district's burden-reduction baseline."""
    if burden_registry.district_of(cur, town) is None:
        raise Unknown(f"town {town!r} in a burden-reduction baseline")
    return burden_registry.town_burden(cur, town, *(when or (None, None)))


def _today(read: Callable[..., list[dict[str, Any]]]) -> Callable[..., list[dict[str, Any]]]:
    """A query `(cur, code, on, known)` as the ledger stands now, for today."""
    return lambda cur, code: read(cur, code, date.today(), datetime.now(UTC))


def _on_the_axes(
    then: Mapping[str, Callable[..., list[dict[str, Any]]]], known_by: str, what: str
) -> Sections:
    """Sections whose every query reads on the axes; as they stand, for today as the ledger
    stands now."""
    current = {name: _today(read) for name, read in then.items()}
    return Sections(now=current, then=then, known_by=known_by, what=what)


# 干部AB库: a street's reserve (its tiers, the rule in force) and its cadres; its movements
# and the appointments drawn from it
RESERVE = _on_the_axes(
    {"reserve": reserve_register.reserve_as_of, "cadres": reserve_register.cadres_as_of},
    known_by="reserve",
    what="cadre reserve of town",
)
RESERVE_MOVEMENTS = _on_the_axes(
    {"movements": reserve_register.movements_as_of, "appointments": reserve_register.appointments_as_of},
    known_by="movements",
    what="movement in the cadre reserve of town",
)
# 事项延伸: a town's items extended to communities (with their handled counts), who takes each
# in, and the counts period by period
TOWN_EXTENSIONS = _on_the_axes(
    {
        "items": extension_register.items_as_of,
        "extended": extension_register.town_view(extension_register.extended_as_of),
        "handled": extension_register.town_view(extension_register.handled_as_of),
    },
    known_by="items",
    what="item extended to communities by town",
)


def extensions(
    cur: Any, town: str | None, community: str | None, when: tuple[date, datetime] | None
) -> dict[str, list[dict[str, Any]]]:
    """事项延伸 by community: who takes which item in (of a town, of a community, or all) and
    the counts of cases they handled, as they stand or on the axes `when`."""
    on, known = when or (date.today(), datetime.now(UTC))
    return {
        "extended": extension_register.extended_as_of(cur, town, community, on, known),
        "handled": extension_register.handled_as_of(cur, town, community, on, known),
    }
