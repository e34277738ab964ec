"""The jax backend distribution is a skeleton until its issue: check that it installs,
imports without pulling in its heavy dependency, and registers no backend yet."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from pathlib import Path

DIST = "pytensor-backend-jax"
ROOT = Path(__file__).resolve().parents[3]


def test_version_is_the_lockstep_version():
    assert importlib.metadata.version(DIST) == (ROOT / "VERSION").read_text().strip()


def test_import_does_not_load_the_heavy_dependency():
    code = (
        "import sys, pytensor.link.jax; "
        "print(any(m == 'jax' or m.startswith('jax.') for m in sys.modules if m != 'pytensor.link.jax'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_no_backend_is_registered_before_it_is_implemented():
    eps = importlib.metadata.entry_points(group="pytensor.backends")
    assert "jax" not in {ep.name for ep in eps}
    dist_eps = importlib.metadata.distribution(DIST).entry_points
    assert not [ep for ep in dist_eps if ep.group == "pytensor.backends"]
