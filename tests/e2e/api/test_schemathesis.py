"""Schemathesis, an outside client built from our OpenAPI document alone, against `govledger
api` as deployed on the demo's data, with every check it has: for a reader, an auditor, an
operator and no token, no answer may break the document (an undocumented status or content
type, a body not of its schema, a valid request refused, an invalid one accepted, a 5xx).
Bounded: a fixed number of examples per operation, deterministic generation."""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from infra.api.access import ROLES, TokenStore
from infra.bootstrap import build_ledger
from infra.settings import Settings
from tests.e2e.test_api_logs import api

EXAMPLES = 12  # per operation and phase: the five roles in about 80 s on two cores


@pytest.fixture(scope="module")
def served(demo_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> object:
    with build_ledger(demo_settings.database_url) as ledger:  # its pool closed with the module
        store = TokenStore(ledger.recorder.datastore)
        tokens = {role: store.issue(f"schemathesis-{role}-{uuid.uuid4().hex[:6]}", role) for role in ROLES}
        log = tmp_path_factory.mktemp("schemathesis") / "api.log"
        with api(demo_settings.database_url, log, GOVLEDGER_API_ACCESS_LOG="false") as port:
            yield port, tokens, ledger


@pytest.mark.slow
@pytest.mark.parametrize("role", [*ROLES, None])
def test_schemathesis_finds_nothing_untrue_in_the_document(
    served: tuple[int, dict[str, str], object], role: str | None, tmp_path: Path
) -> None:
    port, tokens, _ = served
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        f"http://127.0.0.1:{port}/schema/openapi.json",
        "--checks",
        "all",
        "--max-examples",
        str(EXAMPLES),
        "--generation-deterministic",
        "--no-color",
        *(["--header", f"Authorization: Bearer {tokens[role]}"] if role else []),
    ]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=240)

    summary = done.stdout[done.stdout.rfind("SUMMARY") :]
    assert done.returncode == 0, done.stdout[-6000:]
    assert "Failures:" not in summary and "Errors:" not in summary, summary
    selected = re.search(r"Selected: (\d+)/(\d+)", summary)
    tested = re.search(r"Tested: (\d+)", summary)
    assert selected and tested, summary
    assert int(tested.group(1)) == int(selected.group(1)) == int(selected.group(2)) >= 28, summary
