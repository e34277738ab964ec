"""Tests of tensor shared variables and their shared() constructors."""

from __future__ import annotations

import numpy as np
import pytest

import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.compile.sharedvalue import SharedVariable, shared
from pytensor.tensor.sharedvar import (
    ScalarSharedVariable,
    TensorSharedVariable,
    scalar_constructor,
    tensor_constructor,
)
from pytensor.tensor.type import TensorType
from pytensor.tensor.variable import _tensor_py_operators


@pytest.mark.parametrize("dtype", ["float64", "float32", "int8", "uint32", "bool", "complex64"])
@pytest.mark.parametrize("shape", [(), (0,), (1,), (2, 3)])
def test_shared_array_gives_tensor_shared_variable(dtype, shape):
    value = np.ones(shape, dtype=dtype)
    s = shared(value, name="s")
    assert isinstance(s, TensorSharedVariable)
    assert isinstance(s, SharedVariable) and isinstance(s, _tensor_py_operators)
    assert s.type == TensorType(dtype, (None,) * len(shape))
    assert s.name == "s"
    np.testing.assert_array_equal(s.get_value(), value)


def test_static_shape_only_when_requested():
    value = np.zeros((2, 3))
    assert shared(value).type.shape == (None, None)
    assert shared(value, shape=(2, None)).type.shape == (2, None)
    assert shared(np.zeros((1, 3)), broadcastable=(True, False)).type.shape == (1, None)
    with pytest.raises(ValueError, match="shape"):
        shared(value, shape=(3, 3))
    with pytest.raises(ValueError, match="has 1 entries but the value has 2 dimensions"):
        shared(value, shape=(2,))
    with pytest.raises(TypeError, match="not both"):
        tensor_constructor(value, shape=(2, 3), broadcastable=(False, False))


def test_borrow_controls_copying():
    value = np.arange(3.0)
    copied = shared(value)
    borrowed = shared(value, borrow=True)
    value[0] = 100.0
    assert copied.get_value()[0] == 0.0
    assert borrowed.get_value(borrow=True) is value
    assert borrowed.get_value()[0] == 100.0
    assert borrowed.get_value() is not value


def test_scalars_get_numpy_dtypes():
    cases = [
        (1.0, "float64"),
        (3, "int64"),
        (True, "bool"),
        (1 + 2j, "complex128"),
        (np.float32(2.5), "float32"),
        (np.int8(4), "int8"),
    ]
    for value, dtype in cases:
        s = shared(value)
        assert isinstance(s, ScalarSharedVariable), value
        assert s.type == TensorType(dtype, ())
        v = s.get_value()
        assert isinstance(v, np.ndarray) and v.shape == () and v.dtype == np.dtype(dtype)
        assert v == value


def test_shared_variables_work_in_functions_with_updates():
    s = shared(np.arange(3.0), name="s")
    step = shared(0.5)
    f = function([], (s * 2)[1:], updates=[(s, s + step)])
    np.testing.assert_array_equal(f(), [2.0, 4.0])
    np.testing.assert_array_equal(s.get_value(), [0.5, 1.5, 2.5])
    np.testing.assert_array_equal(f(), [3.0, 5.0])
    assert (s.sum() + 1).eval() == pytest.approx(7.0)
    assert s[-1].eval() == 3.0


def test_set_value_checks_type():
    s = shared(np.zeros(3, dtype="float32"))
    with pytest.raises(TypeError, match="float32.*cannot hold a value of dtype float64"):
        s.set_value(np.zeros(3))
    with pytest.raises(TypeError, match="wrong number of dimensions: expected 1, got 2"):
        s.set_value(np.zeros((3, 1), dtype="float32"))
    s.set_value(np.ones(5, dtype="float32"))
    assert s.get_value().shape == (5,)
    s.set_value(np.ones(2, dtype="int8"))
    assert s.get_value().dtype == np.float32
    i = shared(np.arange(3))
    with pytest.raises(TypeError, match="int64.*float64"):
        i.set_value(np.array([1.5]))
    fixed = shared(np.zeros((2, 2)), shape=(2, None))
    with pytest.raises(ValueError, match=r"dimension 0 must have length 2"):
        fixed.set_value(np.zeros((3, 2)))
    scalar = shared(1.0)
    with pytest.raises(TypeError, match="wrong number of dimensions"):
        scalar.set_value(np.zeros(2))
    scalar.set_value(2.0)
    assert scalar.get_value() == 2.0


def test_set_value_borrow():
    s = shared(np.zeros(2))
    new = np.ones(2)
    s.set_value(new, borrow=True)
    assert s.get_value(borrow=True) is new
    s.set_value(new)
    assert s.get_value(borrow=True) is not new


def test_constructors_decline_other_values():
    with pytest.raises(TypeError, match="needs an ndarray"):
        tensor_constructor([1, 2])
    with pytest.raises(TypeError, match="needs a number"):
        scalar_constructor("a")
    with pytest.raises(TypeError, match="unsupported target"):
        tensor_constructor(np.zeros(2), target="gpu")
    assert not isinstance(shared([1, 2]), TensorSharedVariable)
    obj = shared(np.array(["a"]))
    assert not isinstance(obj, TensorSharedVariable)


def test_strict_and_allow_downcast():
    s = shared(np.zeros(2, dtype="float32"), strict=True)
    with pytest.raises(TypeError, match="strict"):
        s.set_value(np.zeros(2, dtype="int8"))
    d = shared(np.zeros(2, dtype="float32"), allow_downcast=True)
    d.set_value(np.array([1.5, 2.5]))
    assert d.get_value().dtype == np.float32


def test_clone_shares_the_container():
    s = shared(np.zeros(2), name="s")
    c = s.clone()
    assert isinstance(c, TensorSharedVariable)
    c.set_value(np.ones(2))
    np.testing.assert_array_equal(s.get_value(), np.ones(2))


def test_reexported_names():
    from pytensor.tensor import sharedvar

    assert sharedvar.SharedVariable is SharedVariable
    assert pt.as_tensor_variable(shared(np.zeros(2))).type.ndim == 1
