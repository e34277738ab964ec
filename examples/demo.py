"""Demo: define two small Ops, compose them into a graph, compile and run it.

Uses only the graph layer (pytensor-graph): a Type for float64 vectors, an
elementwise ``Add`` and a ``Scale`` Op, compiled on the best installed backend
that can run them (the pure-Python reference backend runs any Op with ``perform``).
Run with ``uv run python examples/demo.py``.
"""

from __future__ import annotations

import numpy as np

from pytensor.compile.function import function
from pytensor.graph.basic import Apply, Constant, Variable
from pytensor.graph.op import Op
from pytensor.graph.type import Type
from pytensor.printing import debugprint


class VectorType(Type):
    """One-dimensional float64 arrays."""

    __props__ = ()
    variable_type = Variable
    constant_type = Constant

    def filter(self, data, strict=False, allow_downcast=None):
        array = np.asarray(data, dtype="float64")
        if array.ndim != 1:
            raise TypeError(f"{self} expects a 1-d array, got shape {array.shape}")
        return array

    def __str__(self):
        return "Vector(float64)"


class Add(Op):
    """Elementwise sum of two vectors."""

    __props__ = ()

    def make_node(self, a, b):
        return Apply(self, [a, b], [a.type()])

    def perform(self, node, inputs, output_storage):
        output_storage[0][0] = inputs[0] + inputs[1]


class Scale(Op):
    """Multiply a vector by a constant factor (a parameter of the Op)."""

    __props__ = ("factor",)

    def __init__(self, factor: float):
        self.factor = float(factor)

    def make_node(self, a):
        return Apply(self, [a], [a.type()])

    def perform(self, node, inputs, output_storage):
        output_storage[0][0] = self.factor * inputs[0]


def main() -> None:
    x, y = VectorType()("x"), VectorType()("y")
    out = Scale(0.5)(Add()(x, y))  # the mean of x and y, elementwise
    f = function([x, y], out)
    debugprint(out)
    result = f([1.0, 2.0, 3.0], [3.0, 4.0, 5.0])
    print("mean of [1, 2, 3] and [3, 4, 5] =", result)
    np.testing.assert_allclose(result, [2.0, 3.0, 4.0])


if __name__ == "__main__":
    main()
