"""Specialize rewrites: pow by constants, x * x, and switch with a constant condition or equal branches.

Values are compared with NumPy both without rewrites (``Mode(linker="py", optimizer=None)``)
and in the default mode; the graph compiled without fusion is inspected to show the rewrite.
"""

from __future__ import annotations

import numpy as np
import pytest

import pytensor.scalar as ps
import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.compile.mode import Mode, get_mode
from pytensor.tensor.elemwise import Elemwise

PY = Mode(linker="py", optimizer=None)
INSPECT = get_mode("FAST_RUN").excluding("fusion")


def _scalar_ops(f):
    return [type(n.op.scalar_op) for n in f.maker.fgraph.toposort() if isinstance(n.op, Elemwise)]


def _check_values(inputs, out, values, expected):
    for mode in (PY, None):
        result = function(inputs, out, mode=mode)(*values)
        assert result.dtype == out.type.dtype
        np.testing.assert_allclose(result, expected, rtol=1e-12)


POW_CASES = {
    2: [ps.Sqr],
    0.5: [ps.Sqrt],
    -1: [ps.Reciprocal],
    -0.5: [ps.Sqrt, ps.Reciprocal],
    -2: [ps.Sqr, ps.Reciprocal],
    3: [ps.Sqr, ps.Mul],
    5: [ps.Sqr, ps.Sqr, ps.Mul],
    8: [ps.Sqr, ps.Sqr, ps.Sqr],
    -3: [ps.Sqr, ps.Mul, ps.Reciprocal],
    1: [],
}


@pytest.mark.parametrize("p", list(POW_CASES))
def test_pow_by_constant(p):
    x = pt.vector("x")
    out = x**p
    value = np.array([0.5, 2.0, 3.0])
    _check_values([x], out, [value], np.power(value, p))
    assert _scalar_ops(function([x], out, mode=INSPECT)) == POW_CASES[p]


@pytest.mark.parametrize("p", [17, 2.5, -17])
def test_pow_outside_the_small_range_is_kept(p):
    x = pt.vector("x")
    out = x**p
    value = np.array([0.5, 1.5])
    _check_values([x], out, [value], np.power(value, p))
    assert _scalar_ops(function([x], out, mode=INSPECT)) == [ps.Pow]


@pytest.mark.parametrize(
    ("dtype", "p"), [("float32", 2), ("float32", 0.5), ("int64", 3), ("int8", 2), ("int32", 0.5)]
)
def test_pow_keeps_the_output_type(dtype, p):
    x = pt.vector("x", dtype=dtype, shape=(3,))
    out = x**p
    f = function([x], out)
    assert f.maker.fgraph.outputs[0].type == out.type
    value = np.array([1, 2, 3], dtype=dtype)
    result = f(value)
    assert result.dtype == out.type.dtype
    expected = function([x], out, mode=PY)(value)
    np.testing.assert_allclose(result, expected, rtol=1e-6)
    assert ps.Pow not in _scalar_ops(function([x], out, mode=INSPECT))


def test_integer_to_negative_power_still_raises():
    x = pt.vector("x", dtype="int64")
    out = x**-1
    assert _scalar_ops(function([x], out, mode=INSPECT)) == [ps.Pow]
    with pytest.raises(ValueError, match="negative integer powers"):
        function([x], out)(np.array([1, 2]))


def test_pow_with_a_broadcasting_exponent_keeps_the_shape():
    x = pt.vector("x", shape=(1,))
    e = pt.constant(np.full(3, 2.0))
    out = x**e
    f = function([x], out)
    np.testing.assert_allclose(f(np.array([3.0])), [9.0, 9.0, 9.0])
    assert f.maker.fgraph.outputs[0].type.shape == (3,)


def test_sum_of_squares():
    x = pt.matrix("x")
    value = np.arange(6.0).reshape(2, 3)
    for out in (pt.sum(x * x), pt.sum(x**2), pt.sum(pt.sqr(x), axis=0)):
        f = function([x], out, mode=INSPECT)
        assert ps.Sqr in _scalar_ops(f)
        assert ps.Pow not in _scalar_ops(f)
        assert ps.Mul not in _scalar_ops(f)
        expected = function([x], out, mode=PY)(value)
        np.testing.assert_allclose(function([x], out)(value), expected)
    np.testing.assert_allclose(function([x], pt.sum(x * x))(value), np.sum(value**2))


@pytest.mark.parametrize("cond", [1, True, 0, False, np.array([True, True, True])])
def test_switch_with_constant_condition(cond):
    # A length-3 condition only takes part in no shape check if x's length is known to be 3.
    x = pt.vector("x", shape=(3,) if np.ndim(cond) else (None,))
    out = pt.switch(cond, x, 2 * x)
    value = np.array([1.0, -2.0, 3.0])
    expected = np.where(np.asarray(cond, dtype=bool), value, 2 * value)
    f = function([x], out, mode=INSPECT)
    assert ps.Switch not in _scalar_ops(f)
    assert f.maker.fgraph.outputs[0].type == out.type
    _check_values([x], out, [value], expected)


def test_switch_with_equal_branches():
    x = pt.matrix("x")
    c = pt.matrix("c", dtype="bool", shape=(1, 1))
    out = pt.switch(c, x, x)
    assert ps.Switch not in _scalar_ops(function([c, x], out, mode=INSPECT))
    value = np.ones((2, 3))
    _check_values([c, x], out, [np.array([[False]]), value], value)


def test_switch_with_equal_branches_keeps_the_condition_shape_check():
    x = pt.vector("x")
    c = pt.vector("c", dtype="bool")
    out = pt.switch(c, x, x)
    assert ps.Switch in _scalar_ops(function([c, x], out, mode=INSPECT))
    with pytest.raises(ValueError):
        function([c, x], out)(np.array([True, False]), np.ones(3))


def test_switch_with_constant_array_condition_keeps_its_shape_check():
    x = pt.vector("x")
    out = pt.switch(np.array([True, True, True]), x, 2 * x)
    assert ps.Switch in _scalar_ops(function([x], out, mode=INSPECT))
    with pytest.raises(ValueError):
        function([x], out)(np.ones(4))


def test_switch_with_constant_condition_keeps_shape_errors():
    x, y = pt.vector("x"), pt.vector("y")
    out = pt.switch(1, x, y)
    assert ps.Switch in _scalar_ops(function([x, y], out, mode=INSPECT))
    with pytest.raises(ValueError):
        function([x, y], out)(np.ones(3), np.ones(4))


def test_switch_with_constant_condition_keeps_broadcasting():
    x = pt.vector("x", shape=(1,))
    y = pt.vector("y", shape=(3,))
    out = pt.switch(True, x, y)
    f = function([x, y], out)
    assert f.maker.fgraph.outputs[0].type == out.type
    np.testing.assert_allclose(f(np.array([5.0]), np.zeros(3)), [5.0, 5.0, 5.0])


def test_switch_with_constant_condition_upcasts_the_chosen_branch():
    x = pt.vector("x", dtype="float32", shape=(2,))
    y = pt.vector("y", dtype="float64", shape=(2,))
    out = pt.switch(1, x, y)
    f = function([x, y], out)
    assert f.maker.fgraph.outputs[0].type == out.type
    result = f(np.array([1.5, 2.5], dtype="float32"), np.zeros(2))
    assert result.dtype == np.float64
    np.testing.assert_allclose(result, [1.5, 2.5])


def test_switch_with_nonuniform_constant_condition_is_kept():
    x = pt.vector("x", shape=(2,))
    out = pt.switch(np.array([True, False]), x, -x)
    assert ps.Switch in _scalar_ops(function([x], out, mode=INSPECT))
    _check_values([x], out, [np.array([1.0, 2.0])], [1.0, -2.0])
