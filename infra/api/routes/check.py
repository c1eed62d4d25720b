"""The dry run (试运行) over the API: an upstream system checks a batch of commands before it
publishes them — what the intake would do with each, saving nothing (consumers/dry_run.py).

For `sender` tokens (and operators). The body is a JSON array of commands, each element
exactly as it would be published (a JSON-lines file is its lines joined by commas inside
brackets); at most `MAX_COMMANDS` commands and `MAX_BODY` bytes, else 413. The run only
reads the live store (nothing the intake's writes wait for) and runs off the event loop.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Annotated, Any

import anyio
import msgspec
from litestar import Request, Response, post
from litestar.exceptions import ValidationException
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.openapi.spec import (
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Reference,
    RequestBody,
    Schema,
)
from litestar.params import QueryParameter

from consumers import dry_run
from consumers.intake import CommandDecoder
from infra import contexts
from infra.api import problems
from infra.api.access import OPERATOR, SENDER, allow
from infra.kafka import clients as kafka
from infra.settings import Settings, Topics

MAX_COMMANDS = 1000
MAX_BODY = 1024 * 1024
TOO_LARGE = "Content Too Large"
_elements = msgspec.json.Decoder(list[msgspec.Raw])

EmptyLedger = Annotated[
    bool,
    QueryParameter(
        description="true: against an empty ledger (in memory) rather than the current one",
    ),
]


class Checked(msgspec.Struct):
    """The dry run's answer: against which ledger, whether the batch would go through whole
    (every command applied, or ignored as a duplicate), the totals, and each command's verdict
    in the order sent (`line` counts from 1)."""

    ledger: str  # "current" or "empty"
    passes: bool
    totals: dict[str, int]  # lines, applied, refused, dead-lettered, duplicate, events
    results: list[dry_run.Verdict]


@dataclass
class _Documented(Operation):
    """The operation as the document shows it: the body the handler reads itself, and 413."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            required=True,
            description=f"a JSON array of at most {MAX_COMMANDS} commands, {MAX_BODY} bytes in all"
            " (beyond either, 413: a bound of the service, so not in the schema, whose violations"
            " are 400); each element is checked as the intake reads a message (the commands' JSON"
            " Schema: `govledger contracts schema`), and one that is not a command is answered as"
            " its dead letter would be, not refused",
            content={
                "application/json": OpenAPIMediaType(schema=Schema(type=OpenAPIType.ARRAY, items=Schema()))
            },
        )
        self.responses = {
            **(self.responses or {}),
            "413": OpenAPIResponse(
                description=f"{TOO_LARGE}: more than {MAX_COMMANDS} commands or {MAX_BODY} bytes",
                content={
                    problems.MEDIA_TYPE: OpenAPIMediaType(
                        schema=Reference(ref="#/components/schemas/Problem")
                    )
                },
            ),
        }


def _too_large(request: Request, exc: RequestEntityTooLarge) -> Response[dict[str, Any]]:
    return problems.problem(request, 413, TOO_LARGE, exc.detail)


@post(
    "/api/v1/check",
    status_code=200,
    request_max_body_size=MAX_BODY,
    exception_handlers={RequestEntityTooLarge: _too_large},
    operation_class=_Documented,
    **allow(SENDER, OPERATOR),
)
async def check(request: Request, empty: EmptyLedger = False) -> Response[Checked]:
    """试运行 — what the intake would do with each command of the batch, were it published now:
    `applied`, `refused` (the refusal kept as evidence, and the sender told), `dead-lettered`
    (with the rule and the error its dead letter would carry; a message that does not decode
    too), or `duplicate` (its message id already in the ledger, or earlier in the batch). The
    commands run in order, each seeing what the earlier ones did, against the current ledger
    (or, with `empty=true`, an empty one); nothing is saved, and the ledger is only read, with
    nothing its writers wait for."""
    try:
        body = await request.body()
    except RequestEntityTooLarge as error:
        raise RequestEntityTooLarge(f"the body is over {MAX_BODY} bytes") from error
    try:
        elements = _elements.decode(body)
    except (msgspec.DecodeError, msgspec.ValidationError) as error:
        raise ValidationException(f"the body is not a JSON array of commands: {error}") from error
    if len(elements) > MAX_COMMANDS:
        raise RequestEntityTooLarge(f"{len(elements)} commands; at most {MAX_COMMANDS} a request")
    state = request.app.state
    run = functools.partial(_run, state.ledger, state.settings, [bytes(e) for e in elements], empty)
    verdicts = await anyio.to_thread.run_sync(run)
    found = Checked(
        "empty" if empty else "current", dry_run.passes(verdicts), dry_run.totals(verdicts), verdicts
    )
    return Response(found, media_type="application/json", headers={"Cache-Control": "no-store"})


def _run(ledger: Any, settings: Settings, commands: list[bytes], empty: bool) -> list[dry_run.Verdict]:
    batch = dry_run.records(
        enumerate(commands, start=1),
        functools.partial(kafka.command_topic, topics=settings.topics),
        kafka.command_key,
    )
    against = dry_run.empty(contexts.GovernanceLedger) if empty else ledger
    return dry_run.check(against, contexts.COMMANDS, _decoder(settings.topics), batch)


@functools.cache
def _decoder(topics: Topics) -> CommandDecoder:
    """The intake's decoder for the deployment's topics, made once (it compiles every contract)."""
    return contexts.decoder(topics)


ROUTES = [check]
