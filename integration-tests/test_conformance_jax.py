"""The conformance suite on the JAX backend (see ``conformance/``)."""

from __future__ import annotations

import pytest
from conformance import BackendConformance

from pytensor.compile.mode import Mode

_DATA_DEPENDENT = (
    "JAX compiles for fixed shapes and this output's shape depends on the values of a runtime "
    "float or matrix input: compiling raises StaticValueError naming the Op and the input"
)

#: Cases JAX cannot run by design (not bugs): outputs whose shape depends on input values.
JAX_CANNOT = {
    "AdvancedSubtensor/mask": _DATA_DEPENDENT,
    "unique/plain": _DATA_DEPENDENT,
    "unique/axis": _DATA_DEPENDENT,
    "unique/empty": _DATA_DEPENDENT,
    "nonzero/matrix": _DATA_DEPENDENT,
    "flatnonzero/vector": _DATA_DEPENDENT,
}


@pytest.mark.jax
class TestJAXNoRewrites(BackendConformance):
    """Every Op as built, each through its ``jax_funcify`` implementation, under one ``jax.jit``."""

    mode = Mode(linker="jax", optimizer=None)
    known_failures = JAX_CANNOT


@pytest.mark.jax
class TestJAXMode(BackendConformance):
    """The ``"JAX"`` mode: the fast_run rewrites without fusion and in-place rewrites."""

    mode = "JAX"
    known_failures = JAX_CANNOT
