"""Numba implementations of the linear solvers of ``pytensor.tensor.linalg.solvers``
(layer: pytensor-backend-numba).

As ``SolveBase.perform``: shape checks with the Op's messages, zeros for empty
systems, the LAPACK routines SciPy uses (getrf/getrs, sysv/hesv, potrf/potrs,
gtsv, trtrs), and a NaN-filled result where SciPy would raise ``LinAlgError``
(a singular or not positive definite matrix).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

from pytensor.link.numba.dispatch.basic import (
    NumbaImpl,
    error_template,
    numba_funcify,
    numba_njit,
    op_key,
)
from pytensor.link.numba.dispatch.linalg._lapack import (
    CHAR_L,
    CHAR_N,
    CHAR_U,
    cbuf,
    fortran_copy,
    ibuf,
    lapack,
    lapack_routine,
    work_size,
)
from pytensor.link.numba.dispatch.linalg.decomposition import getrf_kernel, potrf_kernel
from pytensor.tensor.linalg.solvers.general import Solve
from pytensor.tensor.linalg.solvers.psd import CholeskySolve
from pytensor.tensor.linalg.solvers.triangular import SolveTriangular

__all__ = ["getrs_kernel", "make_solver_impl"]

_PREFIX = {"float32": "s", "float64": "d", "complex64": "c", "complex128": "z"}


@cache
def getrs_kernel(dtype: str) -> Any:
    """``solve(lu_fortran, ipiv, b_fortran, trans_code) -> b`` (overwritten with x)."""
    getrs = lapack_routine("getrs", dtype, 9)

    @numba_njit
    def solve(lu: Any, ipiv: Any, b: Any, trans: int) -> Any:
        n, nrhs = b.shape
        tr, nn, k, lda, ldb, info = (
            cbuf(trans),
            ibuf(n),
            ibuf(nrhs),
            ibuf(max(1, n)),
            ibuf(max(1, n)),
            ibuf(0),
        )
        getrs(tr.ctypes, nn.ctypes, k.ctypes, lu.ctypes, lda.ctypes, ipiv.ctypes, b.ctypes,
              ldb.ctypes, info.ctypes)  # fmt: skip
        return b

    return solve


def _general(dtype: str, lower: bool) -> Any:
    factor, solve = getrf_kernel(dtype), getrs_kernel(dtype)

    @numba_njit
    def kernel(a: Any, b: Any) -> Any:
        lu, ipiv, info = factor(a)
        if info != 0:
            return b, False
        return solve(lu, ipiv, b, CHAR_N), True

    return kernel


def _positive_definite(dtype: str, lower: bool, factored: bool = False) -> Any:
    factor = potrf_kernel(dtype)
    potrs = lapack_routine("potrs", dtype, 8)

    @numba_njit
    def kernel(a: Any, b: Any) -> Any:
        n, nrhs = b.shape
        if factored:
            for i in range(n):
                if a[i, i] == 0:
                    return b, False
            c = a
        else:
            c, info0 = factor(a, lower)
            if info0 != 0:
                return b, False
        uplo, nn, k, ld, info = (
            cbuf(CHAR_L if lower else CHAR_U),
            ibuf(n),
            ibuf(nrhs),
            ibuf(max(1, n)),
            ibuf(0),
        )
        potrs(
            uplo.ctypes, nn.ctypes, k.ctypes, c.ctypes, ld.ctypes, b.ctypes, ld.ctypes, info.ctypes
        )
        return b, info[0] == 0

    return kernel


def _symmetric(dtype: str, lower: bool, hermitian: bool) -> Any:
    name = ("he" if hermitian and _PREFIX[dtype] in "cz" else "sy") + "sv"
    sysv = lapack(_PREFIX[dtype] + name, 11)

    @numba_njit
    def kernel(a: Any, b: Any) -> Any:
        n, nrhs = b.shape
        uplo, nn, k, ld, info = (
            cbuf(CHAR_L if lower else CHAR_U),
            ibuf(n),
            ibuf(nrhs),
            ibuf(max(1, n)),
            ibuf(0),
        )
        ipiv, work, lwork = np.zeros(n, np.int32), np.empty(1, a.dtype), ibuf(-1)
        for _ in range(2):  # a workspace query, then the computation
            sysv(uplo.ctypes, nn.ctypes, k.ctypes, a.ctypes, ld.ctypes, ipiv.ctypes, b.ctypes,
                 ld.ctypes, work.ctypes, lwork.ctypes, info.ctypes)  # fmt: skip
            lwork[0] = work_size(work)
            work = np.empty(lwork[0], a.dtype)
        return b, info[0] == 0

    return kernel


def _tridiagonal(dtype: str, lower: bool) -> Any:
    gtsv = lapack(_PREFIX[dtype] + "gtsv", 8)

    @numba_njit
    def kernel(a: Any, b: Any) -> Any:
        n, nrhs = b.shape
        d = np.empty(n, a.dtype)
        dl = np.zeros(max(1, n - 1), a.dtype)
        du = np.zeros(max(1, n - 1), a.dtype)
        for i in range(n):
            d[i] = a[i, i]
            if i + 1 < n:
                dl[i], du[i] = a[i + 1, i], a[i, i + 1]
        nn, k, ld, info = ibuf(n), ibuf(nrhs), ibuf(max(1, n)), ibuf(0)
        gtsv(nn.ctypes, k.ctypes, dl.ctypes, d.ctypes, du.ctypes, b.ctypes, ld.ctypes, info.ctypes)
        return b, info[0] == 0

    return kernel


def _triangular(dtype: str, lower: bool, unit_diagonal: bool) -> Any:
    trtrs = lapack(_PREFIX[dtype] + "trtrs", 10)

    @numba_njit
    def kernel(a: Any, b: Any) -> Any:
        n, nrhs = b.shape
        uplo, trans = cbuf(CHAR_L if lower else CHAR_U), cbuf(CHAR_N)
        diag = cbuf(CHAR_U if unit_diagonal else CHAR_N)
        nn, k, ld, info = ibuf(n), ibuf(nrhs), ibuf(max(1, n)), ibuf(0)
        trtrs(uplo.ctypes, trans.ctypes, diag.ctypes, nn.ctypes, k.ctypes, a.ctypes, ld.ctypes,
              b.ctypes, ld.ctypes, info.ctypes)  # fmt: skip
        return b, info[0] == 0

    return kernel


@numba_njit
def column_copy(b: Any, dtype: Any) -> Any:
    """``b`` (a vector) as a Fortran-ordered ``(n, 1)`` matrix of ``dtype``."""
    out = np.empty((1, b.shape[0]), dtype).T
    for i in range(b.shape[0]):
        out[i, 0] = b[i]
    return out


def make_solver_impl(op: Any, node: Any, kernel: Any) -> NumbaImpl:
    """The impl of a ``SolveBase`` Op around ``kernel(a_fortran, b_fortran) -> (x, ok)``."""
    dt = np.dtype(node.outputs[0].type.dtype).type
    square = error_template(
        f"{op}: input a must be a square matrix, got shape (", None, ", ", None, ")"
    )
    b_shape = ("(", None, ",)") if op.b_ndim == 1 else ("(", None, ", ", None, ")")
    rows = error_template(
        f"{op}: the rows of b (shape ", *b_shape, ") must match a (shape (", None, ", ", None,
        ")): ", None, " != ", None,
    )  # fmt: skip

    @numba_njit
    def check(a: Any, b: Any) -> None:
        if a.shape[0] != a.shape[1]:
            raise ValueError(square, a.shape[0], a.shape[1])
        if b.shape[0] != a.shape[0]:
            if b.ndim == 1:
                raise ValueError(rows, b.shape[0], a.shape[0], a.shape[1], b.shape[0], a.shape[0])
            raise ValueError(rows, b.shape[0], b.shape[-1], a.shape[0], a.shape[1], b.shape[0],
                             a.shape[0])  # fmt: skip

    def solve_matrix(a: Any, b: Any) -> Any:
        check(a, b)
        if a.size == 0 or b.size == 0:
            return np.zeros(b.shape, dt)
        x, ok = kernel(fortran_copy(a, dt), fortran_copy(b, dt))
        if not ok:
            x[...] = np.nan
        return x

    def solve_vector(a: Any, b: Any) -> Any:
        check(a, b)
        if a.size == 0 or b.size == 0:
            return np.zeros(b.shape, dt)
        x, ok = kernel(fortran_copy(a, dt), column_copy(b, dt))
        if not ok:
            x[...] = np.nan
        return x[:, 0]

    return (solve_vector if op.b_ndim == 1 else solve_matrix), op_key(op, node)


@numba_funcify.register(Solve)
def numba_funcify_Solve(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    dtype, lower = node.outputs[0].type.dtype, op.lower
    if op.assume_a == "pos":
        kernel = _positive_definite(dtype, lower)
    elif op.assume_a in ("sym", "her"):
        kernel = _symmetric(dtype, lower, op.assume_a == "her")
    elif op.assume_a == "tridiagonal":
        kernel = _tridiagonal(dtype, lower)
    else:
        # "banded" too: SciPy's gbsv over the full bandwidth of the matrix is the
        # general LU solve.
        kernel = _general(dtype, lower)
    return make_solver_impl(op, node, kernel)


@numba_funcify.register(CholeskySolve)
def numba_funcify_CholeskySolve(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    kernel = _positive_definite(node.outputs[0].type.dtype, op.lower, factored=True)
    return make_solver_impl(op, node, kernel)


@numba_funcify.register(SolveTriangular)
def numba_funcify_SolveTriangular(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    kernel = _triangular(node.outputs[0].type.dtype, op.lower, op.unit_diagonal)
    return make_solver_impl(op, node, kernel)
