"""Where Dot/Matmul find BLAS: NumPy's bundled OpenBLAS, else SciPy's cython_blas capsules.

The pointers are loaded once per generated module, so the fallback is checked
in a child process (fresh modules) whose NumPy lookup is patched to find nothing;
both paths are checked against NumPy's products.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from pytensor.link.c.dispatch import _blas_lib

pytestmark = pytest.mark.c

CHILD = textwrap.dedent(
    """
    import sys
    import numpy as np
    import pytensor.tensor as pt
    from pytensor.compile.function import function
    from pytensor.compile.mode import Mode
    from pytensor.link.c.dispatch import _blas_lib
    from pytensor.tensor._dot import Dot, Matmul

    if sys.argv[1] == "scipy":
        _blas_lib.numpy_blas = lambda: None
    rng = np.random.default_rng(1)
    for dtype in ("float64", "float32"):
        a, b = pt.tensor(dtype=dtype, shape=(None, None)), pt.tensor(dtype=dtype, shape=(None,) * 2)
        v = pt.tensor(dtype=dtype, shape=(None,))
        s = pt.tensor(dtype=dtype, shape=(None, None, None))
        outs = [Dot()(a, b), Dot()(a, v), Dot()(v, b), Dot()(v, v), Matmul()(s, s)]
        fn = function([a, b, v, s], outs, mode=Mode(linker="c", optimizer=None))
        av, bv = rng.normal(size=(5, 7)).astype(dtype), rng.normal(size=(7, 7)).astype(dtype)
        vv, sv = rng.normal(size=7).astype(dtype), rng.normal(size=(2, 3, 3)).astype(dtype)
        want = [av @ bv.T, av @ vv, vv @ bv.T, vv @ vv, sv @ sv]  # bv.T: a transposed operand
        tol = 1e-12 if dtype == "float64" else 1e-5
        for got, exp in zip(fn(av, bv.T, vv, sv), want, strict=True):
            np.testing.assert_allclose(got, exp, rtol=tol, atol=tol)
    print("BITS:", _blas_lib.blas_pointers()[0])
    print("SCIPY:", "scipy.linalg.cython_blas" in sys.modules)
    """
)


def _run(source: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, source],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def test_numpy_bundled_blas_is_preferred():
    found = _blas_lib.numpy_blas()
    if found is None:
        pytest.skip("this NumPy bundles no OpenBLAS; the SciPy path is tested below")
    bits, addresses = found
    assert bits in (32, 64)
    assert len(addresses) == len(_blas_lib.ROUTINES) and all(addresses)
    assert _blas_lib.blas_pointers() == found
    out = _run("numpy")
    assert f"BITS: {bits}" in out
    assert "SCIPY: False" in out  # the warm path never imports scipy.linalg


def test_scipy_capsules_are_the_fallback():
    bits, addresses = _blas_lib.scipy_blas()
    assert bits == 32 and len(addresses) == len(_blas_lib.ROUTINES) and all(addresses)
    out = _run("scipy")
    assert "BITS: 32" in out and "SCIPY: True" in out


def test_missing_scipy_fallback_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "scipy.linalg", None)  # import fails
    with pytest.raises(ImportError, match="install scipy"):
        _blas_lib.scipy_blas()
