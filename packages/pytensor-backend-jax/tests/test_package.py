"""The jax backend distribution: installs, imports without JAX, registers its backend and modes."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from pathlib import Path

DIST = "pytensor-backend-jax"
ROOT = Path(__file__).resolve().parents[3]


def test_version_is_the_lockstep_version():
    assert importlib.metadata.version(DIST) == (ROOT / "VERSION").read_text().strip()


def test_import_does_not_load_jax():
    code = (
        "import sys, pytensor.link.jax, pytensor.link.jax._plugin as p; p.register(); "
        "print(any(m == 'jax' or m.startswith('jax.') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_backend_and_mode_entry_points_are_declared():
    eps = importlib.metadata.distribution(DIST).entry_points
    found = {(ep.group, ep.name): ep.value for ep in eps}
    assert found[("pytensor.backends", "jax")] == "pytensor.link.jax:backend"
    assert found[("pytensor.extensions", "jax")] == "pytensor.link.jax._plugin:register"


def test_registry_finds_the_jax_backend_and_it_is_never_the_default():
    from pytensor.link.jax import JAXBackend
    from pytensor.link.registry import default_backend, get_backend

    backend = get_backend("jax")
    assert isinstance(backend, JAXBackend)
    assert backend.priority == -5
    assert backend.extra == "jax"
    assert {"fusion", "inplace"} <= set(backend.excluded_tags)
    assert default_backend().name != "jax"
    assert backend.is_available() == (True, "")


def test_jax_modes_are_registered():
    from pytensor.compile.mode import get_mode
    from pytensor.link.jax import JAXLinker

    for name, checks in (("JAX", True), ("JAX_UNCHECKED", False)):
        mode = get_mode(name)
        assert isinstance(mode.linker, JAXLinker)
        assert mode.provided_optimizer == "fast_run"
        assert mode.linker.options.get("checks", True) is checks


def test_op_status_covers_every_tensor_op():
    """Every Op class of pytensor-tensor has a JAX implementation (some run on the host)."""
    import pytensor.scalar.math as psm
    from pytensor.link.jax import backend
    from pytensor.scalar.basic import ScalarOp
    from pytensor.tensor._shape_calc import ShapedOp
    from pytensor.tensor.elemwise import Elemwise
    from pytensor.tensor.linalg.decomposition.eigen import Eig

    assert backend.op_status(Elemwise) == "native"
    assert backend.op_status(psm.Erf) == "native"
    assert backend.op_status(psm.Kv) == "perform"
    assert backend.op_status(Eig) == "native"

    class NoJax(ScalarOp):
        nin = 1

    assert backend.op_status(NoJax) == "missing"
    assert backend.op_status(ShapedOp) == "missing"
