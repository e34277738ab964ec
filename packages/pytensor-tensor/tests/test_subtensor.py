"""Tests of basic indexing: Subtensor, x[...] and the index helpers."""

from __future__ import annotations

import numpy as np
import pytest
from _indexing_shape_check import check_shapes
from hypothesis import given, settings
from hypothesis import strategies as st

import pytensor.scalar.basic as ps
import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.tensor.elemwise import DimShuffle
from pytensor.tensor.exceptions import AdvancedIndexingError, NotScalarConstantError
from pytensor.tensor.subtensor import (
    Subtensor,
    as_index_constant,
    as_index_literal,
    basic_shape,
    flatten_index_variables,
    get_canonical_form_slice,
    get_constant_idx,
    get_idx_list,
    indices_from_subtensor,
    slice_len,
    unflatten_index_variables,
)

X = np.arange(60.0).reshape(3, 4, 5)


@pytest.mark.parametrize(
    "index",
    [
        1,
        -1,
        (0, 2),
        (-1, -2, -3),
        slice(1, 3),
        slice(None, None, 2),
        slice(None, None, -1),
        slice(-2, None),
        slice(5, 1, -2),
        slice(10, 20),
        slice(-10, 2),
        (slice(None), 1),
        (1, slice(1, None, 2), -1),
        (slice(0, 0),),
        (Ellipsis, 1),
        (1, Ellipsis),
        (None, 1),
        (slice(None), None, 2, None),
        (Ellipsis, None),
        (None, Ellipsis, None),
        (),
        (2, 3, 4),
        (slice(None, None, -3), slice(-1, -5, -1)),
    ],
)
@pytest.mark.parametrize("static", [True, False])
def test_basic_indexing_matches_numpy(index, static):
    x = pt.tensor("x", dtype="float64", shape=X.shape if static else (None,) * 3)
    out = x[index]
    expected = X[index]
    res = function([x], out)(X)
    np.testing.assert_array_equal(res, expected)
    assert res.dtype == expected.dtype
    assert out.type.ndim == expected.ndim
    if static:
        assert out.type.shape == expected.shape
    if out.owner is not None and isinstance(out.owner.op, Subtensor):
        check_shapes(out, {x: X})


@pytest.mark.parametrize(
    ("length", "index", "static"),
    [
        (10, slice(1, 3), 2),
        (5, slice(None, None, 2), 3),
        (5, slice(None, None, -1), 5),
        (5, slice(-2, None), 2),
        (5, slice(3, 1), 0),
        (0, slice(2, 5), 0),
        (1, slice(None, None, -3), 1),
        (7, slice(100, None, -2), 4),
    ],
)
def test_static_slice_lengths(length, index, static):
    x = pt.vector("x", shape=(length,))
    assert x[index].type.shape == (static,)
    assert len(range(length)[index]) == static


def test_unknown_lengths_stay_unknown_and_full_slices_keep_length():
    x = pt.vector("x", shape=(None,))
    i = pt.lscalar("i")
    assert x[1:3].type.shape == (None,)
    assert x[0:].type.shape == (None,)
    assert x[::-1].type.shape == (None,)
    y = pt.vector("y", shape=(8,))
    assert y[i:].type.shape == (None,)
    assert y[:i].type.shape == (None,)
    assert y[::-1].type.shape == (8,)
    assert y[0::1].type.shape == (8,)
    assert pt.vector("z", shape=(0,))[i:].type.shape == (0,)


def test_integer_index_of_int_vector_is_0d_int64():
    v = pt.lvector("v")
    out = v[1]
    assert out.type.dtype == "int64" and out.type.ndim == 0
    res = out.eval({v: np.array([4, 5, 6])})
    assert isinstance(res, np.ndarray) and res.shape == () and res == 5


@pytest.mark.parametrize("dtype", ["float32", "int8", "uint16", "bool", "complex64"])
def test_dtype_is_kept(dtype):
    data = np.arange(6).reshape(2, 3).astype(dtype)
    x = pt.matrix("x", dtype=dtype)
    out = x[1, ::-1]
    assert out.type.dtype == dtype
    res = function([x], out)(data)
    np.testing.assert_array_equal(res, data[1, ::-1])
    assert res.dtype == data.dtype


@pytest.mark.parametrize("idx_dtype", ["int8", "int16", "int32", "int64", "uint8", "uint32"])
def test_symbolic_integer_indices_of_any_integer_dtype(idx_dtype):
    x = pt.matrix("x")
    i = pt.scalar("i", dtype=idx_dtype)
    j = pt.scalar("j", dtype=idx_dtype)
    out = x[i, j:]
    data = np.arange(12.0).reshape(3, 4)
    res = check_shapes(out, {x: data, i: np.asarray(2, idx_dtype), j: np.asarray(1, idx_dtype)})
    np.testing.assert_array_equal(res, data[2, 1:])


def test_negative_symbolic_index_and_scalar_variable_index():
    x = pt.vector("x")
    i = pt.lscalar("i")
    data = np.arange(5.0)
    np.testing.assert_array_equal(function([x, i], x[i])(data, -2), data[-2])
    s = ps.ScalarType("int32")("s")
    np.testing.assert_array_equal(function([x, s], x[s])(data, np.int32(3)), data[3])


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(0, 7),
    start=st.one_of(st.none(), st.integers(-9, 9)),
    stop=st.one_of(st.none(), st.integers(-9, 9)),
    step=st.one_of(st.none(), st.integers(-4, 4).filter(lambda s: s != 0)),
)
def test_symbolic_slices_match_numpy(n, start, stop, step):
    x = pt.vector("x")
    a, b, c = pt.lscalar("a"), pt.lscalar("b"), pt.lscalar("c")
    sym = slice(
        None if start is None else a, None if stop is None else b, None if step is None else c
    )
    out = x[sym]
    data = np.arange(float(n))
    givens = {
        x: data,
        a: start if start is not None else 0,
        b: stop if stop is not None else 0,
        c: step if step is not None else 1,
    }
    if out is x:
        assert start is None and stop is None and step is None
        return
    res = check_shapes(out, givens)
    np.testing.assert_array_equal(res, data[start:stop:step])


def test_subtensor_is_a_view():
    x = pt.matrix("x")
    out = x[1:, 0]
    assert out.owner.op.view_map == {0: [0]}
    data = np.arange(12.0).reshape(3, 4)
    storage = [[None]]
    out.owner.op.perform(
        out.owner, [data, *(np.asarray(i.data) for i in out.owner.inputs[1:])], storage
    )
    assert np.shares_memory(storage[0][0], data)
    storage = [[None]]
    node = x[1, 2].owner
    node.op.perform(node, [data, 1, 2], storage)
    assert isinstance(storage[0][0], np.ndarray) and np.shares_memory(storage[0][0], data)


def test_full_slices_and_empty_index_return_the_input():
    x = pt.matrix("x")
    assert x[:] is x
    assert x[...] is x
    assert x[()] is x
    assert x[:, :] is x
    assert isinstance(x[None].owner.op, DimShuffle)


def test_newaxis_positions():
    x = pt.matrix("x", shape=(3, 4))
    assert x[None, :, None].type.shape == (1, 3, 1, 4)
    assert x[1, None].type.shape == (1, 4)
    assert x[..., None].type.shape == (3, 4, 1)
    assert x[np.newaxis, 0, np.newaxis, 1:].type.shape == (1, 1, 3)
    s = pt.scalar("s")
    assert s[None].type.shape == (1,)
    np.testing.assert_array_equal(s[None, None].eval({s: 2.0}), np.array([[2.0]]))


def test_static_out_of_bounds_index_raises_at_build_time():
    x = pt.matrix("x", shape=(3, 4))
    with pytest.raises(
        IndexError, match=r"Subtensor.*index 4 is out of bounds for axis 1 with size 4"
    ):
        x[0, 4]
    with pytest.raises(IndexError, match=r"index -4 is out of bounds for axis 0 with size 3"):
        x[-4]
    with pytest.raises(IndexError, match="out of bounds for axis 0 with size 0"):
        pt.vector("e", shape=(0,))[0]


def test_runtime_out_of_bounds_index_raises():
    x = pt.matrix("x")
    i = pt.lscalar("i")
    f = function([x, i], x[1, i])
    with pytest.raises(
        IndexError, match=r"Subtensor.*index 7 is out of bounds for axis 1 with size 4"
    ):
        f(np.zeros((3, 4)), 7)
    g = function([x], x[5])
    with pytest.raises(IndexError, match="index 5 is out of bounds for axis 0 with size 3"):
        g(np.zeros((3, 4)))


def test_zero_step_raises():
    x = pt.vector("x")
    with pytest.raises(ValueError, match="step cannot be zero"):
        x[::0]
    c = pt.lscalar("c")
    f = function([x, c], x[::c])
    with pytest.raises(ValueError, match="Subtensor.*step cannot be zero"):
        f(np.zeros(3), 0)


# Advanced indices (integer arrays, masks) are tested in test_advanced_indexing.py.


def test_non_integer_indices_are_refused():
    x = pt.vector("x")
    with pytest.raises(IndexError, match="Subtensor.*float64.*integers"):
        x[pt.dscalar("f")]
    with pytest.raises(IndexError, match="not an integer"):
        x[1.0]
    with pytest.raises(TypeError, match="Subtensor: slice bound"):
        x[pt.dscalar("f") :]
    with pytest.raises(TypeError, match="Subtensor: slice bound"):
        x[: pt.lvector("v")]
    with pytest.raises(IndexError, match="not a valid index"):
        x["a"]


def test_too_many_indices_and_double_ellipsis():
    x = pt.matrix("x")
    with pytest.raises(IndexError, match="too many indices"):
        x[0, 0, 0]
    with pytest.raises(IndexError, match="single ellipsis"):
        x[..., 0, ...]
    with pytest.raises(IndexError, match="too many indices"):
        Subtensor([ps.int64, ps.int64, ps.int64])(x, 0, 0, 0)


def test_make_node_checks_index_inputs():
    op = Subtensor([ps.int64, slice(ps.int32, None, None)])
    x = pt.matrix("x")
    with pytest.raises(TypeError, match="expected 2 index inputs, got 1"):
        op(x, 1)
    with pytest.raises(TypeError, match="dtype int64, expected int32"):
        op(x, 1, pt.lscalar("l"))
    with pytest.raises(TypeError, match="Subtensor.*float64; indices must be integers"):
        op(x, pt.dscalar("d"), 1)
    out = op(x, 1, 2)
    assert out.type.ndim == 1
    with pytest.raises(TypeError, match="add new axes with DimShuffle"):
        Subtensor([None])
    with pytest.raises(TypeError, match="pass 1 as an input"):
        Subtensor([1])
    with pytest.raises(AdvancedIndexingError):
        Subtensor([pt.TensorType("int64", (None,))])
    assert Subtensor([pt.TensorType("int32", ())]) == Subtensor([ps.int32])


def test_op_identity_and_printing():
    a = Subtensor([ps.int64, slice(ps.int64, None, None)])
    b = Subtensor([ps.int64, slice(ps.int64, None, None)])
    c = Subtensor([ps.int64, slice(None, ps.int64, None)])
    assert a == b and hash(a) == hash(b)
    assert a != c
    assert str(a) == "Subtensor{i, i:}"
    x = pt.vector("x")
    assert x[1:3].owner.op == x[2:4].owner.op


def test_index_constant_and_literal_helpers():
    c = as_index_constant(3)
    assert isinstance(c, ps.ScalarConstant) and c.type == ps.int64 and int(c.data) == 3
    s = as_index_constant(slice(1, None, -1))
    assert isinstance(s.start, ps.ScalarConstant) and s.stop is None
    assert as_index_constant(None) is None
    v = pt.lscalar("v")
    assert as_index_constant(v) is v
    assert as_index_literal(c) == 3
    assert as_index_literal(slice(c, None, as_index_constant(-1))) == slice(3, None, -1)
    assert as_index_literal(pt.constant(5)) == 5
    with pytest.raises(NotScalarConstantError):
        as_index_literal(v)


def test_idx_list_helpers_round_trip():
    x = pt.tensor3("x")
    i = pt.lscalar("i")
    out = x[i, 1:, ::2]
    node = out.owner
    entries = get_idx_list(node.inputs, node.op.idx_list)
    assert entries[0] is node.inputs[1]
    assert isinstance(entries[1], slice) and entries[1].stop is None and entries[2].start is None
    assert indices_from_subtensor(node.inputs[1:], node.op.idx_list) == unflatten_index_variables(
        node.inputs[1:], node.op.idx_list
    )
    idx_list, flat = flatten_index_variables(entries)
    assert idx_list == node.op.idx_list and flat == list(node.inputs[1:])
    with pytest.raises(NotScalarConstantError):
        get_constant_idx(node.op.idx_list, node.inputs)
    partial = get_constant_idx(node.op.idx_list, node.inputs, allow_partial=True)
    assert partial[1:] == [slice(1, None, None), slice(None, None, 2)]
    const = x[0, 1:3].owner
    assert get_constant_idx(const.op.idx_list, const.inputs) == [0, slice(1, 3, None)]


@pytest.mark.parametrize(
    ("theslice", "length"),
    [
        (slice(None), 5),
        (slice(None, None, -2), 5),
        (slice(1, -1, 3), 10),
        (slice(-20, 20, -3), 7),
        (slice(3, 3), 4),
        (slice(None, None, -1), 0),
        (-2, 5),
        (3, 5),
    ],
)
def test_get_canonical_form_slice_literal(theslice, length):
    canon, direction = get_canonical_form_slice(theslice, length)
    data = np.arange(length)
    if isinstance(theslice, slice):
        assert 0 <= canon.start <= canon.stop <= length and canon.step > 0
        np.testing.assert_array_equal(data[canon][::direction], data[theslice])
    else:
        assert canon == theslice % length and direction == 1


def test_get_canonical_form_slice_symbolic():
    a, b, c, n = (pt.lscalar(k) for k in "abcn")
    canon, direction = get_canonical_form_slice(slice(a, b, c), n)
    f = function([a, b, c, n], [canon.start, canon.stop, canon.step, direction])
    for args in [(1, 8, 2, 10), (-1, None, -3, 10), (8, 1, -2, 10), (-30, 30, 1, 6), (4, 2, 1, 6)]:
        start, stop, step, length = args
        lo, hi, st_, d = (int(v) for v in f(start, 0 if stop is None else stop, step, length))
        data = np.arange(length)
        if stop is None:
            continue
        assert 0 <= lo <= hi <= length
        np.testing.assert_array_equal(data[lo:hi:st_][::d], data[start:stop:step])
    idx, direction = get_canonical_form_slice(a, n)
    assert direction == 1
    assert int(function([a, n], idx)(-2, 7)) == 5


def test_slice_len_and_basic_shape():
    assert slice_len(slice(1, None, 2), 7) == 3
    n = pt.lscalar("n")
    assert int(function([n], slice_len(slice(-3, None), n))(10)) == 3
    shp = basic_shape((6, 4), (slice(None, None, 2), None, slice(1, 3)))
    assert shp == (3, 1, 2)
    with pytest.raises(TypeError, match="not a slice or None"):
        basic_shape((3,), (1,))
