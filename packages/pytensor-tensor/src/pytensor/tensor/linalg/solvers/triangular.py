"""Triangular systems: ``SolveTriangular`` and ``solve_triangular`` (layer: pytensor-tensor)."""

from __future__ import annotations

from typing import Any

import numpy as np

from pytensor.graph.basic import Variable
from pytensor.graph.op import Op
from pytensor.tensor._shape_calc import ShapedOp
from pytensor.tensor.basic import as_tensor_variable
from pytensor.tensor.linalg._common import default_b_ndim, scipy_linalg
from pytensor.tensor.linalg.solvers.core import SolveBase

__all__ = ["SolveTriangular", "solve_triangular"]


class SolveTriangular(SolveBase, ShapedOp, Op):
    """Solve ``a x = b`` reading only the triangle of ``a`` chosen by ``lower``.

    With ``unit_diagonal`` the diagonal is taken to be ones and not read. A
    zero on the diagonal (a singular system) gives NaNs.
    """

    __props__ = ("unit_diagonal", "lower", "b_ndim")

    def __init__(
        self, *, unit_diagonal: bool = False, lower: bool = False, b_ndim: int = 2
    ) -> None:
        super().__init__(lower=lower, b_ndim=b_ndim)
        self.unit_diagonal = bool(unit_diagonal)

    def solve_values(self, a: np.ndarray, b: np.ndarray) -> np.ndarray | None:
        return scipy_linalg().solve_triangular(  # type: ignore[no-any-return]
            a, b, lower=self.lower, unit_diagonal=self.unit_diagonal, check_finite=False
        )

    def restrict_a_grad(self, g: Variable) -> Variable:
        from pytensor.tensor.basic import tril, triu

        offset = 1 if self.unit_diagonal else 0
        return tril(g, -offset) if self.lower else triu(g, offset)  # type: ignore[no-any-return]


_TRANS = {0: 0, "N": 0, 1: 1, "T": 1, 2: 2, "C": 2}  # (False and True are 0 and 1)


def solve_triangular(
    a: Any,
    b: Any,
    *,
    trans: int | str = 0,
    lower: bool = False,
    unit_diagonal: bool = False,
    check_finite: bool = True,
    b_ndim: int | None = None,
) -> Variable:
    """Solve ``a x = b`` for ``x``, with ``a`` triangular (SciPy's ``solve_triangular``).

    Parameters
    ----------
    a
        A square matrix; only the triangle chosen by ``lower`` is read.
    b
        The right-hand side: a vector or a matrix (see ``b_ndim``).
    trans
        ``0``/``"N"``: solve ``a x = b``; ``1``/``"T"``: ``a^T x = b``;
        ``2``/``"C"``: ``a^H x = b``.
    lower
        Read the lower triangle of ``a`` (default: the upper one).
    unit_diagonal
        Take the diagonal of ``a`` to be ones (it is not read).
    check_finite
        Accepted for SciPy compatibility and ignored.
    b_ndim
        1 if ``b`` is a vector, 2 if a matrix; defaults to ``min(b.ndim, 2)``.

    Examples
    --------
    >>> import numpy as np
    >>> from pytensor.tensor.linalg import solve_triangular
    >>> a = np.array([[2.0, 0.0], [1.0, 4.0]])
    >>> solve_triangular(a, np.array([2.0, 9.0]), lower=True).eval()
    array([1., 2.])
    """
    if trans not in _TRANS:
        raise ValueError(
            f"solve_triangular: trans must be one of 0, 1, 2, 'N', 'T', 'C'; got {trans!r}"
        )
    a = as_tensor_variable(a)
    b_ndim = default_b_ndim(b, b_ndim)
    mode = _TRANS[trans]
    if mode:
        a = a.conj().T if mode == 2 and a.type.dtype.startswith("complex") else a.T
        lower = not lower
    op = SolveTriangular(lower=lower, unit_diagonal=unit_diagonal, b_ndim=b_ndim)
    return op(a, b)  # type: ignore[no-any-return]
