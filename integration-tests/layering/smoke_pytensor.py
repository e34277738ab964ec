"""Smoke test of the pytensor meta wheel: the user API is importable with its layers."""

from __future__ import annotations

from _smoke import check_environment

check_environment("pytensor", {"pytensor-graph", "pytensor-rewrite", "pytensor-tensor"}, "pytensor")

import pytensor  # noqa: E402

assert callable(pytensor.function), pytensor.function
print("pytensor: pytensor.function is available")
