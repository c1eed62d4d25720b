"""Answers kept while the read models stand still: composed once per key, even when many
requests ask at once; the oldest dropped past the size."""

from __future__ import annotations

import threading
import time

from infra.api.cache import Answers


def test_an_answer_is_composed_once_per_key_and_kept_encoded() -> None:
    answers, calls = Answers(), []

    def compose(n: int) -> dict[str, int]:
        calls.append(n)
        return {"n": n}

    assert answers.encoded(("2021-12-01", 10), lambda: compose(1)) == b'{"n":1}'
    assert answers.encoded(("2021-12-01", 10), lambda: compose(2)) == b'{"n":1}'
    assert answers.encoded(("2021-12-01", 11), lambda: compose(3)) == b'{"n":3}'  # a projection moved
    assert calls == [1, 3] and answers.composed == 2


def test_requests_that_come_while_it_is_composed_wait_for_it() -> None:
    answers, calls = Answers(), []

    def slow() -> list[int]:
        calls.append(1)
        time.sleep(0.05)
        return [1]

    found: list[bytes] = []
    threads = [threading.Thread(target=lambda: found.append(answers.encoded("k", slow))) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert calls == [1] and found == [b"[1]"] * 20


def test_past_its_size_the_oldest_answer_goes() -> None:
    answers = Answers(size=2)
    for key in ("a", "b", "c"):
        answers.encoded(key, lambda key=key: key)
    answers.encoded("a", lambda: "again")

    assert answers.composed == 4  # "a" had gone and was composed again
