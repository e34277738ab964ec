"""Helpers shared by the linear-algebra Ops (layer: pytensor-tensor).

Output dtypes follow LAPACK's choice of working type, input checks raise
errors that name the Op, the input and the shapes, and the pullbacks of Ops
that read only part of a matrix (one triangle, a band) use the masks here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from pytensor.tensor.basic import as_tensor_variable

__all__: list[str] = []

BATCH_NOTE = "batched inputs (leading batch dimensions) are not supported yet"


def scipy_linalg() -> Any:
    """``scipy.linalg``, imported on first use (SciPy is slow to import)."""
    import scipy.linalg  # type: ignore[import-untyped]

    return scipy.linalg


def _lapack_dtype(dtype: Any) -> np.dtype:
    dt = np.dtype(dtype)
    if dt.kind == "c":
        return np.dtype("complex64" if dt.itemsize <= 8 else "complex128")
    if (dt.kind == "f" and dt.itemsize > 4) or (dt.kind in "iub" and dt.itemsize > 2):
        return np.dtype("float64")
    return np.dtype("float32")


def linalg_dtype(*dtypes: Any) -> str:
    """The dtype LAPACK computes in for inputs of these dtypes.

    Each dtype maps to the nearest LAPACK type (small integers and float16 to
    float32, larger integers to float64, complex kept) and the results are
    promoted together, as ``scipy.linalg`` does.
    """
    return np.result_type(*[_lapack_dtype(d) for d in dtypes]).name


def real_dtype(dtype: str) -> str:
    """The real dtype of the same precision (singular values, log-determinants, norms)."""
    return np.finfo(np.dtype(dtype)).dtype.name


def fmt_shape(shape: Sequence[Any]) -> str:
    """A shape for messages: unknown lengths as ``?``."""
    inner = ", ".join("?" if s is None else str(s) for s in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def as_matrix(op: Any, value: Any, name: str) -> Any:
    """``x`` as a tensor variable, which must be a matrix (2-d)."""
    x: Any = as_tensor_variable(value)
    if x.type.ndim != 2:
        raise TypeError(
            f"{op}: input {name} ({x}) must be a matrix (2-d), got type {x.type}; {BATCH_NOTE}"
        )
    return x


def check_b(op: Any, b: Any, b_ndim: int) -> None:
    """The right-hand side of a solve has ``b_ndim`` dimensions (1: a vector, 2: a matrix)."""
    if b.type.ndim != b_ndim:
        raise TypeError(
            f"{op}: input b ({b}) must have {b_ndim} dimension(s) (b_ndim={b_ndim}), "
            f"got type {b.type}; {BATCH_NOTE}"
        )


def default_b_ndim(b: Any, b_ndim: int | None) -> int:
    """``b_ndim`` as given, else 1 for a vector ``b`` and 2 otherwise."""
    if b_ndim is not None:
        if b_ndim not in (1, 2):
            raise ValueError(f"b_ndim must be 1 or 2, got {b_ndim}")
        return int(b_ndim)
    return 1 if as_tensor_variable(b).type.ndim <= 1 else 2


def square_dim(op: Any, S: Any, shape: Sequence[Any], x: Any, name: str) -> Any:
    """The side of square matrix input ``name`` (raises statically when known to be non-square)."""
    return S.equal(
        op,
        shape[0],
        shape[1],
        f"input {name} must be a square matrix, got {x} with static shape {fmt_shape(x.type.shape)}",
    )


def check_square(op: Any, a: np.ndarray, name: str) -> None:
    """Run-time check that input ``name`` is a square matrix."""
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise ValueError(f"{op}: input {name} must be a square matrix, got shape {a.shape}")


def diag_part(m: Any) -> Any:
    """``m`` with everything off the diagonal zeroed."""
    from pytensor.tensor.basic import identity_like

    return m * identity_like(m)  # type: ignore[no-any-return]


def fold_triangle(g: Any, lower: bool) -> Any:
    """The gradient of an Op that reads only one triangle of a symmetric matrix.

    ``g`` is the gradient for symmetric perturbations. The Op sees
    ``tril(a) + tril(a, -1).T`` (for ``lower``), so an entry off the diagonal
    of the read triangle moves two entries of the matrix it sees, and the
    other triangle moves nothing.
    """
    from pytensor.tensor.basic import tril, triu

    tri: Any = tril if lower else triu
    return tri(g) + tri(g.T, -1 if lower else 1)


def symmetric_from(a: Any, lower: bool) -> Any:
    """The symmetric matrix whose lower (else upper) triangle is that of ``a``: what an Op
    reading one triangle sees."""
    from pytensor.tensor.basic import tril, triu

    tri: Any = tril if lower else triu
    return tri(a) + tri(a, -1 if lower else 1).T


def permutation_matrix(perm: Any, dtype: str) -> Any:
    """``Q`` with ``Q[i, j] = (perm[i] == j)``, so that ``Q @ x == x[perm]``.

    A product with it permutes rows without advanced indexing.
    """
    from pytensor.tensor.basic import arange, cast
    from pytensor.tensor.math import eq

    perm = as_tensor_variable(perm)
    perm_var: Any = perm
    cols: Any = arange(perm_var.shape[0], dtype=perm_var.type.dtype)
    return cast(eq(perm_var.dimshuffle(0, "x"), cols.dimshuffle("x", 0)), dtype)  # type: ignore[no-any-return]


class SquareMatrixOp:
    """Mixin for Ops mapping one square matrix ``a`` to a square matrix of the same size.

    It supplies ``make_node`` (the input checked as a matrix, the LAPACK output
    dtype) and the shape definition; the Op class adds ``ShapedOp, Op``.
    """

    def make_node(self, a: Any) -> Any:
        from pytensor.graph.basic import Apply
        from pytensor.tensor.type import TensorType

        a = as_matrix(self, a, "a")
        (shape,) = self.static_shapes([a])  # type: ignore[attr-defined]
        return Apply(self, [a], [TensorType(linalg_dtype(a.type.dtype), shape)()])  # type: ignore[arg-type]

    def _output_shapes(
        self, inputs: Sequence[Any], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        n = square_dim(self, S, input_shapes[0], inputs[0], "a")
        return [(n, n)]
