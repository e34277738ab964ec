"""``ElemwiseReduce``: a reduction over an elementwise expression, as one Op (layer: pytensor-tensor).

Reduction fusion (``pytensor.tensor.rewriting.fusion``) turns ``sum(f(x, y))``
into ``ElemwiseReduce(f, sum)(x, y)``, so a backend can reduce while it
computes and never allocate the intermediate array. The Python backend runs
the elementwise part and then the reduction with NumPy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pytensor.graph.basic import Apply, Variable
from pytensor.graph.op import Op
from pytensor.tensor._shape_calc import ShapedOp
from pytensor.tensor.elemwise import CAReduce, Elemwise

__all__ = ["ElemwiseReduce"]


class ElemwiseReduce(ShapedOp, Op):
    """``reduce(elemwise(*inputs))`` in one node.

    Parameters
    ----------
    elemwise
        A single-output, not-inplace ``Elemwise`` (usually of a ``Composite``).
    reduce
        The ``CAReduce`` (Sum, Prod, Max, Min, ...) applied to its output; its
        ``axis`` says which axes are reduced.

    Examples
    --------
    >>> import numpy as np
    >>> import pytensor.tensor as pt
    >>> from pytensor.tensor.math import Sum
    >>> x = pt.vector("x")
    >>> op = ElemwiseReduce(pt.exp(x).owner.op, Sum(axis=(0,)))
    >>> float(op(x).eval({x: np.zeros(3)}))
    3.0
    """

    __props__ = ("elemwise", "reduce")

    def __init__(self, elemwise: Elemwise, reduce: CAReduce) -> None:
        if not isinstance(elemwise, Elemwise) or elemwise.scalar_op.nout != 1:
            raise TypeError(f"ElemwiseReduce needs a single-output Elemwise, got {elemwise}")
        if elemwise.inplace_pattern:
            raise TypeError(f"ElemwiseReduce: {elemwise} works in place")
        if not isinstance(reduce, CAReduce):
            raise TypeError(f"ElemwiseReduce needs a CAReduce, got {reduce}")
        self.elemwise = elemwise
        self.reduce = reduce

    def _unfused(self, inputs: Sequence[Variable]) -> Variable:
        out: Variable = self.reduce(self.elemwise(*inputs))
        return out

    def make_node(self, *inputs: Any) -> Apply:
        inner = self.elemwise.make_node(*inputs)
        red = self.reduce.make_node(inner.outputs[0])
        op = self if red.op == self.reduce else ElemwiseReduce(self.elemwise, red.op)
        return Apply(op, list(inner.inputs), [red.outputs[0].type()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        full = S.broadcast(self, inputs, list(input_shapes))
        axis = self.reduce.axis if self.reduce.axis is not None else tuple(range(len(full)))
        return [tuple(s for d, s in enumerate(full) if d not in axis)]

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        inner = self.elemwise.make_node(*node.inputs)
        cell: list[list[Any]] = [[None]]
        self.elemwise.perform(inner, inputs, cell)
        red = self.reduce.make_node(inner.outputs[0])
        self.reduce.perform(red, [cell[0][0]], output_storage)

    def pullback(
        self,
        inputs: Sequence[Variable],
        outputs: Sequence[Variable],
        cotangents: Sequence[Variable],
    ) -> list[Any]:
        """The pullback of the unfused graph ``reduce(elemwise(*inputs))``."""
        from pytensor.gradient import pullback

        return list(
            pullback(
                self._unfused(inputs),
                list(inputs),
                list(cotangents),
                disconnected_inputs="ignore",
                return_disconnected="Disconnected",
            )
        )

    def pushforward(
        self,
        inputs: Sequence[Variable],
        outputs: Sequence[Variable],
        tangents: Sequence[Any],
    ) -> list[Any]:
        """The pushforward of the unfused graph."""
        from pytensor.gradient import pushforward
        from pytensor.tensor.basic import zeros_like

        ts = [zeros_like(i) if t is None else t for i, t in zip(inputs, tangents, strict=True)]
        return [pushforward(self._unfused(inputs), list(inputs), ts)]

    def __str__(self) -> str:
        return f"ElemwiseReduce{{{self.elemwise}, {self.reduce}}}"
