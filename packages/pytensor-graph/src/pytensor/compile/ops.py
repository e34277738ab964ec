"""Utility Ops of the compile pipeline: views, deep copies and Python-function Ops (layer: pytensor-graph)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from pytensor.graph.basic import Apply, Variable
from pytensor.graph.op import Op
from pytensor.graph.type import Type

__all__ = [
    "DeepCopyOp",
    "FromFunctionOp",
    "TypeCastingOp",
    "ViewOp",
    "as_op",
    "deep_copy_op",
    "view_op",
    "wrap_py",
]


class TypeCastingOp(Op):
    """Base of Ops whose output is the input, viewed under another type."""

    view_map = {0: [0]}

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        output_storage[0][0] = inputs[0]

    def pullback(
        self,
        inputs: Sequence[Variable],
        outputs: Sequence[Variable],
        cotangents: Sequence[Variable],
    ) -> list[Variable]:
        return list(cotangents)


class ViewOp(TypeCastingOp):
    """Returns its input unchanged (as a view): marks a variable without computing anything."""

    __props__ = ()

    def make_node(self, x: Variable) -> Apply:
        return Apply(self, [x], [x.type()])

    def infer_shape(self, fgraph: Any, node: Apply, input_shapes: Sequence[Any]) -> list[Any]:
        return list(input_shapes)


view_op = ViewOp()


class DeepCopyOp(Op):
    """Returns a copy of its input, so an output never aliases an input or a shared value."""

    __props__ = ()

    def make_node(self, x: Variable) -> Apply:
        return Apply(self, [x], [x.type()])

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        x = inputs[0]
        if isinstance(x, np.ndarray):
            output_storage[0][0] = x.copy()
        elif isinstance(x, np.generic | int | float | complex | bool | str | type(None)):
            output_storage[0][0] = x
        else:
            output_storage[0][0] = copy.deepcopy(x)

    def infer_shape(self, fgraph: Any, node: Apply, input_shapes: Sequence[Any]) -> list[Any]:
        return list(input_shapes)

    def pullback(
        self,
        inputs: Sequence[Variable],
        outputs: Sequence[Variable],
        cotangents: Sequence[Variable],
    ) -> list[Variable]:
        return list(cotangents)


deep_copy_op = DeepCopyOp()


class FromFunctionOp(Op):
    """An Op that runs a Python function on values of fixed input and output types.

    Build it with :func:`as_op`. Backends other than Python cannot compile it
    and say so.
    """

    __props__ = ("fn", "itypes", "otypes", "infer_shape_fn")

    def __init__(
        self,
        fn: Callable[..., Any],
        itypes: Sequence[Type],
        otypes: Sequence[Type],
        infer_shape: Callable[..., Any] | None = None,
    ) -> None:
        self.fn = fn
        self.itypes = tuple(itypes)
        self.otypes = tuple(otypes)
        self.infer_shape_fn = infer_shape
        self.__name__ = getattr(fn, "__name__", "from_function")
        self.__doc__ = fn.__doc__

    def make_node(self, *inputs: Any) -> Apply:
        if len(inputs) != len(self.itypes):
            raise TypeError(f"{self} takes {len(self.itypes)} inputs, got {len(inputs)}")
        checked = []
        for k, (inp, t) in enumerate(zip(inputs, self.itypes, strict=True)):
            try:
                checked.append(t.filter_variable(inp))
            except TypeError as exc:
                raise TypeError(f"{self}: input {k}: {exc}") from None
        return Apply(self, checked, [t() for t in self.otypes])

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        outs = self.fn(*inputs)
        if len(self.otypes) == 1:
            outs = [outs]
        if len(outs) != len(self.otypes):
            raise ValueError(
                f"{self}: the function returned {len(outs)} outputs, expected {len(self.otypes)}"
            )
        for cell, t, value in zip(output_storage, self.otypes, outs, strict=True):
            cell[0] = t.filter(value)

    def infer_shape(self, fgraph: Any, node: Apply, input_shapes: Sequence[Any]) -> list[Any]:
        if self.infer_shape_fn is None:
            return super().infer_shape(fgraph, node, input_shapes)
        return list(self.infer_shape_fn(fgraph, node, input_shapes))

    def __str__(self) -> str:
        return f"FromFunctionOp{{{self.__name__}}}"


def as_op(
    itypes: Sequence[Type], otypes: Sequence[Type], infer_shape: Callable[..., Any] | None = None
) -> Callable[[Callable[..., Any]], FromFunctionOp]:
    """Decorator turning a Python function into an Op with the given input and output types.

    Examples
    --------
    >>> from pytensor.compile.ops import as_op
    >>> from pytensor.graph.type import generic
    >>> @as_op(itypes=[generic], otypes=[generic])
    ... def reverse(x):
    ...     return list(reversed(x))
    >>> reverse.make_node(generic()).op is reverse
    True
    """
    if not isinstance(itypes, list | tuple) or not isinstance(otypes, list | tuple):
        raise TypeError("as_op: itypes and otypes must be lists of Types")
    for t in (*itypes, *otypes):
        if not isinstance(t, Type):
            raise TypeError(f"as_op: {t!r} is not a Type")

    def decorator(fn: Callable[..., Any]) -> FromFunctionOp:
        return FromFunctionOp(fn, itypes, otypes, infer_shape)

    return decorator


wrap_py = as_op
