"""Eigen-decompositions: ``Eig``/``eig``, ``Eigh``/``eigh`` and ``Eigvalsh``/``eigvalsh``
(layer: pytensor-tensor)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from pytensor.graph.basic import Apply, Variable
from pytensor.graph.op import Op
from pytensor.tensor._shape_calc import ShapedOp
from pytensor.tensor.linalg._common import (
    as_matrix,
    check_square,
    fmt_shape,
    fold_triangle,
    linalg_dtype,
    real_dtype,
    scipy_linalg,
    square_dim,
    symmetric_from,
)
from pytensor.tensor.type import TensorType

__all__ = ["Eig", "Eigh", "Eigvalsh", "eig", "eigh", "eigvalsh"]


def _complex_dtype(dtype: str) -> str:
    return np.result_type(dtype, np.complex64).name


class Eig(ShapedOp, Op):
    """Eigenvalues ``w`` and right eigenvectors ``v`` (columns) of a general square matrix.

    Both outputs are complex, whatever the input. Its pullback is not
    implemented (differentiating complex outputs is not supported); use
    :class:`Eigh` for symmetric matrices.
    """

    __props__ = ()

    def make_node(self, a: Any) -> Apply:  # type: ignore[override]
        a = as_matrix(self, a, "a")
        dtype = _complex_dtype(linalg_dtype(a.type.dtype))
        w_shape, v_shape = self.static_shapes([a])
        return Apply(self, [a], [TensorType(dtype, w_shape)(), TensorType(dtype, v_shape)()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        n = square_dim(self, S, input_shapes[0], inputs[0], "a")
        return [(n,), (n, n)]

    def perform(self, node: Any, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        (a,) = inputs
        check_square(self, a, "a")
        w, v = np.linalg.eig(a)
        output_storage[0][0] = np.asarray(w, dtype=node.outputs[0].type.dtype)
        output_storage[1][0] = np.asarray(v, dtype=node.outputs[1].type.dtype)

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        from pytensor.gradient import grad_not_implemented

        return [
            grad_not_implemented(
                self, 0, inputs[0], "Its outputs are complex; for a symmetric matrix use eigh."
            )
        ]


def _eigh_pullback(w: Any, v: Any, g_w: Any, g_v: Any) -> Any:
    """The gradient of ``(w, v) = eigh(a)`` for symmetric perturbations of ``a``.

    ``v (diag(wbar) + F * (v^T vbar)) v^T`` with ``F[i, j] = 1 / (w[j] - w[i])``
    off the diagonal and 0 on it (eigenvalues must be distinct).
    """
    from pytensor.tensor.basic import alloc_diag, identity_like, switch

    gap = w.dimshuffle("x", 0) - w.dimshuffle(0, "x")
    on_diag = identity_like(gap, dtype="bool")
    inv_gap = switch(on_diag, 0.0, 1.0 / switch(on_diag, 1.0, gap))
    inner = alloc_diag(g_w) + inv_gap * (v.T @ g_v)
    return v @ inner @ v.T


class Eigh(ShapedOp, Op):
    """Eigenvalues (ascending, real) and orthonormal eigenvectors of a symmetric matrix.

    Only the triangle chosen by ``UPLO`` (``"L"`` or ``"U"``) is read. The
    pullback assumes distinct eigenvalues.
    """

    __props__ = ("UPLO",)

    def __init__(self, UPLO: str = "L") -> None:  # noqa: N803 (NumPy's name)
        if UPLO not in ("L", "U"):
            raise ValueError(f"Eigh: UPLO must be 'L' or 'U', got {UPLO!r}")
        self.UPLO = UPLO

    def make_node(self, a: Any) -> Apply:  # type: ignore[override]
        a = as_matrix(self, a, "a")
        dtype = linalg_dtype(a.type.dtype)
        w_shape, v_shape = self.static_shapes([a])
        return Apply(
            self, [a], [TensorType(real_dtype(dtype), w_shape)(), TensorType(dtype, v_shape)()]
        )

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        n = square_dim(self, S, input_shapes[0], inputs[0], "a")
        return [(n,), (n, n)]

    def perform(self, node: Any, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        (a,) = inputs
        check_square(self, a, "a")
        w, v = np.linalg.eigh(a, UPLO=self.UPLO)  # type: ignore[call-overload]
        output_storage[0][0] = np.asarray(w, dtype=node.outputs[0].type.dtype)
        output_storage[1][0] = np.asarray(v, dtype=node.outputs[1].type.dtype)

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        w, v = outputs
        raw = _eigh_pullback(w, v, cotangents[0], cotangents[1])
        return [fold_triangle(raw, self.UPLO == "L")]


def eig(x: Any) -> Any:
    """Eigenvalues and right eigenvectors of a square matrix, both complex (NumPy's ``eig``).

    Examples
    --------
    >>> import numpy as np
    >>> from pytensor.tensor.linalg import eig
    >>> w, v = eig(np.diag([2.0, 3.0]))
    >>> w.eval()
    array([2.+0.j, 3.+0.j])
    """
    return Eig()(x)


def eigh(a: Any, UPLO: str = "L") -> Any:  # noqa: N803 (NumPy's name)
    """Eigenvalues (ascending) and eigenvectors of a symmetric matrix (NumPy's ``eigh``).

    Examples
    --------
    >>> import numpy as np
    >>> from pytensor.tensor.linalg import eigh
    >>> w, v = eigh(np.array([[2.0, 1.0], [1.0, 2.0]]))
    >>> w.eval()
    array([1., 3.])
    """
    return Eigh(UPLO)(a)


class Eigvalsh(ShapedOp, Op):
    """Eigenvalues of a symmetric ``a``, or of the generalized problem ``a v = w b v``.

    ``b`` (optional second input) must be symmetric positive definite. Only the
    triangles chosen by ``lower`` are read. The pullback assumes distinct
    eigenvalues.
    """

    __props__ = ("lower",)

    def __init__(self, lower: bool = True) -> None:
        self.lower = bool(lower)

    def make_node(self, a: Any, b: Any = None) -> Apply:  # type: ignore[override]
        a = as_matrix(self, a, "a")
        inputs = [a] if b is None or _is_none(b) else [a, as_matrix(self, b, "b")]
        dtype = real_dtype(linalg_dtype(*[i.type.dtype for i in inputs]))
        (shape,) = self.static_shapes(inputs)
        return Apply(self, inputs, [TensorType(dtype, shape)()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        n = square_dim(self, S, input_shapes[0], inputs[0], "a")
        if len(inputs) == 2:
            b = inputs[1]
            m = square_dim(self, S, input_shapes[1], b, "b")
            n = S.equal(
                self,
                n,
                m,
                f"a ({inputs[0]}, static shape {fmt_shape(inputs[0].type.shape)}) and "  # type: ignore[attr-defined]
                f"b ({b}, static shape {fmt_shape(b.type.shape)}) must have the same shape",  # type: ignore[attr-defined]
            )
        return [(n,)]

    def perform(self, node: Any, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        a = inputs[0]
        b = inputs[1] if len(inputs) == 2 else None
        check_square(self, a, "a")
        if b is not None:
            check_square(self, b, "b")
            if b.shape != a.shape:
                raise ValueError(
                    f"{self}: a (shape {a.shape}) and b (shape {b.shape}) must have the same shape"
                )
        if a.size == 0:
            w = np.empty(0)
        else:
            w = scipy_linalg().eigvalsh(a, b, lower=self.lower, check_finite=False)
        output_storage[0][0] = np.asarray(w, dtype=node.outputs[0].type.dtype)

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """``abar = v diag(wbar) v^T`` and ``bbar = -v diag(wbar w) v^T``, ``v`` b-orthonormal."""
        from pytensor.tensor.basic import alloc_diag

        w: Any = outputs[0]
        g_w: Any = cotangents[0]
        if len(inputs) == 1:
            _, v = Eigh("L" if self.lower else "U")(inputs[0])
            return [fold_triangle(v @ alloc_diag(g_w) @ v.T, self.lower)]
        v = _generalized_eigenvectors(inputs[0], inputs[1], self.lower)
        g_a = v @ alloc_diag(g_w) @ v.T
        g_b = -(v @ alloc_diag(g_w * w) @ v.T)
        return [fold_triangle(g_a, self.lower), fold_triangle(g_b, self.lower)]


def _is_none(b: Any) -> bool:
    from pytensor.tensor._type_other import NoneTypeT

    return isinstance(getattr(b, "type", None), NoneTypeT)


def _generalized_eigenvectors(a: Any, b: Any, lower: bool) -> Any:
    """Eigenvectors of ``a v = w b v`` normalised so that ``v^T b v = I``.

    With ``b = c c^T`` (Cholesky), they are ``c^-T`` times the eigenvectors of
    ``c^-1 a c^-T``. ``a`` and ``b`` are read through the same triangle as the Op.
    """
    from pytensor.tensor.linalg.decomposition.cholesky import cholesky
    from pytensor.tensor.linalg.solvers.triangular import solve_triangular

    c = cholesky(symmetric_from(b, lower), lower=True)
    left: Any = solve_triangular(c, symmetric_from(a, lower), lower=True)
    reduced = solve_triangular(c, left.T, lower=True)
    _, u = Eigh("L")(reduced)
    return solve_triangular(c, u, lower=True, trans=1)


def eigvalsh(a: Any, b: Any = None, lower: bool = True) -> Variable:
    """Eigenvalues (ascending) of a symmetric ``a``, or of ``a v = w b v`` (SciPy's ``eigvalsh``).

    Examples
    --------
    >>> import numpy as np
    >>> from pytensor.tensor.linalg import eigvalsh
    >>> eigvalsh(np.array([[2.0, 1.0], [1.0, 2.0]])).eval()
    array([1., 3.])
    >>> eigvalsh(np.diag([2.0, 6.0]), np.diag([1.0, 2.0])).eval()
    array([2., 3.])
    """
    if b is None or _is_none(b):
        return Eigvalsh(lower)(a)  # type: ignore[no-any-return]
    return Eigvalsh(lower)(a, b)  # type: ignore[no-any-return]
