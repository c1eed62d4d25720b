"""The routing catalogue as every linkage worker reads it: the powers and duties event
topics in full, on a real broker, outside the consumer group."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date

from kafka import KafkaAdminClient, KafkaProducer
from kafka.admin import NewTopic

from consumers.linkage.app import Catalogue, catalogue_group
from infra.ops.linkage_process import committed
from tests.integration.intake.published import holding, item, raw, reported


def test_the_catalogue_is_ready_once_read_to_the_end_and_keeps_following(broker: str) -> None:
    tag = uuid.uuid4().hex[:8]
    powers, duties, group = (
        f"catalogue.{tag}.powers",
        f"catalogue.{tag}.duties",
        catalogue_group(f"test-{tag}"),
    )
    admin = KafkaAdminClient(bootstrap_servers=broker)
    admin.create_topics([NewTopic(powers, 3, 1), NewTopic(duties, 2, 1)])
    admin.close()
    producer = KafkaProducer(bootstrap_servers=broker, acks="all")
    before = [item(f"P{i}", "CG") for i in range(30)] + [
        holding(f"P{i}", "T1", date(2021, 6, 1)) for i in range(30)
    ]
    for n, event in enumerate(before):
        producer.send(powers, key=str(n % 7).encode(), value=raw(event))
    report = reported("C1", "T1", item="P1")  # on the catalogue's topic, but not the catalogue's
    producer.send(powers, key=b"C1", value=raw(report))
    producer.flush()

    async def scenario() -> tuple[dict, int, dict]:
        catalogue = Catalogue()
        reader = asyncio.create_task(catalogue.follow(broker, [powers, duties], group))
        await asyncio.wait_for(catalogue.ready.wait(), 60)
        at_ready = {k: v for k, v in catalogue.routes.items()}
        read_at_ready = catalogue.read
        producer.send(powers, key=b"P99", value=raw(item("P99", "SJ")))
        producer.flush()
        for _ in range(200):
            if "item:P99" in catalogue.routes:
                break
            await asyncio.sleep(0.05)
        later = dict(catalogue.routes)
        await asyncio.sleep(1.0)  # the reader commits when it falls idle
        reader.cancel()
        try:
            await reader
        except asyncio.CancelledError:
            pass
        return at_ready, read_at_ready, later

    at_ready, read_at_ready, later = asyncio.run(scenario())
    producer.close()
    assert read_at_ready == 60 and len(at_ready) == 30  # everything published before, nothing else
    assert at_ready["item:P7"]["department"] == "CG" and at_ready["item:P7"]["holdings"] == {
        "T1": [["2021-06-01", None]]
    }
    assert later["item:P99"]["department"] == "SJ"  # followed after ready
    assert committed(broker, group)[powers] == 62  # its positions, under its own group
