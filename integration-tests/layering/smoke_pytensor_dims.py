"""Layering smoke test: the pytensor-dims wheel, installed alone, imports."""

from __future__ import annotations

from _smoke import check_environment

check_environment(
    "pytensor-dims", {"pytensor-graph", "pytensor-rewrite", "pytensor-tensor"}, "pytensor.xtensor"
)
