"""Minimal float Type and Ops used by the graph-layer benchmarks (no tensor layer needed)."""

from __future__ import annotations

from typing import Any

from pytensor.graph.basic import Apply, Constant, Variable
from pytensor.graph.op import Op
from pytensor.graph.type import Type


class FloatType(Type):
    __props__ = ()
    variable_type = Variable
    constant_type = Constant

    def filter(self, data: Any, strict: bool = False, allow_downcast: bool | None = None) -> float:
        if type(data) is float:
            return data
        if isinstance(data, int) and not isinstance(data, bool) and not strict:
            return float(data)
        raise TypeError(f"FloatType expects a Python float, got {type(data).__name__}")

    def __str__(self) -> str:
        return "float"


fscalar = FloatType()


class Add(Op):
    __props__ = ()

    def make_node(self, a: Variable, b: Variable) -> Apply:  # type: ignore[override]
        return Apply(self, [a, b], [fscalar()])

    def perform(self, node: Apply, inputs: Any, output_storage: Any) -> None:
        output_storage[0][0] = inputs[0] + inputs[1]


add = Add()


def chain(n: int) -> tuple[Variable, Variable]:
    """x -> x + x -> ... : n nodes, each using the previous result twice."""
    x = fscalar("x")
    out = x
    for _ in range(n):
        out = add(out, x)
    return x, out


def tree(n: int) -> tuple[list[Variable], Variable]:
    """A balanced binary reduction over n + 1 leaves: n nodes."""
    leaves = [fscalar(f"x{i}") for i in range(n + 1)]
    level = list(leaves)
    while len(level) > 1:
        nxt = [add(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return leaves, level[0]
