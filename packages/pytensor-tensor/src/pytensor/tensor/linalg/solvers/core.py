"""``SolveBase``: what every linear solver Op shares (layer: pytensor-tensor).

A solver takes a square matrix ``a`` (or a factor of it) and a right-hand
side ``b`` that is a vector (``b_ndim=1``) or a matrix (``b_ndim=2``), and
returns ``x`` shaped like ``b``. Subclasses say how to solve, how to solve
the transposed system (for the pullback) and which entries of ``a`` they read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from pytensor.graph.basic import Apply, Variable
from pytensor.tensor.basic import as_tensor_variable
from pytensor.tensor.linalg._common import (
    as_matrix,
    check_b,
    fmt_shape,
    linalg_dtype,
    square_dim,
)
from pytensor.tensor.type import TensorType

__all__ = ["SolveBase"]


class SolveBase:
    """What the Ops solving ``a x = b`` for ``x`` share; each is ``(SolveBase, ShapedOp, Op)``.

    A mixin rather than a base Op, because every ShapedOp class must be
    applied somewhere (shape and conformance tests) and this one never is.

    ``perform`` checks the shapes, handles empty inputs and calls
    :meth:`solve_values`, which returns None when the system has no unique
    solution (the output is then NaN, as in PyTensor).
    """

    __props__: tuple[str, ...] = ("lower", "b_ndim")

    def __init__(self, *, lower: bool = False, b_ndim: int = 2) -> None:
        if b_ndim not in (1, 2):
            raise ValueError(f"{type(self).__name__}: b_ndim must be 1 or 2, got {b_ndim}")
        self.lower = bool(lower)
        self.b_ndim = int(b_ndim)

    def make_node(self, a: Any, b: Any) -> Apply:  # type: ignore[override]
        a = as_matrix(self, a, "a")
        b = as_tensor_variable(b)
        check_b(self, b, self.b_ndim)
        (shape,) = self.static_shapes([a, b])  # type: ignore[attr-defined]
        op: Any = self  # a mixin: the concrete class is also an Op
        return Apply(op, [a, b], [TensorType(self.output_dtype(a, b), shape)()])

    def output_dtype(self, a: Variable, b: Variable) -> str:
        return linalg_dtype(a.type.dtype, b.type.dtype)  # type: ignore[attr-defined]

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        a: Any
        b: Any
        a, b = inputs
        a_shape, b_shape = input_shapes
        n = square_dim(self, S, a_shape, a, "a")
        rows = S.equal(
            self,
            b_shape[0],
            n,
            f"the rows of b ({b}, static shape {fmt_shape(b.type.shape)}) must match "
            f"a ({a}, static shape {fmt_shape(a.type.shape)})",
        )
        return [(rows, *b_shape[1:])]

    def perform(self, node: Any, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        a, b = inputs
        if a.shape[0] != a.shape[1]:
            raise ValueError(f"{self}: input a must be a square matrix, got shape {a.shape}")
        if b.shape[0] != a.shape[0]:
            raise ValueError(
                f"{self}: the rows of b (shape {b.shape}) must match a (shape {a.shape}): "
                f"{b.shape[0]} != {a.shape[0]}"
            )
        dtype = node.outputs[0].type.dtype
        if a.size == 0 or b.size == 0:
            output_storage[0][0] = np.zeros(b.shape, dtype=dtype)
            return
        try:
            x = self.solve_values(a, b)
        except np.linalg.LinAlgError:
            x = None
        if x is None:
            x = np.full(b.shape, np.nan)
        output_storage[0][0] = np.asarray(x, dtype=dtype)

    def solve_values(self, a: np.ndarray, b: np.ndarray) -> np.ndarray | None:
        raise NotImplementedError(f"{type(self).__name__} must define solve_values")

    # -- derivatives --------------------------------------------------------
    def transposed_solve(self, a: Variable, g: Variable) -> Variable:
        """Solve the transposed system (the one the pullback needs) for right-hand side ``g``."""
        props = self._props_dict()  # type: ignore[attr-defined]
        props["lower"] = not self.lower
        op: Any = type(self)(**props)
        return op(a.T, g)  # type: ignore[attr-defined,no-any-return]

    def restrict_a_grad(self, g: Variable) -> Variable:
        """Keep the part of a full gradient that reaches the entries of ``a`` the Op reads."""
        return g

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """Giles' rule: ``bbar = a^-T xbar`` and ``abar = -bbar x^T`` (restricted to what is read)."""
        from pytensor.tensor.math import outer

        a, _b = inputs
        x: Any = outputs[0]
        g_b: Any = self.transposed_solve(a, cotangents[0])
        g_a = -outer(g_b, x) if self.b_ndim == 1 else -(g_b @ x.T)
        return [self.restrict_a_grad(g_a), g_b]
