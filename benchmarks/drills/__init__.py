"""Fault drills (`make drills`): kill, restart, poison and race the workers, then compare
the state (`infra/checksum.py`) with a clean run of the same input."""
