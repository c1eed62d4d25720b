"""The linkage worker's heartbeat beats from the event loop itself: it goes on while a
coroutine waits (a table's recovery, during which faust runs no timer) and stops when the
loop is blocked."""

from __future__ import annotations

import asyncio
import time

from infra.ops.observability import Heartbeat
from infra.ops.observers import beat_while_the_loop_turns


def test_beats_while_the_loop_waits_on_something_else() -> None:
    heartbeat = Heartbeat(stale_after=0.3)
    loop = asyncio.new_event_loop()
    try:
        heartbeat.last -= 10  # stale before the loop runs
        assert not heartbeat.alive()
        beat_while_the_loop_turns(loop, heartbeat, every=0.05)
        loop.run_until_complete(asyncio.sleep(0.5))  # a long await: nothing else beats
        assert heartbeat.alive() and heartbeat.age() < 0.2
    finally:
        loop.close()


def test_stops_beating_when_the_loop_is_blocked() -> None:
    heartbeat = Heartbeat(stale_after=0.2)
    loop = asyncio.new_event_loop()

    async def blocked() -> bool:
        await asyncio.sleep(0.1)
        time.sleep(0.4)  # the loop does not turn
        return heartbeat.alive()

    try:
        beat_while_the_loop_turns(loop, heartbeat, every=0.05)
        assert loop.run_until_complete(blocked()) is False
    finally:
        loop.close()
