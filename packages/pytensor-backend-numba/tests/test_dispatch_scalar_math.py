"""The numba impls of the special-function scalar Ops agree with ``perform`` (SciPy).

Each Op class of ``pytensor.scalar.math`` is checked on float64 (to 1e-12
relative), float32 and an integer input type, over a grid with edge values.
"""

from __future__ import annotations

import itertools
import warnings
from typing import Any

import numba
import numpy as np
import pytest

import pytensor.scalar as ps
from pytensor.link.numba.dispatch import (
    numba_funcify,  # every registration module
    scalar_math,
)
from pytensor.scalar import math as sm

pytestmark = pytest.mark.numba

WIDE = [
    -np.inf,
    -2.5,
    -1.0,
    -0.5,
    -0.0,
    0.0,
    0.1,
    0.5,
    0.9,
    1.0,
    1.5,
    3.0,
    10.0,
    40.0,
    np.inf,
    np.nan,
]
NARROW = [-1.5, 0.0, 0.3, 0.5, 1.0, 2.5, 6.0, np.nan]
INTS = [-3, 0, 1, 2, 5]
#: Per-Op value grids where the generic one is too large (3-4 inputs) or off-domain.
GRIDS: dict[str, list[list[Any]]] = {
    "PolyGamma": [[0, 1, 2, 3, 4], WIDE],
    "BetaInc": [[0.5, 1.0, 2.5, 7.0], [0.5, 1.0, 3.0], [0.0, 0.1, 0.5, 0.9, 1.0, np.nan]],
    "BetaIncInv": [[0.5, 1.0, 2.5, 7.0], [0.5, 1.0, 3.0], [0.0, 0.1, 0.5, 0.9, 1.0, np.nan]],
    "Hyp2F1": [[0.5, 1.0, -2.0], [0.3, 2.0], [1.5, 4.0], [-0.5, 0.0, 0.4, 0.9]],
}
RTOL = {"float64": 1e-12, "float32": 1e-5}


def math_classes() -> list[type]:
    return sorted(
        (getattr(sm, n) for n in sm.__all__ if isinstance(getattr(sm, n), type)),
        key=lambda c: c.__name__,
    )


def instance_of(cls: type) -> Any:
    for value in vars(sm).values():
        if type(value) is cls:
            return value
    raise AssertionError(f"no instance of {cls.__name__} in pytensor.scalar.math")


def reference(node: Any, args: tuple[Any, ...]) -> Any:
    storage: list[list[Any]] = [[None]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        node.op.perform(node, [np.asarray(a) for a in args], storage)
    return np.asarray(storage[0][0])


def value_grid(cls: type, dtypes: tuple[str, ...]) -> list[tuple[Any, ...]]:
    columns = GRIDS.get(cls.__name__) or [WIDE if len(dtypes) < 3 else NARROW] * len(dtypes)
    typed = []
    for column, dtype in zip(columns, dtypes, strict=True):
        if np.dtype(dtype).kind in "iu":
            column = INTS if cls.__name__ != "PolyGamma" else [0, 1, 2, 3]
        typed.append([np.array(v, dtype=dtype)[()] for v in column])
    return list(itertools.product(*typed))


def check(op: Any, dtypes: tuple[str, ...]) -> None:
    node = op(*[ps.get_scalar_type(d)(f"x{i}") for i, d in enumerate(dtypes)]).owner
    impl, key = numba_funcify(node.op, node)
    assert key.startswith(type(op).__name__ + ":")
    jitted = numba.njit(impl)
    out = node.outputs[0].type.dtype
    for args in value_grid(type(op), dtypes):
        expected = reference(node, args)
        with np.errstate(all="ignore"):
            got = np.asarray(jitted(*args)).astype(out)
        assert expected.dtype == got.dtype
        np.testing.assert_allclose(
            got, expected, rtol=RTOL[out], atol=0, equal_nan=True,
            err_msg=f"{op}{tuple(dtypes)} at {args}",
        )  # fmt: skip
    ret = jitted.nopython_signatures[0].return_type
    assert str(ret) == out, (op, dtypes, ret)


def dtype_combos(op: Any) -> list[tuple[str, ...]]:
    nin = op.nin
    first = "int64" if type(op).__name__ == "PolyGamma" else None
    combos = []
    for dtype in ("float64", "float32"):
        combos.append(tuple(first if (i == 0 and first) else dtype for i in range(nin)))
    # An integer input is converted to the output's float type first (int16 -> float32).
    combos.append(("int16",) + combos[1][1:])
    return combos


@pytest.mark.parametrize("cls", math_classes(), ids=lambda c: c.__name__)
def test_special_op_matches_perform(cls: type) -> None:
    op = instance_of(cls)
    for dtypes in dtype_combos(op):
        check(op, dtypes)


def test_hurwitz_zeta_matches_scipy() -> None:
    from scipy.special import zeta

    for x, q in itertools.product([1.5, 2.0, 3.0, 7.5, 30.0], [0.01, 0.5, 1.0, 3.7, 1e3, 1e9]):
        assert scalar_math.hurwitz_zeta(x, q) == pytest.approx(zeta(x, q), rel=1e-13)
    assert scalar_math.hurwitz_zeta(1.0, 2.0) == np.inf
    assert np.isnan(scalar_math.hurwitz_zeta(0.5, 2.0))


def test_complex_log1mexp_and_xlogx() -> None:
    for op in (sm.log1mexp, sm.xlogx):
        node = op(ps.complex128("z")).owner
        jitted = numba.njit(numba_funcify(node.op, node)[0])
        for z in [0j, -1 + 0.5j, -0.1 - 0.2j, 2 + 1j]:
            expected = reference(node, (np.complex128(z),))
            np.testing.assert_allclose(jitted(z), expected, rtol=1e-13, equal_nan=True)


_CACHED_KERNEL = """
import sys
import numba
from numba import types
from pytensor.link.numba.dispatch import _cython_symbols
from pytensor.link.numba.dispatch.scalar_math import scipy_kernel

if sys.argv[1] == "compile":
    kernel = scipy_kernel("erf", 1)
    print(sorted(_cython_symbols.registered_symbols()))
else:
    symbols = eval(sys.argv[2])
    _cython_symbols.ensure_symbols(symbols)
    kernel = types.ExternalFunction(symbols[0], types.float64(types.float64, types.intc))

@numba.njit(cache=True)
def f(x):
    return kernel(x, 0)

print(f(0.5))
"""


def test_symbols_rebound_for_cached_code_in_a_new_process(tmp_path: Any) -> None:
    """Cached code calls SciPy's kernels by symbol: a new process binds the recorded symbols
    (``ensure_symbols``) and then loads and runs it."""
    import os
    import subprocess
    import sys

    script = tmp_path / "kernel_cache_check.py"
    script.write_text(_CACHED_KERNEL)
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "cache")}

    def run(*args: str) -> list[str]:
        done = subprocess.run(
            [sys.executable, str(script), *args], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.splitlines()

    symbols, first = run("compile")
    assert "pytensor_cython_special___pyx_fuse_1erf" in symbols
    (second,) = run("load", symbols)
    assert float(first) == float(second) == pytest.approx(0.5204998778130465, rel=1e-15)
    assert list((tmp_path / "cache").rglob("*.nbc"))


def test_ensure_symbols_rejects_foreign_names() -> None:
    from pytensor.link.numba.dispatch import _cython_symbols

    with pytest.raises(ValueError, match="not a pytensor cython symbol"):
        _cython_symbols.ensure_symbols(["printf"])
