"""The terms of the staffing turnover pool (编制周转池): purposes, draws and rule errors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from aggregates.base import RuleViolation

# 重大阶段性任务 / 改善人员结构 / 引进紧缺人才 (seed 000)
PURPOSES = frozenset({"major_task", "structure", "scarce_talent"})


class InvalidPoolDetails(RuleViolation):
    """A capacity or count not above zero, or a name left empty."""


class PoolNotEstablished(RuleViolation):
    """No pool with that code was established."""


class PoolAlreadyEstablished(RuleViolation):
    """The pool code is taken by a pool with other details."""


class CapacityExceeded(RuleViolation):
    """Contributions never exceed the pool's capacity."""


class PurposeNotAllowed(RuleViolation):
    """No draw without an allowed purpose: major task, structure or scarce talent."""


class InvalidDrawTerm(RuleViolation):
    """A draw's term ends after the day it is requested or approved; a renewal extends it."""


class DrawAlreadyRequested(RuleViolation):
    """The draw id is taken by a request with other terms."""


class DrawNotRequested(RuleViolation):
    """No draw with that id was requested from the pool."""


class DrawNotPending(RuleViolation):
    """Only a requested draw is approved or rejected; a decision is final."""


class PoolExhausted(RuleViolation):
    """Available = contributed − outstanding never goes below zero."""


class DrawNotOutstanding(RuleViolation):
    """Only an approved draw with quotas still out is returned or renewed."""


class ReturnBeyondOutstanding(RuleViolation):
    """A return gives back at most what the draw still holds."""


def check(ok: bool, what: str) -> None:
    if not ok:
        raise InvalidPoolDetails(what)


@dataclass(frozen=True)
class PoolDetails:
    name: str
    district: str
    capacity: int

    def __post_init__(self) -> None:
        check(self.capacity > 0, "a pool's capacity is above zero")
        check(bool(self.name.strip() and self.district.strip()), "a pool needs a name and district")


@dataclass(frozen=True)
class DrawTerms:
    """What a town asks for: how many quotas, for which purpose, until which day."""

    town: str
    count: int
    purpose: str
    until: date

    def __post_init__(self) -> None:
        if self.purpose not in PURPOSES:
            raise PurposeNotAllowed(f"{self.purpose!r} is not a purpose of the pool")
        check(self.count > 0 and bool(self.town.strip()), "a draw names a town and a count")


@dataclass(frozen=True)
class Draw:
    id: str
    terms: DrawTerms
    until: date  # the current end of the term, moved by renewals
    status: str = "requested"  # requested | approved | rejected | returned | expired
    outstanding: int = 0
