"""The pytensor-backend-c distribution: version, cheap import, entry points and the "C" mode."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from pathlib import Path

DIST = "pytensor-backend-c"
ROOT = Path(__file__).resolve().parents[3]


def test_version_is_the_lockstep_version():
    assert importlib.metadata.version(DIST) == (ROOT / "VERSION").read_text().strip()


def test_import_does_not_load_cffi_nor_the_dispatch_registry():
    code = (
        "import sys, pytensor.link.c; "
        "print(any(m == 'cffi' or m.startswith('cffi.') for m in sys.modules), "
        "'pytensor.link.c.dispatch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_backend_and_mode_entry_points_are_declared():
    eps = importlib.metadata.distribution(DIST).entry_points
    backends = {ep.name: ep.value for ep in eps if ep.group == "pytensor.backends"}
    extensions = {ep.name: ep.value for ep in eps if ep.group == "pytensor.extensions"}
    assert backends == {"c": "pytensor.link.c:backend"}
    assert extensions == {"c": "pytensor.link.c._plugin:register"}


def test_registry_finds_the_c_backend():
    from pytensor.link.c import CBackend, CLinker
    from pytensor.link.registry import get_backend, installed_backends

    assert "c" in installed_backends()
    backend = get_backend("c")
    assert isinstance(backend, CBackend)
    assert backend.name == "c" and backend.extra == "c"
    assert isinstance(backend.make_linker(), CLinker)


def test_mode_c_is_registered_with_fast_run_rewrites():
    from pytensor.compile.mode import get_mode

    mode = get_mode("C")
    assert mode.linker.name == "c"
    assert mode.provided_optimizer == "fast_run"


def test_op_status_reports_native_and_perform():
    from pytensor.compile.ops import DeepCopyOp
    from pytensor.graph.op import Op
    from pytensor.link.c import backend
    from pytensor.tensor.elemwise import Elemwise

    class NoCode(Op):
        __props__ = ()

        def perform(self, node, inputs, outputs):  # pragma: no cover - never run
            outputs[0][0] = inputs[0]

    class NoPerform(Op):
        __props__ = ()

    assert backend.op_status(Elemwise) == "native"
    assert backend.op_status(DeepCopyOp) == "native"
    assert backend.op_status(NoCode) == "perform"
    assert backend.op_status(NoPerform) == "missing"
