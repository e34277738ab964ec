"""Tests of sort and argsort."""

from __future__ import annotations

import numpy as np
import pytest
from _indexing_shape_check import check_shapes

import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.tensor.sort import ArgSortOp, SortOp, argsort, sort

RNG = np.random.default_rng(42)


@pytest.mark.parametrize(
    "dtype", ["float64", "float32", "int8", "uint16", "int64", "bool", "complex128"]
)
@pytest.mark.parametrize("axis", [0, 1, -1, None])
def test_sort_and_argsort_match_numpy(dtype, axis):
    data = (RNG.normal(size=(4, 5)) * 10).astype(dtype)
    if dtype == "complex128":
        data = data + 1j * RNG.integers(0, 3, size=(4, 5))
    x = pt.matrix("x", dtype=dtype)
    s, a = sort(x, axis=axis), argsort(x, axis=axis, kind="stable")
    assert s.type.dtype == dtype and a.type.dtype == "int64"
    res_s, res_a = function([x], [s, a])(data)
    np.testing.assert_array_equal(res_s, np.sort(data, axis=axis))
    np.testing.assert_array_equal(res_a, np.argsort(data, axis=axis, kind="stable"))
    assert res_s.dtype == np.dtype(dtype) and res_a.dtype == np.int64
    check_shapes(s, {x: data})
    check_shapes(a, {x: data})


def test_nan_sorts_last_like_numpy():
    data = np.array([3.0, np.nan, -1.0, np.inf, np.nan, 0.0])
    x = pt.dvector("x")
    np.testing.assert_array_equal(sort(x).eval({x: data}), np.sort(data))
    np.testing.assert_array_equal(
        argsort(x, stable=True).eval({x: data}), np.argsort(data, kind="stable")
    )


@pytest.mark.parametrize("kind", ["quicksort", "mergesort", "heapsort", "stable"])
def test_kinds_and_stability(kind):
    data = np.array([2, 1, 2, 1, 0, 2], dtype="int32")
    x = pt.ivector("x")
    np.testing.assert_array_equal(sort(x, kind=kind).eval({x: data}), np.sort(data))
    res = argsort(x, kind=kind).eval({x: data})
    np.testing.assert_array_equal(data[res], np.sort(data))
    if kind in ("mergesort", "stable"):
        np.testing.assert_array_equal(res, [4, 1, 3, 0, 2, 5])


def test_static_shapes_and_empty_and_length_one():
    x = pt.tensor("x", shape=(3, None, 1))
    assert sort(x, axis=1).type.shape == (3, None, 1)
    assert argsort(x, axis=0).type.shape == (3, None, 1)
    assert sort(x, axis=None).type.shape == (None,)
    y = pt.tensor("y", shape=(3, 4))
    assert sort(y, axis=None).type.shape == (12,)
    e = pt.matrix("e")
    empty = np.zeros((0, 3))
    np.testing.assert_array_equal(check_shapes(sort(e, axis=0), {e: empty}), empty)
    np.testing.assert_array_equal(
        check_shapes(argsort(e, axis=1), {e: empty}), np.zeros((0, 3), "int64")
    )
    one = np.array([[5.0]])
    np.testing.assert_array_equal(check_shapes(sort(e), {e: one}), one)


def test_symbolic_axis():
    x = pt.matrix("x")
    ax = pt.lscalar("ax")
    data = RNG.normal(size=(3, 4))
    f = function([x, ax], [sort(x, axis=ax), argsort(x, axis=ax)])
    for a in (0, 1, -2):
        s, i = f(data, a)
        np.testing.assert_array_equal(s, np.sort(data, axis=a))
        np.testing.assert_array_equal(i, np.argsort(data, axis=a))
    with pytest.raises(ValueError, match="SortOp.*axis 2 is out of range"):
        f(data, 2)


def test_methods_and_namespace():
    x = pt.dvector("x")
    data = np.array([3.0, 1.0, 2.0])
    np.testing.assert_array_equal(x.sort().eval({x: data}), [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(x.argsort().eval({x: data}), [1, 2, 0])
    assert pt.sort is sort and pt.argsort is argsort


def test_bad_input():
    x = pt.matrix("x")
    with pytest.raises(ValueError, match="SortOp.*axis 2 is out of range for the 2-d input x"):
        sort(x, axis=2)
    with pytest.raises(ValueError, match="ArgSortOp.*axis -3 is out of range"):
        argsort(x, axis=-3)
    with pytest.raises(TypeError, match="SortOp.*axis must be a 0-d signed integer"):
        SortOp("quicksort")(x, pt.dscalar("a"))
    with pytest.raises(ValueError, match="SortOp.*0-d input"):
        sort(pt.dscalar("s"))
    with pytest.raises(ValueError, match="kind must be one of"):
        sort(x, kind="bogo")
    with pytest.raises(ValueError, match="kind must be one of"):
        ArgSortOp("bogo")
    with pytest.raises(ValueError, match="order argument"):
        sort(x, order=["a"])
    with pytest.raises(ValueError, match="not both"):
        argsort(x, kind="heapsort", stable=True)


def test_ops_are_values():
    assert SortOp("stable") == SortOp("stable") and hash(SortOp("stable")) == hash(SortOp("stable"))
    assert SortOp("stable") != ArgSortOp("stable")
    assert SortOp("quicksort") != SortOp("stable")
    x = pt.dvector("x")
    assert sort(x).owner.op == SortOp("quicksort")
    assert str(SortOp("stable")) == "SortOp{stable}"
