"""Gradients of the shape, construction, join, sort, extra_ops and indexing Ops, and the
IncSubtensor Op (set_subtensor / inc_subtensor) checked against NumPy."""

from __future__ import annotations

import numpy as np
import pytest
from _grad_cases_structural import STRUCTURAL_CASES

import pytensor
import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.gradient import (
    DisconnectedInputError,
    DisconnectedType,
    NullType,
    grad,
    hessian,
    pullback,
    verify_grad,
    verify_pushforward,
)
from pytensor.tensor._extra_grad import scatter_add_flat, take_flat
from pytensor.tensor.subtensor import IncSubtensor, Subtensor, inc_subtensor, set_subtensor

DIFFERENTIABLE = [c for c in STRUCTURAL_CASES if c.differentiable]
RNG = np.random.default_rng(1234)


def _val(*shape: int) -> np.ndarray:
    return RNG.normal(size=shape)


# ---------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("case", DIFFERENTIABLE, ids=lambda c: c.name)
def test_pullback_of_case(case):
    verify_grad(case.builder, list(case.points), abs_tol=case.abs_tol, rel_tol=case.rel_tol)


@pytest.mark.parametrize("case", [c for c in DIFFERENTIABLE if c.pushforward], ids=lambda c: c.name)
def test_pushforward_of_case(case):
    verify_pushforward(case.builder, list(case.points), abs_tol=case.abs_tol, rel_tol=case.rel_tol)


def test_every_structural_op_has_a_case():
    import pytensor.tensor._inc_subtensor as inc_mod
    from pytensor.graph.op import Op
    from pytensor.tensor import (
        _alloc,
        _diag,
        _extra_broadcast,
        _extra_index,
        _extra_unique,
        _join,
        _ranges,
        extra_ops,
        shape,
        sort,
        subtensor,
    )

    modules = [_alloc, _diag, _extra_broadcast, _extra_index, _extra_unique, _join, _ranges]
    modules += [extra_ops, shape, sort, subtensor, inc_mod]
    defined = {
        obj
        for m in modules
        for obj in vars(m).values()
        if isinstance(obj, type) and issubclass(obj, Op) and obj.__module__ == m.__name__
    }
    covered = {c for case in STRUCTURAL_CASES for c in case.op_classes}
    assert defined <= covered, sorted(c.__name__ for c in defined - covered)


# ---------------------------------------------------------------------------
# set_subtensor / inc_subtensor against NumPy
# ---------------------------------------------------------------------------

INDEX_CASES = [
    ("int", (4, 3), lambda a: a[1], (3,)),
    ("negative-int", (4, 3), lambda a: a[-1, -2, ...], ()),
    ("slice", (5, 3), lambda a: a[1:4], (3, 3)),
    ("negative-slice", (5, 3), lambda a: a[-4:-1, ::-1], (3, 3)),
    ("step", (6, 4), lambda a: a[::2, 1::2], (3, 2)),
    ("reverse-step", (6,), lambda a: a[::-3], (2,)),
    ("empty", (4, 2), lambda a: a[3:1], (0, 2)),
    ("ellipsis", (2, 3, 4), lambda a: a[..., 1], (2, 3)),
    ("newaxis", (3, 4), lambda a: a[None, 1:], (1, 2, 4)),
]


@pytest.mark.parametrize(
    ("name", "xshape", "index", "yshape"),
    INDEX_CASES,
    ids=lambda v: v if isinstance(v, str) else "",
)
@pytest.mark.parametrize("mode", ["set", "inc"])
def test_set_and_inc_subtensor_match_numpy(name, xshape, index, yshape, mode):
    x = pt.tensor("x", dtype="float64", shape=(None,) * len(xshape))
    y = pt.tensor("y", dtype="float64", shape=tuple(1 if s == 1 else None for s in yshape))
    fn = set_subtensor if mode == "set" else inc_subtensor
    out = fn(index(x), y)
    assert out.type.ndim == len(xshape)
    xv, yv = _val(*xshape), _val(*yshape)
    expected = xv.copy()
    region = index(expected)
    if mode == "set":
        region[...] = yv.reshape(region.shape)
    else:
        region += yv.reshape(region.shape)
    res = function([x, y], out)(xv, yv)
    np.testing.assert_array_equal(res, expected)


def test_symbolic_bounds_match_numpy():
    x = pt.dvector("x")
    a, b, c = pt.lscalar("a"), pt.lscalar("b"), pt.lscalar("c")
    y = pt.dvector("y")
    f_set = function([x, a, b, c, y], set_subtensor(x[a:b:c], y))
    f_inc = function([x, a, b, c, y], inc_subtensor(x[a:b:c], y))
    xv = np.arange(10.0)
    for start, stop, step in [(1, 8, 2), (-2, -9, -3), (8, 2, -1), (-20, 20, 4), (5, 5, 1)]:
        n = len(range(*slice(start, stop, step).indices(10)))
        yv = np.arange(n) + 100.0
        exp = xv.copy()
        exp[start:stop:step] = yv
        np.testing.assert_array_equal(f_set(xv, start, stop, step, yv), exp)
        exp = xv.copy()
        exp[start:stop:step] += yv
        np.testing.assert_array_equal(f_inc(xv, start, stop, step, yv), exp)


def test_symbolic_integer_index():
    x, y = pt.dmatrix("x"), pt.dvector("y")
    i = pt.iscalar("i")
    f = function([x, i, y], inc_subtensor(x[i, 1:], y))
    xv = np.zeros((3, 3))
    res = f(xv, -1, np.array([1.0, 2.0]))
    np.testing.assert_array_equal(res, [[0, 0, 0], [0, 0, 0], [0, 1, 2]])
    with pytest.raises(IndexError, match=r"IncSubtensor.*out of bounds"):
        f(xv, 3, np.array([1.0, 2.0]))


def test_broadcasting_y_only_along_static_length_one():
    x = pt.dmatrix("x")
    row = pt.tensor("row", dtype="float64", shape=(1, None))
    scalar = pt.dscalar("s")
    xv = np.zeros((3, 4))
    out = function([x, row], inc_subtensor(x[1:], row))(xv, np.array([[1.0, 2, 3, 4]]))
    np.testing.assert_array_equal(out[1:], [[1, 2, 3, 4]] * 2)
    assert not out[0].any()
    out = function([x, scalar], set_subtensor(x[:, 2], scalar))(xv, 5.0)
    np.testing.assert_array_equal(out[:, 2], [5, 5, 5])
    vec = pt.dvector("v")  # shorter y: aligned with the trailing dimensions
    out = function([x, vec], set_subtensor(x[1:], vec))(xv, np.arange(4.0))
    np.testing.assert_array_equal(out[1:], [np.arange(4.0)] * 2)


def test_runtime_broadcasting_of_unknown_length_is_an_error():
    x, y = pt.dmatrix("x"), pt.dmatrix("y")
    f = function([x, y], inc_subtensor(x[1:], y))
    with pytest.raises(
        ValueError, match=r"IncSubtensor.*shape \(2, 4\).*\(1, 4\).*runtime broadcasting"
    ):
        f(np.zeros((3, 4)), np.ones((1, 4)))
    with pytest.raises(ValueError, match=r"SetSubtensor.*\(2, 4\).*\(2, 3\)"):
        function([x, y], set_subtensor(x[1:], y))(np.zeros((3, 4)), np.ones((2, 3)))


def test_static_shape_errors_name_the_op_and_shapes():
    x = pt.matrix("x", shape=(3, 4))
    with pytest.raises(ValueError, match=r"SetSubtensor.*\(2, 4\).*\(2, 3\).*dimension 1"):
        set_subtensor(x[1:], pt.matrix("y", shape=(2, 3)))
    with pytest.raises(ValueError, match=r"inc_subtensor.*3 dimensions.*2"):
        inc_subtensor(x[1:], pt.tensor3("y"))
    with pytest.raises(ValueError, match=r"IncSubtensor.*1-d region.*2-d value"):
        IncSubtensor(x[1].owner.op.idx_list)(x, pt.matrix("y", shape=(1, 4)), 1)
    with pytest.raises(IndexError, match=r"IncSubtensor.*index 5 is out of bounds"):
        IncSubtensor(x[5 - 5].owner.op.idx_list)(x, 1.0, 5)
    with pytest.raises(ValueError, match=r"set_subtensor.*length 3.*new axis"):
        set_subtensor(x[None, 1:], pt.tensor3("y", shape=(3, 2, 4)))


def test_dtype_rules():
    xi = pt.lvector("xi")
    with pytest.raises(TypeError, match=r"IncSubtensor.*int64.*float64"):
        inc_subtensor(xi[1:], pt.dvector("y"))
    xf = pt.fvector("xf")
    out = set_subtensor(xf[0], np.float64(2.5))  # float64 -> float32 within the kind
    assert out.type.dtype == "float32"
    res = function([xf], out)(np.zeros(2, dtype="float32"))
    assert res.dtype == np.float32 and res[0] == 2.5
    out = inc_subtensor(xi[:2], np.array([1, 2], dtype="int8"))
    np.testing.assert_array_equal(function([xi], out)(np.array([5, 5, 5])), [6, 7, 5])


def test_static_shape_of_the_result_is_the_input_type():
    x = pt.matrix("x", shape=(3, None))
    out = set_subtensor(x[1:, 0], pt.vector("y", shape=(2,)))
    assert out.type == x.type
    assert isinstance(out.owner.op, IncSubtensor)
    assert out.owner.op.set_instead_of_inc


def test_whole_tensor_when_not_indexed():
    x, y = pt.dmatrix("x"), pt.dvector("y")
    assert x[:] is x  # full slices return the input itself: the region is everything
    out = function([x, y], inc_subtensor(x[:], y))(np.ones((2, 3)), np.arange(3.0))
    np.testing.assert_array_equal(out, [[1, 2, 3], [1, 2, 3]])
    assert out.shape == (2, 3)


def test_inplace_declares_destroy_map_and_writes_into_the_input():
    op = IncSubtensor(pt.dvector("x")[1:].owner.op.idx_list, inplace=True)
    assert op.destroy_map == {0: [0]}
    assert IncSubtensor(op.idx_list).destroy_map == {}
    assert op != IncSubtensor(op.idx_list) and hash(op) != hash(IncSubtensor(op.idx_list))
    assert "inplace" in str(op)
    x = pt.dvector("x")
    node = op.make_node(x, pt.dscalar("y"), 1)
    data = np.zeros(3)
    storage = [[None]]
    op.perform(node, [data, np.float64(2.0), 1], storage)
    assert storage[0][0] is data and data.tolist() == [0, 2, 2]
    copy_op = IncSubtensor(op.idx_list)
    data = np.zeros(3)
    copy_op.perform(copy_op.make_node(x, pt.dscalar("y"), 1), [data, np.float64(2.0), 1], storage)
    assert data.tolist() == [0, 0, 0] and storage[0][0].tolist() == [0, 2, 2]
    assert set_subtensor(x[1:], 1.0, inplace=True).owner.op.destroy_map == {0: [0]}


# ---------------------------------------------------------------------------
# Hand-derived gradients
# ---------------------------------------------------------------------------


def test_subtensor_gradient_is_the_cotangent_in_zeros():
    x = pt.dmatrix("x")
    w = _val(2, 2)
    g = grad(pt.sum(x[1:, ::-2] * w), x)
    res = function([x], g)(np.zeros((3, 4)))
    expected = np.zeros((3, 4))
    expected[1:, ::-2] = w
    np.testing.assert_array_equal(res, expected)
    i = pt.lscalar("i")
    g = grad(x[i, -1] * 3.0, x)
    res = function([x, i], g)(np.zeros((3, 4)), -2)
    expected = np.zeros((3, 4))
    expected[-2, -1] = 3.0
    np.testing.assert_array_equal(res, expected)


def test_subtensor_index_inputs_are_disconnected():
    x = pt.dvector("x")
    i = pt.lscalar("i")
    out = x[i:]
    grads = out.owner.op.pullback(out.owner.inputs, [out], [pt.dvector("g")])
    assert isinstance(grads[1].type, DisconnectedType)
    assert out.owner.op.connection_pattern(out.owner) == [[True], [False]]


def test_inc_and_set_subtensor_gradients():
    x, y = pt.dmatrix("x"), pt.tensor("y", dtype="float64", shape=(1, None))
    w = _val(3, 4)
    for fn, zeroed in ((inc_subtensor, False), (set_subtensor, True)):
        cost = pt.sum(fn(x[1:], y) * w)
        gx, gy = function([x, y], grad(cost, [x, y]))(np.zeros((3, 4)), np.zeros((1, 4)))
        expected_x = w.copy()
        if zeroed:
            expected_x[1:] = 0.0
        np.testing.assert_allclose(gx, expected_x)
        np.testing.assert_allclose(gy, w[1:].sum(axis=0, keepdims=True))


def test_join_split_round_trip_and_gradient():
    a, b = pt.dmatrix("a"), pt.dmatrix("b")
    joined = pt.concatenate([a, b], axis=1)
    p, q = pt.split(joined, pt.stack([a.shape[1], b.shape[1]]), 2, axis=1)
    av, bv = _val(2, 3), _val(2, 1)
    rp, rq = function([a, b], [p, q])(av, bv)
    np.testing.assert_array_equal(rp, av)
    np.testing.assert_array_equal(rq, bv)
    wa, wb = _val(2, 3), _val(2, 1)
    ga, gb = function([a, b], grad(pt.sum(p * wa) + pt.sum(q * wb), [a, b]))(av, bv)
    np.testing.assert_allclose(ga, wa)
    np.testing.assert_allclose(gb, wb)


def test_join_gradient_with_a_symbolic_axis():
    a, b = pt.dmatrix("a"), pt.dmatrix("b")
    ax = pt.lscalar("ax")
    w = pt.dmatrix("w")
    cost = pt.sum(pt.join(ax, a, b) * w)
    f = function([a, b, ax, w], grad(cost, [a, b]))
    for axis, wshape in ((0, (5, 2)), (-1, (2, 5))):
        wv = _val(*wshape)
        av, bv = (
            (np.zeros((2, 2)), np.zeros((3, 2)))
            if axis == 0
            else (np.zeros((2, 2)), np.zeros((2, 3)))
        )
        ga, gb = f(av, bv, axis, wv)
        split = np.split(wv, [2], axis=axis)
        np.testing.assert_allclose(ga, split[0])
        np.testing.assert_allclose(gb, split[1])


def test_split_gradient_fills_missing_cotangents_with_zeros():
    x = pt.dvector("x")
    parts = pt.split(x, [2, 1, 3], 3)
    g = function([x], grad(pt.sum(parts[1] * 4.0), x))(np.zeros(6))
    np.testing.assert_array_equal(g, [0, 0, 4, 0, 0, 0])


def test_reshape_with_minus_one_gradient():
    x = pt.dtensor3("x")
    w = _val(4, 6)
    g = function([x], grad(pt.sum(x.reshape((4, -1)) * w), x))(np.zeros((2, 3, 4)))
    np.testing.assert_array_equal(g, w.reshape(2, 3, 4))
    verify_grad(lambda v: v.reshape((-1, 2, 1)), [_val(6)])


def test_shape_outputs_are_disconnected():
    x = pt.dmatrix("x")
    cost = pt.cast(x.shape[0] * x.shape[1], "float64")
    with pytest.raises(DisconnectedInputError):
        grad(cost, x)
    zero = grad(cost + 0.0, x, disconnected_inputs="ignore")
    np.testing.assert_array_equal(zero.eval({x: np.ones((2, 3))}), np.zeros((2, 3)))
    node = pt.shape(x).owner
    assert node.op.connection_pattern(node) == [[False]]
    node = x.shape[0].owner
    assert isinstance(node.op.pullback(node.inputs, node.outputs, [None])[0].type, DisconnectedType)


def test_alloc_gradient_sums_over_new_and_broadcast_dims():
    v = pt.tensor("v", dtype="float64", shape=(1, None))
    w = _val(4, 2, 3)
    g = function([v], grad(pt.sum(pt.alloc(v, 4, 2, 3) * w), v))(np.zeros((1, 3)))
    np.testing.assert_allclose(g, w.sum(axis=(0, 1))[None, :])
    n = pt.lscalar("n")
    out = pt.alloc(v, n, 3)
    grads = out.owner.op.pullback(out.owner.inputs, [out], [pt.dmatrix("g")])
    assert isinstance(grads[1].type, DisconnectedType)


def test_alloc_empty_and_eye_have_only_disconnected_inputs():
    out = pt.empty((2, 3))
    assert all(
        isinstance(g.type, DisconnectedType)
        for g in out.owner.op.pullback(out.owner.inputs, [out], [out])
    )
    out = pt.eye(3)
    assert all(
        isinstance(g.type, DisconnectedType)
        for g in out.owner.op.pullback(out.owner.inputs, [out], [out])
    )


def test_nonzero_gradient_is_undefined_and_named():
    x = pt.dvector("x")
    (idx,) = pt.nonzero(x)
    (g,) = idx.owner.op.pullback([x], [idx], [pt.zeros_like(idx, dtype="float64")])
    assert isinstance(g.type, NullType) and "Nonzero" in g.type.why_null


def test_arange_gradient():
    a, b, c = pt.dscalar("a"), pt.dscalar("b"), pt.dscalar("c")
    out = pt.arange(a, b, c)
    w = np.arange(1.0, 8.0)
    ga, gb, gc = function(
        [a, b, c], grad(pt.sum(out * w), [a, b, c], disconnected_inputs="ignore")
    )(0.3, 5.0, 0.7)
    assert ga == pytest.approx(w.sum())
    assert gb == 0.0
    assert gc == pytest.approx((w * np.arange(7)).sum())


def test_extract_diag_gradient_shape_and_offsets():
    x = pt.dtensor3("x")
    for offset, a1, a2, shape in (
        (1, 0, 2, (3, 2, 5)),
        (-1, 1, 0, (4, 3, 2)),
        (0, 2, 1, (2, 3, 3)),
    ):
        out = pt.diagonal(x, offset, a1, a2)
        xv = _val(*shape)
        w = _val(*np.diagonal(xv, offset, a1, a2).shape)
        g = function([x], grad(pt.sum(out * w), x))(xv)
        expected = np.zeros(shape)
        view = np.diagonal(expected, offset, a1, a2)
        view.setflags(write=True)
        view[...] = w
        np.testing.assert_allclose(g, expected)


def test_cumprod_gradient_is_exact_at_zeros():
    x = pt.dvector("x")
    g = function([x], grad(pt.sum(pt.cumprod(x)), x))
    # d/dx_i sum_j prod_{k<=j} x_k, by hand
    xv = np.array([2.0, 0.0, 3.0, 4.0])
    expected = [1.0, 2 + 2 * 3 + 2 * 3 * 4, 0.0, 0.0]
    np.testing.assert_allclose(g(xv), expected)
    np.testing.assert_allclose(g(np.array([0.0, 0.0, 5.0])), [1.0, 0.0, 0.0])
    assert np.all(np.isfinite(g(np.zeros(4))))


def test_repeat_gradients():
    x = pt.dmatrix("x")
    w = _val(2, 5)
    g = function([x], grad(pt.sum(pt.repeat(x, np.array([2, 0, 3]), axis=1) * w), x))(
        np.zeros((2, 3))
    )
    np.testing.assert_allclose(g, np.stack([w[:, :2].sum(1), np.zeros(2), w[:, 2:].sum(1)], 1))
    r = pt.lscalar("r")
    out = pt.repeat(x, r, axis=0)
    g = function([x, r], grad(pt.sum(out * pt.arange(out.shape[0])[:, None]), x))(
        np.zeros((2, 3)), 2
    )
    np.testing.assert_allclose(g, [[1.0] * 3, [5.0] * 3])


def test_broadcast_to_gradient_when_length_one_is_known_only_at_run_time():
    x = pt.dmatrix("x")
    out = pt.broadcast_to(x, (4, 3))
    f = function([x], grad(pt.sum(out * np.arange(12.0).reshape(4, 3)), x))
    np.testing.assert_allclose(f(np.zeros((1, 3))), [[18.0, 22.0, 26.0]])
    np.testing.assert_allclose(
        f(np.zeros((4, 1))), np.arange(12.0).reshape(4, 3).sum(1, keepdims=True)
    )
    np.testing.assert_allclose(f(np.zeros((4, 3))), np.arange(12.0).reshape(4, 3))


def test_sort_gradient_with_symbolic_axis():
    x = pt.dmatrix("x")
    ax = pt.lscalar("ax")
    w = np.arange(12.0).reshape(3, 4)
    f = function([x, ax], grad(pt.sum(pt.sort(x, axis=ax) * w), x))
    xv = _val(3, 4)
    for a in (0, 1, -1, -2):
        expected = np.zeros_like(xv)
        np.put_along_axis(expected, np.argsort(xv, axis=a), w, axis=a)
        np.testing.assert_allclose(f(xv, a), expected)


def test_second_derivatives_through_sort_and_indexing():
    verify_grad(lambda v: grad(pt.sum(pt.sort(v) ** 3 * np.arange(1.0, 5.0)), v), [_val(4)])
    x = pt.dvector("x", shape=(3,))
    cost = pt.sum(set_subtensor(x[1:], x[:-1] ** 2) ** 2)
    h = function([x], hessian(cost, x))(np.array([0.5, -1.0, 2.0]))
    # cost = x0^2 + x0^4 + x1^4
    np.testing.assert_allclose(h, np.diag([2 + 12 * 0.25, 12.0, 0.0]))


def test_unique_gradient_gives_each_copy_its_value_cotangent():
    x = pt.dvector("x")
    g = function([x], grad(pt.sum(pt.unique(x) * np.array([1.0, 10.0, 100.0])), x))
    np.testing.assert_array_equal(g(np.array([3.0, 1.0, 3.0, 2.0])), [100, 1, 100, 10])


def test_bincount_weights_gradient():
    w = pt.dvector("w")
    x = np.array([4, 0, 4, 2])
    g = function([w], grad(pt.sum(pt.bincount(x, weights=w) * np.arange(1.0, 6.0)), w))
    np.testing.assert_array_equal(g(np.zeros(4)), [5, 1, 5, 3])


def test_gather_and_scatter_helpers_match_numpy():
    src, idx = pt.dvector("src"), pt.lvector("idx")
    sv, iv = _val(5), np.array([4, 0, 4, 2, 2, 1, 3])
    np.testing.assert_array_equal(function([src, idx], take_flat(src, idx))(sv, iv), sv[iv])
    vals = _val(7)
    expected = np.zeros(6)
    np.add.at(expected, iv, vals)
    out = function([src, idx], scatter_add_flat(src, idx, 6))(vals, iv)
    np.testing.assert_allclose(out, expected)
    verify_grad(lambda s: take_flat(s, pt.as_tensor(iv)), [sv])


def test_discrete_outputs_give_no_gradient():
    x = pt.dvector("x")
    for out in (pt.argsort(x), pt.searchsorted(x, x)):
        grads = out.owner.op.pullback(out.owner.inputs, [out], [pt.zeros_like(out, "float64")])
        assert not np.any(grads[0].eval({x: _val(3)}))
    # As in PyTensor, a cost reached only through integer outputs has a zero gradient.
    g = grad(pt.sum(pt.cast(pt.argsort(x), "float64")), x)
    np.testing.assert_array_equal(g.eval({x: _val(3)}), np.zeros(3))


def test_pullback_of_a_specify_shape_keeps_the_assertion():
    x = pt.dmatrix("x")
    out = pt.specify_shape(x, (2, None))
    g = pullback(out, x, pt.dmatrix("g"))
    assert g.type.shape == (2, None)


def test_roll_tile_flip_triangles_differentiate():
    verify_grad(lambda a: pt.roll(a, (1, -1), axis=(0, 1)), [_val(3, 2)])
    verify_grad(lambda a: pt.tile(a, 2), [_val(3)])
    verify_grad(lambda a: pt.flip(a), [_val(2, 3)])
    x = pt.dmatrix("x")
    g = function([x], grad(pt.sum(pt.tril(x) + 2 * pt.triu(x, 1)), x))(np.zeros((3, 3)))
    np.testing.assert_array_equal(g, np.tril(np.ones((3, 3))) + 2 * np.triu(np.ones((3, 3)), 1))


def test_subtensor_pushforward_is_the_indexed_tangent():
    x, t = pt.dmatrix("x"), pt.dmatrix("t")
    out = pytensor.gradient.pushforward(x[1:, 0], x, t)
    tv = _val(3, 2)
    np.testing.assert_array_equal(out.eval({t: tv}), tv[1:, 0])
    assert isinstance(out.owner.op, Subtensor)
