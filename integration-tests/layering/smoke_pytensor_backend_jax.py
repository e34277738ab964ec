"""Layering smoke test: the pytensor-backend-jax wheel, installed alone, imports."""

from __future__ import annotations

from _smoke import check_environment

check_environment(
    "pytensor-backend-jax",
    {"pytensor-graph", "pytensor-rewrite", "pytensor-tensor"},
    "pytensor.link.jax",
)
