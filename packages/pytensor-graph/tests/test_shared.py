"""Tests of pytensor.compile.sharedvalue: shared(), constructors, values and containers."""

import numpy as np
import pytest
from toy import ArrayType, FloatType, add, ashared, fscalar, fshared

from pytensor.compile.function import function
from pytensor.compile.sharedvalue import Container, SharedVariable, shared, shared_constructor
from pytensor.graph.type import GenericType


@pytest.fixture
def constructors():
    """Register constructors for the test and always unregister them."""
    registered = []

    def register(ctor):
        shared_constructor(ctor)
        registered.append(ctor)
        return ctor

    yield register
    for ctor in registered:
        shared_constructor(ctor, remove=True)


def array_ctor(value, name=None, strict=False, allow_downcast=None, **kwargs):
    if not isinstance(value, np.ndarray):
        raise TypeError("not an ndarray")
    t = ArrayType(str(value.dtype), kwargs.get("shape", (None,) * value.ndim))
    return SharedVariable(t, value.copy(), strict=strict, allow_downcast=allow_downcast, name=name)


def float_ctor(value, name=None, strict=False, allow_downcast=None, **kwargs):
    if not isinstance(value, float) or kwargs:
        raise TypeError("not a float")
    return SharedVariable(FloatType(), value, name=name)


class TestShared:
    def test_generic_fallback(self):
        s = shared({"a": [1, 2]}, name="state")
        assert isinstance(s, SharedVariable)
        assert isinstance(s.type, GenericType)
        assert s.name == "state" and str(s) == "state"
        assert s.get_value() == {"a": [1, 2]}
        assert s.default_update is None

    def test_generic_get_value_copies(self):
        s = shared({"a": [1, 2]})
        v = s.get_value()
        v["a"].append(3)
        assert s.get_value() == {"a": [1, 2]}
        assert s.get_value(borrow=True) is s.get_value(borrow=True)

    def test_constructor_is_used(self, constructors):
        constructors(array_ctor)
        s = shared(np.arange(3.0), name="a")
        assert s.type == ArrayType("float64", (None,))
        # Values of other kinds still fall back to the generic type.
        assert isinstance(shared("text").type, GenericType)

    def test_latest_constructor_wins(self, constructors):
        def marked_ctor(value, name=None, strict=False, allow_downcast=None, **kwargs):
            if not isinstance(value, np.ndarray) or value.dtype != np.int8:
                raise TypeError("only int8")
            var = array_ctor(value, name=name)
            var.tag.marked = True
            return var

        constructors(array_ctor)
        constructors(marked_ctor)
        assert getattr(shared(np.zeros(2, dtype="int8")).tag, "marked", False)
        # The newest constructor declines (TypeError): the next one is tried.
        s = shared(np.zeros(2))
        assert s.type == ArrayType("float64", (None,))
        assert not hasattr(s.tag, "marked")

    def test_constructor_removal(self, constructors):
        constructors(float_ctor)
        assert shared(1.5).type == FloatType()
        shared_constructor(float_ctor, remove=True)
        try:
            # Another constructor (the generic fallback, or a higher layer's) takes it now.
            assert shared(1.5).type != FloatType()
        finally:
            shared_constructor(float_ctor)  # the fixture removes it again

    def test_kwargs_need_a_constructor(self, constructors):
        constructors(float_ctor)
        with pytest.raises(
            TypeError, match=r"no constructor accepts float with arguments \['shape'\]"
        ):
            shared(1.5, shape=(2,))
        constructors(array_ctor)
        assert shared(np.zeros(2), shape=(2,)).type == ArrayType("float64", (2,))

    def test_symbolic_value_rejected(self):
        with pytest.raises(TypeError, match="shared variables hold values, not graphs"):
            shared(fscalar("x"))


class TestValues:
    def test_set_value_copies_unless_borrowed(self):
        s = ashared(np.zeros(3), "s")
        a = np.ones(3)
        s.set_value(a)
        a[0] = 5.0
        assert s.get_value()[0] == 1.0
        assert not np.shares_memory(s.get_value(borrow=True), a)
        s.set_value(a, borrow=True)
        assert np.shares_memory(s.get_value(borrow=True), a)
        a[1] = 7.0
        assert s.get_value()[1] == 7.0

    def test_get_value_copies_unless_borrowed(self):
        s = ashared(np.arange(3.0), "s")
        copy = s.get_value()
        copy[0] = 100.0
        assert s.get_value()[0] == 0.0
        internal = s.get_value(borrow=True)
        assert internal is s.get_value(borrow=True)
        internal[0] = 100.0
        assert s.get_value()[0] == 100.0

    def test_set_value_is_filtered(self):
        s = ashared(np.zeros(3), "s")
        with pytest.raises(TypeError, match="no silent downcast"):
            s.set_value(np.zeros(3, dtype=np.complex128))
        with pytest.raises(TypeError, match="dimension"):
            s.set_value(np.zeros((3, 1)))
        s.set_value([1, 2])  # ints upcast safely; the static shape is unknown
        assert s.get_value().dtype == np.float64

    def test_initial_value_is_filtered(self):
        with pytest.raises(TypeError, match="float"):
            fshared("zero")
        assert fshared(2).get_value() == 2.0

    def test_zero(self):
        s = ashared(np.arange(3.0), "s")
        s.zero()
        np.testing.assert_array_equal(s.get_value(), np.zeros(3))
        inner = s.get_value(borrow=True)
        inner[:] = 5.0
        s.zero(borrow=True)
        assert s.get_value(borrow=True) is inner and not inner.any()

    def test_value_seen_by_every_function(self):
        s = fshared(1.0, "s")
        x = fscalar("x")
        f = function([x], add(s, x))
        g = function([], s, updates={s: add(s, 1.0)})
        assert f(0.0) == 1.0
        g()
        assert f(0.0) == 2.0
        s.set_value(10.0)
        assert f(0.0) == 10.0


class TestCloneAndContainer:
    def test_clone_shares_the_container(self):
        s = fshared(1.0, "s")
        c = s.clone()
        assert c is not s and c.container is s.container
        assert c.name == "s" and s.clone(name="t").name == "t"
        c.set_value(5.0)
        assert s.get_value() == 5.0
        assert c.auto_name != s.auto_name

    def test_function_graph_clone_keeps_sharing(self):
        s = fshared(1.0, "s")
        f = function([], add(s, 1.0))
        s.set_value(2.0)
        assert f() == 3.0

    def test_container(self):
        t = FloatType()
        c = Container(t, [1.0], name="box")
        c.value = 3
        assert c.value == 3.0 and c.storage == [3.0]
        with pytest.raises(TypeError, match="float"):
            c.value = "x"
        ro = Container(t, [1.0], readonly=True, name="ro")
        with pytest.raises(ValueError, match="read-only container ro"):
            ro.value = 2.0
        with pytest.raises(TypeError, match="one-element list"):
            Container(t, 1.0)
