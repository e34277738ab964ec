"""Numba implementation of ``Expm`` (layer: pytensor-backend-numba).

The matrix exponential by scaling and squaring with a Pade approximant of order
3, 5, 7, 9 or 13 chosen from the 1-norm (Higham, "The scaling and squaring
method for the matrix exponential revisited", SIAM J. Matrix Anal. Appl. 26,
2005), the method behind SciPy's ``expm``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

from pytensor.link.numba.dispatch.basic import NumbaImpl, numba_funcify, numba_njit, op_key
from pytensor.link.numba.dispatch.linalg._lapack import CHAR_N, fortran_copy, square_check
from pytensor.link.numba.dispatch.linalg.decomposition import getrf_kernel
from pytensor.link.numba.dispatch.linalg.solvers import getrs_kernel
from pytensor.tensor.linalg.products import Expm

__all__ = ["expm_kernel"]

# Pade coefficients b_0..b_m, and the largest 1-norm for which order m is accurate.
_B3 = np.array([120.0, 60.0, 12.0, 1.0])
_B5 = np.array([30240.0, 15120.0, 3360.0, 420.0, 30.0, 1.0])
_B7 = np.array([17297280.0, 8648640.0, 1995840.0, 277200.0, 25200.0, 1512.0, 56.0, 1.0])
_B9 = np.array(
    [17643225600.0, 8821612800.0, 2075673600.0, 302702400.0, 30270240.0, 2162160.0,
     110880.0, 3960.0, 90.0, 1.0]
)  # fmt: skip
_B13 = np.array(
    [64764752532480000.0, 32382376266240000.0, 7771770303897600.0, 1187353796428800.0,
     129060195264000.0, 10559470521600.0, 670442572800.0, 33522128640.0, 1323241920.0,
     40840800.0, 960960.0, 16380.0, 182.0, 1.0]
)  # fmt: skip
_THETA = np.array([1.495585217958292e-2, 2.539398330063230e-1, 9.504178996162932e-1,
                   2.097847961257068e0, 5.371920351148152e0])  # fmt: skip


@numba_njit
def _pade_low(a: Any, b: Any) -> Any:
    """U and V of the Pade approximant of order ``len(b) - 1`` (3, 5, 7 or 9)."""
    n = a.shape[0]
    eye = np.eye(n, dtype=a.dtype)
    a2 = a @ a
    power = eye
    u_sum = b[1] * eye
    v = b[0] * eye
    for k in range(2, len(b), 2):
        power = power @ a2
        v = v + b[k] * power
        u_sum = u_sum + b[k + 1] * power
    return a @ u_sum, v


@numba_njit
def _pade13(a: Any) -> Any:
    b = _B13
    n = a.shape[0]
    eye = np.eye(n, dtype=a.dtype)
    a2 = a @ a
    a4 = a2 @ a2
    a6 = a4 @ a2
    u = a @ (
        a6 @ (b[13] * a6 + b[11] * a4 + b[9] * a2) + b[7] * a6 + b[5] * a4 + b[3] * a2 + b[1] * eye
    )
    v = a6 @ (b[12] * a6 + b[10] * a4 + b[8] * a2) + b[6] * a6 + b[4] * a4 + b[2] * a2 + b[0] * eye
    return u, v


@numba_njit
def _norm1(a: Any) -> float:
    """The 1-norm (largest absolute column sum); loops compile far faster than np.sum(axis)."""
    best = 0.0
    for j in range(a.shape[1]):
        total = 0.0
        for i in range(a.shape[0]):
            total += abs(a[i, j])
        best = max(best, total)
    return best


@cache
def expm_kernel(dtype: str) -> Any:
    """``expm(a)`` for a square C-contiguous matrix of ``dtype`` (float64 or complex128)."""
    factor, solve = getrf_kernel(dtype), getrs_kernel(dtype)
    dt = np.dtype(dtype).type

    @numba_njit
    def expm(a: Any) -> Any:
        norm = _norm1(a)
        squarings = 0
        if norm <= _THETA[0]:
            u, v = _pade_low(a, _B3)
        elif norm <= _THETA[1]:
            u, v = _pade_low(a, _B5)
        elif norm <= _THETA[2]:
            u, v = _pade_low(a, _B7)
        elif norm <= _THETA[3]:
            u, v = _pade_low(a, _B9)
        else:
            squarings = max(0, int(np.ceil(np.log2(norm / _THETA[4]))))
            u, v = _pade13(a / (2.0**squarings))
        # (V - U) X = V + U, by LU as SciPy.
        lu, ipiv, _ = factor(fortran_copy(v - u, dt))
        result = np.ascontiguousarray(solve(lu, ipiv, fortran_copy(v + u, dt), CHAR_N))
        for _ in range(squarings):
            result = result @ result
        return result

    return expm


@numba_funcify.register(Expm)
def numba_funcify_Expm(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    dt = np.dtype(node.outputs[0].type.dtype).type
    # Computed in double precision (numba's matrix products need one dtype throughout).
    work_dtype = "complex128" if np.dtype(dt).kind == "c" else "float64"
    work, expm = np.dtype(work_dtype).type, expm_kernel(work_dtype)
    check = square_check(op)

    def expm_impl(a: Any) -> Any:
        check(a)
        if a.size == 0:
            return np.empty(a.shape, dt)
        return expm(np.ascontiguousarray(a.astype(work))).astype(dt)

    return expm_impl, op_key(op, node)
