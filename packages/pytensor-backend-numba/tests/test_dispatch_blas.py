"""The BLAS products of the numba backend (dispatch/_blas_dot.py, _blas_symbols.py).

The Dot kernels are jitted on their own and called with operands of every memory
layout BLAS meets (C, F, row or column slices, negative strides, length-0 and
length-1 dimensions), for the four BLAS dtypes, against ``np.dot``. The symbol
machinery is checked in fresh processes: a warm cache runs a Dot without importing
``scipy.linalg``, binding a ``pytensor_blas64_*`` name imports no SciPy, and the
SciPy fallback (``PYTENSOR_NUMBA_BLAS=scipy``) gives the same numbers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest

import pytensor.tensor as pt
from pytensor.link.numba.dispatch import _blas_symbols
from pytensor.link.numba.dispatch import dot as _registered  # noqa: F401
from pytensor.link.numba.dispatch._cython_symbols import ensure_symbols, registered_symbols
from pytensor.link.numba.dispatch.basic import numba_funcify
from pytensor.tensor._dot import Dot, Matmul

pytestmark = pytest.mark.numba

DTYPES = ("float32", "float64", "complex64", "complex128")
#: (m, k, n): ordinary, length-1, empty output, empty contraction (result zeros).
SHAPES = ((5, 4, 3), (1, 4, 1), (5, 1, 3), (1, 1, 1), (0, 4, 3), (5, 0, 3), (5, 4, 0))


def _random(shape: tuple[int, ...], dtype: str, rng: np.random.Generator) -> np.ndarray:
    x = rng.normal(size=shape)
    if dtype.startswith("complex"):
        x = x + 1j * rng.normal(size=shape)
    return x.astype(dtype)


def _matrices(r: int, c: int, dtype: str, rng: np.random.Generator) -> Iterator[np.ndarray]:
    """(r, c) arrays in every layout: C, F, row slices, column slices, negative strides,
    and a length-1 dimension with an odd stride."""
    z = _random((2 * r + 2, 2 * c + 2), dtype, rng)
    zt = _random((2 * c + 2, 2 * r + 2), dtype, rng)
    yield np.ascontiguousarray(z[:r, :c])  # C
    yield np.asfortranarray(z[:r, :c])  # F
    yield z[: 2 * r : 2, :c]  # row-major, leading dimension 2 rows
    yield zt[:c, :r].T  # column-major view (transposed C)
    yield zt[: 2 * c : 2, :r].T  # column-major, wide leading dimension
    yield z[:r, : 2 * c : 2]  # no unit stride: copied
    yield z[:r][::-1, :c]  # negative row stride: copied
    yield z[:r, :c][:, ::-1]  # negative column stride: copied
    if r == 1 or c == 1:
        yield np.lib.stride_tricks.as_strided(z, (r, c), (7 * z.itemsize, z.itemsize))


def _vectors(k: int, dtype: str, rng: np.random.Generator) -> Iterator[np.ndarray]:
    z = _random((2 * k + 2,), dtype, rng)
    yield np.ascontiguousarray(z[:k])
    yield z[: 2 * k : 2]  # stride 2: an increment, no copy
    yield z[:k][::-1]  # negative stride: copied


@pytest.fixture(scope="module")
def dot_kernel() -> Callable[[str, int, int], Any]:
    """The jitted Dot kernel for (dtype, ndim of x, ndim of y), compiled once each."""
    import numba

    cache: dict[tuple[str, int, int], Any] = {}

    def get(dtype: str, xnd: int, ynd: int) -> Any:
        if (dtype, xnd, ynd) not in cache:
            x = pt.tensor("x", dtype=dtype, shape=(None,) * xnd)
            y = pt.tensor("y", dtype=dtype, shape=(None,) * ynd)
            node = Dot()(x, y).owner
            fn, key = numba_funcify(node.op, node)
            assert key is not None and f"blas{_blas_symbols.blas_bits()}" in key
            cache[dtype, xnd, ynd] = numba.njit(fn)
        return cache[dtype, xnd, ynd]

    return get


def _assert_dot(got: np.ndarray, a: np.ndarray, b: np.ndarray) -> None:
    expected = np.dot(a, b)
    assert got.shape == expected.shape and got.dtype == expected.dtype
    tol = 1e-5 if got.dtype in (np.float32, np.complex64) else 1e-12
    np.testing.assert_allclose(got, expected, rtol=tol, atol=tol)


@pytest.mark.parametrize("dtype", DTYPES)
def test_matrix_matrix(dtype: str, dot_kernel: Any) -> None:
    rng = np.random.default_rng(1)
    kernel = dot_kernel(dtype, 2, 2)
    for m, k, n in SHAPES:
        for a in _matrices(m, k, dtype, rng):
            for b in _matrices(k, n, dtype, rng):
                _assert_dot(kernel(a, b), a, b)


@pytest.mark.parametrize("dtype", DTYPES)
def test_matrix_vector_and_vector_matrix(dtype: str, dot_kernel: Any) -> None:
    rng = np.random.default_rng(2)
    mv, vm = dot_kernel(dtype, 2, 1), dot_kernel(dtype, 1, 2)
    for m, k, _ in SHAPES:
        for a in _matrices(m, k, dtype, rng):
            for v in _vectors(k, dtype, rng):
                _assert_dot(mv(a, v), a, v)
                _assert_dot(vm(v, a.T), v, a.T)


@pytest.mark.parametrize("dtype", DTYPES)
def test_vector_vector(dtype: str, dot_kernel: Any) -> None:
    rng = np.random.default_rng(3)
    vv = dot_kernel(dtype, 1, 1)
    for k in (0, 1, 2, 7):
        for u in _vectors(k, dtype, rng):
            for v in _vectors(k, dtype, rng):
                got = vv(u, v)
                assert got.shape == ()  # a 0-d array, as the Op's output type says
                _assert_dot(got, u, v)


def test_beta_zero_ignores_garbage_in_the_output() -> None:
    """The output buffer is written, never read: NaN in it does not leak (gemm and gemv)."""
    import numba

    from pytensor.link.numba.dispatch._blas_dot import blas_env, product_into_lines
    from pytensor.link.numba.dispatch._op_utils import compile_source, indent

    bits = _blas_symbols.blas_bits()
    lines = product_into_lines("a", "b", "out", "float64", bits)
    src = "\n".join(["def into(a, b, out):", *indent(lines), "    return out"])
    into = numba.njit(compile_source(src, "into", blas_env(bits)))
    a, b = np.arange(12.0).reshape(4, 3), np.arange(6.0).reshape(3, 2)
    for aa, bb in ((a, b), (a, np.ones((3, 1))), (a[:, :1], b[:1])):
        out = np.full((aa.shape[0], bb.shape[1]), np.nan)
        np.testing.assert_allclose(into(aa, bb, out), aa @ bb)
    empty = np.full((4, 2), np.nan)  # K = 0: zeros, not NaN
    np.testing.assert_array_equal(into(np.ones((4, 0)), np.ones((0, 2)), empty), 0.0)

    gemv = blas_env(bits)[f"blas{bits}_gemv"]

    @numba.njit
    def matvec(a, x, y):  # noqa: ANN001, ANN202
        gemv(84, a.shape[1], a.shape[0], 1.0, a, a.shape[1], x, 1, 0.0, y, 1)
        return y

    np.testing.assert_allclose(matvec(a, np.ones(3), np.full(4, np.nan)), a.sum(1))


def test_matmul_and_mixed_dtypes_through_a_graph() -> None:
    """The products in compiled graphs: Matmul's batches (views, K=0) and a cast operand."""
    from pytensor.compile.function import function
    from pytensor.compile.mode import Mode

    t, m, f = pt.dtensor3("t"), pt.dmatrix("m"), pt.fvector("f")
    outs = [Matmul()(t, m), Matmul()(t.transpose(0, 2, 1), m[:, ::-1].T), Dot()(m, f)]
    fn = function([t, m, f], outs, mode=Mode(linker="numba", optimizer=None))
    rng = np.random.default_rng(4)
    for tv, mv, fv in (
        (rng.normal(size=(3, 4, 5)), rng.normal(size=(5, 4)), rng.normal(size=4).astype("f4")),
        (np.ones((2, 3, 0)), np.ones((0, 3)), np.ones(3, "f4")),  # K = 0, empty outputs
    ):
        got = fn(tv, mv, fv)
        expected = [tv @ mv, tv.transpose(0, 2, 1) @ mv[:, ::-1].T, mv @ fv.astype("f8")]
        for g, e in zip(got, expected, strict=True):
            assert g.shape == e.shape and g.dtype == e.dtype
            np.testing.assert_allclose(g, e, rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------------------
# Symbols
# ---------------------------------------------------------------------------
def test_ensure_symbols_binds_blas_names_and_rejects_unknown_ones() -> None:
    bits = _blas_symbols.blas_bits()
    name = f"pytensor_blas{bits}_zgemv"
    ensure_symbols([name, "pytensor_cython_lapack_dgetrf"])
    assert {name, "pytensor_cython_lapack_dgetrf"} <= registered_symbols()
    for bad in (
        "pytensor_blas64_dfoo",  # unknown routine
        "pytensor_blas16_dgemm",  # unknown integer width
        "pytensor_blas64dgemm",
        "pytensor_other_thing",
        "numba_helper",
    ):
        with pytest.raises(ValueError, match="not a pytensor"):
            ensure_symbols([bad])


def test_invalid_blas_choice_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(_blas_symbols.ENV_VAR, "mkl")
    with pytest.raises(ValueError, match="PYTENSOR_NUMBA_BLAS='mkl'"):
        _blas_symbols.blas_bits()


def test_numpy_without_openblas_falls_back_to_scipy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_blas_symbols, "_numpy_openblas", lambda: None)
    assert _blas_symbols.blas_bits() == 32
    monkeypatch.setenv(_blas_symbols.ENV_VAR, "numpy")
    with pytest.raises(ImportError, match="NumPy bundles no OpenBLAS"):
        _blas_symbols.blas_bits()
    monkeypatch.setenv(_blas_symbols.ENV_VAR, "auto")
    with pytest.raises(ImportError, match="ILP64"):
        _blas_symbols._address(64, "cgemm")  # ILP64 code is never bound to a 32-bit BLAS


def test_scipy_fallback_gives_numpys_products(monkeypatch: pytest.MonkeyPatch) -> None:
    """``PYTENSOR_NUMBA_BLAS=scipy``: 32-bit symbols bound to scipy.linalg.cython_blas."""
    import numba

    monkeypatch.setenv(_blas_symbols.ENV_VAR, "scipy")
    assert _blas_symbols.blas_bits() == 32
    rng = np.random.default_rng(5)
    for xnd, ynd in ((2, 2), (2, 1), (1, 2), (1, 1)):
        x = pt.tensor("x", dtype="float64", shape=(None,) * xnd)
        y = pt.tensor("y", dtype="float64", shape=(None,) * ynd)
        node = Dot()(x, y).owner
        fn, key = numba_funcify(node.op, node)
        assert key is not None and key.endswith("blas32")
        assert "blas32_gemv" in fn.__numba_source__ or "blas32_gemm" in fn.__numba_source__
        a = np.asfortranarray(rng.normal(size=(6, 5))) if xnd == 2 else rng.normal(size=5)
        b = rng.normal(size=(5, 3)) if ynd == 2 else rng.normal(size=5)
        _assert_dot(numba.njit(fn)(a, b), a, b)
    assert "pytensor_blas32_dgemm" in registered_symbols()


_CHILD = textwrap.dedent(
    """
    import json, sys
    import numpy as np
    import pytensor.tensor as pt
    from pytensor.compile.function import function
    from pytensor.compile.mode import Mode

    x, v = pt.dmatrix("x"), pt.dvector("v")
    out = pt.exp(pt.dot(x, v)).sum() + pt.dot(v, x.T).sum()
    fn = function([x, v], out, mode=Mode(linker="numba", optimizer="fast_run"))
    value = float(fn(np.arange(6.0).reshape(2, 3) / 10, np.arange(3.0)))
    print(json.dumps({"value": value, "scipy_linalg": "scipy.linalg" in sys.modules}))
    """
)


def _run(code: str, env: dict[str, str]) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.skipif(_blas_symbols._numpy_openblas() is None, reason="NumPy bundles no OpenBLAS")
def test_warm_process_runs_a_dot_without_scipy_linalg(tmp_path: Any) -> None:
    env = {"PYTENSOR_NUMBA_CACHE_DIR": str(tmp_path), _blas_symbols.ENV_VAR: "auto"}
    xv, vv = np.arange(6.0).reshape(2, 3) / 10, np.arange(3.0)
    expected = float(np.exp(xv @ vv).sum() + (vv @ xv.T).sum())
    cold = _run(_CHILD, env)
    warm = _run(_CHILD, env)
    assert cold["value"] == pytest.approx(expected, rel=1e-12)
    assert warm["value"] == pytest.approx(expected, rel=1e-12)
    assert not warm["scipy_linalg"], "a warm process imported scipy.linalg"


@pytest.mark.skipif(_blas_symbols._numpy_openblas() is None, reason="NumPy bundles no OpenBLAS")
def test_binding_numpys_blas_imports_no_scipy() -> None:
    bits = _blas_symbols._numpy_openblas()[3]  # type: ignore[index]
    code = textwrap.dedent(
        f"""
        import json, sys
        from pytensor.link.numba.dispatch._cython_symbols import ensure_symbols
        ensure_symbols(["pytensor_blas{bits}_dgemm", "pytensor_blas{bits}_sgemv"])
        print(json.dumps({{"scipy": sorted(m for m in sys.modules if m.startswith("scipy"))}}))
        """
    )
    assert _run(code, {_blas_symbols.ENV_VAR: "auto"})["scipy"] == []
