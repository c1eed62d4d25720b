"""Fixtures of the end-to-end tests: a demo applied in memory."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import in_memory


@pytest.fixture(scope="module")
def applied(commands: list[Any]) -> tuple[Any, list[tuple[Any, str]]]:
    """The test module's demo `commands` applied in order to an in-memory ledger: the ledger,
    and the commands it refused with their rules."""
    return in_memory(commands)
