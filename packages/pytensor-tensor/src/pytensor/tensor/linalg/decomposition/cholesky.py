"""The Cholesky factorization: ``Cholesky`` and ``cholesky`` (layer: pytensor-tensor)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from pytensor.graph.basic import Variable
from pytensor.graph.op import Op
from pytensor.tensor._shape_calc import ShapedOp
from pytensor.tensor.linalg._common import (
    SquareMatrixOp,
    check_square,
    diag_part,
    fold_triangle,
    scipy_linalg,
)

__all__ = ["Cholesky", "cholesky"]

ON_ERROR = ("raise", "nan")


class Cholesky(SquareMatrixOp, ShapedOp, Op):
    """Triangular factor ``L`` of a symmetric positive-definite matrix: ``L @ L.T == a``.

    Only the triangle selected by ``lower`` is read. When the matrix is not
    positive definite, ``on_error="nan"`` gives a matrix of NaNs and
    ``on_error="raise"`` raises ``numpy.linalg.LinAlgError``.
    """

    __props__ = ("lower", "on_error")

    def __init__(self, *, lower: bool = True, on_error: str = "nan") -> None:
        if on_error not in ON_ERROR:
            raise ValueError(f"Cholesky: on_error must be one of {ON_ERROR}, got {on_error!r}")
        self.lower = bool(lower)
        self.on_error = on_error

    def perform(self, node: Any, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        (a,) = inputs
        check_square(self, a, "a")
        dtype = node.outputs[0].type.dtype
        if a.size == 0:
            output_storage[0][0] = np.empty(a.shape, dtype=dtype)
            return
        try:
            factor = scipy_linalg().cholesky(a, lower=self.lower, check_finite=False)
            failed = not np.all(np.isfinite(factor))
        except np.linalg.LinAlgError:
            factor, failed = None, True
        if failed:
            if self.on_error == "raise":
                raise np.linalg.LinAlgError(
                    f"{self}: the input a (shape {a.shape}) is not positive definite "
                    "(or has non-finite entries)"
                )
            factor = np.full(a.shape, np.nan)
        output_storage[0][0] = np.asarray(factor, dtype=dtype)

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """Murray's rule (arXiv:1602.07527), folded onto the triangle the Op reads.

        With ``L`` lower and ``Phi`` taking the lower triangle with a halved
        diagonal, the gradient for symmetric perturbations is
        ``S = L^-T Phi(L^T Lbar) L^-1`` (only its symmetric part matters).
        """
        from pytensor.tensor.basic import tril
        from pytensor.tensor.linalg.solvers.triangular import solve_triangular

        factor: Any = outputs[0]
        g: Any = cotangents[0]
        if not self.lower:
            factor, g = factor.T, g.T
        inner = factor.T @ g
        phi = tril(inner, -1) + 0.5 * diag_part(inner)
        left: Any = solve_triangular(factor, phi, lower=True, trans=1)
        s: Any = solve_triangular(factor, left.T, lower=True, trans=1)
        return [fold_triangle(s.T, self.lower)]


def cholesky(
    x: Any,
    lower: bool = True,
    *,
    check_finite: bool = True,
    overwrite_a: bool = False,
    on_error: str = "nan",
) -> Variable:
    """The Cholesky factor of a symmetric positive-definite matrix.

    Parameters
    ----------
    x
        A square matrix; only the triangle chosen by ``lower`` is read.
    lower
        Return the lower factor ``L`` (``L @ L.T == x``), else the upper
        factor ``U`` (``U.T @ U == x``).
    check_finite, overwrite_a
        Accepted for SciPy compatibility and ignored.
    on_error
        ``"nan"`` (PyTensor 3.0's default): a matrix that is not positive
        definite gives NaNs. ``"raise"``: it raises
        ``numpy.linalg.LinAlgError`` naming the Op.

    Examples
    --------
    >>> import numpy as np
    >>> import pytensor.tensor as pt
    >>> from pytensor.tensor.linalg import cholesky
    >>> cholesky(np.array([[4.0, 2.0], [2.0, 5.0]])).eval()
    array([[2., 0.],
           [1., 2.]])
    """
    return Cholesky(lower=lower, on_error=on_error)(x)  # type: ignore[no-any-return]
