"""Layering smoke test: the pytensor-rewrite wheel, installed alone, imports."""

from __future__ import annotations

from _smoke import check_environment

check_environment("pytensor-rewrite", {"pytensor-graph"}, "pytensor.graph.rewriting")
