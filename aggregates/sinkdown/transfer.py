"""力量下沉 — staff moved from a district department to a town, consulted, in force, adjusted."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from aggregates.base import Context, RuleViolation, natural_id, require_reason

if TYPE_CHECKING:
    from aggregates.base import DecoratedCreated, DecoratedEvent

# The terms of a sink-down transfer: its vocabularies, details, persons and rule errors.


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


_check = InvalidSinkDownDetails.check


@dataclass(frozen=True)
class TransferDetails:
    department: str
    town: str
    mode: str
    team: str  # the receiving team, e.g. the street's 综合行政执法队

    def __post_init__(self) -> None:
        _check(
            self.mode in MODES,
            f"a sink-down from {self.department} to {self.town} in mode {self.mode!r}: the mode is one of "
            f"{', '.join(sorted(MODES))}",
        )
        _check(
            all(v.strip() for v in (self.department, self.town, self.team)),
            f"a sink-down from {self.department!r} to {self.town!r} into team {self.team!r}: its department, "
            "town and team are each stated",
        )


@dataclass(frozen=True)
class Person:
    """A person by pseudonymous staffing-system id; name, ID number and phone only sealed."""

    person: str
    post: str
    enforcement: bool  # holds an enforcement post (执法岗位)
    rank: str | None = None  # cadre rank (职级), if any
    sealed: str | None = None  # the vault's token of the personal data, never clear text

    def __post_init__(self) -> None:
        _check(
            bool(self.person.strip() and self.post.strip()),
            f"a sunk-down person {self.person!r} on post {self.post!r}: a person names its staffing-system "
            "id and its post",
        )
        _check(
            self.rank is None or self.rank in RANKS,
            f"person {self.person} of rank {self.rank!r}: the rank is one of {', '.join(sorted(RANKS))}, or "
            "none",
        )

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
    _check(bool(ids), "a sink-down that names no person: it moves at least one")
    twice = sorted({i for i in ids if ids.count(i) > 1})
    _check(not twice, f"a sink-down naming {', '.join(twice)} more than once: name each person once")


def check_adjustment(kind: str) -> None:
    _check(
        kind in ADJUSTMENTS,
        f"an adjustment {kind!r} of a sunk-down person: the adjustment is one of "
        f"{', '.join(sorted(ADJUSTMENTS))}",
    )


class SinkDownTransfer(Aggregate):
    """力量下沉 — proposed → consulted (consent, or 反向否决权 veto) → effective → per person
    recalled, returned or rotated. Members and consents are tuples replaced whole."""

    @staticmethod
    def create_id(code: str) -> UUID:
        return natural_id("sinkdown", code)

    @event("Proposed")
    def __init__(
        self, code: str, details: TransferDetails, persons: tuple[Person, ...], ctx: Context
    ) -> None:
        self.code, self.details, self.status = code, details, "proposed"
        self.members: tuple[Member, ...] = tuple(Member(p) for p in persons)
        self.consulted_on: date | None = None
        self.effective_on: date | None = None
        self.consents: tuple[tuple[str, str, date], ...] = ()  # (person, adjustment, agreed on)

    def same_filing(self, details: TransferDetails, persons: tuple[Person, ...]) -> bool:
        proposed = tuple(m.person.unsealed() for m in self.members if m.replaces is None)
        return self.details == details and proposed == tuple(p.unsealed() for p in persons)

    def member(self, person: str) -> Member | None:
        return next((m for m in self.members if m.person.person == person), None)

    def _refuse_if_vetoed(self) -> None:
        if self.status == "vetoed":
            raise TransferVetoed(
                f"{self.details.town} vetoed sink-down {self.code} on {self.consulted_on}: it is closed; "
                "propose it anew under a new code"
            )

    def consent(self, ctx: Context) -> None:
        self._refuse_if_vetoed()
        if self.status == "proposed":
            self._town_consented(on=ctx.effective_on, ctx=ctx)

    @event("TownConsented")
    def _town_consented(self, on: date, ctx: Context) -> None:
        self.status, self.consulted_on = "consented", on

    def veto(self, ctx: Context) -> None:
        if self.status not in ("proposed", "vetoed"):
            raise NotAwaitingConsultation(
                f"vetoing sink-down {self.code}: it is {self.status} ({self.details.town} consented on "
                f"{self.consulted_on}); the town consents or vetoes once, while it is proposed"
            )
        if self.status == "proposed":
            require_reason(ctx, "vetoing a sink-down")
            self._town_vetoed(on=ctx.effective_on, ctx=ctx)

    @event("TownVetoed")
    def _town_vetoed(self, on: date, ctx: Context) -> None:
        self.status, self.consulted_on = "vetoed", on

    def ensure_can_take_effect(self, on: date) -> None:
        self._refuse_if_vetoed()
        if self.consulted_on is None:
            raise TownConsentRequired(
                f"making sink-down {self.code} effective on {on}: {self.details.town} has not consented; "
                "send sinkdown.consent first"
            )
        if on < self.consulted_on:
            raise TownConsentRequired(
                f"making sink-down {self.code} effective on {on}: {self.details.town} consented on "
                f"{self.consulted_on}; it can take effect from {self.consulted_on} on"
            )

    def take_effect(self, ctx: Context) -> None:
        if self.status != "effective":
            self.ensure_can_take_effect(ctx.effective_on)
            self._took_effect(on=ctx.effective_on, ctx=ctx)

    @event("TookEffect")
    def _took_effect(self, on: date, ctx: Context) -> None:
        self.status, self.effective_on = "effective", on
        self.members = tuple(replace(m, status="sunk", since=on) for m in self.members)

    def _serving(self, person: str, on: date) -> None:
        if self.status != "effective":
            raise NotInEffect(
                f"adjusting {person} in sink-down {self.code}: it is {self.status}; adjustments apply once "
                "it "
                "is in effect (sinkdown.make_effective)"
            )
        found = self.member(person)
        if found is None or found.status != "sunk" or on < (found.since or on):
            why = (
                "is not a member of it"
                if found is None
                else f"was {found.status} on {found.until}"
                if found.status != "sunk"
                else f"serves with it from {found.since}"
            )
            serving = ", ".join(m.person.person for m in self.members if m.status == "sunk") or "no one"
            raise PersonNotServing(
                f"adjusting {person} in sink-down {self.code} on {on}: {person} {why}; serving with it: "
                f"{serving}"
            )

    def consult_adjustment(self, person: str, kind: str, agreed: bool, ctx: Context) -> None:
        """征求镇街意见 on adjusting one person: the town agrees, or opposes with a reason."""
        check_adjustment(kind)
        self._serving(person, ctx.effective_on)
        if not agreed:
            require_reason(ctx, "opposing an adjustment")
        self._adjustment_consulted(person=person, kind=kind, agreed=agreed, on=ctx.effective_on, ctx=ctx)

    @event("AdjustmentConsulted")
    def _adjustment_consulted(self, person: str, kind: str, agreed: bool, on: date, ctx: Context) -> None:
        """The town's latest opinion on adjusting the person is the one that counts."""
        kept = tuple(c for c in self.consents if c[0] != person)
        self.consents = (*kept, (person, kind, on)) if agreed else kept

    def ensure_adjustable(self, person: str, kind: str, on: date, by: str | None = None) -> bool:
        """Whether the adjustment is still to do (False: it was done already, identically)."""
        done = self.member(person)
        if done is not None and (done.status, done.replaced_by) == (ENDED[kind], by):
            return False
        self._serving(person, on)
        agreed = any((p, k) == (person, kind) and d <= on for p, k, d in self.consents)
        if self.details.mode == "stationed" and not agreed:
            raise AdjustmentWithoutTownConsent(
                f"the {kind} of {person} in stationed sink-down {self.code} on {on}: {self.details.town} has "
                "not agreed to it by then; send sinkdown.consult_adjustment with the town's agreement first"
            )
        return True

    def adjust(self, person: str, kind: str, ctx: Context, replacement: Person | None = None) -> None:
        """召回 recall, 退回 return, or 轮换 rotate (one person out, the replacement in)."""
        check_adjustment(kind)
        rotation = replacement if kind == "rotate" else None
        if kind == "rotate" and rotation is None:
            raise InvalidSinkDownDetails(
                f"rotating {person} out of sink-down {self.code} with no replacement: name the replacement"
            )
        by = None if rotation is None else rotation.person
        if not self.ensure_adjustable(person, kind, ctx.effective_on, by):
            return
        if by is not None and self.member(by) is not None:
            raise PersonAlreadyInTransfer(
                f"rotating {person} out of sink-down {self.code}: the replacement {by} is already a member "
                "of "
                "it; name someone new"
            )
        require_reason(ctx, f"the {kind} of a sunk-down person")
        on = ctx.effective_on
        if rotation is not None:
            self._rotated(person=person, replacement=rotation, on=on, ctx=ctx)
        else:
            (self._recalled if kind == "recall" else self._returned)(person=person, on=on, ctx=ctx)

    @event("Recalled")
    def _recalled(self, person: str, on: date, ctx: Context) -> None:
        self._end(person, "recalled", on, None)

    @event("Returned")
    def _returned(self, person: str, on: date, ctx: Context) -> None:
        self._end(person, "returned", on, None)

    @event("Rotated")
    def _rotated(self, person: str, replacement: Person, on: date, ctx: Context) -> None:
        self._end(person, "rotated", on, replacement.person)
        self.members = (*self.members, Member(replacement, "sunk", on, replaces=person))

    def _end(self, person: str, status: str, on: date, by: str | None) -> None:
        self.members = tuple(
            replace(m, status=status, until=on, replaced_by=by) if m.person.person == person else m
            for m in self.members
        )
        self.consents = tuple(c for c in self.consents if c[0] != person)

    if TYPE_CHECKING:  # the event classes that the @event methods above define at class creation
        Proposed = DecoratedCreated
        TownConsented = TownVetoed = TookEffect = AdjustmentConsulted = Recalled = Returned = DecoratedEvent
        Rotated = DecoratedEvent
