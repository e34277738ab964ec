"""Products of matrices: ``Expm``/``expm``, ``kron``, ``matrix_dot``/``multi_dot`` and
``matrix_power`` (layer: pytensor-tensor).

Only the matrix exponential is an Op; the others are graphs of existing Ops.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from pytensor.graph.basic import Variable
from pytensor.graph.op import Op
from pytensor.tensor._shape_calc import ShapedOp
from pytensor.tensor.basic import as_tensor_variable
from pytensor.tensor.linalg._common import (
    SquareMatrixOp,
    as_matrix,
    check_square,
    fmt_shape,
    scipy_linalg,
)

__all__ = ["Expm", "expm", "kron", "matrix_dot", "matrix_power", "multi_dot"]


class Expm(SquareMatrixOp, ShapedOp, Op):
    """The matrix exponential of a square matrix (SciPy's ``expm``)."""

    __props__ = ()

    def perform(self, node: Any, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        (a,) = inputs
        check_square(self, a, "a")
        dtype = node.outputs[0].type.dtype
        result = scipy_linalg().expm(np.asarray(a, dtype=dtype)) if a.size else a
        output_storage[0][0] = np.asarray(result, dtype=dtype)

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """The Frechet derivative's adjoint, read off one exponential of twice the size.

        ``expm([[a^T, g], [0, a^T]])`` has ``L_{a^T}(g)`` as its upper-right
        block (Mathias 1996), and ``L_{a^T}`` is the adjoint of ``L_a``.
        """
        from pytensor.tensor.basic import concatenate, zeros_like

        a: Any = inputs[0]
        g: Any = cotangents[0]
        at = a.T
        top = concatenate([at, g], axis=1)
        bottom = concatenate([zeros_like(at), at], axis=1)
        n = a.shape[0]
        return [self(concatenate([top, bottom], axis=0))[:n, n:]]


def expm(A: Any) -> Variable:  # noqa: N803 (SciPy's name)
    """The matrix exponential (SciPy's ``expm``).

    Examples
    --------
    >>> import numpy as np
    >>> from pytensor.tensor.linalg import expm
    >>> expm(np.array([[0.0, 1.0], [0.0, 0.0]])).eval()
    array([[1., 1.],
           [0., 1.]])
    """
    return Expm()(A)  # type: ignore[no-any-return]


def kron(a: Any, b: Any) -> Variable:
    """The Kronecker product (NumPy's ``kron``), as a graph of a product and a reshape.

    The input with fewer dimensions gets leading length-1 dimensions; the
    result has shape ``a.shape * b.shape`` elementwise.

    Examples
    --------
    >>> import numpy as np
    >>> from pytensor.tensor.linalg import kron
    >>> kron(np.eye(2), np.array([[1.0, 2.0]])).eval()
    array([[1., 2., 0., 0.],
           [0., 0., 1., 2.]])
    """
    from pytensor.tensor.shape import reshape, shape_tuple

    a, b = as_tensor_variable(a), as_tensor_variable(b)
    ndim = max(a.type.ndim, b.type.ndim)
    if ndim == 0:
        return a * b  # type: ignore[no-any-return]
    a = a.dimshuffle(*["x"] * (ndim - a.type.ndim), *range(a.type.ndim))
    b = b.dimshuffle(*["x"] * (ndim - b.type.ndim), *range(b.type.ndim))
    # a[i0, 'x', i1, 'x', ...] * b['x', j0, 'x', j1, ...] then merge each (i_k, j_k) pair.
    spread_a = a.dimshuffle(*[e for d in range(ndim) for e in (d, "x")])
    spread_b = b.dimshuffle(*[e for d in range(ndim) for e in ("x", d)])
    sa, sb = shape_tuple(a), shape_tuple(b)
    return reshape(
        spread_a * spread_b, tuple(x * y for x, y in zip(sa, sb, strict=True)), ndim=ndim
    )  # type: ignore[no-any-return]


def matrix_dot(*args: Any) -> Variable:
    """The product ``args[0] @ args[1] @ ...`` of several matrices (or vectors), left to right.

    Examples
    --------
    >>> import numpy as np
    >>> from pytensor.tensor.linalg import matrix_dot
    >>> matrix_dot(np.eye(2), np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([1.0, 1.0])).eval()
    array([3., 7.])
    """
    from pytensor.tensor.math import dot

    if not args:
        raise TypeError("matrix_dot: needs at least one argument")
    out = as_tensor_variable(args[0])
    for a in args[1:]:
        out = dot(out, a)
    return out


def multi_dot(arrays: Sequence[Any]) -> Variable:
    """NumPy's ``multi_dot``: the product of a sequence of matrices, left to right."""
    return matrix_dot(*arrays)


def matrix_power(M: Any, n: int) -> Variable:  # noqa: N803 (NumPy's name)
    """``M`` raised to the integer power ``n`` by repeated squaring (NumPy's ``matrix_power``).

    ``n = 0`` gives the identity; a negative ``n`` uses the pseudo-inverse,
    as PyTensor does (the inverse, for an invertible ``M``).

    Examples
    --------
    >>> import numpy as np
    >>> from pytensor.tensor.linalg import matrix_power
    >>> matrix_power(np.array([[1.0, 1.0], [0.0, 1.0]]), 5).eval()
    array([[1., 5.],
           [0., 1.]])
    """
    from pytensor.tensor.basic import identity_like
    from pytensor.tensor.linalg.inverse import pinv
    from pytensor.tensor.math import dot

    if not isinstance(n, int | np.integer) or isinstance(n, bool):
        raise TypeError(f"matrix_power: the power must be a Python integer, got {n!r}")
    M = as_matrix("matrix_power", M, "M")
    rows, cols = M.type.shape
    if rows is not None and cols is not None and rows != cols:
        raise ValueError(
            f"matrix_power: M ({M}) must be a square matrix, got static shape {fmt_shape((rows, cols))}"
        )
    if n < 0:
        M, n = pinv(M), -int(n)
    if n == 0:
        return identity_like(M)  # type: ignore[no-any-return]
    result: Any = None
    power = M
    while True:
        if n & 1:
            result = power if result is None else dot(result, power)
        n >>= 1
        if not n:
            return result  # type: ignore[no-any-return]
        power = dot(power, power)
