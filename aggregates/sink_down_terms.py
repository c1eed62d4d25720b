"""The terms of a sink-down transfer: its vocabularies, details, persons and rule errors."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from aggregates.base import RuleViolation

MODES = frozenset({"full", "stationed", "liaison"})  # 全面下放 / 进驻（区属镇用） / 挂点联系
RANKS = frozenset({"division", "deputy_division", "section", "deputy_section"})  # 处/副处/科/副科
ADJUSTMENTS = frozenset({"recall", "return", "rotate"})  # 召回 / 退回 / 轮换
ENDED = {"recall": "recalled", "return": "returned", "rotate": "rotated"}  # a member's status after


class InvalidSinkDownDetails(RuleViolation):
    """Mode, rank or adjustment outside the vocabulary, a field left empty, no persons, or a
    person named twice in one transfer."""


class TransferAlreadyProposed(RuleViolation):
    """The transfer code is taken by a transfer with other details or other persons."""


class TransferNotProposed(RuleViolation):
    """No sink-down transfer with that code was proposed."""


class TransferVetoed(RuleViolation):
    """反向否决权: the town vetoed the transfer, which is closed; propose anew under a new code."""


class NotAwaitingConsultation(RuleViolation):
    """The town consents or vetoes once, while the transfer is proposed (征求意见)."""


class TownConsentRequired(RuleViolation):
    """A transfer takes effect only after the town consented, on or after that day."""


class NotInEffect(RuleViolation):
    """Adjustments apply only to a transfer in effect."""


class PersonNotServing(RuleViolation):
    """The person is not (or no longer) sunk down with this transfer."""


class PersonAlreadyInTransfer(RuleViolation):
    """A rotation brings in someone new: the replacement is not a member of the transfer yet."""


class AdjustmentWithoutTownConsent(RuleViolation):
    """调整进驻干部均事先征求镇街意见: adjusting a stationed person needs the town's prior
    agreement to that adjustment of that person."""


def _check(ok: bool, what: str) -> None:
    if not ok:
        raise InvalidSinkDownDetails(what)


@dataclass(frozen=True)
class TransferDetails:
    department: str
    town: str
    mode: str
    team: str  # the receiving team, e.g. the street's 综合行政执法队

    def __post_init__(self) -> None:
        _check(self.mode in MODES, f"unknown sink-down mode {self.mode!r}")
        _check(all(v.strip() for v in (self.department, self.town, self.team)), "empty field")


@dataclass(frozen=True)
class Person:
    """A person by pseudonymous staffing-system id; name, ID number and phone only sealed."""

    person: str
    post: str
    enforcement: bool  # holds an enforcement post (执法岗位)
    rank: str | None = None  # cadre rank (职级), if any
    sealed: str | None = None  # the vault's token of the personal data, never clear text

    def __post_init__(self) -> None:
        _check(bool(self.person.strip() and self.post.strip()), "a person needs an id and a post")
        _check(self.rank is None or self.rank in RANKS, f"unknown rank {self.rank!r}")

    def unsealed(self) -> Person:
        """The person without the token: a re-sent command seals anew, with another token."""
        return replace(self, sealed=None)


@dataclass(frozen=True)
class Member:
    """A person's part in a transfer: proposed, sunk (since), or recalled/returned/rotated."""

    person: Person
    status: str = "proposed"
    since: date | None = None
    until: date | None = None
    replaces: str | None = None
    replaced_by: str | None = None


def check_persons(persons: tuple[Person, ...]) -> None:
    ids = [p.person for p in persons]
    _check(bool(ids), "a transfer moves at least one person")
    _check(len(ids) == len(set(ids)), "a person is named twice in one transfer")


def check_adjustment(kind: str) -> None:
    _check(kind in ADJUSTMENTS, f"unknown adjustment {kind!r}")
