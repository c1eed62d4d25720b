"""What every aggregate shares: the audit context each event carries, the rule errors, and the
guards of an entry of a list."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from inspect import signature
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID, uuid5

from eventsourcing.persistence import Transcoding

if TYPE_CHECKING:
    from eventsourcing.domain import Aggregate

NAMESPACE = UUID("6f1c2b1e-3d0a-5e7b-9c4d-2a8f0e6b7c51")
CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "CST")


def days_from(day: date, days: int) -> date:
    """`day` moved by `days`, held within the calendar (0001-01-01 to 9999-12-31): a window
    that would reach past either end of it ends there."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


@lru_cache(maxsize=1 << 16)
def natural_id(kind: str, *parts: str) -> UUID:
    """A deterministic id from a natural key, so a retried command finds the same aggregate."""
    return uuid5(NAMESPACE, "/".join((kind, *parts)))


@dataclass(frozen=True)
class Context:
    """Who acted, in which role and system, when it takes effect, why, and on which message.

    Every event carries one; the event's own timestamp is when it was recorded.
    """

    actor: str
    role: str
    system: str
    message_id: str
    effective_at: datetime
    correlation_id: str | None = None
    causation_id: str | None = None
    reason: str | None = None
    document_no: str | None = None

    @property
    def effective_on(self) -> date:
        """The calendar day (China Standard Time) on which the act takes effect."""
        return self.effective_at.astimezone(CHINA_STANDARD_TIME).date()


if TYPE_CHECKING:
    # The library defines an aggregate's event classes when the class is created, one per
    # `@event("Name")` method, so the type checker cannot see them. Each aggregate names its
    # events as these in an `if TYPE_CHECKING:` block closing its body (nothing changes at run
    # time), so that `Delegation.Approved` type-checks everywhere and a misspelt name does not.

    class DecoratedEvent(Aggregate.Event):
        """An event class an `@event` method defines; its fields (the method's parameters)
        read as Any."""

        def __getattr__(self, name: str) -> Any: ...

    class DecoratedCreated(DecoratedEvent, Aggregate.Created):
        """The event class an `@event` `__init__` defines."""


class RuleViolation(Exception):
    """A command that breaks a rule of the domain; the class name names the rule."""

    @property
    def rule(self) -> str:
        return type(self).__name__

    @classmethod
    def check(cls, ok: bool, what: str) -> None:
        """Unless `ok`, raise this rule, saying `what` broke it."""
        if not ok:
            raise cls(what)


class ReasonRequired(RuleViolation):
    """The act needs a stated reason (recall, transfer, retirement, rejection, amendment)."""


def require_reason(ctx: Context, act: str) -> None:
    if not (ctx.reason and ctx.reason.strip()):
        raise ReasonRequired(f"{act} needs a reason")


class DocumentNumberRequired(RuleViolation):
    """An act a document decides cites that document (文号): a 核定 or transfer of quotas, an
    appointment drawn from a cadre reserve, a public recruitment of community workers."""


def require_document(ctx: Context, rule: type[RuleViolation], message: str) -> None:
    """Unless the act cites its document (the envelope's `document_no`, 文号), raise `rule`
    (DocumentNumberRequired, or a context's own) with `message`."""
    if not (ctx.document_no and ctx.document_no.strip()):
        raise rule(message)


class ListEntry:
    """The guards of an entry of a list (the power catalogue, a district's list): amended and
    retired, each for a stated reason; retiring twice records nothing.

    Mixed in before `Aggregate`. The aggregate keeps its own `@event` methods `_amended` and
    `_retired` (the library names an event after the class that defines its method), says
    what it is (`entry`, for the reason's message) and raises its own rule when retired.
    """

    entry: ClassVar[str]  # e.g. "a power item"
    retired: bool

    def _refuse_if_retired(self) -> None:
        raise NotImplementedError

    def _ensure_amendable(self, ctx: Context) -> None:
        self._refuse_if_retired()
        require_reason(ctx, f"amending {self.entry}")

    def retire(self, ctx: Context) -> None:
        if self.retired:
            return
        require_reason(ctx, f"retiring {self.entry}")
        self._retired(ctx=ctx)

    if TYPE_CHECKING:  # each aggregate's own `@event("Retired")` method

        def _retired(self, ctx: Context) -> None: ...


DatedFigures = tuple[tuple[date, int], ...]  # (day, figure) pairs, one a day, by day


def figure_changes(figures: DatedFigures, figure: int, ctx: Context, what: str) -> bool:
    """Whether `figure` on the act's effective day changes `figures`: the same figure again
    records nothing; another for a day already given corrects it, for a stated reason."""
    current = dict(figures).get(ctx.effective_on)
    if current == figure:
        return False
    if current is not None:
        require_reason(ctx, f"correcting {what} of {ctx.effective_on} ({current})")
    return True


def with_figure(figures: DatedFigures, on: date, figure: int) -> DatedFigures:
    """`figures` with `figure` on `on`, replacing the day's figure if it had one."""
    return tuple(sorted((*(pair for pair in figures if pair[0] != on), (on, figure))))


class _DataclassAsDict(Transcoding):
    def __init__(self, cls: type) -> None:
        self.type = cls
        self.name = cls.__name__
        self._names = tuple(f.name for f in fields(cls))
        # With every field written, the object is built directly and its __post_init__ (if
        # any) called, as the generated __init__ would, without a call per field (Context is
        # in every event). Only when __init__ takes the fields and nothing else (no InitVar,
        # no field left out of it) and the object has a __dict__.
        direct = tuple(signature(cls).parameters) == self._names and "__slots__" not in vars(cls)
        self._every_field = frozenset(self._names) if direct else None
        self._post_init = getattr(cls, "__post_init__", None)

    def encode(self, obj: Any) -> dict[str, Any]:
        return {name: getattr(obj, name) for name in self._names}

    def decode(self, data: dict[str, Any]) -> Any:
        if self._every_field is not None and data.keys() == self._every_field:
            obj: Any = object.__new__(self.type)
            obj.__dict__.update(data)
            if self._post_init is not None:
                self._post_init(obj)
            return obj
        return self.type(**data)


class _DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


def transcodings(*value_classes: type) -> list[Transcoding]:
    """Transcodings for the context, calendar dates and the given frozen dataclasses."""
    return [_DateAsISO(), _DataclassAsDict(Context)] + [_DataclassAsDict(cls) for cls in value_classes]
