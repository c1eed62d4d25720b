"""An open-loop HTTP/1.1 load generator on asyncio streams (no HTTP library in the way).

Request i is due at start + i / rate whatever happened to the ones before it, and its
latency runs from that scheduled moment to the last byte of its answer, so time spent
queueing — in the server, or waiting for a free connection here — counts (no coordinated
omission). Keep-alive connections are reused; a new one is opened when none is idle, up to
`connections`. Debian packages wrk 4 only, which is closed-loop (no fixed rate): hence this.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import psutil

from benchmarks.figures import percentiles

IDLE_S = 2.0  # keep-alive connections idle longer than this are not reused


@dataclass
class Outcome:
    label: str
    due: float  # loop time the request was scheduled for
    latency_ms: float
    status: int | str  # the HTTP status, or the error that left no answer (e.g. "TimeoutError")


@dataclass
class Run:
    outcomes: list[Outcome] = field(default_factory=list)
    send_lag_ms: float = 0.0  # the latest a request left after its scheduled moment
    seconds: float = 0.0  # from the first scheduled moment to the last answer


def request(path: str, headers: dict[str, str]) -> bytes:
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def _answer(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response; its status and whether the connection stays open."""
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower()
    status = int(head[9:12])
    fields = dict(line.split(":", 1) for line in head.split("\r\n")[1:] if ":" in line)
    length = fields.get("content-length")
    if length is not None:
        await reader.readexactly(int(length))
    elif "chunked" in fields.get("transfer-encoding", ""):
        while size := int((await reader.readline()).split(b";")[0], 16):
            await reader.readexactly(size + 2)
        await reader.readline()
    return status, "close" not in fields.get("connection", "")


class Client:
    def __init__(self, port: int, connections: int = 128, timeout: float = 10.0) -> None:
        self.port, self.timeout = port, timeout
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter, float]] = []  # and since when
        self.slots = asyncio.Semaphore(connections)

    async def _connection(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        """The most recently used idle connection, else a new one. One idle longer than
        IDLE_S is closed instead: the server may be closing it (uvicorn after 5 s)."""
        now = asyncio.get_running_loop().time()
        while self.idle:
            reader, writer, since = self.idle.pop()
            if now - since < IDLE_S:
                return reader, writer
            writer.close()
        return await asyncio.open_connection("127.0.0.1", self.port)

    async def exchange(self, raw: bytes) -> int | str:
        """The answer's status, or the name of the error that left none."""
        async with self.slots:
            conn = None
            try:
                conn = await self._connection()
                conn[1].write(raw)
                status, keep = await asyncio.wait_for(_answer(conn[0]), self.timeout)
            except (
                TimeoutError,
                OSError,
                asyncio.IncompleteReadError,
                asyncio.LimitOverrunError,
                ValueError,
            ) as error:
                if conn is not None:
                    conn[1].close()
                return type(error).__name__
            if keep:
                self.idle.append((*conn, asyncio.get_running_loop().time()))
            else:
                conn[1].close()
            return status

    def close(self) -> None:
        for _reader, writer, _since in self.idle:
            writer.close()
        self.idle.clear()


async def drive(
    port: int, requests: list[tuple[str, bytes]], rate: float, seconds: float, connections: int = 128
) -> Run:
    """Send `rate` requests a second for `seconds`, taking `requests` (label, raw) in turn."""
    loop, client, run = asyncio.get_running_loop(), Client(port, connections), Run()

    async def one(label: str, raw: bytes, due: float) -> None:
        status = await client.exchange(raw)
        run.outcomes.append(Outcome(label, due, (loop.time() - due) * 1000, status))

    start, tasks = loop.time() + 0.05, []
    for i in range(int(rate * seconds)):
        due = start + i / rate
        if (wait := due - loop.time()) > 0:
            await asyncio.sleep(wait)
        run.send_lag_ms = max(run.send_lag_ms, (loop.time() - due) * 1000)
        label, raw = requests[i % len(requests)]
        tasks.append(asyncio.create_task(one(label, raw, due)))
    await asyncio.gather(*tasks)
    run.seconds = loop.time() - start
    client.close()
    return run


async def burst(port: int, requests: list[tuple[str, bytes]], total: int, concurrency: int) -> Run:
    """Closed loop: `concurrency` clients, each sending its next request as soon as its last
    is answered, `total` requests in all (taking `requests` in turn); latency from each
    request's sending to its answer's last byte."""
    loop, client, run = asyncio.get_running_loop(), Client(port, concurrency), Run()
    sent = iter(range(total))

    async def one_client() -> None:
        for i in sent:
            label, raw = requests[i % len(requests)]
            at = loop.time()
            status = await client.exchange(raw)
            run.outcomes.append(Outcome(label, at, (loop.time() - at) * 1000, status))

    start = loop.time()
    await asyncio.gather(*(one_client() for _ in range(concurrency)))
    run.seconds = loop.time() - start
    client.close()
    return run


def summary(run: Run) -> dict[str, Any]:
    """Percentiles overall and per label, errors (any answer but 200, by kind), the achieved rate."""
    by_label: dict[str, list[Outcome]] = {}
    for o in run.outcomes:
        by_label.setdefault(o.label, []).append(o)

    def figures_of(outcomes: list[Outcome]) -> dict[str, Any]:
        return {
            **percentiles([o.latency_ms for o in outcomes]),
            "requests": len(outcomes),
            "errors": sum(o.status != 200 for o in outcomes),
        }

    failed = Counter(str(o.status) for o in run.outcomes if o.status != 200)
    return {
        **figures_of(run.outcomes),
        "achieved_per_s": round(len(run.outcomes) / run.seconds, 1),
        "client_send_lag_max_ms": round(run.send_lag_ms, 2),
        "errors_by_kind": dict(failed),
        "endpoints": {label: figures_of(found) for label, found in by_label.items()},
    }


def measure(
    port: int, requests: list[tuple[str, bytes]], rate: float, seconds: float, server_pid: int
) -> dict[str, Any]:
    """`drive` and its `summary`, with the CPU the server and this client used meanwhile (cores)."""
    return measured(drive(port, requests, rate, seconds), server_pid)


def measure_burst(
    port: int, requests: list[tuple[str, bytes]], total: int, concurrency: int, server_pid: int
) -> dict[str, Any]:
    """`burst` and its `summary`, with the CPU the server and this client used meanwhile."""
    return measured(burst(port, requests, total, concurrency), server_pid)


def measured(load: Any, server_pid: int) -> dict[str, Any]:
    """The run's summary, with the CPU (cores) the server (its worker processes included) and
    this client used meanwhile."""
    server_process = psutil.Process(server_pid)
    servers, client = [server_process, *server_process.children(recursive=True)], psutil.Process()
    cpu = lambda processes: sum(sum(p.cpu_times()[:2]) for p in processes)
    started, before = time.perf_counter(), (cpu(servers), cpu([client]))
    found = summary(asyncio.run(load))
    wall = time.perf_counter() - started
    server, client_cores = (round((cpu(ps) - b) / wall, 2) for ps, b in zip((servers, [client]), before))
    return {**found, "server_cpu_cores": server, "client_cpu_cores": client_cores}
