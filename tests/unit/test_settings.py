"""Settings from the environment, and back (how `up` and the drills start other processes)."""

from __future__ import annotations

from infra.settings import Settings


def test_every_setting_goes_through_the_environment_and_back() -> None:
    settings = Settings.from_env(
        {
            "GOVLEDGER_FETCH_MAX_WAIT_MS": "10",
            "GOVLEDGER_MAX_POLL_RECORDS": "7",
            "GOVLEDGER_TOPIC_DEADLETTERS": "dlq",
            "GOVLEDGER_API_PORT": "9000",
        }
    )
    assert (settings.fetch_max_wait_ms, settings.max_poll_records) == (10, 7)
    assert (settings.topics.dead_letters, settings.api.port) == ("dlq", 9000)
    assert Settings.from_env(settings.to_env()) == settings


def test_the_intake_fetch_wait_is_short_by_default() -> None:
    assert Settings.from_env({}).fetch_max_wait_ms == 50
