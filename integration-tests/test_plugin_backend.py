"""A backend from a third-party distribution is found through its entry point and used."""

from __future__ import annotations

import pytest

# The backend protocol, registry and compile pipeline come from pytensor-graph;
# skip (rather than error) while that layer is still being written.
registry = pytest.importorskip("pytensor.link.registry")
pytest.importorskip("pytensor.compile.mode")

import pytensor_test_backend  # noqa: E402
from pytensor.compile.function import function  # noqa: E402
from pytensor.compile.mode import Mode  # noqa: E402
from pytensor.graph.basic import Apply, Constant, Variable  # noqa: E402
from pytensor.graph.op import Op  # noqa: E402
from pytensor.graph.type import Type  # noqa: E402


class FloatType(Type):
    """Python floats."""

    __props__ = ()
    variable_type = Variable
    constant_type = Constant

    def filter(self, data, strict=False, allow_downcast=None):
        return float(data)


class Mul(Op):
    """Multiply two floats."""

    __props__ = ()

    def make_node(self, a, b):
        return Apply(self, [a, b], [a.type()])

    def perform(self, node, inputs, output_storage):
        output_storage[0][0] = inputs[0] * inputs[1]


def test_plugin_is_listed():
    assert "testpy" in registry.installed_backends()


def test_get_backend_returns_the_entry_point_object():
    assert registry.get_backend("testpy") is pytensor_test_backend.backend


def test_plugin_is_never_the_default():
    assert pytensor_test_backend.backend.priority < 0


def test_function_runs_on_the_plugin():
    x, y = FloatType()("x"), FloatType()("y")
    f = function([x, y], Mul()(x, y), mode=Mode(linker="testpy"))
    before = pytensor_test_backend.calls
    assert f(3.0, 4.0) == 12.0
    assert pytensor_test_backend.calls == before + 1
