"""LU factorizations with partial pivoting: ``LU``/``lu``, ``LUFactor``/``lu_factor`` and
``PivotToPermutations``/``pivot_to_permutation`` (layer: pytensor-tensor)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from pytensor.graph.basic import Apply, Variable
from pytensor.graph.op import Op
from pytensor.tensor._shape_calc import ShapedOp
from pytensor.tensor.basic import as_tensor_variable
from pytensor.tensor.linalg._common import (
    as_matrix,
    check_square,
    linalg_dtype,
    permutation_matrix,
    real_dtype,
    scipy_linalg,
    square_dim,
)
from pytensor.tensor.type import TensorType

__all__ = ["LU", "LUFactor", "PivotToPermutations", "lu", "lu_factor", "pivot_to_permutation"]


def _lu_pullback(factor_l: Any, factor_u: Any, g_l: Any, g_u: Any) -> Any:
    """The cotangent of ``b = l @ u`` (unit lower ``l``, upper ``u``) from those of the factors.

    De Hoog, Anderssen and Lukas: ``bbar = l^-T (tril(l^T lbar, -1) + triu(ubar u^T)) u^-T``.
    """
    from pytensor.tensor.basic import tril, triu
    from pytensor.tensor.linalg.solvers.triangular import solve_triangular

    lower_part: Any = tril(factor_l.T @ g_l, -1)
    left: Any = solve_triangular(
        factor_l, lower_part + triu(g_u @ factor_u.T), lower=True, unit_diagonal=True, trans=1
    )
    right: Any = solve_triangular(factor_u, left.T, lower=False)
    return right.T


class LU(ShapedOp, Op):
    """``a = p @ l @ u`` for a square ``a``: ``p`` a permutation, ``l`` unit lower, ``u`` upper.

    Outputs ``(p, l, u)``; with ``p_indices`` the permutation is given as
    int32 row indices ``p`` (``a == l[p] @ u``); with ``permute_l`` the
    outputs are ``(p @ l, u)``.
    """

    __props__ = ("permute_l", "p_indices")

    def __init__(self, *, permute_l: bool = False, p_indices: bool = False) -> None:
        if permute_l and p_indices:
            raise ValueError("LU: permute_l and p_indices cannot both be True")
        self.permute_l = bool(permute_l)
        self.p_indices = bool(p_indices)

    def make_node(self, a: Any) -> Apply:  # type: ignore[override]
        a = as_matrix(self, a, "a")
        dtype = linalg_dtype(a.type.dtype)
        shapes = self.static_shapes([a])
        if self.permute_l:
            dtypes = [dtype, dtype]
        elif self.p_indices:
            dtypes = ["int32", dtype, dtype]
        else:
            dtypes = [real_dtype(dtype), dtype, dtype]
        return Apply(self, [a], [TensorType(d, s)() for d, s in zip(dtypes, shapes, strict=True)])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        n = square_dim(self, S, input_shapes[0], inputs[0], "a")
        if self.permute_l:
            return [(n, n), (n, n)]
        return [(n,) if self.p_indices else (n, n), (n, n), (n, n)]

    def perform(self, node: Any, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        (a,) = inputs
        check_square(self, a, "a")
        results = scipy_linalg().lu(
            a, permute_l=self.permute_l, p_indices=self.p_indices, check_finite=False
        )
        for storage, out, value in zip(output_storage, node.outputs, results, strict=True):
            storage[0] = np.asarray(value, dtype=out.type.dtype)

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """The permutation is piecewise constant: ``abar = p @ bbar`` with ``b = l @ u``."""
        a: Any = inputs[0]
        if self.permute_l:
            p, factor_l, factor_u = LU()(a)
            g_l, g_u = p.T @ cotangents[0], cotangents[1]
        else:
            p, factor_l, factor_u = outputs
            g_l, g_u = cotangents[1], cotangents[2]
            if self.p_indices:
                p = permutation_matrix(p, factor_l.type.dtype)  # type: ignore[attr-defined]
        return [p @ _lu_pullback(factor_l, factor_u, g_l, g_u)]


class PivotToPermutations(ShapedOp, Op):
    """Row order from LAPACK pivots (``lu_factor``'s second output).

    The pivots say "row ``i`` was swapped with row ``piv[i]``", in order.
    With ``inverse=True`` the output is the row order ``r`` with
    ``a[r] == l @ u``; otherwise its inverse permutation ``p`` with
    ``a == (l @ u)[p]``.
    """

    __props__ = ("inverse",)

    def __init__(self, inverse: bool = True) -> None:
        self.inverse = bool(inverse)

    def make_node(self, pivots: Any) -> Apply:  # type: ignore[override]
        pivots = as_tensor_variable(pivots)
        if pivots.type.ndim != 1 or pivots.type.dtype[:3] not in ("int", "uin"):
            raise TypeError(
                f"{self}: the pivots ({pivots}) must be an integer vector, got type {pivots.type}"
            )
        (shape,) = self.static_shapes([pivots])
        return Apply(self, [pivots], [TensorType("int64", shape)()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        return [tuple(input_shapes[0])]

    def perform(self, node: Any, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        (pivots,) = inputs
        n = len(pivots)
        rows = np.arange(n, dtype="int64")
        for i, j in enumerate(pivots):
            if not 0 <= j < n:
                raise IndexError(
                    f"{self}: pivot {j} at position {i} is out of range for length {n}"
                )
            rows[i], rows[j] = rows[j], rows[i]
        output_storage[0][0] = rows if self.inverse else np.argsort(rows).astype("int64")

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        from pytensor.gradient import disconnected_type

        return [disconnected_type()]


def pivot_to_permutation(p: Any, inverse: bool = False) -> Variable:
    """Permutation indices from LAPACK pivots (see :class:`PivotToPermutations`)."""
    return PivotToPermutations(inverse=inverse)(p)  # type: ignore[no-any-return]


class LUFactor(ShapedOp, Op):
    """``lu_factor``: the LU factors packed into one matrix, and LAPACK's pivots.

    The strictly lower part of the first output is ``l`` (whose diagonal is
    ones), the upper part ``u``; ``a[r] == l @ u`` with
    ``r = pivot_to_permutation(piv, inverse=True)``. A singular ``a`` gives
    NaNs in the factor.
    """

    __props__ = ()

    def make_node(self, a: Any) -> Apply:  # type: ignore[override]
        a = as_matrix(self, a, "a")
        lu_shape, piv_shape = self.static_shapes([a])
        return Apply(
            self,
            [a],
            [TensorType(linalg_dtype(a.type.dtype), lu_shape)(), TensorType("int32", piv_shape)()],
        )

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        n = square_dim(self, S, input_shapes[0], inputs[0], "a")
        return [(n, n), (n,)]

    def perform(self, node: Any, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        (a,) = inputs
        check_square(self, a, "a")
        dtype = node.outputs[0].type.dtype
        if a.size == 0:
            output_storage[0][0] = np.empty(a.shape, dtype=dtype)
            output_storage[1][0] = np.empty(0, dtype="int32")
            return
        (getrf,) = scipy_linalg().get_lapack_funcs(("getrf",), (np.asarray(a, dtype=dtype),))
        factor, pivots, info = getrf(np.asarray(a, dtype=dtype))
        if info > 0:
            factor = np.full(a.shape, np.nan)
        output_storage[0][0] = np.asarray(factor, dtype=dtype)
        output_storage[1][0] = np.asarray(pivots, dtype="int32")

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """With ``q @ a == l @ u`` (``q`` the row permutation): ``abar = q^T bbar``."""
        from pytensor.tensor.basic import identity_like, tril, triu

        factor: Any = outputs[0]
        g = cotangents[0]
        factor_l = tril(factor, -1) + identity_like(factor)  # type: ignore[operator]
        factor_u = triu(factor)
        q = permutation_matrix(pivot_to_permutation(outputs[1], inverse=True), factor.type.dtype)
        return [q.T @ _lu_pullback(factor_l, factor_u, tril(g, -1), triu(g))]


def lu(
    a: Any,
    permute_l: bool = False,
    check_finite: bool = True,
    p_indices: bool = False,
    overwrite_a: bool = False,
) -> Any:
    """LU factorization with partial pivoting of a square matrix (SciPy's ``lu``).

    Returns ``(p, l, u)`` with ``a == p @ l @ u``; ``(p @ l, u)`` with
    ``permute_l``; ``(indices, l, u)`` with ``p_indices`` (then
    ``a == l[indices] @ u``). ``check_finite`` and ``overwrite_a`` are
    accepted for SciPy compatibility and ignored.

    Examples
    --------
    >>> import numpy as np
    >>> from pytensor.tensor.linalg import lu
    >>> p, l, u = lu(np.array([[1.0, 2.0], [3.0, 4.0]]))
    >>> (p @ l @ u).eval()
    array([[1., 2.],
           [3., 4.]])
    """
    return LU(permute_l=permute_l, p_indices=p_indices)(a)


def lu_factor(a: Any, *, check_finite: bool = True, overwrite_a: bool = False) -> Any:
    """LU factorization packed as SciPy's ``lu_factor``: ``(lu, piv)``, for :func:`lu_solve`.

    ``check_finite`` and ``overwrite_a`` are accepted for SciPy compatibility
    and ignored.
    """
    return LUFactor()(a)
