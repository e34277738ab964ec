"""Layering smoke test: the pytensor-backend-numba wheel, installed alone, imports."""

from __future__ import annotations

from _smoke import check_environment

check_environment(
    "pytensor-backend-numba",
    {"pytensor-graph", "pytensor-rewrite", "pytensor-tensor"},
    "pytensor.link.numba",
)
