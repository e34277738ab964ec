"""The singular value decomposition: ``SVD`` and ``svd`` (layer: pytensor-tensor)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from pytensor.graph.basic import Apply, Variable
from pytensor.graph.op import Op
from pytensor.tensor._shape_calc import ShapedOp
from pytensor.tensor.linalg._common import as_matrix, linalg_dtype, real_dtype
from pytensor.tensor.type import TensorType

__all__ = ["SVD", "svd"]


class SVD(ShapedOp, Op):
    """``a = u @ diag(s) @ vh`` for an ``(m, n)`` matrix, ``k = min(m, n)``.

    Outputs ``(u, s, vh)`` with shapes ``(m, m), (k,), (n, n)``
    (``full_matrices``) or ``(m, k), (k,), (k, n)``; only ``s`` without
    ``compute_uv``. Singular values are real and in decreasing order. The
    pullback assumes distinct, non-zero singular values; with
    ``full_matrices`` and ``m != n`` the extra columns of ``u`` (rows of
    ``vh``) are not unique, and a cotangent on them makes the gradient NaN.
    """

    __props__ = ("full_matrices", "compute_uv")

    def __init__(self, full_matrices: bool = True, compute_uv: bool = True) -> None:
        self.full_matrices = bool(full_matrices)
        self.compute_uv = bool(compute_uv)

    def make_node(self, a: Any) -> Apply:  # type: ignore[override]
        a = as_matrix(self, a, "a")
        dtype = linalg_dtype(a.type.dtype)
        shapes = self.static_shapes([a])
        dtypes = [dtype, real_dtype(dtype), dtype] if self.compute_uv else [real_dtype(dtype)]
        return Apply(self, [a], [TensorType(d, s)() for d, s in zip(dtypes, shapes, strict=True)])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        m, n = input_shapes[0]
        k = S.minimum(m, n)
        if not self.compute_uv:
            return [(k,)]
        if self.full_matrices:
            return [(m, m), (k,), (n, n)]
        return [(m, k), (k,), (k, n)]

    def perform(self, node: Any, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        (a,) = inputs
        results: Any = np.linalg.svd(a, self.full_matrices, self.compute_uv)  # type: ignore[call-overload]
        if not self.compute_uv:
            results = (results,)
        for storage, out, value in zip(output_storage, node.outputs, results, strict=True):
            storage[0] = np.asarray(value, dtype=out.type.dtype)

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        a: Any = inputs[0]
        if not self.compute_uv:
            u, _, vh = SVD(full_matrices=False)(a)
            return [(u * cotangents[0].dimshuffle("x", 0)) @ vh]
        u, s, vh = outputs
        g_u, g_s, g_vh = cotangents
        if not self.full_matrices:
            return [_svd_pullback(u, s, vh, g_u, g_s, g_vh)]
        return [self._full_pullback(a, u, s, vh, g_u, g_s, g_vh)]

    def _full_pullback(self, a: Any, u: Any, s: Any, vh: Any, g_u: Any, g_s: Any, g_vh: Any) -> Any:
        """The reduced rule on the first ``k`` columns; NaN if the others have a cotangent."""
        from pytensor.tensor.basic import switch
        from pytensor.tensor.math import any as pt_any
        from pytensor.tensor.math import neq, or_

        m, n = a.type.shape
        if m is not None and m == n:
            return _svd_pullback(u, s, vh, g_u, g_s, g_vh)
        k = s.shape[0]
        grad = _svd_pullback(u[:, :k], s, vh[:k], g_u[:, :k], g_s, g_vh[:k])
        ambiguous = or_(pt_any(neq(g_u[:, k:], 0)), pt_any(neq(g_vh[k:], 0)))
        return switch(ambiguous, np.nan, grad)


def _svd_pullback(u: Any, s: Any, vh: Any, g_u: Any, g_s: Any, g_vh: Any) -> Any:
    """Reverse-mode rule of the reduced SVD (Townsend, "Differentiating the SVD", 2016).

    With ``v = vh^T`` and ``F[i, j] = 1 / (s[j]^2 - s[i]^2)`` off the diagonal::

        abar = u [(F * (J - J^T)) S + diag(sbar) + S (F * (K - K^T))] v^T
               + (I - u u^T) ubar S^-1 v^T + u S^-1 vbar^T (I - v v^T)

    where ``J = u^T ubar``, ``K = v^T vbar``, ``S = diag(s)``. The last two
    terms vanish for square matrices.
    """
    from pytensor.tensor.basic import alloc_diag, identity_like, switch

    v, g_v = vh.T, g_vh.T
    sq = s * s
    gap = sq.dimshuffle("x", 0) - sq.dimshuffle(0, "x")
    on_diag = identity_like(gap, dtype="bool")
    f = switch(on_diag, 0.0, 1.0 / switch(on_diag, 1.0, gap))
    j = u.T @ g_u
    k = v.T @ g_v
    row_s, col_s = s.dimshuffle("x", 0), s.dimshuffle(0, "x")
    inner = (f * (j - j.T)) * row_s + alloc_diag(g_s) + col_s * (f * (k - k.T))
    core = u @ inner @ vh
    left = (g_u - u @ j) / row_s @ vh
    right = u @ ((g_v - v @ k) / row_s).T
    return core + left + right


def svd(a: Any, full_matrices: bool = True, compute_uv: bool = True) -> Any:
    """Singular value decomposition (NumPy's ``svd``).

    Returns ``(u, s, vh)`` with ``a == u[:, :k] @ diag(s) @ vh[:k]``, or only
    ``s`` when ``compute_uv`` is False.

    Examples
    --------
    >>> import numpy as np
    >>> from pytensor.tensor.linalg import svd
    >>> svd(np.array([[3.0, 0.0], [0.0, -4.0]]), compute_uv=False).eval()
    array([4., 3.])
    """
    return SVD(full_matrices=full_matrices, compute_uv=compute_uv)(a)
