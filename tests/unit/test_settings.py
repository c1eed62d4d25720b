"""Settings from the environment, and back (how `up` and the drills start other processes)."""

from __future__ import annotations

import asyncio
import dataclasses
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import msgspec
import pytest

from consumers.linkage.app import build
from infra.cli.main import main
from infra.settings import ELSEWHERE, ENV, Api, Linkage, Ops, Settings, SettingsError, Topics

ROOT = Path(__file__).resolve().parents[2]


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


def test_the_linkage_recovery_check_is_on_unless_turned_off(tmp_path: Path) -> None:
    """faust's check of the tables' kept offsets against the changelog's end: on by default
    (a real Kafka), off by GOVLEDGER_LINKAGE_RECOVERY_CHECK (the embedded broker)."""
    assert Settings.from_env({}).linkage.recovery_check is True
    off = Settings.from_env({"GOVLEDGER_LINKAGE_RECOVERY_CHECK": "false"})
    assert off.linkage.recovery_check is False

    async def checked(on: bool) -> bool:
        settings = Settings(linkage=Linkage(data_dir=str(tmp_path), recovery_check=on))
        return bool(build(settings, "127.0.0.1:1").app.conf.recovery_consistency_check)

    assert (asyncio.run(checked(True)), asyncio.run(checked(False))) == (True, False)


def refusal(env: dict[str, str]) -> str:
    with pytest.raises(SettingsError) as refused:
        Settings.from_env(env)
    return str(refused.value)


def test_a_clock_other_than_wall_or_ticks_is_refused_naming_the_variable_and_the_allowed_values() -> None:
    """Upper-case "WALL" used to pass, and the linkage then ran with no deadline timer (督办)."""
    message = refusal({"GOVLEDGER_LINKAGE_CLOCK": "WALL"})
    assert "GOVLEDGER_LINKAGE_CLOCK='WALL'" in message
    assert "wall, ticks" in message


@pytest.mark.parametrize(
    ("variable", "value", "allowed"),
    [
        ("GOVLEDGER_LINKAGE_STORE", "disk", "memory, rocksdb"),
        ("GOVLEDGER_LOG_FORMAT", "yaml", "json, text"),
        ("GOVLEDGER_LOG_LEVEL", "LOUD", "DEBUG, INFO, WARNING, ERROR, CRITICAL"),
    ],
)
def test_every_closed_vocabulary_refuses_a_word_outside_it(variable: str, value: str, allowed: str) -> None:
    message = refusal({variable: value})
    assert f"{variable}={value!r}" in message
    assert allowed in message


@pytest.mark.parametrize(
    ("variable", "value", "allowed"),
    [
        ("GOVLEDGER_METRICS_PORT", "65536", "from 0 to 65535"),
        ("GOVLEDGER_API_PORT", "0", "from 1 to 65535"),  # the API must listen somewhere known
        ("GOVLEDGER_API_PORT", "-80", "from 1 to 65535"),
    ],
)
def test_a_port_outside_its_range_is_refused(variable: str, value: str, allowed: str) -> None:
    assert allowed in refusal({variable: value})


def test_a_negative_count_is_refused() -> None:
    message = refusal({"GOVLEDGER_LINKAGE_STANDBY_REPLICAS": "-1"})
    assert "GOVLEDGER_LINKAGE_STANDBY_REPLICAS='-1'" in message
    assert "a whole number >= 0" in message


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("GOVLEDGER_MAX_POLL_RECORDS", "0"),
        ("GOVLEDGER_TOPIC_PARTITIONS", "0"),
        ("GOVLEDGER_API_WORKERS", "0"),
        ("GOVLEDGER_API_PERSONAL_READS_PER_MINUTE", "0"),
    ],
)
def test_a_count_that_must_be_one_or_more_refuses_nought(variable: str, value: str) -> None:
    assert "a whole number >= 1" in refusal({variable: value})


@pytest.mark.parametrize("value", ["lots", "", "12ms", "1_000"])
def test_a_count_that_is_no_number_is_refused(value: str) -> None:
    message = refusal({"GOVLEDGER_MAX_POLL_RECORDS": value})
    assert f"GOVLEDGER_MAX_POLL_RECORDS={value!r} is refused" in message


@pytest.mark.parametrize("value", ["0", "-1", "inf", "nan", "soon"])
def test_a_timeout_is_a_finite_number_of_seconds_above_nought(value: str) -> None:
    assert "a finite number > 0" in refusal({"GOVLEDGER_API_HEADER_TIMEOUT": value})


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("GOVLEDGER_STATE_DIR", ""),
        ("GOVLEDGER_LINKAGE_DISTRICT_CENTRE", ""),
        ("GOVLEDGER_TOPIC_TICKS", "linkage ticks"),
        ("GOVLEDGER_LINKAGE_APP_ID", "govledger/linkage"),
        ("GOVLEDGER_API_READ_PURPOSES", " , "),
    ],
)
def test_a_name_that_is_empty_or_no_kafka_name_is_refused(variable: str, value: str) -> None:
    assert f"{variable}={value!r} is refused" in refusal({variable: value})


@pytest.mark.parametrize(("value", "on"), [("true", True), ("No", False), (" on ", True), ("0", False)])
def test_a_switch_takes_true_false_yes_no_on_off_or_1_0(value: str, on: bool) -> None:
    assert Settings.from_env({"GOVLEDGER_API_ACCESS_LOG": value}).api.access_log is on


@pytest.mark.parametrize("value", ["maybe", "2", ""])
def test_a_switch_refuses_anything_else(value: str) -> None:
    message = refusal({"GOVLEDGER_API_ACCESS_LOG": value})
    assert f"GOVLEDGER_API_ACCESS_LOG={value!r}" in message
    assert "true or false" in message


def test_a_misspelt_variable_is_refused_naming_the_setting_it_is_near() -> None:
    message = refusal({"GOVLEDGER_LINKAGE_CLOKC": "wall"})
    assert message == "unknown setting GOVLEDGER_LINKAGE_CLOKC; did you mean GOVLEDGER_LINKAGE_CLOCK?"


def test_an_unknown_variable_near_no_setting_is_refused_too() -> None:
    assert refusal({"GOVLEDGER_WHATEVER": "1"}).startswith("unknown setting GOVLEDGER_WHATEVER ")


def test_variables_of_other_programs_and_those_read_outside_the_settings_pass() -> None:
    settings = Settings.from_env({"PATH": "/bin", "GOVLEDGERX": "1", **dict.fromkeys(ELSEWHERE, "x")})
    assert settings == Settings()


def test_every_refused_variable_is_named_at_once() -> None:
    env = {"GOVLEDGER_LINKAGE_CLOCK": "WALL", "GOVLEDGER_API_PORT": "x", "GOVLEDGER_NOPE": ""}
    with pytest.raises(SettingsError) as refused:
        Settings.from_env(env)
    first, second, third = refused.value.problems
    assert first.startswith("unknown setting GOVLEDGER_NOPE")
    assert second.startswith("GOVLEDGER_LINKAGE_CLOCK='WALL'")
    assert third.startswith("GOVLEDGER_API_PORT='x'")
    assert str(refused.value) == "; ".join(refused.value.problems)


def test_a_refused_secret_looking_value_is_not_repeated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(ENV, "GOVLEDGER_LINKAGE_SECRET_CLOCK", ("linkage", "clock"))
    message = refusal({"GOVLEDGER_LINKAGE_SECRET_CLOCK": "hunter2"})
    assert "hunter2" not in message
    assert "GOVLEDGER_LINKAGE_SECRET_CLOCK=(7 characters, not shown)" in message


def test_values_inside_every_vocabulary_and_bound_still_parse() -> None:
    settings = Settings.from_env(
        {
            "GOVLEDGER_LINKAGE_CLOCK": "ticks",
            "GOVLEDGER_LINKAGE_STORE": "rocksdb",
            "GOVLEDGER_LINKAGE_CLOCK_INTERVAL_S": "0.25",
            "GOVLEDGER_LINKAGE_STANDBY_REPLICAS": "0",
            "GOVLEDGER_LOG_FORMAT": "text",
            "GOVLEDGER_LOG_LEVEL": "DEBUG",
            "GOVLEDGER_METRICS_PORT": "0",
            "GOVLEDGER_API_PORT": "65535",
            "GOVLEDGER_TOPIC_PARTITIONS": " 3 ",
            "GOVLEDGER_TOPIC_EVENTS": "dc-7.events_v2",
            "GOVLEDGER_API_READ_PURPOSES": "审计核查",
            "GOVLEDGER_DATABASE_URL": "",
        }
    )
    assert (settings.linkage.clock, settings.linkage.store, settings.linkage.clock_interval_s) == (
        "ticks",
        "rocksdb",
        0.25,
    )
    ops = settings.ops
    assert (ops.log_format, ops.log_level, ops.metrics_port) == ("text", "DEBUG", 0)
    assert (settings.api.port, settings.topics.partitions, settings.api.purposes) == (65535, 3, ("审计核查",))


def test_settings_with_other_words_numbers_and_switches_go_through_the_environment_and_back() -> None:
    settings = Settings(
        database_url="postgresql://ledger@db:5432/ledger",
        kafka_bootstrap="k1:9092,k2:9092",
        session_timeout_ms=3000,
        fetch_max_wait_ms=0,
        topics=Topics(commands="c", partitions=1),
        linkage=Linkage(clock="ticks", clock_interval_s=0.5, store="rocksdb", recovery_check=False),
        api=Api(port=1, header_timeout=1.5, access_log=False, read_purposes="a, b"),
        ops=Ops(metrics_port=65535, log_format="text", log_level="CRITICAL"),
    )
    assert Settings.from_env(settings.to_env()) == settings


def test_the_defaults_hold_to_their_own_types() -> None:
    """Every field's default is inside its bounds and vocabulary, and `to_env` writes each
    field as text its type reads back (a field added with a type msgspec cannot read from
    text fails here)."""
    defaults = Settings()
    assert msgspec.convert(msgspec.to_builtins(defaults), Settings) == defaults
    assert Settings.from_env(defaults.to_env()) == defaults


def test_every_field_of_every_section_has_its_one_variable() -> None:
    def leaves(of: Any, section: str = "") -> set[tuple[str, str]]:
        found: set[tuple[str, str]] = set()
        for f in dataclasses.fields(of):
            value = getattr(of, f.name)
            found |= leaves(value, f.name) if dataclasses.is_dataclass(value) else {(section, f.name)}
        return found

    assert sorted(ENV.values()) == sorted(leaves(Settings()))


def test_every_govledger_variable_the_project_names_is_a_setting_or_read_elsewhere() -> None:
    """A variable read with os.environ beside the settings would otherwise be refused as unknown."""
    named: set[str] = set()
    defining = {Path(__file__).resolve(), ROOT / "infra" / "settings.py"}  # misspelt on purpose, or defined
    paths = [ROOT / "README.md"]
    for package in ("aggregates", "contracts", "consumers", "projections", "infra", "tests", "benchmarks"):
        paths += [path for path in (ROOT / package).rglob("*.py") if path.resolve() not in defining]
    for path in paths:
        named |= set(re.findall(r"GOVLEDGER_[A-Z0-9_]*[A-Z0-9]", path.read_text(encoding="utf-8")))
    assert sorted(named - set(ENV) - ELSEWHERE) == []


def test_the_command_line_exits_2_with_one_line_naming_a_refused_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GOVLEDGER_LINKAGE_CLOCK", "WALL")
    assert main(["contracts", "schema"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "govledger: error: GOVLEDGER_LINKAGE_CLOCK='WALL' is refused: it takes one of wall, ticks\n"
    )


def test_the_command_line_process_refuses_a_misspelt_variable_before_doing_anything() -> None:
    env = {"PATH": "/usr/bin:/bin", "GOVLEDGER_LINKAGE_CLOKC": "wall"}
    done = subprocess.run(
        [sys.executable, "-m", "infra.cli.main", "contracts", "schema"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines() == [
        "govledger: error: unknown setting GOVLEDGER_LINKAGE_CLOKC; did you mean GOVLEDGER_LINKAGE_CLOCK?"
    ]


def test_message_ids_are_kept_30_days_and_published_dead_letters_90_and_0_keeps_them_for_ever() -> None:
    defaults = Settings.from_env({})
    assert (defaults.duplicate_window_days, defaults.dead_letter_retention_days) == (30, 90)
    env = {"GOVLEDGER_DUPLICATE_WINDOW_DAYS": "0", "GOVLEDGER_DEAD_LETTER_RETENTION_DAYS": "365"}
    chosen = Settings.from_env(env)
    assert (chosen.duplicate_window_days, chosen.dead_letter_retention_days) == (0, 365)
    for refused in ("-1", "36501", "30d"):
        message = refusal({"GOVLEDGER_DUPLICATE_WINDOW_DAYS": refused})
        assert "a whole number of days from 0 (kept for ever) to 36500" in message
