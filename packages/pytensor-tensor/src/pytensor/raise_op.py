"""Run-time checks as graph nodes: ``CheckAndRaise`` and ``Assert`` (layer: pytensor-tensor).

The output is the first input, unchanged (a view), once every condition
input is true; otherwise the node raises. Rewrites keep these nodes unless a
condition is proven true (see ``pytensor.tensor.rewriting.shape``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from pytensor.graph.basic import Apply, Variable
from pytensor.graph.op import Op
from pytensor.tensor._shape_calc import ShapedOp
from pytensor.tensor.basic import as_tensor_variable
from pytensor.tensor.type import TensorType

__all__ = ["Assert", "CheckAndRaise", "assert_op"]


class CheckAndRaise(ShapedOp, Op):
    """Return the first input after checking that every other input (a condition) is true.

    Parameters
    ----------
    exc_type
        The exception class raised when a condition is false.
    msg
        Its message.

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> from pytensor.compile.function import function
    >>> x = pt.vector("x")
    >>> checked = CheckAndRaise(ValueError, "x must be non-empty")(x, x.shape[0] > 0)
    >>> function([x], checked)([1.0, 2.0])
    array([1., 2.])
    """

    __props__ = ("exc_type", "msg")
    view_map = {0: [0]}

    def __init__(self, exc_type: type[BaseException], msg: str = "") -> None:
        if not (isinstance(exc_type, type) and issubclass(exc_type, Exception)):
            raise TypeError(f"CheckAndRaise: exc_type must be an Exception class, got {exc_type!r}")
        self.exc_type = exc_type
        self.msg = str(msg)

    def __str__(self) -> str:
        return f"{type(self).__name__}{{{self.exc_type.__name__}, {self.msg!r}}}"

    def make_node(self, value: Any, *conds: Any) -> Apply:  # type: ignore[override]
        value = as_tensor_variable(value)
        checked = []
        for k, c in enumerate(conds):
            c = as_tensor_variable(c)
            if not isinstance(c.type, TensorType) or c.type.ndim != 0:
                raise TypeError(f"{self}: condition {k} must be a scalar, got {c} of type {c.type}")
            if c.type.dtype not in ("bool", "int8", "int16", "int32", "int64", "uint8"):
                raise TypeError(
                    f"{self}: condition {k} must be boolean (or an integer), got {c} of dtype "
                    f"{c.type.dtype}"
                )
            checked.append(c)
        return Apply(self, [value, *checked], [value.type()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        return [tuple(input_shapes[0])]

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        value, *conds = inputs
        for c in conds:
            if not bool(np.all(c)):
                raise self.exc_type(self.msg)
        output_storage[0][0] = value

    def connection_pattern(self, node: Apply) -> list[list[bool]]:
        return [[True]] + [[False] for _ in node.inputs[1:]]

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """The cotangent goes to the value unchanged; the conditions are disconnected."""
        from pytensor.gradient import disconnected_type

        return [cotangents[0], *(disconnected_type() for _ in inputs[1:])]

    def pushforward(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], tangents: Sequence[Any]
    ) -> list[Any]:
        return [tangents[0]]


class Assert(CheckAndRaise):
    """``CheckAndRaise`` raising ``AssertionError``.

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> from pytensor.compile.function import function
    >>> x = pt.scalar("x")
    >>> f = function([x], Assert("x must be positive")(x, x > 0))
    >>> f(2.0)
    array(2.)
    """

    __props__ = ("msg",)

    def __init__(self, msg: str = "PyTensor Assert failed!") -> None:
        super().__init__(AssertionError, msg)

    def __str__(self) -> str:
        return f"Assert{{{self.msg!r}}}"


#: ``assert_op(x, *conditions)``: ``x`` once every condition holds (else AssertionError).
assert_op = Assert()
