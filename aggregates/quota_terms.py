"""The terms of a quota ledger (编制台账): its vocabularies, counts, approvals and rule errors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from aggregates.base import Context, RuleViolation

LEVELS = frozenset({"district", "town"})  # 区级机关、部门 / 镇街
KINDS = ("administrative", "institutional", "auxiliary")  # 行政编制 / 事业编制 / 编外
LEADERSHIP = "leadership"  # 中层领导职数, managed as one total (总量管理)
PLAN_KINDS = frozenset({"administrative", "institutional"})  # 用编计划; 编外 has its own 用工计划


class InvalidQuotaDetails(RuleViolation):
    """Level or kind outside the vocabulary, a count not above zero, a name left empty."""


class QuotaLedgerNotOpened(RuleViolation):
    """No ledger was opened for that unit (one opened only by an incoming transfer counts
    as not opened until its own opening arrives)."""


class QuotaLedgerAlreadyOpened(RuleViolation):
    """The unit's ledger is open with another name, level or district."""


class DocumentNumberRequired(RuleViolation):
    """核定 and transfers of quotas cite the document (文号) that decides them."""


class OccupiedAboveApproved(RuleViolation):
    """实有人员不得超过核定编制: occupied never exceeds approved, after any change."""


class VacatedAboveOccupied(RuleViolation):
    """More people cannot leave a kind of quota than occupy it."""


class ReverseAdjustmentNotApproved(RuleViolation):
    """逆向调整: moving quotas from a town back up to district organs needs an approval."""


class UnitLevelMismatch(RuleViolation):
    """A transfer names the receiving unit's level, which must be the level of its ledger."""


class TransferPredatesApproval(RuleViolation):
    """A transfer takes effect after the source's last 核定 of that kind, which it would
    otherwise silently undo."""


class ApprovalSuperseded(RuleViolation):
    """A 核定 effective before the one in force is history, not a change."""


class PlanAboveVacancies(RuleViolation):
    """用编计划 fills vacancies: the plan cannot exceed approved minus occupied."""


def check(ok: bool, what: str) -> None:
    if not ok:
        raise InvalidQuotaDetails(what)


def require_document(ctx: Context) -> None:
    if not (ctx.document_no and ctx.document_no.strip()):
        raise DocumentNumberRequired("核定 and transfers cite a document number (文号)")


def ensure_within(approved: int, occupied: int, what: str) -> None:
    if occupied > approved:
        raise OccupiedAboveApproved(f"{what}: {occupied} occupied, {approved} approved")


@dataclass(frozen=True)
class LedgerDetails:
    name: str
    district: str

    def __post_init__(self) -> None:
        check(bool(self.name.strip() and self.district.strip()), "a ledger needs name and district")


@dataclass(frozen=True)
class TransferApproval:
    """The body approving a reverse adjustment (e.g. 区委编委) and its document number."""

    body: str
    document_no: str

    def __post_init__(self) -> None:
        check(bool(self.body.strip() and self.document_no.strip()), "an approval names body and 文号")


@dataclass(frozen=True)
class Count:
    """One kind of quota. `figure` is the last 核定, in force from `fixed_on`; `moves` are the
    transfers (+ in, − out) by effective day. A 核定 on day D covers every move effective up
    to D, so a transfer arriving from another partition adds to the total only when it
    takes effect later: the outcome does not depend on which arrives first."""

    kind: str
    figure: int = 0
    fixed_on: date | None = None
    occupied: int = 0
    moves: tuple[tuple[date, int], ...] = ()

    def approved_with(self, figure: int, fixed_on: date | None,
                      moves: tuple[tuple[date, int], ...] = ()) -> int:
        later = (n for on, n in (*self.moves, *moves) if fixed_on is None or on > fixed_on)
        return figure + sum(later)

    @property
    def approved(self) -> int:
        return self.approved_with(self.figure, self.fixed_on)

    @property
    def available(self) -> int:
        return self.approved - self.occupied
