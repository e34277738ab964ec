"""Layering smoke test: the pytensor-tensor wheel, installed alone, imports."""

from __future__ import annotations

from _smoke import check_environment

check_environment("pytensor-tensor", {"pytensor-graph", "pytensor-rewrite"}, "pytensor.tensor")
