"""The linkage end to end on a real broker and PostgreSQL: upstream reports a case → the
intake records it → the relay publishes it → the faust worker routes it by the live
delegations → the dispatch comes back through the intake → the town resolves, the citizen
is satisfied → the deadline clock supervises what is late → metrics on their topic."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import timedelta
from functools import partial

import msgspec
from kafka import KafkaConsumer

from contracts.linkage import commands as c
from contracts.linkage.metrics import PartyDay
from infra import bootstrap
from infra.contexts import FAMILIES
from infra.kafka import clients as kafka
from infra.kafka.relay import Relay, relay_producer
from infra.ops.linkage_process import LinkageProcess, caught_up, pump, tick
from infra.settings import Linkage
from projections.linkage.cases import cases
from tests.support import CASES_T0 as T0
from tests.support import case_command, declare, delegate, encoded, isolated_settings, mid, register

TOWN = "T1"
_case = partial(case_command, "e2e")


def _metrics(broker: str, topic: str, until, timeout: float = 60) -> dict[str, PartyDay]:
    """The latest record per party and day on the metrics topic, read until `until` holds."""
    consumer = KafkaConsumer(
        topic, bootstrap_servers=broker, auto_offset_reset="earliest", consumer_timeout_ms=int(timeout * 1000)
    )
    latest: dict[str, PartyDay] = {}
    for record in consumer:
        day = msgspec.json.decode(record.value, type=PartyDay)
        latest[f"{day.party}/{day.day}"] = day
        if until(latest):
            break
    consumer.close()
    return latest


def test_a_case_is_routed_by_the_live_delegations_resolved_and_counted(database_url, broker, tmp_path):
    settings = dataclasses.replace(
        isolated_settings(), linkage=Linkage(app_id=f"test-linkage-{uuid.uuid4().hex[:8]}", clock="ticks")
    )
    ledger = bootstrap.build_ledger(database_url)
    worker = bootstrap.build_intake_worker(ledger, broker, settings)
    topics = settings.topics.event_topics(list(FAMILIES))
    kafka.ensure_topics(
        broker, settings, extra=[*topics.values(), settings.topics.metrics, settings.topics.ticks]
    )
    relay, runner = (
        Relay(ledger, relay_producer(broker, settings), topics),
        bootstrap.build_projections(ledger, settings),
    )
    producer = kafka.producer(broker, settings)

    def send(commands):
        for key, value in encoded(commands):
            producer.send(kafka.command_topic(value, settings.topics), key=key, value=value)
        producer.flush()

    def register_of(code, department):
        command = register(code, mid(f"e2e/register/{code}"))
        return msgspec.structs.replace(
            command, payload=msgspec.structs.replace(command.payload, department=department)
        )

    def register_of_cases():
        runner.catch_up()
        with ledger.recorder.datastore.transaction(commit=False) as cur:
            return {row["number"]: row for row in cases(cur)}

    send([register_of("P1", "CG"), register_of("P2", "SJ"), declare(), *delegate("P1", TOWN)])
    reports = [
        _case(c.ReportCase, 0, c.CaseReport(case="C1", source="grid", town=TOWN, item="P1")),
        _case(c.ReportCase, 0.1, c.CaseReport(case="C2", source="hotline", town=TOWN, item="P2")),
        _case(c.ReportCase, 0.2, c.CaseReport(case="C3", source="grid", town=TOWN, category="noise")),
    ]
    with LinkageProcess(settings, broker, tmp_path / "linkage.log") as linkage:
        # the reports go out once the worker has read every delegation event relayed so far
        assert pump(
            worker,
            relay,
            lambda: relay.stats.published > 0 and caught_up(broker, settings, relay),
            120,
            linkage,
        )
        send(reports)
        assert pump(
            worker,
            relay,
            lambda: (
                all(r["status"] == "dispatched" for r in register_of_cases().values())
                and len(register_of_cases()) == 3
            ),
            120,
            linkage,
        ), (tmp_path / "linkage.log").read_text()[-3000:]
        routed = register_of_cases()
        assert (routed["C1"]["lead"], routed["C1"]["basis"]) == (TOWN, "delegated")
        assert (routed["C2"]["lead"], routed["C2"]["cooperating"]) == ("SJ", [TOWN])
        assert (routed["C3"]["lead"], routed["C3"]["basis"]) == (TOWN, "town_daily")

        send(
            [
                _case(c.SignForCase, 0.3, c.PartyAct(case="C1", party=TOWN)),
                _case(c.ResolveCase, 20, c.Resolution(case="C1", party=TOWN, outcome="resolved")),
                _case(c.CloseCase, 26, c.Closing(case="C1", satisfaction="satisfied")),
            ]
        )
        assert pump(
            worker,
            relay,
            lambda: register_of_cases()["C1"]["status"] == "closed" and caught_up(broker, settings, relay),
            120,
            linkage,
        )
        assert all(register_of_cases()[n]["supervisions"] == 0 for n in ("C2", "C3"))

        def supervised_once() -> bool:
            """C2 and C3 supervised once each; until then the clock is told the time again: a
            tick repeated changes nothing (the clock sends a command once, the intake drops
            a duplicate), so supervisions must stay at one however many ticks arrive."""
            if all(register_of_cases()[n]["supervisions"] == 1 for n in ("C2", "C3")):
                return True
            tick(producer, settings, T0 + timedelta(hours=26))  # a day later: C2, C3 never signed for
            return False

        assert pump(worker, relay, supervised_once, 120, linkage), (tmp_path / "linkage.log").read_text()[
            -3000:
        ]
        pump(worker, relay, lambda: False, 3, linkage)  # whatever ticks were still on their way
        assert all(register_of_cases()[n]["supervisions"] == 1 for n in ("C2", "C3"))
        wanted = {
            f"{TOWN}/2021-12-02": "closed",
            f"{TOWN}/2021-12-01": "signed_on_time",
            "SJ/2021-12-02": "supervised",
        }
        published = _metrics(
            broker,
            settings.topics.metrics,
            until=lambda got: all(
                key in got and getattr(got[key].counts, counter) for key, counter in wanted.items()
            ),
        )
    worker.consumer.close()

    closing_day = published[f"{TOWN}/2021-12-02"]
    assert (closing_day.counts.closed, str(closing_day.rates.satisfaction)) == (1, "1.0000")
    assert published[f"{TOWN}/2021-12-01"].counts.signed_on_time == 1
    assert published["SJ/2021-12-02"].counts.supervised == 1  # C2's department missed sign-for
