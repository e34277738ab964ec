"""Layering smoke test: the pytensor-backend-c wheel, installed alone, imports."""

from __future__ import annotations

from _smoke import check_environment

check_environment(
    "pytensor-backend-c",
    {"pytensor-graph", "pytensor-rewrite", "pytensor-tensor"},
    "pytensor.link.c",
)
