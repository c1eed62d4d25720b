"""Interpreter settings every govledger process runs with."""

from __future__ import annotations

import gc

# The cyclic garbage collector runs after every 700 net allocations by default, and each
# older-generation pass walks the ledger's cache of aggregates and everything a batch
# holds: about a fifth of the intake's time went there. Aggregates and events form few
# cycles, so collecting a hundredfold less often costs little memory.
GC_THRESHOLDS = (50_000, 20, 20)


def tune_garbage_collector() -> None:
    gc.set_threshold(*GC_THRESHOLDS)
