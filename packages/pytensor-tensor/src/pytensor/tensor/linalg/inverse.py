"""Inverses: ``MatrixInverse``/``inv``, ``MatrixPinv``/``pinv`` and ``tensorinv``
(layer: pytensor-tensor)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from pytensor.graph.basic import Apply, Variable
from pytensor.graph.op import Op
from pytensor.tensor._shape_calc import ShapedOp
from pytensor.tensor.basic import as_tensor_variable
from pytensor.tensor.linalg._common import (
    SquareMatrixOp,
    as_matrix,
    check_square,
    fold_triangle,
    linalg_dtype,
    square_dim,
    symmetric_from,
)
from pytensor.tensor.type import TensorType

__all__ = ["MatrixInverse", "MatrixPinv", "inv", "matrix_inverse", "pinv", "tensorinv"]


class MatrixInverse(SquareMatrixOp, ShapedOp, Op):
    """The inverse of a square matrix; a singular matrix raises ``numpy.linalg.LinAlgError``."""

    __props__ = ()

    def perform(self, node: Any, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        (a,) = inputs
        check_square(self, a, "a")
        try:
            result = np.linalg.inv(a)
        except np.linalg.LinAlgError:
            raise np.linalg.LinAlgError(
                f"{self}: the input a (shape {a.shape}) is singular"
            ) from None
        output_storage[0][0] = np.asarray(result, dtype=node.outputs[0].type.dtype)

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """``abar = -x^T xbar x^T`` with ``x = a^-1``."""
        x: Any = outputs[0]
        return [-(x.T @ cotangents[0] @ x.T)]

    def pushforward(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], tangents: Sequence[Any]
    ) -> list[Any]:
        """``xdot = -x adot x``."""
        x: Any = outputs[0]
        return [-(x @ tangents[0] @ x)]


class MatrixPinv(ShapedOp, Op):
    """The Moore-Penrose pseudo-inverse of an ``(m, n)`` matrix: ``(n, m)`` (NumPy's ``pinv``).

    With ``hermitian`` the matrix is taken to be symmetric and only its lower
    triangle is read. The pullback assumes the rank is locally constant.
    """

    __props__ = ("hermitian",)

    def __init__(self, hermitian: bool = False) -> None:
        self.hermitian = bool(hermitian)

    def make_node(self, a: Any) -> Apply:  # type: ignore[override]
        a = as_matrix(self, a, "a")
        (shape,) = self.static_shapes([a])
        return Apply(self, [a], [TensorType(linalg_dtype(a.type.dtype), shape)()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        m, n = input_shapes[0]
        if self.hermitian:
            m = n = square_dim(self, S, input_shapes[0], inputs[0], "a")
        return [(n, m)]

    def perform(self, node: Any, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        (a,) = inputs
        if self.hermitian:
            check_square(self, a, "a")
        result = np.linalg.pinv(a, hermitian=self.hermitian)
        output_storage[0][0] = np.asarray(result, dtype=node.outputs[0].type.dtype)

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """Golub and Pereyra's derivative of the pseudo-inverse ``z`` of ``a``, with ``g = zbar``::

        abar = (-z g^T z + z z^T g (I - a z) + (I - z a) g z^T z)^T
        """
        from pytensor.tensor.basic import identity_like

        a: Any = inputs[0]
        z: Any = outputs[0]
        g: Any = cotangents[0]
        if self.hermitian:  # the Op inverts the symmetric matrix made from the lower triangle
            a = symmetric_from(a, True)
        az, za = a @ z, z @ a
        grad = (
            -(z @ g.T @ z)
            + z @ z.T @ g @ (identity_like(az) - az)
            + (identity_like(za) - za) @ g @ z.T @ z
        ).T
        return [fold_triangle(grad, True) if self.hermitian else grad]


def inv(a: Any) -> Variable:
    """The inverse of a square matrix (NumPy's ``inv``).

    Examples
    --------
    >>> import numpy as np
    >>> from pytensor.tensor.linalg import inv
    >>> inv(np.array([[2.0, 0.0], [0.0, 4.0]])).eval()
    array([[0.5 , 0.  ],
           [0.  , 0.25]])
    """
    return MatrixInverse()(a)  # type: ignore[no-any-return]


matrix_inverse = inv


def pinv(x: Any, hermitian: bool = False) -> Variable:
    """The Moore-Penrose pseudo-inverse (NumPy's ``pinv``).

    Examples
    --------
    >>> import numpy as np
    >>> from pytensor.tensor.linalg import pinv
    >>> pinv(np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 2.0]])).eval()
    array([[1. , 0. , 0. ],
           [0. , 0. , 0.5]])
    """
    return MatrixPinv(hermitian=hermitian)(x)  # type: ignore[no-any-return]


def tensorinv(a: Any, ind: int = 2) -> Variable:
    """The inverse of ``a`` for ``tensordot(., ., ind)`` (NumPy's ``tensorinv``).

    ``a`` is reshaped to a square matrix (the first ``ind`` dimensions against
    the others), inverted, and reshaped to ``a.shape[ind:] + a.shape[:ind]``.
    """
    from pytensor.tensor.shape import reshape, shape_tuple

    a = as_tensor_variable(a)
    if not 0 < ind < a.type.ndim:
        raise ValueError(f"tensorinv: ind must be in [1, {a.type.ndim - 1}], got {ind}")
    dims = shape_tuple(a)
    rows, cols = dims[:ind], dims[ind:]
    flat = reshape(a, (_prod(rows), _prod(cols)), ndim=2)
    return reshape(inv(flat), (*cols, *rows), ndim=a.type.ndim)  # type: ignore[no-any-return]


def _prod(dims: Sequence[Any]) -> Any:
    out: Any = 1
    for d in dims:
        out = out * d
    return out
