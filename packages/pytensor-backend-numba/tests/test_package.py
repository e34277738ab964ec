"""The numba backend distribution: metadata, entry points, lazy import, mode and coverage status."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from pathlib import Path

from pytensor.compile.mode import get_mode
from pytensor.link.registry import get_backend

DIST = "pytensor-backend-numba"
ROOT = Path(__file__).resolve().parents[3]


def test_version_is_the_lockstep_version():
    assert importlib.metadata.version(DIST) == (ROOT / "VERSION").read_text().strip()


def test_import_does_not_load_the_heavy_dependency():
    code = (
        "import sys, pytensor.link.numba, pytensor.link.numba._plugin as p; p.register(); "
        "print(any(m == 'numba' or m.startswith('numba.') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_entry_points_register_the_backend_and_the_mode():
    eps = importlib.metadata.distribution(DIST).entry_points
    groups = {(ep.group, ep.name): ep.value for ep in eps}
    assert groups[("pytensor.backends", "numba")] == "pytensor.link.numba:backend"
    assert groups[("pytensor.extensions", "numba")] == "pytensor.link.numba._plugin:register"
    backend = get_backend("numba")
    assert backend.name == "numba" and backend.extra == "numba"
    assert backend.is_available() == (True, "")
    mode = get_mode("NUMBA")
    assert mode.linker.name == "numba"
    assert mode.provided_optimizer == "fast_run"


def test_op_status_follows_the_registry():
    from pytensor.graph.op import Op
    from pytensor.tensor.elemwise import CAReduce, DimShuffle, Elemwise

    backend = get_backend("numba")
    for cls in (Elemwise, CAReduce, DimShuffle):
        assert backend.op_status(cls) == "native"

    class Unknown(Op):
        __props__ = ()

    assert backend.op_status(Unknown) == "missing"
