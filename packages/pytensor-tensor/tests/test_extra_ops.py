"""Tests of pytensor.tensor.extra_ops against NumPy."""

from __future__ import annotations

import numpy as np
import pytest
from _indexing_shape_check import check_shapes

import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.tensor.extra_ops import (
    BinCount,
    BroadcastTo,
    CumOp,
    FillDiagonal,
    RavelMultiIndex,
    Repeat,
    SearchsortedOp,
    Unique,
    UnravelIndex,
    bincount,
    broadcast_arrays,
    broadcast_shape,
    broadcast_to,
    cumprod,
    cumsum,
    diff,
    fill_diagonal,
    flip,
    ravel_multi_index,
    repeat,
    searchsorted,
    squeeze,
    unique,
    unravel_index,
)

RNG = np.random.default_rng(7)


def _data(shape, dtype):
    if dtype == "bool":
        return RNG.integers(0, 2, size=shape).astype(bool)
    if dtype.startswith("complex"):
        return (RNG.normal(size=shape) + 1j * RNG.normal(size=shape)).astype(dtype)
    if dtype.startswith(("int", "uint")):
        return RNG.integers(0, 5, size=shape).astype(dtype)
    return RNG.normal(size=shape).astype(dtype)


# -- cumsum / cumprod ---------------------------------------------------------


@pytest.mark.parametrize(
    "dtype", ["float64", "float32", "int8", "uint8", "int64", "bool", "complex128"]
)
@pytest.mark.parametrize("axis", [None, 0, 1, -1])
@pytest.mark.parametrize("fn", [cumsum, cumprod])
def test_cumsum_cumprod_match_numpy(fn, axis, dtype):
    data = _data((3, 4), dtype)
    x = pt.matrix("x", dtype=dtype)
    out = fn(x, axis=axis)
    # PyTensor keeps the input dtype (NumPy widens small integers and booleans).
    expected = getattr(np, fn.__name__)(data, axis=axis).astype(dtype)
    assert out.type.dtype == dtype
    res = check_shapes(out, {x: data})
    np.testing.assert_allclose(res, expected, rtol=1e-6)
    assert res.dtype == expected.dtype


def test_cumsum_static_shapes_and_edge_cases():
    x = pt.tensor("x", shape=(2, None, 3))
    assert cumsum(x, axis=1).type.shape == (2, None, 3)
    assert cumsum(x).type.shape == (None,)
    assert cumsum(pt.tensor("y", shape=(2, 3))).type.shape == (6,)
    s = pt.dscalar("s")
    np.testing.assert_array_equal(cumsum(s).eval({s: 2.0}), [2.0])
    e = pt.matrix("e")
    np.testing.assert_array_equal(
        check_shapes(cumprod(e, axis=0), {e: np.zeros((0, 2))}), np.zeros((0, 2))
    )
    v = pt.dvector("v")
    np.testing.assert_array_equal(v.cumsum().eval({v: [1.0, 2.0]}), [1.0, 3.0])
    np.testing.assert_array_equal(v.cumprod().eval({v: [2.0, 3.0]}), [2.0, 6.0])


def test_cumop_bad_input():
    x = pt.matrix("x")
    with pytest.raises(
        np.exceptions.AxisError, match="cumsum: axis 2 is out of range for the 2-d input x"
    ):
        cumsum(x, axis=2)
    with pytest.raises(np.exceptions.AxisError, match=r"CumOp\{2, mul\}: axis 2 is out of range"):
        CumOp(2, "mul")(x)
    with pytest.raises(ValueError, match="non-negative"):
        CumOp(-1)
    with pytest.raises(ValueError, match="mode must be"):
        CumOp(0, "max")
    with pytest.raises(TypeError, match="axis must be an int"):
        CumOp(None)  # type: ignore[arg-type]
    assert (
        CumOp(0, "add") == CumOp(0)
        and CumOp(0) != CumOp(0, "mul")
        and hash(CumOp(1)) == hash(CumOp(1))
    )


# -- diff ---------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float64", "float32", "int16", "bool", "complex64"])
@pytest.mark.parametrize(("n", "axis"), [(0, -1), (1, -1), (2, 0), (3, 1), (1, 0)])
def test_diff_matches_numpy(n, axis, dtype):
    data = _data((4, 5), dtype)
    x = pt.matrix("x", dtype=dtype)
    out = diff(x, n=n, axis=axis)
    res = function([x], out)(data)
    expected = np.diff(data, n=n, axis=axis)
    np.testing.assert_allclose(res, expected, rtol=1e-6)
    assert res.dtype == expected.dtype


def test_diff_static_shape_and_errors():
    x = pt.matrix("x", shape=(4, 5))
    assert diff(x).type.shape == (4, 4)
    assert diff(x, n=2, axis=0).type.shape == (2, 5)
    assert diff(pt.vector("o", shape=(1,))).type.shape == (0,)
    assert diff(pt.vector("u")).type.shape == (None,)
    with pytest.raises(ValueError, match="non-negative"):
        diff(x, n=-1)
    with pytest.raises(ValueError, match="at least 1-d"):
        diff(pt.dscalar("s"))
    with pytest.raises(np.exceptions.AxisError, match="diff: axis 2"):
        diff(x, axis=2)


# -- repeat -------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float64", "float32", "int8", "bool"])
@pytest.mark.parametrize(
    ("repeats", "axis"),
    [
        (2, None),
        (0, 0),
        (3, 1),
        ([1, 0, 2], 0),
        ([2, 1, 0, 3], 1),
        ([2], 1),
        (np.arange(12) % 3, None),
    ],
)
def test_repeat_matches_numpy(repeats, axis, dtype):
    data = _data((3, 4), dtype)
    x = pt.matrix("x", dtype=dtype, shape=(3, 4))
    out = repeat(x, repeats, axis=axis)
    expected = np.repeat(data, repeats, axis=axis)
    assert out.type.shape == expected.shape
    assert repeat(pt.matrix("u", dtype=dtype), repeats, axis=axis).type.ndim == expected.ndim
    res = check_shapes(out, {x: data})
    np.testing.assert_array_equal(res, expected)
    assert res.dtype == expected.dtype


def test_repeat_symbolic_repeats():
    x = pt.matrix("x")
    r = pt.lscalar("r")
    rv = pt.ivector("rv")
    data = np.arange(6.0).reshape(2, 3)
    out = repeat(x, r, axis=1)
    assert out.type.shape == (None, None)
    np.testing.assert_array_equal(check_shapes(out, {x: data, r: 2}), np.repeat(data, 2, axis=1))
    out = repeat(x, rv, axis=0)
    np.testing.assert_array_equal(
        check_shapes(out, {x: data, rv: np.array([0, 3], "int32")}), np.repeat(data, [0, 3], axis=0)
    )
    one = pt.ivector("one", shape=(1,))
    out = repeat(x, one)
    np.testing.assert_array_equal(
        check_shapes(out, {x: data, one: np.array([2], "int32")}), np.repeat(data, 2)
    )
    np.testing.assert_array_equal(x.repeat(2, axis=0).eval({x: data}), np.repeat(data, 2, axis=0))
    s = pt.dscalar("s")
    np.testing.assert_array_equal(check_shapes(repeat(s, 3), {s: 1.5}), [1.5, 1.5, 1.5])


def test_repeat_bad_input():
    x = pt.matrix("x", shape=(2, 3))
    with pytest.raises(TypeError, match=r"Repeat.*repeats.*integer dtype, got float"):
        repeat(x, 1.5)
    with pytest.raises(TypeError, match="got uint64"):
        repeat(x, pt.scalar("u", dtype="uint64"))
    with pytest.raises(ValueError, match="Repeat.*non-negative"):
        repeat(x, -1)
    with pytest.raises(ValueError, match=r"Repeat.*one count per element: 2 != 3"):
        repeat(x, [1, 2], axis=1)
    with pytest.raises(ValueError, match="0-d or 1-d"):
        repeat(x, [[1]])
    with pytest.raises(np.exceptions.AxisError, match="repeat: axis 2"):
        repeat(x, 2, axis=2)
    y = pt.matrix("y")
    rv = pt.lvector("rv")
    f = function([y, rv], repeat(y, rv, axis=0))
    with pytest.raises(ValueError, match=r"Repeat.*3 repeat counts for 2 elements"):
        f(np.zeros((2, 2)), np.array([1, 1, 1]))
    with pytest.raises(ValueError, match="Repeat.*non-negative"):
        f(np.zeros((2, 2)), np.array([1, -1]))
    assert Repeat(0) == Repeat(0) and Repeat(0) != Repeat(None)


# -- bincount -----------------------------------------------------------------


@pytest.mark.parametrize("x_dtype", ["int8", "int64", "uint16", "bool"])
def test_bincount_matches_numpy(x_dtype):
    data = np.array([0, 1, 1, 3, 1, 0], dtype=x_dtype)
    x = pt.vector("x", dtype=x_dtype)
    out = bincount(x)
    assert out.type.dtype == "int64"
    res = check_shapes(out, {x: data})
    np.testing.assert_array_equal(res, np.bincount(data))
    res = check_shapes(bincount(x, minlength=7), {x: data})
    np.testing.assert_array_equal(res, np.bincount(data, minlength=7))


@pytest.mark.parametrize(
    ("w_dtype", "out_dtype"), [("float32", "float32"), ("float64", "float64"), ("int32", "float64")]
)
def test_bincount_weights(w_dtype, out_dtype):
    data = np.array([2, 0, 2, 1])
    weights = np.array([0.5, 1.0, 2.0, 3.0]).astype(w_dtype)
    x, w = pt.lvector("x"), pt.vector("w", dtype=w_dtype)
    out = bincount(x, weights=w)
    assert out.type.dtype == out_dtype
    res = check_shapes(out, {x: data, w: weights})
    np.testing.assert_allclose(res, np.bincount(data, weights=weights))
    assert res.dtype == np.dtype(out_dtype)


def test_bincount_empty_and_symbolic_minlength():
    x = pt.lvector("x")
    m = pt.lscalar("m")
    empty = np.zeros(0, dtype="int64")
    np.testing.assert_array_equal(
        check_shapes(bincount(x, minlength=m), {x: empty, m: 3}), [0, 0, 0]
    )
    np.testing.assert_array_equal(check_shapes(bincount(x), {x: empty}), np.bincount(empty))
    assert bincount(pt.lvector("e", shape=(0,)), minlength=4).type.shape == (4,)
    assert bincount(x).type.shape == (None,)


def test_bincount_bad_input():
    with pytest.raises(TypeError, match="BinCount.*vector of non-negative integers"):
        bincount(pt.dvector("f"))
    with pytest.raises(TypeError, match="BinCount"):
        bincount(pt.lmatrix("m"))
    with pytest.raises(TypeError, match="BinCount.*real vector"):
        bincount(pt.lvector("x"), weights=pt.zvector("z"))
    with pytest.raises(ValueError, match="BinCount.*lengths of x"):
        bincount(pt.lvector("x", shape=(2,)), weights=pt.dvector("w", shape=(3,)))
    x = pt.lvector("x")
    f = function([x], bincount(x))
    with pytest.raises(ValueError, match="BinCount.*non-negative"):
        f(np.array([1, -1]))


# -- unique -------------------------------------------------------------------


@pytest.mark.parametrize(
    "flags",
    [
        (False, False, False),
        (True, False, False),
        (False, True, False),
        (False, False, True),
        (True, True, True),
    ],
)
@pytest.mark.parametrize("axis", [None, 0, 1])
@pytest.mark.parametrize("dtype", ["float64", "int8", "bool"])
def test_unique_matches_numpy(flags, axis, dtype):
    data = np.array([[1, 0, 1], [2, 0, 1], [1, 0, 1], [3, 3, 3]]).astype(dtype)
    x = pt.matrix("x", dtype=dtype)
    outs = unique(x, *flags, axis=axis)
    outs = outs if isinstance(outs, list) else [outs]
    expected = np.unique(data, *flags, axis=axis)
    expected = expected if isinstance(expected, tuple) else (expected,)
    assert len(outs) == len(expected)
    for k, (out, exp) in enumerate(zip(outs, expected, strict=True)):
        res = check_shapes(out, {x: data})
        exp = exp.reshape(-1) if k > 0 else exp
        np.testing.assert_array_equal(res, exp)
        assert res.dtype == (np.dtype(dtype) if k == 0 else np.int64)


def test_unique_static_shapes():
    x = pt.matrix("x", shape=(4, 3))
    u, idx, inv, cnt = unique(x, True, True, True)
    assert (
        u.type.shape == (None,)
        and idx.type.shape == (None,)
        and inv.type.shape == (12,)
        and cnt.type.shape == (None,)
    )
    u, inv = unique(x, return_inverse=True, axis=1)
    assert u.type.shape == (4, None) and inv.type.shape == (3,)
    assert unique(pt.vector("o", shape=(1,))).type.shape == (1,)
    s = pt.dscalar("s")
    np.testing.assert_array_equal(check_shapes(unique(s), {s: 2.0}), [2.0])
    with pytest.raises(np.exceptions.AxisError, match="unique: axis 2"):
        unique(x, axis=2)
    with pytest.raises(np.exceptions.AxisError, match="Unique.*axis 2 is out of range"):
        Unique(axis=2)(x)
    with pytest.raises(ValueError, match="non-negative"):
        Unique(axis=-1)


# -- searchsorted -------------------------------------------------------------


@pytest.mark.parametrize("side", ["left", "right"])
def test_searchsorted_matches_numpy(side):
    a = np.array([1.0, 2.0, 2.0, 4.0, 8.0])
    v = np.array([[0.0, 2.0], [5.0, 9.0]])
    x, y = pt.dvector("x"), pt.dmatrix("y")
    out = searchsorted(x, y, side=side)
    assert out.type.dtype == "int64"
    np.testing.assert_array_equal(check_shapes(out, {x: a, y: v}), np.searchsorted(a, v, side=side))
    iv = pt.lvector("iv")
    np.testing.assert_array_equal(
        searchsorted(x, iv).eval({x: a, iv: np.array([2, 3])}), np.searchsorted(a, [2, 3])
    )


def test_searchsorted_sorter_and_errors():
    a = np.array([3.0, 1.0, 2.0])
    x, s = pt.dvector("x"), pt.lvector("s")
    out = searchsorted(x, 2.5, sorter=s)
    assert out.type.shape == ()
    np.testing.assert_array_equal(
        check_shapes(out, {x: a, s: np.argsort(a)}), np.searchsorted(a, 2.5, sorter=np.argsort(a))
    )
    with pytest.raises(ValueError, match="SearchsortedOp.*must be 1-d"):
        searchsorted(pt.dmatrix("m"), 1.0)
    with pytest.raises(TypeError, match="sorter.*signed integer vector"):
        searchsorted(x, 1.0, sorter=pt.dvector("f"))
    with pytest.raises(ValueError, match="sorter"):
        searchsorted(pt.dvector("x3", shape=(3,)), 1.0, sorter=pt.lvector("s2", shape=(2,)))
    with pytest.raises(ValueError, match="side must be"):
        SearchsortedOp("middle")


# -- broadcast_to / broadcast_arrays / broadcast_shape -------------------------


def test_broadcast_to_static_refinement_and_values():
    x = pt.vector("x", shape=(3,))
    n = pt.lscalar("n")
    out = broadcast_to(x, (n, 3))
    assert out.type.shape == (None, 3)
    res = check_shapes(out, {x: np.arange(3.0), n: 2})
    np.testing.assert_array_equal(res, np.broadcast_to(np.arange(3.0), (2, 3)))
    assert res.flags.writeable
    assert broadcast_to(x, (2, n)).type.shape == (2, 3)
    y = pt.matrix("y", shape=(1, None))
    assert broadcast_to(y, (4, 5)).type.shape == (4, 5)


def test_broadcast_to_explicitly_broadcasts_unknown_length_one_dims():
    x = pt.matrix("x")
    out = broadcast_to(x, (3, 4))
    f = function([x], out)
    np.testing.assert_array_equal(f(np.ones((1, 4))), np.ones((3, 4)))
    np.testing.assert_array_equal(
        f(np.arange(3.0).reshape(3, 1)), np.broadcast_to(np.arange(3.0).reshape(3, 1), (3, 4))
    )
    with pytest.raises(ValueError, match=r"BroadcastTo.*shape \(2, 4\) to shape \(3, 4\)"):
        f(np.ones((2, 4)))


@pytest.mark.parametrize("dtype", ["float32", "int8", "bool", "complex64"])
def test_broadcast_to_dtypes_and_shape_vectors(dtype):
    x = pt.vector("x", dtype=dtype)
    y = pt.matrix("y")
    out = broadcast_to(x, y.shape)
    data = _data((4,), dtype)
    res = check_shapes(out, {x: data, y: np.zeros((2, 4))})
    np.testing.assert_array_equal(res, np.broadcast_to(data, (2, 4)))
    assert res.dtype == np.dtype(dtype)
    v = pt.lvector("v", shape=(2,))
    res = broadcast_to(x, v).eval({x: data, v: np.array([3, 4])})
    assert res.shape == (3, 4)
    s = pt.scalar("s", dtype=dtype)
    np.testing.assert_array_equal(check_shapes(broadcast_to(s, (2,)), {s: data[0]}), [data[0]] * 2)
    np.testing.assert_array_equal(broadcast_to(s, ()).eval({s: data[0]}), data[0])


def test_broadcast_to_bad_input():
    x = pt.vector("x", shape=(3,))
    with pytest.raises(
        ValueError, match=r"BroadcastTo.*input x of static shape \(3,\) to shape \(2, 4\)"
    ):
        broadcast_to(x, (2, 4))
    with pytest.raises(ValueError, match="BroadcastTo.*2-d input"):
        broadcast_to(pt.matrix("m"), (3,))
    with pytest.raises(ValueError, match="negative length"):
        broadcast_to(x, (-1, 3))
    with pytest.raises(TypeError, match="BroadcastTo.*0-d integer"):
        broadcast_to(x, (pt.dscalar("f"), 3))
    with pytest.raises(ValueError, match="statically known length"):
        broadcast_to(x, pt.lvector("v"))
    assert BroadcastTo() == BroadcastTo()


def test_broadcast_arrays():
    a, b = pt.vector("a", shape=(3,)), pt.matrix("b", shape=(2, 1))
    ra, rb = broadcast_arrays(a, b)
    assert ra.type.shape == rb.type.shape == (2, 3)
    da, db = np.arange(3.0), np.arange(2.0).reshape(2, 1)
    res = function([a, b], [ra, rb])(da, db)
    for r, e in zip(res, np.broadcast_arrays(da, db), strict=True):
        np.testing.assert_array_equal(r, e)
    i = pt.ivector("i")
    (ri, rf) = broadcast_arrays(i, 1.5)
    assert ri.type.dtype == "int32" and rf.type.dtype == "float32"
    u, w = pt.vector("u"), pt.vector("w")
    f = function([u, w], broadcast_arrays(u, w))
    with pytest.raises(ValueError, match="runtime broadcasting is not allowed"):
        f(np.zeros(1), np.zeros(3))
    assert broadcast_arrays() == []


def test_broadcast_shape():
    a, b = pt.tensor("a", shape=(2, 1, None)), pt.tensor("b", shape=(3, 1))
    shp = broadcast_shape(a, b)
    assert len(shp) == 3 and all(d.type.ndim == 0 and d.type.dtype == "int64" for d in shp)
    f = function([a, b], list(shp), on_unused_input="ignore")
    assert [int(v) for v in f(np.zeros((2, 1, 1)), np.zeros((3, 1)))] == [2, 3, 1]
    assert [int(v) for v in f(np.zeros((2, 1, 5)), np.zeros((3, 1)))] == [2, 3, 5]
    n = pt.lscalar("n")
    shp = broadcast_shape((n, 1), (1, 4), (1,), arrays_are_shapes=True)
    assert [int(v) for v in function([n], list(shp))(6)] == [6, 4]
    assert [int(d.eval()) for d in broadcast_shape((2, 1), (1, 3), arrays_are_shapes=True)] == [
        2,
        3,
    ]
    with pytest.raises(ValueError, match="could not broadcast"):
        broadcast_shape((2,), (3,), arrays_are_shapes=True)
    with pytest.raises(ValueError, match="could not broadcast"):
        broadcast_shape(pt.vector("p", shape=(2,)), pt.vector("q", shape=(3,)))
    m = pt.lscalar("m")
    rt = broadcast_shape((n,), (m,), arrays_are_shapes=True, allow_runtime_broadcast=True)
    assert int(function([n, m], rt[0])(1, 5)) == 5


# -- squeeze / flip -----------------------------------------------------------


def test_squeeze():
    x = pt.tensor("x", shape=(1, 3, 1, None))
    assert squeeze(x).type.shape == (3, None)
    assert squeeze(x, axis=0).type.shape == (3, 1, None)
    assert squeeze(x, axis=(0, -2)).type.shape == (3, None)
    assert x.squeeze().type.shape == (3, None)
    data = np.zeros((1, 3, 1, 2))
    np.testing.assert_array_equal(squeeze(x).eval({x: data}), np.squeeze(data))
    assert squeeze(pt.dscalar("s")).type.shape == ()
    assert squeeze(pt.vector("v", shape=(2,))).type.shape == (2,)
    with pytest.raises(ValueError, match=r"squeeze: cannot drop dimension 1 of x.*static length 1"):
        squeeze(x, axis=1)
    with pytest.raises(ValueError, match="cannot drop dimension 3"):
        squeeze(x, axis=3)
    with pytest.raises(np.exceptions.AxisError, match="squeeze: axis 4"):
        squeeze(x, axis=4)


@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 1)])
def test_flip_matches_numpy(axis):
    data = np.arange(12).reshape(3, 4).astype("float32")
    x = pt.matrix("x", dtype="float32", shape=(3, 4))
    out = flip(x, axis=axis)
    assert out.type.shape == (3, 4)
    np.testing.assert_array_equal(function([x], out)(data), np.flip(data, axis=axis))
    s = pt.dscalar("s")
    assert flip(s) is s
    with pytest.raises(np.exceptions.AxisError, match="flip"):
        flip(x, axis=2)
    assert pt.flip is flip


# -- fill_diagonal ------------------------------------------------------------


@pytest.mark.parametrize("shape", [(3, 3), (2, 4), (4, 2), (3, 3, 3)])
def test_fill_diagonal_matches_numpy(shape):
    data = np.arange(np.prod(shape), dtype="float32").reshape(shape)
    x = pt.tensor("x", dtype="float32", shape=(None,) * len(shape))
    out = fill_diagonal(x, 7)
    assert out.type.dtype == "float32"
    expected = data.copy()
    np.fill_diagonal(expected, 7)
    res = check_shapes(out, {x: data})
    np.testing.assert_array_equal(res, expected)
    np.testing.assert_array_equal(data, np.arange(np.prod(shape), dtype="float32").reshape(shape))


def test_fill_diagonal_bad_input():
    with pytest.raises(TypeError, match="FillDiagonal.*at least 2 dimensions"):
        fill_diagonal(pt.dvector("v"), 1.0)
    with pytest.raises(TypeError, match="FillDiagonal.*must be 0-d"):
        fill_diagonal(pt.dmatrix("m"), pt.dvector("v"))
    with pytest.raises(TypeError, match="does not fit in the array's dtype int32"):
        fill_diagonal(pt.imatrix("i"), 1.5)
    with pytest.raises(ValueError, match="must be equal"):
        fill_diagonal(pt.tensor("t", shape=(2, 3, 2)), 1.0)
    assert FillDiagonal() == FillDiagonal()


# -- ravel_multi_index / unravel_index ----------------------------------------


@pytest.mark.parametrize("order", ["C", "F"])
def test_unravel_and_ravel_match_numpy(order):
    flat = np.array([[0, 5], [7, 22]])
    dims = (2, 3, 4)
    i = pt.lmatrix("i")
    outs = unravel_index(i, dims, order=order)
    expected = np.unravel_index(flat, dims, order=order)
    assert len(outs) == 3
    for out, exp in zip(outs, expected, strict=True):
        np.testing.assert_array_equal(check_shapes(out, {i: flat}), exp)
    coords = [pt.lmatrix(f"c{k}") for k in range(3)]
    raveled = ravel_multi_index(coords, dims, order=order)
    res = check_shapes(raveled, dict(zip(coords, expected, strict=True)))
    np.testing.assert_array_equal(res, flat)
    assert res.dtype == np.int64


@pytest.mark.parametrize("mode", ["wrap", "clip"])
def test_ravel_multi_index_modes(mode):
    a, b = pt.ivector("a"), pt.ivector("b")
    out = ravel_multi_index((a, b), (3, 4), mode=mode)
    av, bv = np.array([0, 5, -1], "int32"), np.array([6, 1, 2], "int32")
    np.testing.assert_array_equal(
        out.eval({a: av, b: bv}), np.ravel_multi_index((av, bv), (3, 4), mode=mode)
    )
    f = function([a, b], ravel_multi_index((a, b), (3, 4)))
    with pytest.raises(ValueError):
        f(av, bv)


def test_ravel_unravel_bad_input():
    with pytest.raises(TypeError, match="UnravelIndex.*must be integers"):
        unravel_index(pt.dvector("f"), (2, 3))
    with pytest.raises(TypeError, match="dims.*integer vector"):
        unravel_index(pt.lvector("i"), pt.dvector("d", shape=(2,)))
    with pytest.raises(ValueError, match="must be known when the graph is built"):
        unravel_index(pt.lvector("i"), pt.lvector("d"))
    with pytest.raises(ValueError, match="2 coordinate arrays for 3 dims"):
        ravel_multi_index((pt.lvector("a"), pt.lvector("b")), (2, 3, 4))
    with pytest.raises(TypeError, match="tuple or list"):
        ravel_multi_index(pt.lvector("a"), (2,))
    with pytest.raises(ValueError, match="mode must be"):
        RavelMultiIndex(mode="bad")
    with pytest.raises(ValueError, match="order must be"):
        UnravelIndex(order="K")
    a, b = pt.lvector("a"), pt.lvector("b")
    f = function([a, b], ravel_multi_index((a, b), (5, 5)))
    with pytest.raises(
        ValueError, match="RavelMultiIndex.*only dimensions of static length 1 broadcast"
    ):
        f(np.array([1]), np.array([1, 2]))


def test_ops_compare_by_props():
    assert BinCount() == BinCount()
    assert Unique(True) == Unique(True) and Unique(True) != Unique(False, True)
    assert hash(UnravelIndex("F")) == hash(UnravelIndex("F"))


def test_empty_and_length_one_inputs():
    e = pt.dmatrix("e")
    empty = np.zeros((0, 3))
    np.testing.assert_array_equal(check_shapes(repeat(e, 2, axis=0), {e: empty}), np.zeros((0, 3)))
    np.testing.assert_array_equal(check_shapes(repeat(e, 2, axis=1), {e: empty}), np.zeros((0, 6)))
    x, v = pt.dvector("x"), pt.dvector("v")
    res = check_shapes(searchsorted(x, v), {x: np.array([1.0]), v: np.zeros(0)})
    assert res.shape == (0,) and res.dtype == np.int64
    np.testing.assert_array_equal(
        check_shapes(searchsorted(x, v), {x: np.zeros(0), v: np.ones(2)}), [0, 0]
    )
    out = broadcast_to(x, (0, 1))
    np.testing.assert_array_equal(check_shapes(out, {x: np.ones(1)}), np.zeros((0, 1)))
    assert broadcast_to(pt.dvector("o", shape=(1,)), (4, 0)).type.shape == (4, 0)
    res = check_shapes(unique(e, return_inverse=True)[1], {e: empty})
    assert res.shape == (0,)
    np.testing.assert_array_equal(check_shapes(cumsum(e, axis=1), {e: np.ones((1, 1))}), [[1.0]])
    np.testing.assert_array_equal(
        check_shapes(fill_diagonal(e, 2.0), {e: np.ones((1, 1))}), [[2.0]]
    )
