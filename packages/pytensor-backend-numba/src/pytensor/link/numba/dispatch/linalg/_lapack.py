"""LAPACK for numba kernels, through ``scipy.linalg.cython_lapack`` (layer: pytensor-backend-numba).

Each routine is bound to an LLVM symbol named after it (see ``_cython_symbols``)
rather than to a raw address, so compiled code calling it stays valid in the on-disk
cache across processes. All LAPACK arguments are pointers: scalars are passed as
1-element arrays (:func:`ibuf`, :func:`cbuf`), matrices as Fortran-ordered copies
(:func:`fortran_copy`), which LAPACK then overwrites.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

from numba import types
from pytensor.link.numba.dispatch._cython_symbols import cython_symbol
from pytensor.link.numba.dispatch.basic import error_template, numba_njit

__all__ = [
    "CHAR_L",
    "CHAR_N",
    "CHAR_U",
    "CHAR_V",
    "cbuf",
    "fortran_copy",
    "ibuf",
    "lapack",
    "lapack_routine",
    "nan_like",
    "square_check",
    "work_size",
]

_PREFIX = {"float32": "s", "float64": "d", "complex64": "c", "complex128": "z"}

# LAPACK's character arguments, as byte codes (numba sees module-level ints as constants).
CHAR_L, CHAR_N, CHAR_U, CHAR_V = ord("L"), ord("N"), ord("U"), ord("V")


@cache
def lapack(name: str, nargs: int) -> Any:
    """The numba external function for LAPACK routine ``name`` (e.g. ``"dgetrf"``)."""
    symbol = cython_symbol("lapack", name)
    return types.ExternalFunction(symbol, types.void(*([types.voidptr] * nargs)))


def lapack_routine(base: str, dtype: str, nargs: int) -> Any:
    """``lapack`` for the precision of ``dtype``: ``lapack_routine("getrf", "float32", 6)``
    is ``sgetrf``. For complex dtypes the symmetric routines take their Hermitian names
    (``syevd`` -> ``heevd``, ``sygvd`` -> ``hegvd``, ``orgqr`` -> ``ungqr``)."""
    prefix = _PREFIX[dtype]
    if prefix in "cz":
        base = {"syevd": "heevd", "sygvd": "hegvd", "orgqr": "ungqr"}.get(base, base)
    return lapack(prefix + base, nargs)


@numba_njit(inline="always")
def ibuf(value: int) -> Any:
    """A LAPACK integer argument."""
    return np.full(1, value, np.int32)


@numba_njit(inline="always")
def cbuf(code: int) -> Any:
    """A LAPACK character argument (its byte code)."""
    return np.full(1, code, np.uint8)


@numba_njit
def fortran_copy(a: Any, dtype: Any) -> Any:
    """A Fortran-ordered copy of matrix ``a`` converted to ``dtype``."""
    m, n = a.shape
    out = np.empty((n, m), dtype).T
    for j in range(n):
        for i in range(m):
            out[i, j] = a[i, j]
    return out


@numba_njit(inline="always")
def work_size(query: Any) -> int:
    """The optimal workspace length LAPACK wrote into ``query[0]`` (a real or complex array)."""
    return max(1, int(query[0].real))


@numba_njit
def nan_like(a: Any) -> Any:
    out = np.empty_like(a)
    out[...] = np.nan
    return out


def square_check(op: Any, name: str = "a") -> Any:
    """A jitted check raising the Op's ``ValueError`` for a non-square input ``name``."""
    template = error_template(
        f"{op}: input {name} must be a square matrix, got shape (", None, ", ", None, ")"
    )

    @numba_njit(inline="always")
    def check(a: Any) -> None:
        if a.shape[0] != a.shape[1]:
            raise ValueError(template, a.shape[0], a.shape[1])

    return check
