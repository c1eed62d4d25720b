"""The intake's tests run an intake worker on the test's database and the shared broker."""

from __future__ import annotations

import pytest

from tests.support import Intake, isolated_settings


@pytest.fixture
def intake(database_url: str, broker: str) -> Intake:
    """An intake on the test's database and the shared broker, with topics and a group of its own."""
    return Intake(database_url, broker, isolated_settings())
