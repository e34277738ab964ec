"""Systems with a Cholesky factor: ``CholeskySolve`` and ``cho_solve`` (layer: pytensor-tensor)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from pytensor.graph.basic import Variable
from pytensor.graph.op import Op
from pytensor.tensor._shape_calc import ShapedOp
from pytensor.tensor.linalg._common import default_b_ndim, scipy_linalg
from pytensor.tensor.linalg.solvers.core import SolveBase

__all__ = ["CholeskySolve", "cho_solve"]


class CholeskySolve(SolveBase, ShapedOp, Op):
    """Solve ``(c c^T) x = b`` (``lower``) or ``(c^T c) x = b`` given a Cholesky factor ``c``.

    Only the triangle of ``c`` chosen by ``lower`` is read. A zero on the
    diagonal of the factor gives NaNs.
    """

    __props__ = ("lower", "b_ndim")

    def solve_values(self, a: np.ndarray, b: np.ndarray) -> np.ndarray | None:
        if not np.all(np.diagonal(a)):
            return None
        return scipy_linalg().cho_solve((a, self.lower), b, check_finite=False)  # type: ignore[no-any-return]

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """With ``a = c c^T``: ``bbar = a^-1 xbar``, ``abar = -bbar x^T``, ``cbar = (abar + abar^T) c``."""
        from pytensor.tensor.basic import tril, triu
        from pytensor.tensor.math import outer

        c: Any = inputs[0]
        x: Any = outputs[0]
        g_b: Any = self(c, cotangents[0])  # a is symmetric: the transposed system is the same
        g_a = -outer(g_b, x) if self.b_ndim == 1 else -(g_b @ x.T)
        sym = g_a + g_a.T
        if self.lower:
            return [tril(sym @ tril(c)), g_b]
        return [triu(triu(c) @ sym), g_b]


def cho_solve(
    c_and_lower: tuple[Any, bool],
    b: Any,
    *,
    check_finite: bool = True,
    b_ndim: int | None = None,
) -> Variable:
    """Solve ``a x = b`` given the Cholesky factor of ``a`` (SciPy's ``cho_solve``).

    Parameters
    ----------
    c_and_lower
        ``(c, lower)``: the factor (as from :func:`cholesky`) and whether it is
        the lower one.
    b
        The right-hand side: a vector or a matrix (see ``b_ndim``).
    check_finite
        Accepted for SciPy compatibility and ignored.
    b_ndim
        1 if ``b`` is a vector, 2 if a matrix; defaults to ``min(b.ndim, 2)``.

    Examples
    --------
    >>> import numpy as np
    >>> from pytensor.tensor.linalg import cho_solve, cholesky
    >>> a = np.array([[4.0, 2.0], [2.0, 5.0]])
    >>> cho_solve((cholesky(a), True), np.array([8.0, 12.0])).eval()
    array([1., 2.])
    """
    c, lower = c_and_lower
    return CholeskySolve(lower=lower, b_ndim=default_b_ndim(b, b_ndim))(c, b)  # type: ignore[no-any-return]
