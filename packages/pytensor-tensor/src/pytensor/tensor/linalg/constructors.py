"""Matrices built from matrices: ``BlockDiagonal`` and ``block_diag`` (layer: pytensor-tensor)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from pytensor.graph.basic import Apply, Variable
from pytensor.graph.op import Op
from pytensor.scalar.basic import upcast
from pytensor.tensor._shape_calc import ShapedOp
from pytensor.tensor.linalg._common import as_matrix

__all__ = ["BlockDiagonal", "block_diag"]


class BlockDiagonal(ShapedOp, Op):
    """The block-diagonal matrix of ``n_inputs`` matrices (SciPy's ``block_diag``).

    The output dtype is the promotion of the inputs' dtypes; the pullback
    hands each input its block of the cotangent.
    """

    __props__ = ("n_inputs",)

    def __init__(self, n_inputs: int) -> None:
        if n_inputs < 1:
            raise ValueError(f"BlockDiagonal: needs at least one matrix, got n_inputs={n_inputs}")
        self.n_inputs = int(n_inputs)

    def make_node(self, *matrices: Any) -> Apply:  # type: ignore[override]
        from pytensor.tensor.type import TensorType

        if len(matrices) != self.n_inputs:
            raise TypeError(f"{self}: expected {self.n_inputs} matrices, got {len(matrices)}")
        mats = [as_matrix(self, m, f"{k}") for k, m in enumerate(matrices)]
        (shape,) = self.static_shapes(mats)
        dtype = upcast(*[m.type.dtype for m in mats])
        return Apply(self, mats, [TensorType(dtype, shape)()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        return [(S.sum([s[0] for s in input_shapes]), S.sum([s[1] for s in input_shapes]))]

    def perform(self, node: Any, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        rows = sum(m.shape[0] for m in inputs)
        cols = sum(m.shape[1] for m in inputs)
        out = np.zeros((rows, cols), dtype=node.outputs[0].type.dtype)
        r = c = 0
        for m in inputs:
            out[r : r + m.shape[0], c : c + m.shape[1]] = m
            r, c = r + m.shape[0], c + m.shape[1]
        output_storage[0][0] = out

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        from pytensor.tensor.basic import cast

        g: Any = cotangents[0]
        grads = []
        r: Any = 0
        c: Any = 0
        for m in inputs:
            rows, cols = m.shape  # type: ignore[attr-defined]
            block = g[r : r + rows, c : c + cols]
            grads.append(cast(block, m.type.dtype) if m.type.dtype != g.type.dtype else block)  # type: ignore[attr-defined]
            r, c = r + rows, c + cols
        return grads


def block_diag(*matrices: Any) -> Variable:
    """The block-diagonal matrix with ``matrices`` on its diagonal (SciPy's ``block_diag``).

    Examples
    --------
    >>> import numpy as np
    >>> from pytensor.tensor.linalg import block_diag
    >>> block_diag(np.array([[1.0]]), np.array([[2.0, 3.0]])).eval()
    array([[1., 0., 0.],
           [0., 2., 3.]])
    """
    return BlockDiagonal(len(matrices))(*matrices)  # type: ignore[no-any-return]
