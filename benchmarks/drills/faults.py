"""Bad messages for drill (c), each with the rule the intake must dead-letter it under:
malformed, oversized, wrongly typed, of an unknown version, or breaking a rule."""

from __future__ import annotations

import random

import msgspec

from infra.kafka import clients as kafka
from tests.support import mid, propose, register

Message = tuple[bytes | None, bytes]
OVERSIZED = 300 * 1024  # above the intake's 256 KiB limit


def _malformed(n: int) -> bytes:
    return b'{"type": "item.register", "message_id": "drill-bad-%d", "payload": {"code": ' % n


def _wrongly_typed(n: int) -> bytes:
    command = msgspec.to_builtins(register(f"BAD{n:05d}", mid(f"drill/typed/{n}")))
    command["payload"]["code"] = n  # a number where a code belongs
    return msgspec.json.encode(command)


def _unknown_version(n: int) -> bytes:
    command = msgspec.to_builtins(register(f"BAD{n:05d}", mid(f"drill/version/{n}")))
    return msgspec.json.encode({**command, "version": 99})


def _rule_breaking(n: int) -> bytes:
    """A delegation of an item never catalogued: refused, and nothing of it is stored."""
    command = propose(f"NOTCAT{n:05d}", "DT0000", "DRILL")
    return msgspec.json.encode(msgspec.structs.replace(command, message_id=mid(f"drill/rule/{n}")))


def _oversized(n: int) -> bytes:
    value = _wrongly_typed(n)
    return value[:-1] + b', "padding": "' + b"x" * OVERSIZED + b'"}'


KINDS = [
    (_malformed, "MalformedMessage", 30),
    (_wrongly_typed, "MalformedMessage", 25),
    (_unknown_version, "UnsupportedVersion", 20),
    (_rule_breaking, "ItemNotCatalogued", 24),
    (_oversized, "MessageTooLarge", 1),
]


def bad_messages(count: int) -> dict[bytes, str]:
    """`count` distinct bad messages (their bytes) and the rule each one breaks."""
    mix = [(build, rule) for build, rule, share in KINDS for _ in range(share)]
    return {build(n): rule for n in range(count) for build, rule in [mix[n % len(mix)]]}


def mixed(good: list[Message], bad: dict[bytes, str], seed: int = 11) -> list[Message]:
    """The bad messages spread at random among the good ones (whose order is kept)."""
    rng = random.Random(seed)
    slots = sorted(rng.randrange(len(good) + 1) for _ in bad)
    out, taken = [], 0
    for at, value in zip(slots, bad):
        out += good[taken:at]
        out.append((kafka.command_key(value), value))
        taken = at
    return out + good[taken:]
