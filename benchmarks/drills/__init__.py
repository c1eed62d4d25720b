"""Fault drills (`make drills`): kill, restart, poison and race the workers, then compare
the state (`infra/store/checksum.py`) with a clean run of the same input."""
