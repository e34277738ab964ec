"""The scalar C kernels inside compiled C functions (Elemwise and fused Composite loops):
no node falls back to ``perform`` and the values match the Python backend."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.compile.mode import Mode
from pytensor.link.c.linker import link_info

pytestmark = pytest.mark.c

PY = Mode(linker="py", optimizer=None)
MODES = {
    "no-rewrites": Mode(linker="c", optimizer=None),
    "fast_run": Mode(linker="c", optimizer="fast_run"),
}
RNG = np.random.default_rng(42)


def _ints(n: int = 64) -> tuple[np.ndarray, np.ndarray]:
    x = RNG.integers(-50, 50, n).astype("int32")
    y = RNG.integers(-5, 5, n).astype("int32")
    return x, y


def _integer_graph() -> tuple[list[Any], Any, list[np.ndarray]]:
    x, y = pt.vector("x", dtype="int32"), pt.vector("y", dtype="int32")
    out = (x // y) % 7 + abs(x) * pt.sign(y) - pt.maximum(x, y) + (x ** np.uint8(3) - (x & y))
    return [x, y], out, list(_ints())


def _special_graph() -> tuple[list[Any], Any, list[np.ndarray]]:
    x = pt.vector("x", dtype="float64")
    out = pt.gammaln(x) + pt.psi(x) * pt.erfcx(x) - pt.log1mexp(-x) + pt.sigmoid(-x)
    return [x], out, [RNG.uniform(0.05, 30, 64)]


def _mixed_graph() -> tuple[list[Any], Any, list[np.ndarray]]:
    a = pt.vector("a", dtype="int8")
    b = pt.vector("b", dtype="float32")
    out = pt.cast(pt.switch(a > 0, a, b) * 3, "uint8") + pt.cast(pt.isnan(b), "uint8")
    vals = [RNG.integers(-100, 100, 64).astype("int8"), RNG.normal(0, 50, 64).astype("float32")]
    vals[1][::7] = np.nan
    return [a, b], out, vals


def _complex_graph() -> tuple[list[Any], Any, list[np.ndarray]]:
    z = pt.vector("z", dtype="complex128")
    out = pt.abs(pt.exp(z) * z + pt.conj(z)) + pt.real(z * z) - pt.imag(z)
    vals = RNG.normal(size=64) + 1j * RNG.normal(size=64)
    return [z], out, [vals]


def _multi_arg_graph() -> tuple[list[Any], Any, list[np.ndarray]]:
    a, b, x = (pt.vector(n, dtype="float64") for n in "abx")
    out = (
        pt.betainc(a, b, x)
        + pt.gammaincc(a, b)
        + pt.kv(a, b)
        + pt.jv(a - 2, b)
        + pt.owens_t(x - 0.5, a)
        + pt.gammaincinv(a, x)
    )
    return [a, b, x], out, [RNG.uniform(0.2, 5, 64), RNG.uniform(0.2, 5, 64), RNG.uniform(0, 1, 64)]


GRAPHS: dict[str, Callable[[], tuple[list[Any], Any, list[np.ndarray]]]] = {
    "integer": _integer_graph,
    "special": _special_graph,
    "mixed": _mixed_graph,
    "complex": _complex_graph,
    "multi-arg": _multi_arg_graph,
}


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("graph", list(GRAPHS))
def test_scalar_kernels_in_compiled_functions(graph: str, mode: str) -> None:
    inputs, out, values = GRAPHS[graph]()
    fn = function(inputs, out, mode=MODES[mode])
    assert link_info(fn.vm).fallback_nodes == ()
    expected = function(inputs, out, mode=PY)(*values)
    got = fn(*values)
    assert got.dtype == expected.dtype
    if got.dtype.kind in "fc":
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=0, equal_nan=True)
    else:
        np.testing.assert_array_equal(got, expected)
