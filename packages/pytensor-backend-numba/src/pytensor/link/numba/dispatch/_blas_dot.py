# mypy: disable-error-code="no-untyped-call,no-untyped-def,call-overload"
"""``blas_dot(a, b)``: ``np.dot`` that copies no operand contiguous at run time.

Layer: pytensor-backend-numba.

numba's ``np.dot`` passes C- and F-typed arrays to BLAS as they are but copies
arrays typed ``"A"`` (any layout), such as a transposed view. Here an ``"A"``
matrix is checked at run time: when its memory is F contiguous (a transposed C
matrix) it is re-typed as F (same data, no copy), else copied in F order, so
that both branches have one type and ``np.dot`` is compiled once.
``c_contiguous`` does the same for C order (Reshape). Importing this module
imports numba (the dispatch modules import it lazily).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from numba import types
from numba.core.imputils import impl_ret_borrowed
from numba.extending import intrinsic, overload, register_jitable

__all__ = ["blas_dot", "c_contiguous"]


def blas_dot(a, b):  # noqa: ANN001, ANN201
    """``np.dot(a, b)``; a stub whose numba implementation is chosen by the operands' types.

    Unannotated: numba requires a stub and its overload to have the same signature.
    """
    return np.dot(a, b)


def _retype(layout: str) -> Any:
    @intrinsic
    def as_layout(typingctx: Any, x: Any) -> Any:
        if not isinstance(x, types.Array):
            return None

        def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
            # Arrays of any layout share one data model: only the type changes.
            return impl_ret_borrowed(context, builder, sig.return_type, args[0])

        return x.copy(layout=layout)(x), codegen

    return as_layout


_as_c = _retype("C")
_as_f = _retype("F")


@register_jitable
def _is_c(x):  # noqa: ANN001, ANN202
    expected = x.itemsize
    for d in range(x.ndim - 1, -1, -1):
        if x.shape[d] != 1 and x.strides[d] != expected:
            return False
        expected *= x.shape[d]
    return True


@register_jitable
def _is_f(x):  # noqa: ANN001, ANN202
    expected = x.itemsize
    for d in range(x.ndim):
        if x.shape[d] != 1 and x.strides[d] != expected:
            return False
        expected *= x.shape[d]
    return True


def blas_ready(x):  # noqa: ANN001, ANN201
    """``x`` typed C or F for BLAS; a stub whose numba implementation depends on the type."""
    return x


@overload(blas_ready)
def _blas_ready(x):  # noqa: ANN001, ANN202
    if not isinstance(x, types.Array) or x.layout in "CF":
        return lambda x: x
    # Both branches give the same type, so np.dot is compiled once per call site.
    if x.ndim == 2:

        def matrix(x):  # noqa: ANN001, ANN202
            if _is_f(x):
                return _as_f(x)  # e.g. a transposed C matrix: no copy
            return np.asfortranarray(x)

        return matrix

    def other(x):  # noqa: ANN001, ANN202
        if _is_c(x):
            return _as_c(x)
        return np.ascontiguousarray(x)

    return other


@overload(blas_dot)
def _blas_dot(a, b):  # noqa: ANN001, ANN202
    return lambda a, b: np.dot(blas_ready(a), blas_ready(b))


def c_contiguous(x):  # noqa: ANN001, ANN201
    """``x`` as a C-typed array: itself (re-typed) when its memory is C contiguous, else a copy.

    ``np.ascontiguousarray`` copies every array typed ``"A"``, even a contiguous one.
    """
    return np.ascontiguousarray(x)


@overload(c_contiguous)
def _c_contiguous(x):  # noqa: ANN001, ANN202
    if isinstance(x, types.Array) and x.layout == "C":
        return lambda x: x
    if isinstance(x, types.Array) and x.ndim > 0:

        def impl(x):  # noqa: ANN001, ANN202
            if _is_c(x):
                return _as_c(x)
            return np.ascontiguousarray(x)

        return impl
    return lambda x: np.ascontiguousarray(x)
