"""The named-dimensions distribution is a skeleton until its issue: check that it installs,
imports, and exposes no API yet."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_version_is_the_lockstep_version():
    assert importlib.metadata.version("pytensor-dims") == (ROOT / "VERSION").read_text().strip()


def test_skeleton_exposes_no_names_yet():
    import pytensor.xtensor

    assert pytensor.xtensor.__all__ == []
    assert importlib.metadata.requires("pytensor-dims") == [
        f"pytensor-tensor=={importlib.metadata.version('pytensor-dims')}"
    ]
