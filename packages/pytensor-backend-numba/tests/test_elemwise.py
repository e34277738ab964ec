"""Fused loops: Elemwise, Composite, DimShuffle, CAReduce and ElemwiseReduce against NumPy."""

from __future__ import annotations

import numpy as np
import pytest

import pytensor.scalar as ps
import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.compile.mode import Mode
from pytensor.scalar._composite import Composite
from pytensor.tensor._elemwise_reduce import ElemwiseReduce
from pytensor.tensor.elemwise import Elemwise
from pytensor.tensor.math import All, Any, Max, Min, Prod, Sum

NUMBA = Mode(linker="numba", optimizer=None)
PY = Mode(linker="py", optimizer=None)
rng = np.random.default_rng(42)


@pytest.mark.parametrize(
    "xs, ys",
    [
        ((3, 4), (3, 4)),
        ((3, 1), (1, 4)),
        ((1, 1), (3, 4)),
        ((2, 3, 4), (1, 3, 1)),
        ((), ()),
        ((5,), (1,)),
        ((0, 3), (1, 3)),
    ],
)
def test_elemwise_broadcasting_from_static_shapes(xs, ys):
    x = pt.tensor("x", shape=xs)
    y = pt.tensor("y", shape=ys)
    outs = [x * y - y, pt.exp(x) + y]
    xv, yv = rng.normal(size=xs), rng.normal(size=ys)
    got = function([x, y], outs, mode=NUMBA)(xv, yv)
    want = [xv * yv - yv, np.exp(xv) + yv]
    for g, w in zip(got, want, strict=True):
        assert g.shape == w.shape
        np.testing.assert_allclose(g, w, rtol=1e-14)


@pytest.mark.parametrize("dtype", ["float32", "int32", "int8", "bool", "complex128"])
def test_elemwise_dtypes(dtype):
    x = pt.matrix("x", dtype=dtype)
    y = pt.vector("y", dtype=dtype)
    outs = [x + y, x * y] if dtype != "bool" else [x & y, x | y]
    xv = (rng.normal(size=(3, 4)) * 10).astype(dtype)
    yv = (rng.normal(size=4) * 10).astype(dtype)
    got = function([x, y], outs, mode=NUMBA)(xv, yv)
    want = function([x, y], outs, mode=PY)(xv, yv)
    for g, w in zip(got, want, strict=True):
        assert g.dtype == w.dtype
        np.testing.assert_array_equal(g, w)


def test_non_contiguous_inputs():
    x = pt.matrix("x")
    fn = function([x], pt.exp(x) * 2, mode=NUMBA)
    xv = rng.normal(size=(6, 8))
    for view in (xv[::2, 1::3], xv.T, np.asfortranarray(xv)):
        np.testing.assert_allclose(fn(view), np.exp(view) * 2, rtol=1e-14)


def test_multi_output_composite_is_one_loop():
    a, b = ps.float64("a"), ps.float64("b")
    comp = Composite([a, b], [a + b, a * b, ps.exp(a - b)])
    x, y = pt.vector("x"), pt.vector("y")
    outs = Elemwise(comp)(x, y)
    fn = function([x, y], outs, mode=NUMBA)
    xv, yv = rng.normal(size=7), rng.normal(size=7)
    s, p, e = fn(xv, yv)
    np.testing.assert_allclose(s, xv + yv)
    np.testing.assert_allclose(p, xv * yv)
    np.testing.assert_allclose(e, np.exp(xv - yv), rtol=1e-15)
    src = fn.vm.source
    assert src.count("= f") == 1, src  # the three outputs come from one kernel call


@pytest.mark.parametrize("axis", [None, 0, 1, 2, (0, 2), (1, 2), ()])
@pytest.mark.parametrize("op", [Sum, Prod, Max, Min, All, Any])
def test_careduce_axes(op, axis):
    x = pt.tensor3("x", dtype="float64" if op not in (All, Any) else "bool")
    xv = rng.normal(size=(3, 4, 5))
    xv = xv > 0 if op in (All, Any) else xv
    red = op(axis=axis)(x)
    got = function([x], red, mode=NUMBA)(xv)
    want = function([x], red, mode=PY)(xv)
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-13)


@pytest.mark.parametrize("dtype", ["int8", "int32", "float32", "bool"])
def test_sum_accumulates_in_the_wider_dtype(dtype):
    x = pt.matrix("x", dtype=dtype)
    xv = (rng.normal(size=(50, 40)) * 100).astype(dtype)
    outs = [pt.sum(x), pt.sum(x, axis=0), pt.prod(x[:3, :3], axis=1)]
    got = function([x], outs, mode=NUMBA)(xv)
    want = function([x], outs, mode=PY)(xv)
    for g, w in zip(got, want, strict=True):
        assert g.dtype == w.dtype
        np.testing.assert_allclose(g, w, rtol=1e-5)


def test_reductions_with_nan_and_empty_inputs():
    x = pt.matrix("x")
    fn = function([x], [pt.max(x, axis=1), pt.min(x, axis=0), pt.sum(x)], mode=NUMBA)
    xv = np.array([[1.0, np.nan], [3.0, 2.0]])
    mx, mn, s = fn(xv)
    np.testing.assert_array_equal(mx, [np.nan, 3.0])
    np.testing.assert_array_equal(mn, [1.0, np.nan])
    assert np.isnan(s)
    empty = np.ones((0, 3))
    np.testing.assert_array_equal(function([x], pt.sum(x, axis=0), mode=NUMBA)(empty), np.zeros(3))
    with pytest.raises(ValueError) as got:
        function([x], pt.max(x, axis=0), mode=NUMBA)(empty)
    with pytest.raises(ValueError) as want:
        function([x], pt.max(x, axis=0), mode=PY)(empty)
    assert str(got.value) == str(want.value)


@pytest.mark.parametrize("axis", [None, 0, 1, (0, 1)])
def test_elemwise_reduce_reduces_while_computing(axis):
    x = pt.matrix("x")
    y = pt.vector("y")
    a, b = ps.float64("a"), ps.float64("b")
    ew = Elemwise(Composite([a, b], [ps.exp(a) * b]))
    op = ElemwiseReduce(ew, Sum(axis=axis))
    out = op(x, y)
    fn = function([x, y], out, mode=NUMBA)
    xv, yv = rng.normal(size=(4, 3)), rng.normal(size=3)
    np.testing.assert_allclose(fn(xv, yv), np.sum(np.exp(xv) * yv, axis=axis), rtol=1e-13)
    assert op_source(fn).count("np.empty(") == 1  # no intermediate array, only the result


def op_source(fn):
    from pytensor.link.numba.dispatch import numba_funcify

    node = fn.maker.fgraph.outputs[0].owner
    while not isinstance(node.op, ElemwiseReduce):
        node = node.inputs[0].owner
    return numba_funcify(node.op, node)[0].__numba_source__


def test_elemwise_reduce_runtime_broadcast_error_matches_perform():
    x = pt.matrix("x")
    y = pt.matrix("y")
    ew = Elemwise(ps.add)
    out = ElemwiseReduce(ew, Sum(axis=(0,)))(x, y)
    args = np.ones((3, 2)), np.ones((1, 2))
    with pytest.raises(ValueError) as got:
        function([x, y], out, mode=NUMBA)(*args)
    with pytest.raises(ValueError) as want:
        function([x, y], out, mode=PY)(*args)
    assert str(got.value) == str(want.value)


@pytest.mark.parametrize(
    "shape, order",
    [
        ((2, 3), (1, 0)),
        ((2, 3), ("x", 0, "x", 1)),
        ((2, 1, 3), (0, 2)),
        ((1,), ()),
        ((2, 3, 4), (2, "x", 0, 1)),
    ],
)
def test_dimshuffle_is_a_view(shape, order):
    x = pt.tensor("x", shape=shape)
    out = x.dimshuffle(order)
    fn = function([x], [out, out * 2], mode=NUMBA)
    xv = rng.normal(size=shape)
    view, doubled = fn(xv)
    want = function([x], out, mode=PY)(xv)
    np.testing.assert_array_equal(view, want)
    np.testing.assert_array_equal(doubled, want * 2)


def test_dimshuffle_output_does_not_alias_input_through_function():
    x = pt.matrix("x")
    fn = function([x], x.T, mode=NUMBA)
    xv = np.ones((2, 3))
    out = fn(xv)
    assert not np.shares_memory(out, xv)  # Function's deep copy runs on numba too
