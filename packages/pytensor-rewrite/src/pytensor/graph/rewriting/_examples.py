"""A tiny float Type and a few Ops, used by the examples in this package's docs (layer: pytensor-rewrite).

Not part of the API: the rewrite layer sits below pytensor-tensor, so its
documentation needs some Ops of its own. ``add`` and ``mul`` take any number
of arguments and are commutative, like their tensor counterparts.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

from pytensor.graph.basic import Apply, Constant, Variable
from pytensor.graph.op import Op
from pytensor.graph.type import Type

__all__ = [
    "Add",
    "Exp",
    "ExpInplace",
    "Log",
    "Log1p",
    "Mul",
    "add",
    "exp",
    "exp_inplace",
    "float_type",
    "local_log_exp",
    "log",
    "log1p",
    "mul",
    "x",
    "y",
]


class FloatType(Type):
    """Python floats."""

    __props__ = ()

    def __init__(self) -> None:
        self.variable_type = Variable
        self.constant_type = Constant

    def filter(self, data: Any, strict: bool = False, allow_downcast: bool | None = None) -> float:
        if strict and not isinstance(data, float):
            raise TypeError(f"Expected a float, got {data!r}")
        return float(data)

    def __str__(self) -> str:
        return "float"


float_type = FloatType()


class _FloatOp(Op):
    __props__ = ()
    nin: ClassVar[int | None] = 1

    def make_node(self, *inputs: Any) -> Apply:
        args = [i if isinstance(i, Variable) else Constant(float_type, i) for i in inputs]
        if self.nin is not None and len(args) != self.nin:
            raise TypeError(f"{self} takes {self.nin} inputs, got {len(args)}")
        return Apply(self, args, [float_type()])

    def impl(self, *args: float) -> float:
        raise NotImplementedError

    def perform(self, node: Apply, inputs: Any, output_storage: Any) -> None:
        output_storage[0][0] = self.impl(*inputs)


class Exp(_FloatOp):
    def impl(self, *args: float) -> float:
        return math.exp(args[0])


class ExpInplace(Exp):
    """``exp`` that (nominally) overwrites its input."""

    destroy_map = {0: [0]}


class Log(_FloatOp):
    def impl(self, *args: float) -> float:
        return math.log(args[0])


class Log1p(_FloatOp):
    def impl(self, *args: float) -> float:
        return math.log1p(args[0])


class Add(_FloatOp):
    nin = None
    commutative = True

    def impl(self, *args: float) -> float:
        return math.fsum(args)


class Mul(_FloatOp):
    nin = None
    commutative = True

    def impl(self, *args: float) -> float:
        return math.prod(args)


exp, exp_inplace, log, log1p, add, mul = Exp(), ExpInplace(), Log(), Log1p(), Add(), Mul()
x = float_type("x")
y = float_type("y")


def _local_log_exp(fgraph: Any, node: Apply) -> Any:
    [arg] = node.inputs
    if arg.owner is not None and isinstance(arg.owner.op, Exp):
        return [arg.owner.inputs[0]]
    return False


def _make_local_log_exp() -> Any:
    from pytensor.graph.rewriting._core import node_rewriter

    return node_rewriter([Log])(_local_log_exp)


#: ``log(exp(a)) -> a``
local_log_exp = _make_local_log_exp()
local_log_exp.__name__ = "local_log_exp"
