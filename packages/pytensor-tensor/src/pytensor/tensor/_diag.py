"""Diagonals: ExtractDiag/diagonal, alloc_diag, diag and trace (layer: pytensor-tensor).

Re-exported by :mod:`pytensor.tensor.basic`, PyTensor's import path for these names.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.exceptions import AxisError

from pytensor.graph.basic import Apply, Variable
from pytensor.graph.op import Op
from pytensor.tensor._shape_calc import ShapedOp
from pytensor.tensor.basic import as_tensor_variable, constant
from pytensor.tensor.type import TensorType

__all__ = ["ExtractDiag", "alloc_diag", "diag", "diagonal", "trace"]


class ExtractDiag(ShapedOp, Op):
    """Diagonal ``offset`` of the 2-d sub-arrays over ``axis1`` and ``axis2`` (NumPy's diagonal).

    The diagonal becomes the last dimension of the output. With ``view=True``
    the output is a (read-only) view of the input, else a copy.
    """

    __props__ = ("offset", "axis1", "axis2", "view")

    def __init__(self, offset: int = 0, axis1: int = 0, axis2: int = 1, view: bool = False) -> None:
        if axis1 < 0 or axis2 < 0:
            raise ValueError(
                f"ExtractDiag: axes must be non-negative (got {axis1}, {axis2}); use pt.diagonal"
            )
        if axis1 == axis2:
            raise ValueError(f"ExtractDiag: axis1 and axis2 must differ (both are {axis1})")
        if axis1 > axis2:
            axis1, axis2, offset = axis2, axis1, -offset
        self.offset = int(offset)
        self.axis1 = int(axis1)
        self.axis2 = int(axis2)
        self.view = bool(view)
        if self.view:
            self.view_map = {0: [0]}  # type: ignore[misc]

    def make_node(self, x: Any) -> Apply:  # type: ignore[override]
        x = as_tensor_variable(x)
        if x.type.ndim < 2:
            raise ValueError(
                f"{self}: the input {x} must have at least 2 dimensions, got type {x.type}"
            )
        if self.axis2 >= x.type.ndim:
            raise AxisError(
                f"{self}: axis {self.axis2} is out of range for {x} with {x.type.ndim} dimensions"
            )
        (shape,) = self.static_shapes([x])
        return Apply(self, [x], [TensorType(x.type.dtype, shape)()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        (xs,) = input_shapes
        d1, d2 = xs[self.axis1], xs[self.axis2]
        off = self.offset
        if off > 0:
            length = S.maximum(S.const(0), S.minimum(S.sub(d2, S.const(off)), d1))
        elif off < 0:
            length = S.maximum(S.const(0), S.minimum(S.add(d1, S.const(off)), d2))
        else:
            length = S.minimum(d1, d2)
        if not S.symbolic and 0 in (d1, d2):
            length = 0
        rest = [s for d, s in enumerate(xs) if d not in (self.axis1, self.axis2)]
        return [(*rest, length)]

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        res = np.diagonal(inputs[0], self.offset, self.axis1, self.axis2)
        output_storage[0][0] = res if self.view else res.copy()

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """The cotangent placed on diagonal ``offset`` of zeros shaped like the input."""
        return [_diagonal_into(cotangents[0], inputs[0], self.offset, self.axis1, self.axis2)]

    def pushforward(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], tangents: Sequence[Any]
    ) -> list[Any]:
        return [self(tangents[0])]


def _diagonal_into(g: Variable, x: Variable, offset: int, axis1: int, axis2: int) -> Variable:
    """Zeros shaped like ``x`` with the last axis of ``g`` on diagonal ``offset`` over the axes.

    Row ``i`` of the diagonal sits at ``(i, i + offset)`` for ``offset >= 0``, else
    at ``(i - offset, i)``: ``g`` is padded with zeros to the length of the axis
    that indexes it, spread along the other axis, and masked by ``eye``.
    """
    from pytensor.tensor._alloc import switch, zeros
    from pytensor.tensor._join import concatenate
    from pytensor.tensor._layout import moveaxis
    from pytensor.tensor._ranges import eye
    from pytensor.tensor.shape import shape_tuple

    dims, gdims = shape_tuple(x), shape_tuple(g)
    d1, d2 = dims[axis1], dims[axis2]
    along = d1 if offset >= 0 else d2
    pad = along - gdims[-1]
    if not (isinstance(pad, int) and pad == 0):
        g = concatenate([g, zeros((*gdims[:-1], pad), dtype=g.type.dtype)], axis=-1)
    spread = (
        g.dimshuffle(*range(g.type.ndim), "x")
        if offset >= 0
        else g.dimshuffle(  # type: ignore[attr-defined]
            *range(g.type.ndim - 1), "x", g.type.ndim - 1
        )
    )
    out = switch(eye(d1, d2, offset, dtype="bool"), spread, constant(0, dtype=g.type.dtype))
    if (axis1, axis2) != (out.type.ndim - 2, out.type.ndim - 1):
        out = moveaxis(out, (-2, -1), (axis1, axis2))
    return out  # type: ignore[no-any-return]


def diagonal(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Variable:
    """Diagonal ``offset`` of ``a`` over ``axis1`` and ``axis2`` (NumPy's diagonal).

    Examples
    --------
    >>> import numpy as np
    >>> import pytensor.tensor as pt
    >>> pt.diagonal(np.arange(9).reshape(3, 3), 1).eval()
    array([1, 5])
    """
    from pytensor.tensor._layout import normalize_axes

    a = as_tensor_variable(a)
    a1, a2 = normalize_axes((axis1, axis2), a.type.ndim, "diagonal", allow_repeats=True)
    return ExtractDiag(offset, a1, a2)(a)  # type: ignore[no-any-return]


def alloc_diag(diag: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Variable:
    """Put the last axis of ``diag`` on diagonal ``offset`` of zero matrices (over axis1, axis2).

    ``diagonal(alloc_diag(v, k), k)`` is ``v``. Built from Eye, Join and a switch.
    """
    from pytensor.tensor._alloc import switch, zeros
    from pytensor.tensor._join import concatenate
    from pytensor.tensor._layout import moveaxis, normalize_axes
    from pytensor.tensor._ranges import eye
    from pytensor.tensor.shape import shape_padaxis, shape_tuple

    v = as_tensor_variable(diag)
    if v.type.ndim < 1:
        raise ValueError(f"alloc_diag: the input {v} must have at least one dimension")
    a1, a2 = normalize_axes((axis1, axis2), v.type.ndim + 1, "alloc_diag")
    offset = int(offset)
    dims = shape_tuple(v)
    n = dims[-1] + abs(offset)
    if offset:
        pad = zeros((*dims[:-1], abs(offset)), dtype=v.type.dtype)
        v = concatenate([pad, v] if offset > 0 else [v, pad], axis=-1)
    mask = eye(n, n, offset, dtype="bool")
    out = switch(mask, shape_padaxis(v, -2), constant(0, dtype=v.type.dtype))
    if (a1, a2) != (v.type.ndim - 1, v.type.ndim):
        out = moveaxis(out, (-2, -1), (a1, a2))
    return out  # type: ignore[no-any-return]


def diag(v: Any, k: int = 0) -> Variable:
    """NumPy's diag: a vector gives a matrix with it on diagonal ``k``; a matrix its diagonal ``k``.

    Examples
    --------
    >>> import numpy as np
    >>> import pytensor.tensor as pt
    >>> pt.diag(np.array([1, 2])).eval()
    array([[1, 0],
           [0, 2]])
    """
    v = as_tensor_variable(v)
    if v.type.ndim == 1:
        return alloc_diag(v, offset=k)
    if v.type.ndim == 2:
        return diagonal(v, offset=k)
    raise ValueError(f"diag: the input {v} must be a vector or a matrix, got type {v.type}")


def trace(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Variable:
    """Sum along diagonal ``offset`` of ``a`` (NumPy's trace)."""
    from pytensor.tensor.math import sum as pt_sum

    return pt_sum(diagonal(a, offset=offset, axis1=axis1, axis2=axis2), axis=-1)  # type: ignore[no-any-return]
