"""The QR decomposition: ``QR`` and ``qr`` (layer: pytensor-tensor)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from pytensor.graph.basic import Apply, Variable
from pytensor.graph.op import Op
from pytensor.tensor._shape_calc import ShapedOp
from pytensor.tensor.linalg._common import (
    as_matrix,
    linalg_dtype,
    permutation_matrix,
    scipy_linalg,
    symmetric_from,
)
from pytensor.tensor.type import TensorType

__all__ = ["QR", "qr"]

MODES = ("full", "economic", "r")
_ALIASES = {"complete": "full", "reduced": "economic"}


class QR(ShapedOp, Op):
    """``a = q @ r`` for an ``(m, n)`` matrix (SciPy's ``qr``), ``k = min(m, n)``.

    ``mode="full"``: ``q`` is ``(m, m)``, ``r`` is ``(m, n)``;
    ``"economic"``: ``(m, k)`` and ``(k, n)``; ``"r"``: only ``r``, ``(m, n)``.
    With ``pivoting`` a last output ``p`` (int32, ``(n,)``) gives the column
    order: ``a[:, p] == q @ r``. With ``mode="full"`` and ``m > n`` the last
    columns of ``q`` are not unique, and a cotangent on them makes the
    gradient NaN.
    """

    __props__ = ("mode", "pivoting")

    def __init__(self, mode: str = "full", pivoting: bool = False) -> None:
        mode = _ALIASES.get(mode, mode)
        if mode not in MODES:
            raise ValueError(
                f"QR: mode must be one of {MODES} (or {tuple(_ALIASES)}), got {mode!r}; "
                "mode='raw' is not supported"
            )
        self.mode = mode
        self.pivoting = bool(pivoting)

    def make_node(self, a: Any) -> Apply:  # type: ignore[override]
        a = as_matrix(self, a, "a")
        dtype = linalg_dtype(a.type.dtype)
        shapes = self.static_shapes([a])
        dtypes = [dtype] * (len(shapes) - self.pivoting) + ["int32"] * self.pivoting
        return Apply(self, [a], [TensorType(d, s)() for d, s in zip(dtypes, shapes, strict=True)])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        m, n = input_shapes[0]
        k = S.minimum(m, n)
        shapes: list[Any] = {
            "full": [(m, m), (m, n)],
            "economic": [(m, k), (k, n)],
            "r": [(m, n)],
        }[self.mode]
        return shapes + [(n,)] * self.pivoting

    def perform(self, node: Any, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        (a,) = inputs
        dtype = node.outputs[0].type.dtype
        results = scipy_linalg().qr(
            np.asarray(a, dtype=dtype), mode=self.mode, pivoting=self.pivoting, check_finite=False
        )
        if self.mode == "r":  # SciPy returns (r,) or (r, p)
            results = tuple(results)
        for storage, out, value in zip(output_storage, node.outputs, results, strict=True):
            storage[0] = np.asarray(value, dtype=out.type.dtype)

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """Liao, Liu, Wang and Xiang's rule (arXiv:1903.09650) on the economic factors.

        Pivoting permutes the columns of ``a`` (a constant permutation matrix).
        """
        from pytensor.tensor.basic import zeros_like

        a: Any = inputs[0]
        if self.mode == "r":
            q, r, *perm = QR("economic", self.pivoting)(a)
            g_q, g_r = zeros_like(q), cotangents[0][: r.shape[0]]
        else:
            q, r, *perm = outputs
            g_q, g_r = cotangents[0], cotangents[1]
        cols = permutation_matrix(perm[0], a.type.dtype).T if perm else None  # a @ cols == a[:, p]
        if cols is not None:
            a = a @ cols
        if self.mode == "full":
            grad = self._full_pullback(a, q, r, g_q, g_r)
        else:
            grad = _qr_pullback(a, q, r, g_q, g_r)
        return [grad if cols is None else grad @ cols.T]

    def _full_pullback(self, a: Any, q: Any, r: Any, g_q: Any, g_r: Any) -> Any:
        """The economic rule on the first ``k`` columns of ``q`` (rows of ``r``; the others are 0).

        The last ``m - k`` columns of ``q`` are not unique: a cotangent on them gives NaN.
        """
        from pytensor.tensor.basic import switch
        from pytensor.tensor.math import any as pt_any
        from pytensor.tensor.math import minimum, neq

        m, n = a.type.shape
        if m is not None and n is not None and m <= n:
            return _qr_pullback(a, q, r, g_q, g_r)
        k = min(m, n) if m is not None and n is not None else minimum(a.shape[0], a.shape[1])
        grad = _qr_pullback(a, q[:, :k], r[:k], g_q[:, :k], g_r[:k])
        return switch(pt_any(neq(g_q[:, k:], 0)), np.nan, grad)


def _qr_pullback(a: Any, q: Any, r: Any, g_q: Any, g_r: Any) -> Any:
    """Reverse-mode rule of the economic QR, for ``a = [x | y]`` with ``x`` its first ``k`` columns.

    With ``r = [u | v]`` (``u`` square upper triangular) and cotangents
    ``qbar``, ``[ubar | vbar]``::

        z    = qbar + y vbar^T
        M    = u ubar^T - z^T q
        xbar = (z + q copyltu(M)) u^-T,    ybar = q vbar

    where ``copyltu(M)`` copies the lower triangle of ``M`` onto the upper
    one. For ``m >= n`` (``y`` empty) this is the usual rule.
    """
    from pytensor.tensor.basic import concatenate
    from pytensor.tensor.linalg.solvers.triangular import solve_triangular

    k = r.shape[0]
    u, g_u, g_v, y = r[:, :k], g_r[:, :k], g_r[:, k:], a[:, k:]
    z = g_q + y @ g_v.T
    mm = u @ g_u.T - z.T @ q
    sym = symmetric_from(mm, lower=True)
    x_bar: Any = solve_triangular(u, (z + q @ sym).T, lower=False)
    return concatenate([x_bar.T, q @ g_v], axis=1)


def qr(
    A: Any,  # noqa: N803 (SciPy's name)
    mode: str = "full",
    overwrite_a: bool = False,
    pivoting: bool = False,
    lwork: int | None = None,
) -> Any:
    """QR decomposition (SciPy's ``qr``).

    Parameters
    ----------
    A
        An ``(m, n)`` matrix.
    mode
        ``"full"`` (``"complete"``): ``q`` is ``(m, m)`` and ``r`` ``(m, n)``;
        ``"economic"`` (``"reduced"``): ``(m, k)`` and ``(k, n)``,
        ``k = min(m, n)``; ``"r"``: only ``r``, of shape ``(m, n)``.
    pivoting
        Also return the column order ``p`` (``A[:, p] == q @ r``).
    overwrite_a, lwork
        Accepted for SciPy compatibility and ignored.

    Examples
    --------
    >>> import numpy as np
    >>> from pytensor.tensor.linalg import qr
    >>> a = np.array([[3.0, 1.0], [4.0, 2.0]])
    >>> q, r = qr(a)
    >>> np.allclose((q @ r).eval(), a)
    True
    """
    return QR(mode=mode, pivoting=pivoting)(A)
