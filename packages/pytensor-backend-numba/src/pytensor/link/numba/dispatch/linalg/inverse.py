"""Numba implementations of ``pytensor.tensor.linalg.inverse`` (layer: pytensor-backend-numba).

``MatrixInverse`` solves ``a x = I`` with getrf/getrs (NumPy's inv calls gesv, the
same two steps); ``MatrixPinv`` follows NumPy's pinv (an SVD, or an eigendecomposition
for ``hermitian=True``, with singular values below ``1e-15 * max`` dropped).
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
from pytensor.link.numba.dispatch.linalg._lapack import CHAR_N, fortran_copy, square_check
from pytensor.link.numba.dispatch.linalg.decomposition import (
    getrf_kernel,
    numpy_work_dtype,
    syevd_kernel,
)
from pytensor.link.numba.dispatch.linalg.solvers import getrs_kernel
from pytensor.tensor.linalg.inverse import MatrixInverse, MatrixPinv

__all__: list[str] = []


@numba_funcify.register(MatrixInverse)
def numba_funcify_MatrixInverse(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    # NumPy's inv computes in double precision whatever the input type.
    work = numpy_work_dtype(node.inputs[0].type.dtype)
    dt, wt = np.dtype(node.outputs[0].type.dtype).type, np.dtype(work).type
    factor, solve, check = getrf_kernel(work), getrs_kernel(work), square_check(op)
    singular = error_template(f"{op}: the input a (shape (", None, ", ", None, ")) is singular")

    def inv(a: Any) -> Any:
        check(a)
        n = a.shape[0]
        if n == 0:
            return np.empty((0, 0), dt)
        lu, ipiv, info = factor(fortran_copy(a, wt))
        if info != 0:
            raise np.linalg.LinAlgError(singular, n, n)
        return solve(lu, ipiv, np.eye(n, dtype=wt).T, CHAR_N).astype(dt)

    return inv, op_key(op, node)


@numba_njit
def _pinv_from_svd(u: Any, s: Any, vt: Any, rcond: float) -> Any:
    cutoff = rcond * (np.max(s) if s.size else 0.0)
    s_inv = np.zeros_like(s)
    for i in range(s.size):
        if s[i] > cutoff:
            s_inv[i] = 1.0 / s[i]
    scaled = np.empty((s.size, u.shape[0]), u.dtype)
    for i in range(s.size):
        scaled[i, :] = s_inv[i] * u[:, i]
    return np.ascontiguousarray(vt.T) @ scaled


@cache
def hermitian_svd_kernel(dtype: str) -> Any:
    """NumPy's ``svd(a, hermitian=True)``: eigh (lower triangle), singular values ``|w|`` in
    decreasing order, ``vt`` from the eigenvectors scaled by ``sign(w)``."""
    eigh = syevd_kernel(dtype)

    @numba_njit
    def svd(a: Any) -> Any:
        _, w, vecs = eigh(fortran_copy(a, a.dtype), True, True)
        n = w.size
        order = np.arange(n)
        for i in range(1, n):  # insertion sort by decreasing |w| (loops compile fast)
            j = i
            while j > 0 and abs(w[order[j - 1]]) < abs(w[order[j]]):
                order[j - 1], order[j] = order[j], order[j - 1]
                j -= 1
        u = np.empty((n, n), vecs.dtype)
        vt = np.empty((n, n), vecs.dtype)
        s = np.empty(n, w.dtype)
        for k in range(n):
            src = order[k]
            s[k] = abs(w[src])
            sign = 1.0 if w[src] > 0 else (-1.0 if w[src] < 0 else 0.0)
            for i in range(n):
                u[i, k] = vecs[i, src]
                vt[k, i] = np.conj(vecs[i, src] * sign)
        return u, s, vt

    return svd


@numba_funcify.register(MatrixPinv)
def numba_funcify_MatrixPinv(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    dt = np.dtype(node.outputs[0].type.dtype).type
    work = numpy_work_dtype(node.inputs[0].type.dtype)
    wt, hermitian_svd = np.dtype(work).type, hermitian_svd_kernel(work)
    check = square_check(op)

    def pinv(a: Any) -> Any:
        m, n = a.shape
        if m == 0 or n == 0:
            return np.empty((n, m), dt)
        u, s, vt = np.linalg.svd(np.conj(a.astype(wt)), full_matrices=False)
        return _pinv_from_svd(u, s, vt, 1e-15).astype(dt)

    def pinv_hermitian(a: Any) -> Any:
        check(a)
        m, n = a.shape
        if m == 0:
            return np.empty((n, m), dt)
        u, s, vt = hermitian_svd(np.conj(a.astype(wt)))
        return _pinv_from_svd(u, s, vt, 1e-15).astype(dt)

    return (pinv_hermitian if op.hermitian else pinv), op_key(op, node)
