"""Checks shared by the layering smoke scripts (run by ``nox -s layering``).

Each ``smoke_<dist>.py`` runs in a fresh environment holding one distribution's
wheel and its declared dependencies only, with the expected version as argv[1].
"""

from __future__ import annotations

import importlib
import importlib.metadata
import sys

__all__ = ["INTERNAL", "check_environment", "expected_version"]

INTERNAL = {
    "pytensor",
    "pytensor-graph",
    "pytensor-rewrite",
    "pytensor-tensor",
    "pytensor-backend-numba",
    "pytensor-backend-c",
    "pytensor-backend-jax",
    "pytensor-dims",
}


def expected_version() -> str:
    if len(sys.argv) != 2:
        sys.exit(f"usage: python {sys.argv[0]} <expected version>")
    return sys.argv[1]


def _canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def check_environment(dist: str, internal_deps: set[str], subpackage: str) -> None:
    """Assert the installed internal distributions and versions, then import ``subpackage``."""
    version = expected_version()
    installed = {
        _canonical(d.metadata["Name"])
        for d in importlib.metadata.distributions()
        if _canonical(d.metadata["Name"]) in INTERNAL
    }
    assert installed == {dist} | internal_deps, f"{dist}: unexpected set {sorted(installed)}"
    for name in installed:
        found = importlib.metadata.version(name)
        assert found == version, f"{name} is {found}, expected {version}"
    importlib.import_module("pytensor.graph")
    importlib.import_module(subpackage)
    print(f"{dist} {version}: {subpackage} imports alone")
