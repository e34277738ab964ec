"""General square systems: ``Solve``, ``solve`` and ``lu_solve`` (layer: pytensor-tensor)."""

from __future__ import annotations

from typing import Any

import numpy as np

from pytensor.graph.basic import Variable
from pytensor.graph.op import Op
from pytensor.tensor._shape_calc import ShapedOp
from pytensor.tensor.basic import as_tensor_variable
from pytensor.tensor.linalg._common import default_b_ndim, fold_triangle, scipy_linalg
from pytensor.tensor.linalg.solvers.core import SolveBase

__all__ = ["Solve", "lu_solve", "solve"]

#: The structures ``Solve`` itself handles; "diagonal" and the triangular ones are
#: rewritten by :func:`solve` into cheaper graphs.
ASSUME_A = ("gen", "sym", "her", "pos", "tridiagonal", "banded")
_LONG_NAMES = {
    "general": "gen",
    "symmetric": "sym",
    "hermitian": "her",
    "positive definite": "pos",
}


class Solve(SolveBase, ShapedOp, Op):
    """Solve ``a x = b`` with SciPy's solver for the structure ``assume_a``.

    ``"gen"`` reads all of ``a``; ``"sym"``, ``"her"`` and ``"pos"`` read the
    triangle chosen by ``lower``; ``"tridiagonal"`` reads three diagonals;
    ``"banded"`` reads all of ``a`` (the band is found from its zeros). A
    singular system (or, for ``"pos"``, a matrix that is not positive
    definite) gives NaNs, as in PyTensor.
    """

    __props__ = ("assume_a", "lower", "b_ndim")

    def __init__(self, *, assume_a: str = "gen", lower: bool = False, b_ndim: int = 2) -> None:
        assume_a = _LONG_NAMES.get(assume_a.lower(), assume_a.lower())
        if assume_a not in ASSUME_A:
            raise ValueError(
                f"Solve: assume_a must be one of {ASSUME_A} (or {tuple(_LONG_NAMES)}), got {assume_a!r}"
            )
        super().__init__(lower=lower, b_ndim=b_ndim)
        self.assume_a = assume_a

    def solve_values(self, a: np.ndarray, b: np.ndarray) -> np.ndarray | None:
        # An exactly singular system raises LinAlgError (the output is then NaN); an
        # ill-conditioned one gets SciPy's LinAlgWarning and an answer, as in PyTensor.
        assume_a = self.assume_a
        if assume_a in ("tridiagonal", "banded") and not _scipy_has_band_solvers():
            # SciPy < 1.15: the general solver on the entries these structures read.
            a = np.triu(np.tril(a, 1), -1) if assume_a == "tridiagonal" else a
            assume_a = "gen"
        return scipy_linalg().solve(  # type: ignore[no-any-return]
            a, b, lower=self.lower, assume_a=assume_a, check_finite=False
        )

    def restrict_a_grad(self, g: Variable) -> Variable:
        if self.assume_a in ("sym", "her", "pos"):
            return fold_triangle(g, self.lower)
        if self.assume_a == "tridiagonal":
            from pytensor.tensor.basic import tril, triu

            return tril(triu(g, -1), 1)  # type: ignore[no-any-return]
        return g


def _scipy_has_band_solvers() -> bool:
    import scipy

    major, minor = (int(p) for p in scipy.__version__.split(".")[:2])
    return (major, minor) >= (1, 15)


def solve(
    a: Any,
    b: Any,
    *,
    lower: bool = False,
    overwrite_a: bool = False,
    overwrite_b: bool = False,
    check_finite: bool = True,
    assume_a: str = "gen",
    transposed: bool = False,
    b_ndim: int | None = None,
) -> Variable:
    """Solve ``a x = b`` for ``x``, with ``a`` square (SciPy's ``solve``).

    Parameters
    ----------
    a
        A square matrix.
    b
        The right-hand side: a vector or a matrix (see ``b_ndim``).
    lower
        For ``assume_a`` in ``"sym"``, ``"her"``, ``"pos"``: read the lower
        triangle of ``a`` (default: the upper one).
    overwrite_a, overwrite_b, check_finite
        Accepted for SciPy compatibility and ignored.
    assume_a
        The structure of ``a``: ``"gen"`` (``"general"``), ``"sym"``
        (``"symmetric"``), ``"her"`` (``"hermitian"``), ``"pos"``
        (``"positive definite"``), ``"tridiagonal"``, ``"banded"``,
        ``"diagonal"``, ``"lower triangular"`` or ``"upper triangular"``.
    transposed
        Solve ``a^T x = b`` instead.
    b_ndim
        1 if ``b`` is a vector, 2 if a matrix; defaults to ``min(b.ndim, 2)``.

    A singular ``a`` gives NaNs. Mismatched shapes raise a ValueError naming
    the Op and both shapes (at graph-build time when the static shapes show it).

    Examples
    --------
    >>> import numpy as np
    >>> from pytensor.tensor.linalg import solve
    >>> a = np.array([[3.0, 1.0], [1.0, 2.0]])
    >>> solve(a, np.array([9.0, 8.0])).eval()
    array([2., 3.])
    >>> solve(a, np.array([9.0, 8.0]), assume_a="pos").eval()
    array([2., 3.])
    """
    from pytensor.tensor.linalg.solvers.triangular import solve_triangular

    kind = assume_a.lower()
    b_ndim = default_b_ndim(b, b_ndim)
    if kind in ("lower triangular", "upper triangular"):
        return solve_triangular(
            a, b, lower=kind.startswith("lower"), trans=int(transposed), b_ndim=b_ndim
        )
    if kind == "diagonal":
        return _solve_diagonal(a, b, b_ndim)
    a = as_tensor_variable(a)
    if transposed:
        a, lower = a.T, not lower
    return Solve(assume_a=kind, lower=lower, b_ndim=b_ndim)(a, b)  # type: ignore[no-any-return]


def _solve_diagonal(a: Any, b: Any, b_ndim: int) -> Variable:
    """``b`` divided by the diagonal of ``a`` (a square matrix), row by row."""
    from pytensor.tensor.basic import diagonal
    from pytensor.tensor.linalg._common import as_matrix

    a = as_matrix("solve(assume_a='diagonal')", a, "a")
    b = as_tensor_variable(b)
    if b.type.ndim != b_ndim:
        raise TypeError(
            f"solve(assume_a='diagonal'): input b ({b}) must have {b_ndim} dimension(s), got type {b.type}"
        )
    # Solve checks the shapes: reuse it on the diagonal matrix, whose solution is the quotient.
    Solve(b_ndim=b_ndim).static_shapes([a, b])
    d: Any = diagonal(a)
    return b / (d if b_ndim == 1 else d.dimshuffle(0, "x"))  # type: ignore[no-any-return]


def lu_solve(
    LU_and_pivots: tuple[Any, Any],  # noqa: N803 (SciPy's name)
    b: Any,
    trans: bool | int = False,
    b_ndim: int | None = None,
    check_finite: bool = True,
    overwrite_b: bool = False,
) -> Variable:
    """Solve ``a x = b`` (or ``a^T x = b`` with ``trans``) from ``lu_factor(a)``.

    A composite of two triangular solves and a row permutation (written as a
    product with a permutation matrix), so it is differentiable with respect
    to the factor and to ``b``.

    Examples
    --------
    >>> import numpy as np
    >>> from pytensor.tensor.linalg import lu_factor, lu_solve
    >>> a = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> lu_solve(lu_factor(a), np.array([5.0, 11.0])).eval()
    array([1., 2.])
    """
    from pytensor.tensor.linalg._common import permutation_matrix
    from pytensor.tensor.linalg.decomposition.lu import pivot_to_permutation
    from pytensor.tensor.linalg.solvers.triangular import solve_triangular

    factor, pivots = (as_tensor_variable(v) for v in LU_and_pivots)
    b = as_tensor_variable(b)
    b_ndim = default_b_ndim(b, b_ndim)
    # a[rows] == L @ U, i.e. Q @ a == L @ U with Q the permutation matrix of rows.
    q = permutation_matrix(pivot_to_permutation(pivots, inverse=True), b.type.dtype)
    if not trans:
        y = solve_triangular(factor, q @ b, lower=True, unit_diagonal=True, b_ndim=b_ndim)
        return solve_triangular(factor, y, lower=False, b_ndim=b_ndim)
    y = solve_triangular(factor, b, lower=False, trans=1, b_ndim=b_ndim)
    y = solve_triangular(factor, y, lower=True, unit_diagonal=True, trans=1, b_ndim=b_ndim)
    return q.T @ y  # type: ignore[no-any-return]
