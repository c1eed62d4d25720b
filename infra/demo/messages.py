"""The demo's one sender: every scenario's upstream commands as Kafka (key, value) messages.

A command's envelope is made here and nowhere else. Its message id is a uuid5 of the
scenario's namespace and the command's natural key — (*before, its type tag, *what), joined
by "/" — so publishing the demo again yields the same ids and the intake drops the second
copy as duplicates. A day without a time means 09:00 China Standard Time. A command sent
on a chain is caused by the one sent on that chain before it; its correlation id is the
uuid5 of the natural key it is correlated by. Effective date, reason, 文号 and the other
envelope fields go through as given; a sender's defaults apply where a send says nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

import msgspec

from contracts.envelope import Actor

CST = timezone(timedelta(hours=8))
BIANZHI = "机构编制管理系统"
Message = tuple[bytes | None, bytes]
Key = str | Callable[[bytes], bytes | None]  # the key itself, or how to find it in the value
Natural = str | tuple[str, ...]


def namespace(scope: str) -> UUID:
    """The namespace of one scenario's message ids, e.g. `namespace("duties")`."""
    return uuid5(NAMESPACE_URL, f"https://govledger.example/demo/{scope}")


def bianban(district: str, system: str = BIANZHI) -> Actor:
    """The district's 编办, acting through the staffing system unless told otherwise."""
    return Actor(id=f"{district}-bianban", role="编办", system=system)


def at_nine(day: date | str) -> datetime:
    """09:00 China Standard Time on the day (a date or "YYYY-MM-DD")."""
    return datetime.combine(date.fromisoformat(day) if isinstance(day, str) else day, time(9), CST)


class Sender:
    """Emits one scenario's commands into `out`, in publishing order.

    `actor`, `key`, `chain`, `correlation` and any envelope field given here (`document_no`,
    …) are defaults for every `send`; `key` may be a function of the encoded command
    (`kafka.command_key`) instead of the key itself.
    """

    def __init__(
        self,
        scope: str | UUID,
        out: list[Message] | None = None,
        *,
        actor: Actor | None = None,
        key: Key | None = None,
        chain: str | None = None,
        correlation: Natural | None = None,
        **envelope: Any,
    ) -> None:
        self.namespace = scope if isinstance(scope, UUID) else namespace(scope)
        self.out: list[Message] = [] if out is None else out
        self.actor, self.key, self.chain, self.correlation = actor, key, chain, correlation
        self.envelope = envelope
        self.last: dict[str, str] = {}  # chain -> id of the latest message sent on it

    def id(self, *parts: str) -> str:
        """The deterministic id of a natural key in this scenario's namespace."""
        return str(uuid5(self.namespace, "/".join(parts)))

    def send(
        self,
        cls: type,
        payload: Any,
        *what: str,
        at: datetime | date | str,
        actor: Actor | None = None,
        key: Key | None = None,
        chain: str | None = None,
        correlation: Natural | None = None,
        before: tuple[str, ...] = (),
        **envelope: Any,
    ) -> str:
        """Append the command `cls` carrying `payload` as a (key, value) message; return its id."""
        message_id = self.id(*before, cls.__struct_config__.tag, *what)  # type: ignore[attr-defined]  # cls: a tagged Struct
        chain, correlation = chain or self.chain, correlation or self.correlation
        if isinstance(correlation, str):
            correlation = (correlation,)
        command = cls(
            message_id=message_id,
            occurred_at=at if isinstance(at, datetime) else at_nine(at),
            actor=actor or self.actor,
            correlation_id=self.id(*correlation) if correlation else None,
            causation_id=self.last.get(chain) if chain else None,
            payload=payload,
            **{**self.envelope, **envelope},
        )
        value = msgspec.json.encode(command)
        key = key or self.key
        if key is None:
            raise ValueError(f"no partition key for {cls.__name__}")
        self.out.append((key.encode() if isinstance(key, str) else key(value), value))
        if chain:
            self.last[chain] = message_id
        return message_id

    def send_dated(self, cls: type, day: str, payload: Any, **envelope: Any) -> str:
        """A command named by its day and its encoded payload, sent at 09:00 that day (the
        quota ledgers' and the pool's: their payloads are their natural keys)."""
        return self.send(cls, payload, day, msgspec.json.encode(payload).decode(), at=day, **envelope)
