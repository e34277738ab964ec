"""Smoke test of the pytensor-graph wheel alone: a tiny graph runs on the Python backend."""

from __future__ import annotations

import importlib.util

from _smoke import check_environment

check_environment("pytensor-graph", set(), "pytensor.compile")

for heavy in ("scipy", "numba", "jax", "cffi"):
    assert importlib.util.find_spec(heavy) is None, f"{heavy} is installed beside pytensor-graph"
for upper in ("pytensor.graph.rewriting", "pytensor.tensor"):
    assert importlib.util.find_spec(upper) is None, f"{upper} is importable beside pytensor-graph"

from pytensor.compile.function import function  # noqa: E402
from pytensor.graph.basic import Apply, Constant, Variable  # noqa: E402
from pytensor.graph.op import Op  # noqa: E402
from pytensor.graph.type import Type  # noqa: E402
from pytensor.link.registry import installed_backends  # noqa: E402


class FloatType(Type):
    """Python floats."""

    __props__ = ()
    variable_type = Variable
    constant_type = Constant

    def filter(self, data, strict=False, allow_downcast=None):
        return float(data)


class Add(Op):
    """Add two floats."""

    __props__ = ()

    def make_node(self, a, b):
        return Apply(self, [a, b], [a.type()])

    def perform(self, node, inputs, output_storage):
        output_storage[0][0] = inputs[0] + inputs[1]


assert "py" in installed_backends(), installed_backends()
x, y = FloatType()("x"), FloatType()("y")
z = Add()(x, y)
f = function([x, y], z)
assert f(1.0, 2.0) == 3.0, f(1.0, 2.0)
print("pytensor-graph: f(1.0, 2.0) == 3.0 on the Python backend")
