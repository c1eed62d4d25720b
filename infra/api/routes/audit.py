"""Audit (auditors only): an entity's trail, the hash chain's verdict and digest, the refused
push-downs, and personal data — each personal read recorded before anything is answered."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from litestar import Request, Response, get
from litestar.exceptions import NotFoundException, ValidationException
from litestar.params import FromPath, QueryParameter

from aggregates.base import Context
from infra.api.access import AUDITOR, allow
from infra.api.answers import Page, TrailEntry
from infra.api.paging import answer
from infra.api.queries import TEXT, Code, Filter, Paging, reading, unknown
from infra.api.scope import Attribution
from infra.store import audit_trail
from infra.store import chain as chain_verify
from infra.store import vault as personal_data
from infra.store.chain import Digest
from projections.duties import refused

AUDITORS = allow(AUDITOR)
SYSTEM = "govledger-api"
Purpose = Annotated[
    str,
    QueryParameter(
        min_length=1,
        max_length=500,
        pattern=TEXT,
        description="why the data is read, one of the purposes the deployment allows"
        " (GOVLEDGER_API_READ_PURPOSES); recorded with the read",
    ),
]
DigestText = Annotated[
    str | None,
    QueryParameter(
        max_length=200,
        pattern=r"^[0-9]{1,18}:[0-9a-fA-F]{64}$",
        description="a digest kept outside (POSITION:SHA256HEX): prove nothing before it changed since",
    ),
]


@get("/api/v1/audit/trail/{entity:path}", sync_to_thread=True, **AUDITORS)
def trail(request: Request, entity: FromPath[Path], paging: Paging) -> Response[Page[TrailEntry]]:
    """审计轨迹 — every event of one entity, in order: who (actor, role, system), when it took
    effect and when it was recorded, why, the document and the ids. The entity is an aggregate
    id or a natural key as the command line takes it (`town/JB-CICHENG`,
    `personal-record/AN-P0001`). 404 when the entity has no events."""
    text = str(entity).strip("/")
    try:
        entity_id = audit_trail.entity_id(text)
    except ValueError as e:
        raise ValidationException(str(e)) from e
    entries = audit_trail.trail(request.app.state.ledger, entity_id)
    if not entries:
        raise unknown(f"event of entity {text!r}")
    return answer(request, paging.page(entries))


@get("/api/v1/audit/verify", sync_to_thread=True, **AUDITORS)
def verify(request: Request, digest: DigestText = None) -> Response[Any]:
    """核验 — recomputes the hash chain over the whole log; `ok` false names the first bad
    record (`bad_position`, `problem`, `event`). With a digest kept outside, the chain must
    also pass through it."""
    try:
        kept = Digest.parse(digest) if digest else None
    except ValueError as e:
        raise ValidationException(f"digest: {e}") from e
    ledger = request.app.state.ledger
    verdict = chain_verify.verify(ledger.recorder.datastore, ledger.recorder.events_table_name, kept)
    return answer(request, verdict.answer())


@get("/api/v1/audit/digest", sync_to_thread=True, **AUDITORS)
def digest(request: Request) -> Response[Any]:
    """The log's digest as it stands (position and link), for an auditor to keep outside;
    null when the log is empty."""
    head = chain_verify.head(request.app.state.ledger.recorder.datastore)
    return answer(request, chain_verify.digest_answer(head))


@get(
    "/api/v1/audit/refused-pushdowns",
    sync_to_thread=True,
    **allow(AUDITOR, scope=Attribution(towns=("town",), departments=("department",))),
)
def refused_pushdowns(
    request: Request, department: Filter = None, town: Filter = None, *, paging: Paging
) -> Response[Page[dict[str, Any]]]:
    """部门擅自甩责 — push-downs of duties never admitted, oldest first, kept as evidence."""
    with reading(request) as cur:
        rows = refused.refused_pushdowns(cur, department, town)
    return answer(request, paging.page(rows))


@get("/api/v1/people/{person:str}", sync_to_thread=True, **AUDITORS)
def person(request: Request, person: Code, purpose: Purpose) -> Response[Any]:
    """A person's personal data (name, ID number, phone). The read — who (the token's name),
    role, system, purpose, which fields, found or not — is recorded as an event of the
    person's record before anything is answered; a read that finds nothing, once per token,
    person and day. 404 when erased or never given; 429 (with Retry-After) past the reads a
    token may make a minute."""
    purposes = request.app.state.settings.api.purposes
    if purpose not in purposes:
        raise ValidationException(f"purpose: one of {', '.join(purposes)}")
    principal = request.state.principal
    ctx = Context(principal.name, AUDITOR, SYSTEM, str(uuid.uuid4()), datetime.now(UTC), reason=purpose)
    found = personal_data.show(request.app.state.ledger, ctx, person, purpose)
    if found is None:
        raise NotFoundException(
            f"no personal data of {person!r} (erased or never given); the read was recorded"
        )
    response = answer(request, {"person": person, "data": found})
    response.headers["Cache-Control"] = "no-store"
    return response


ROUTES = [trail, verify, digest, refused_pushdowns, person]
