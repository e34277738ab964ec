"""Tests of advanced indexing: AdvancedSubtensor1/AdvancedSubtensor, their increments, x[...],
set_subtensor/inc_subtensor with advanced indices, .set/.inc, take and take_along_axis."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.compile.io import In
from pytensor.gradient import grad, verify_grad
from pytensor.tensor.subtensor import (
    AdvancedIncSubtensor,
    AdvancedIncSubtensor1,
    AdvancedSubtensor,
    AdvancedSubtensor1,
    IncSubtensor,
    Subtensor,
    inc_subtensor,
    indices_from_subtensor,
    set_subtensor,
    take,
    take_along_axis,
)

X = np.arange(60.0).reshape(3, 4, 5)
MASK_34 = np.array([[True, False, True, False], [False, False, True, True], [True] * 4])


def _ops(out: Any) -> list[str]:
    from pytensor.graph.traversal import apply_ancestors

    return [type(n.op).__name__ for n in apply_ancestors([out])]


def _static_agrees(static: tuple[Any, ...], shape: tuple[int, ...]) -> None:
    assert len(static) == len(shape), (static, shape)
    assert all(s is None or s == n for s, n in zip(static, shape, strict=True)), (static, shape)


# ---------------------------------------------------------------------------
# x[...] against NumPy
# ---------------------------------------------------------------------------
INDICES = [
    [0, 2, -1],
    np.array([2, 2]),
    ([0, 1], [3, 0]),
    ([0, 1], slice(None), [4, 0]),
    (slice(None), [0, 3], [4, 0]),
    (1, slice(None), [0, 1, 2]),
    (slice(1, None), 2, [0, 4]),
    ([[0, 1], [2, 2]],),
    ([[0], [2]], [1, 3]),
    (MASK_34,),
    (MASK_34[:, 0],),
    (slice(None), MASK_34[1]),
    (X[:, 0, 0] > 10, slice(None, None, -2)),
    (np.array([True, False, True]), [0, 3], None),
    (None, [0, 1]),
    ([0, 1], None, [1, 2]),
    (Ellipsis, [1, -1]),
    ([2], Ellipsis, [1, 1]),
    ([],),
    (True,),
    (False, 0),
    (np.array(True), [0, 1]),
    (slice(None), np.array([], dtype="int64")),
    ([-3, 2], slice(None), slice(None), None),
]


@pytest.mark.parametrize("index", INDICES, ids=range(len(INDICES)))
def test_getitem_matches_numpy(index: Any) -> None:
    x = pt.tensor3("x", shape=(None, 4, None))
    out = x[index]
    expected = X[index]
    _static_agrees(out.type.shape, expected.shape)
    np.testing.assert_array_equal(out.eval({x: X}), expected)
    # Fully static input: the static shape is exact.
    xs = pt.tensor3("xs", shape=X.shape)
    entries = index if isinstance(index, tuple) else (index,)
    if not any(np.asarray(e).dtype == bool for e in entries if e is not None):
        assert xs[index].type.shape == expected.shape


@pytest.mark.parametrize(
    ("index", "cls"),
    [
        ([1, 2], AdvancedSubtensor1),
        ((np.array([0, 1]), slice(None)), AdvancedSubtensor1),
        ((np.array([0, 1]), 1), AdvancedSubtensor),
        ((slice(None), [1]), AdvancedSubtensor),
        ([[0]], AdvancedSubtensor),
        (MASK_34[0], AdvancedSubtensor),
        ((0, slice(1, None)), Subtensor),
    ],
)
def test_getitem_chooses_the_op(index: Any, cls: type) -> None:
    x = pt.matrix("x")
    assert type(x[index].owner.op) is cls


def test_symbolic_index_arrays_and_masks() -> None:
    x = pt.tensor3("x")
    i = pt.lvector("i")
    j = pt.ivector("j")
    m = pt.tensor("m", dtype="bool", shape=(None, None))
    a = pt.lscalar("a")
    outs = [x[i], x[i, :, j], x[:, i, j], x[m], x[m, a:], x[a, m[0]], x[[a, a]]]
    f = function([x, i, j, m, a], outs)
    iv, jv, mv = np.array([2, 0]), np.array([1, 4], dtype="int32"), X[:, :, 0] > 22
    expected = [X[iv], X[iv, :, jv], X[:, iv, jv], X[mv], X[mv, 1:], X[1, mv[0]], X[[1, 1]]]
    for got, want, var in zip(f(X, iv, jv, mv, 1), expected, outs, strict=True):
        np.testing.assert_array_equal(got, want)
        _static_agrees(var.type.shape, want.shape)


def test_static_shapes() -> None:
    x = pt.matrix("x", shape=(5, 3))
    assert x[pt.lvector("i", shape=(7,))].type.shape == (7, 3)
    assert x[pt.lvector("i")].type.shape == (None, 3)
    assert x[pt.tensor("m", dtype="bool", shape=(5,))].type.shape == (None, 3)
    assert x[np.array([True, False, True, True, False])].type.shape == (3, 3)
    assert x[:, pt.lmatrix("k", shape=(2, 1))].type.shape == (5, 2, 1)
    assert x[pt.lmatrix("k", shape=(1, 4)), pt.lvector("l", shape=(4,))].type.shape == (1, 4)
    assert x[pt.lvector("k", shape=(1,)), pt.lvector("l")].type.shape == (None,)
    assert x[None, [0, 1], None].type.shape == (1, 2, 1, 3)


def test_result_does_not_alias_the_input() -> None:
    x = pt.dmatrix("x")
    f = function([x], [x[np.array(0), 1:], x[[0]]])
    value = np.ones((2, 3))
    for out in f(value):
        assert not np.shares_memory(out, value)


def test_index_lists_with_variables() -> None:
    x = pt.dvector("x")
    a, b = pt.lscalars("a", "b")
    out = x[[a, b, 0]]
    assert isinstance(out.owner.op, AdvancedSubtensor1)
    np.testing.assert_array_equal(out.eval({x: np.arange(4.0), a: 3, b: -1}), [3.0, 3.0, 0.0])


# ---------------------------------------------------------------------------
# Hypothesis: random mixtures of basic and advanced indices, constants only
# ---------------------------------------------------------------------------
_ENTRY = st.one_of(
    st.just(slice(None)),
    st.builds(slice, st.integers(-4, 4), st.integers(-4, 4), st.sampled_from([None, 1, -1, 2])),
    st.integers(-3, 2),
    st.lists(st.integers(-3, 2), min_size=0, max_size=3),
    st.lists(st.lists(st.integers(-3, 2), min_size=2, max_size=2), min_size=1, max_size=2),
    st.just(None),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_ENTRY, min_size=1, max_size=4), st.booleans())
def test_random_indices_agree_with_numpy(entries: list[Any], use_mask: bool) -> None:
    data = np.arange(3 * 3 * 3.0).reshape(3, 3, 3)
    if use_mask:
        entries = [data[0, 0] > 0.5, *entries]
    index = tuple(entries)
    try:
        expected = data[index]
    except (IndexError, ValueError):
        x = pt.dtensor3("x")
        with pytest.raises((IndexError, ValueError)):
            x[index].eval({x: data})
        return
    x = pt.dtensor3("x")
    out = x[index]
    np.testing.assert_array_equal(out.eval({x: data}), expected)
    _static_agrees(out.type.shape, expected.shape)


# ---------------------------------------------------------------------------
# set_subtensor / inc_subtensor / .set / .inc
# ---------------------------------------------------------------------------
def _numpy_write(x: np.ndarray, index: Any, y: Any, mode: str) -> np.ndarray:
    out = x.copy()
    if mode == "set":
        out[index] = y
    else:
        np.add.at(out, index, y)
    return out


WRITES = [
    ([0, 0, 2], np.arange(60.0, 120.0).reshape(3, 4, 5)),
    ([2, 0], 1.0),
    (([0, 0, 1], [1, 1, 3]), np.array([1.0, 2.0, 3.0])[:, None]),
    (([1, 1], slice(None), [0, 0]), np.ones(4)),
    ((slice(None), [0, 3], 2), np.array([7.0, 8.0])),
    ((MASK_34,), np.arange(5.0)),
    ((None, [1, 2]), 3.0),
    (([0, 1], None, [2, 2]), np.ones((2, 1, 5))),
    ((1, MASK_34[1], slice(1, 4)), 2.0),
    ((True,), 4.0),
]


@pytest.mark.parametrize(("index", "value"), WRITES, ids=range(len(WRITES)))
@pytest.mark.parametrize("mode", ["set", "inc"])
def test_set_and_inc_match_numpy(index: Any, value: Any, mode: str) -> None:
    x = pt.dtensor3("x")
    region = x[index]
    out = set_subtensor(region, value) if mode == "set" else inc_subtensor(region, value)
    assert isinstance(out.owner.op, AdvancedIncSubtensor | AdvancedIncSubtensor1)
    assert out.type.shape == x.type.shape
    np.testing.assert_array_equal(out.eval({x: X}), _numpy_write(X, index, value, mode))
    method = region.set(value) if mode == "set" else region.inc(value)
    np.testing.assert_array_equal(method.eval({x: X}), _numpy_write(X, index, value, mode))


def test_inc_accumulates_repeats_like_add_at() -> None:
    v = pt.dvector("v")
    i = pt.lvector("i")
    f = function([v, i], [inc_subtensor(v[i], 1.0), v[i].inc(1.0, ignore_duplicates=False)])
    for out in f(np.zeros(4), np.array([3, 3, 3, 0, -1])):
        np.testing.assert_array_equal(out, [1.0, 0.0, 0.0, 4.0])
    m = pt.dmatrix("m")
    pairs = inc_subtensor(m[[0, 0, 1], [1, 1, 1]], 1.0).eval({m: np.zeros((2, 2))})
    np.testing.assert_array_equal(pairs, [[0.0, 2.0], [0.0, 1.0]])
    once = inc_subtensor(m[[0, 0], [1, 1]], 1.0, ignore_duplicates=True)
    assert once.owner.op.ignore_duplicates
    np.testing.assert_array_equal(once.eval({m: np.zeros((2, 2))}), [[0.0, 1.0], [0.0, 0.0]])


def test_basic_set_and_inc_methods() -> None:
    x = pt.dmatrix("x")
    out = x[1:, 0].set(5.0)
    assert isinstance(out.owner.op, IncSubtensor)
    np.testing.assert_array_equal(out.eval({x: np.zeros((3, 2))}), [[0, 0], [5, 0], [5, 0]])
    np.testing.assert_array_equal(x[-1].inc(1.0).eval({x: np.zeros((2, 2))}), [[0, 0], [1, 1]])


def test_int_values_and_dtype_checks() -> None:
    v = pt.ivector("v")
    out = inc_subtensor(v[[0, 0]], np.int8(2))
    assert out.type.dtype == "int32"
    np.testing.assert_array_equal(out.eval({v: np.zeros(2, "int32")}), [4, 0])
    with pytest.raises(TypeError, match="AdvancedIncSubtensor1.*float64.*cast it explicitly"):
        inc_subtensor(v[[0]], pt.dvector("d"))


def test_inplace_ops_declare_destroy_map() -> None:
    assert AdvancedIncSubtensor1(inplace=True).destroy_map == {0: [0]}
    assert AdvancedIncSubtensor1().destroy_map == {}
    op = AdvancedIncSubtensor([pt.lvector().type], inplace=True)
    assert op.destroy_map == {0: [0]}
    x = pt.dvector("x")
    value = np.zeros(3)
    f = function([In(x, mutable=True)], op(x, 1.0, np.array([0, 0])), accept_inplace=True)
    np.testing.assert_array_equal(f(value), [2.0, 0.0, 0.0])
    np.testing.assert_array_equal(value, [2.0, 0.0, 0.0])


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------
def test_out_of_bounds_static() -> None:
    x = pt.matrix("x", shape=(3, 4))
    with pytest.raises(
        IndexError, match=r"AdvancedSubtensor1: index 3 is out .* axis 0 with size 3"
    ):
        x[[0, 3]]
    with pytest.raises(
        IndexError, match=r"AdvancedSubtensor.*index -5 is out .* axis 1 with size 4"
    ):
        x[:, [-5]]
    with pytest.raises(IndexError, match=r"AdvancedIncSubtensor1: index 9 .* axis 0 with size 3"):
        AdvancedIncSubtensor1()(x, 1.0, np.array([9]))


def test_out_of_bounds_at_run_time() -> None:
    x = pt.dmatrix("x")
    i = pt.lvector("i")
    cases = {
        "AdvancedSubtensor1": x[i],
        "AdvancedSubtensor": x[:, i],
        "AdvancedIncSubtensor1": inc_subtensor(x[i], 1.0),
        "AdvancedSetSubtensor": set_subtensor(x[1, i], 1.0),
    }
    value = np.zeros((2, 3))
    for name, out in cases.items():
        f = function([x, i], out)
        axis, size = (0, 2) if name.endswith("1") else (1, 3)
        with pytest.raises(
            IndexError, match=rf"{name}.*index 7 is out of bounds for axis {axis} with size {size}"
        ):
            f(value, np.array([0, 7]))
        with pytest.raises(IndexError, match=rf"{name}.*index -4 is out of bounds"):
            f(value, np.array([-4]))


def test_float_indices_name_the_op() -> None:
    x = pt.dmatrix("x")
    with pytest.raises(IndexError, match="AdvancedSubtensor1: .*float64; index arrays must be"):
        x[pt.dvector("f")]
    with pytest.raises(IndexError, match="AdvancedSubtensor: .*float32"):
        x[pt.fmatrix("f")]
    with pytest.raises(IndexError, match="AdvancedSubtensor: .*float64"):
        x[np.array([[0.0]])]
    with pytest.raises(IndexError, match="Subtensor: .*float64; indices must be integers"):
        x[pt.dscalar("s")]
    with pytest.raises(TypeError, match="AdvancedSubtensor1: index .* float64"):
        AdvancedSubtensor1()(x, pt.dvector("f"))
    with pytest.raises(TypeError, match="AdvancedSubtensor1: .*bool.*AdvancedSubtensor"):
        AdvancedSubtensor1()(x, pt.bvector("b", dtype="bool"))
    with pytest.raises(TypeError, match="AdvancedSubtensor: index .*float64"):
        AdvancedSubtensor([pt.dvector().type])
    with pytest.raises(TypeError, match="AdvancedIncSubtensor: index .*float64"):
        AdvancedIncSubtensor([pt.dvector().type])
    op = AdvancedSubtensor([pt.lvector().type])
    with pytest.raises(TypeError, match="AdvancedSubtensor.*index input 0 .*float64"):
        op(x, pt.dvector("f"))


def test_mask_of_the_wrong_shape() -> None:
    x = pt.matrix("x", shape=(2, 3))
    with pytest.raises(IndexError, match=r"(?s)AdvancedSubtensor.*shape \(2, 2\).*shape \(2, 3\)"):
        x[np.ones((2, 2), dtype=bool)]
    with pytest.raises(IndexError, match=r"AdvancedIncSubtensor.*shape \(4,\).*shape \(3,\)"):
        AdvancedIncSubtensor([slice(None), pt.bvector(dtype="bool").type])(
            x, 0.0, np.ones(4, dtype=bool)
        )
    y = pt.dmatrix("y")
    m = pt.tensor("m", dtype="bool", shape=(None,))
    f = function([y, m], y[m])
    with pytest.raises(IndexError, match=r"AdvancedSubtensor.*shape \(3,\).*shape \(2,\)"):
        f(np.zeros((2, 2)), np.ones(3, dtype=bool))


def test_index_arrays_do_not_broadcast_at_run_time() -> None:
    x = pt.dmatrix("x")
    i, j = pt.lvector("i"), pt.lvector("j")
    f = function([x, i, j], x[i, j])
    with pytest.raises(IndexError, match="runtime broadcasting is not allowed"):
        f(np.zeros((3, 3)), np.array([0]), np.array([0, 1]))
    with pytest.raises(IndexError, match="cannot be broadcast together"):
        f(np.zeros((3, 3)), np.array([0, 1, 2]), np.array([0, 1]))
    with pytest.raises(IndexError, match="cannot be broadcast together"):
        x[[0, 1, 2], [0, 1]]
    # A declared length 1 broadcasts.
    k = pt.lvector("k", shape=(1,))
    out = x[k, j].eval({x: np.arange(9.0).reshape(3, 3), k: np.array([1]), j: np.array([0, 2])})
    np.testing.assert_array_equal(out, [3.0, 5.0])


def test_value_shape_errors() -> None:
    x = pt.matrix("x", shape=(3, 4))
    with pytest.raises(ValueError, match=r"AdvancedSetSubtensor1: cannot set .* \(2, 4\).*\(3,\)"):
        set_subtensor(x[[0, 1]], pt.vector("y", shape=(3,)))
    with pytest.raises(ValueError, match=r"AdvancedIncSubtensor.*\(3, 2\).*\(3,\)"):
        inc_subtensor(x[:, [0, 1]], pt.vector("y", shape=(3,)))
    y, w, i = pt.dmatrix("y"), pt.dvector("w"), pt.lvector("i")
    f = function([y, i, w], inc_subtensor(y[:, i], w))
    with pytest.raises(ValueError, match=r"AdvancedIncSubtensor.*region .* \(2, 2\) .* \(3,\)"):
        f(np.zeros((2, 3)), np.array([0, 1]), np.zeros(3))
    with pytest.raises(ValueError, match="runtime broadcasting is not allowed"):
        f(np.zeros((2, 3)), np.array([0, 1]), np.zeros(1))


def test_too_many_indices_and_bad_entries() -> None:
    x = pt.dmatrix("x")
    with pytest.raises(IndexError, match="AdvancedSubtensor: too many indices"):
        x[[0], 0, 0]
    with pytest.raises(IndexError, match="AdvancedSubtensor: too many indices"):
        x[np.ones((2, 2, 2), dtype=bool)]
    with pytest.raises(IndexError, match="too many indices"):
        AdvancedSubtensor([pt.lvector().type] * 3)(x, [0], [0], [0])
    with pytest.raises(TypeError, match="expected 2 index inputs, got 1"):
        AdvancedSubtensor([pt.lvector().type] * 2)(x, [0])
    with pytest.raises(TypeError, match="has 2 dimensions, expected 1"):
        AdvancedSubtensor([pt.lvector().type])(x, pt.lmatrix())
    with pytest.raises(IndexError, match="cannot index the 0-d tensor"):
        AdvancedSubtensor1()(pt.dscalar(), [0])
    with pytest.raises(IndexError, match="not a valid index"):
        x[[0], "a"]


# ---------------------------------------------------------------------------
# The Ops as values, and the index helpers
# ---------------------------------------------------------------------------
def test_ops_are_values() -> None:
    a = AdvancedSubtensor([slice(pt.lscalar().type, None, None), pt.lvector().type, None])
    b = AdvancedSubtensor([slice(pt.lscalar().type, None, None), pt.lvector("v").type, None])
    c = AdvancedSubtensor([slice(None), pt.lvector().type])
    assert a == b and hash(a) == hash(b) and a != c
    # Only the dtype and rank of an index array count.
    x = pt.dmatrix("x")
    assert x[pt.lvector("i", shape=(2,))].owner.op == x[pt.lvector("j")].owner.op
    assert x[:, [0]].owner.op == x[:, [1, 2]].owner.op
    assert AdvancedIncSubtensor1() == AdvancedIncSubtensor1()
    assert AdvancedIncSubtensor1() != AdvancedIncSubtensor1(set_instead_of_inc=True)
    assert str(AdvancedIncSubtensor1(inplace=True, set_instead_of_inc=True)) == (
        "AdvancedSetSubtensor1{inplace}"
    )
    assert str(a) == "AdvancedSubtensor{i:, int1d, None}"
    assert str(AdvancedIncSubtensor([pt.bmatrix(dtype="bool").type])) == (
        "AdvancedIncSubtensor{bool2d}"
    )


def test_indices_from_subtensor_rebuilds_the_index() -> None:
    x = pt.dtensor3("x")
    i, a = pt.lvector("i"), pt.lscalar("a")
    out = x[i, None, a:, 1]
    node = out.owner
    index = indices_from_subtensor(node.inputs[1:], node.op.idx_list)
    assert index[0] is i and index[1] is None and isinstance(index[2], slice)
    rebuilt = x[index]
    value = {x: X, i: np.array([2, 0]), a: 1}
    np.testing.assert_array_equal(rebuilt.eval(value), out.eval(value))


# ---------------------------------------------------------------------------
# Gradients
# ---------------------------------------------------------------------------
def test_grad_of_gather_accumulates_repeats() -> None:
    x = pt.dmatrix("x")
    idx = ([0, 0, 1], [2, 2, 2])
    g = grad(pt.sum(x[idx] * np.array([1.0, 2.0, 3.0])), x)
    expected = np.zeros((2, 3))
    np.add.at(expected, idx, [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(g.eval({x: np.zeros((2, 3))}), expected)
    assert "AdvancedIncSubtensor" in _ops(g)


def test_grad_of_set_and_inc() -> None:
    x, y = pt.dmatrix("x"), pt.dvector("y")
    out = set_subtensor(x[[1, 0], [0, 0]], y)
    gx, gy = grad(pt.sum(out * np.arange(6.0).reshape(2, 3)), [x, y])
    values = {x: np.zeros((2, 3)), y: np.zeros(2)}
    np.testing.assert_array_equal(gx.eval(values), [[0, 1, 2], [0, 4, 5]])
    np.testing.assert_array_equal(gy.eval(values), [3.0, 0.0])
    verify_grad(lambda a, b: pt.inc_subtensor(a[:, [2, 2]], b) ** 2, [np.ones((2, 3)), np.ones(1)])


def test_grad_through_mask_and_take() -> None:
    verify_grad(lambda a: a[a[:, 0] > 0] ** 2, [np.array([[1.0, 2.0], [-1.0, 3.0], [0.5, 0.1]])])
    verify_grad(lambda a: take(a, [[1, 1], [0, 2]], axis=1), [np.arange(6.0).reshape(2, 3)])


# ---------------------------------------------------------------------------
# take and take_along_axis
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["raise", "wrap", "clip"])
@pytest.mark.parametrize(
    ("indices", "axis"),
    [([0, 2], None), ([[1], [0]], 0), (np.array(3), 1), ([-1, 4, 7], 1), ([], -1)],
)
def test_take_matches_numpy(indices: Any, axis: int | None, mode: str) -> None:
    a = pt.dmatrix("a")
    value = np.arange(12.0).reshape(3, 4)
    try:
        expected = np.take(value, np.asarray(indices, dtype="int64"), axis=axis, mode=mode)
    except IndexError:
        f = function([a], take(a, indices, axis=axis, mode=mode))
        with pytest.raises(IndexError, match="out of bounds"):
            f(value)
        return
    out = take(a, indices, axis=axis, mode=mode)
    np.testing.assert_array_equal(out.eval({a: value}), expected)


def test_take_errors() -> None:
    a = pt.dmatrix("a")
    with pytest.raises(ValueError, match="take: mode must be one of"):
        take(a, [0], mode="fill")
    with pytest.raises(IndexError, match="take: indices .* float64"):
        take(a, [0.5])
    with pytest.raises(TypeError, match="take: axis must be an integer"):
        take(a, [0], axis=1.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="take: axis 2 is out of bounds"):
        take(a, [0], axis=2)


@pytest.mark.parametrize("axis", [0, 1, -1, None])
def test_take_along_axis_matches_numpy(axis: int | None) -> None:
    x = pt.dmatrix("x")
    value = np.array([[3.0, 1.0, 2.0], [0.5, 9.0, -1.0]])
    indices = np.argsort(value, axis=axis)
    out = take_along_axis(x, pt.as_tensor_variable(indices), axis=axis)
    np.testing.assert_array_equal(
        out.eval({x: value}), np.take_along_axis(value, indices, axis=axis)
    )
    partial = np.array([[1], [0]]) if axis in (1, -1) else np.array([[1, 1, 0]])
    if axis is not None:
        np.testing.assert_array_equal(
            take_along_axis(x, partial, axis=axis).eval({x: value}),
            np.take_along_axis(value, partial, axis=axis),
        )


def test_take_along_axis_errors_and_static_shape() -> None:
    x = pt.matrix("x", shape=(2, 5))
    assert take_along_axis(x, pt.lmatrix("i", shape=(2, 3)), axis=1).type.shape == (2, 3)
    assert take_along_axis(x, pt.lmatrix("i", shape=(1, 3)), axis=1).type.shape == (2, 3)
    with pytest.raises(ValueError, match="same number of dimensions"):
        take_along_axis(x, [0, 1], axis=0)
    with pytest.raises(ValueError, match="with axis=None the indices must be a vector"):
        take_along_axis(x, [[0]], axis=None)
    with pytest.raises(IndexError, match="take_along_axis: indices .* float64"):
        take_along_axis(x, pt.dmatrix(), axis=0)
