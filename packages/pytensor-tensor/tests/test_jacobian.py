"""Jacobians and Hessians of expressions whose shape is known only at run time
(``IndexedMap``), against central finite differences (issue 5)."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import pytensor
import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.gradient import (
    DisconnectedInputError,
    grad,
    hessian,
    jacobian,
    pushforward,
    verify_grad,
    verify_pushforward,
)
from pytensor.graph.hashing import graph_hash, stable_token
from pytensor.graph.traversal import apply_ancestors
from pytensor.tensor._jacobian import IndexedMap, indexed_map

RNG = np.random.default_rng(7)


def _fd_jacobian(f, x, eps=1e-6):
    """Central finite differences: ``J[i..., j...] = d f(x)[i...] / d x[j...]``."""
    x = np.array(x, dtype="float64")
    out = np.asarray(f(x))
    jac = np.zeros(out.shape + x.shape)
    for j in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[j] += eps
        down[j] -= eps
        jac[(..., *j)] = (np.asarray(f(up)) - np.asarray(f(down))) / (2 * eps)
    return jac


def _maps(outputs):
    outputs = outputs if isinstance(outputs, list) else [outputs]
    return [n for n in apply_ancestors(outputs) if isinstance(n.op, IndexedMap)]


def _runtime(name, ndim):
    return pt.tensor(name, dtype="float64", shape=(None,) * ndim)


# An expression of each number of dimensions whose length is known only at run time
# (it follows the data input ``a``), built from a wrt of any number of dimensions.
def _expression(a, w):
    s = pt.sum(pt.sin(w) * w) if w.type.ndim else pt.sin(w) * w
    return pt.exp(a * s) + a**2 * pt.sum(w**2)


WRT_VALUES = {0: np.array(0.7), 1: np.array([0.3, -0.8, 1.1]), 2: RNG.uniform(-1, 1, (2, 3))}
A_VALUES = {0: np.array(0.4), 1: np.array([0.5, -0.2, 0.9, 0.1]), 2: RNG.uniform(-1, 1, (3, 2))}


@pytest.mark.parametrize("wrt_ndim", [0, 1, 2])
@pytest.mark.parametrize("expr_ndim", [0, 1, 2])
def test_runtime_shape_jacobian_against_finite_differences(expr_ndim, wrt_ndim):
    a, w = _runtime("a", expr_ndim), _runtime("w", wrt_ndim)
    e = _expression(a, w)
    jac = jacobian(e, w)
    if expr_ndim:
        assert len(_maps(jac)) == 1, "a runtime length must use the IndexedMap loop"
    av, wv = A_VALUES[expr_ndim], WRT_VALUES[wrt_ndim]
    got = function([a, w], jac)(av, wv)
    value_fn = function([a, w], e)
    ref = _fd_jacobian(lambda v: value_fn(av, v), wv)
    assert got.shape == av.shape + wv.shape
    np.testing.assert_allclose(got, ref, rtol=1e-6, atol=1e-7)


def test_elementwise_expression_of_a_runtime_vector_and_matrix():
    for ndim in (1, 2):
        x = _runtime("x", ndim)
        e = pt.exp(x) * pt.sum(x**2)
        jac = jacobian(e, x)
        value = WRT_VALUES[ndim]
        got = function([x], jac)(value)
        ref = _fd_jacobian(function([x], e), value)
        assert got.shape == value.shape * 2
        np.testing.assert_allclose(got, ref, rtol=1e-6, atol=1e-7)
        assert jac.type.shape == (None,) * (2 * ndim)


def test_static_shapes_propagate_to_the_jacobian():
    x = pt.tensor("x", dtype="float64", shape=(None, 3))
    y = pt.dvector("y")
    jac = jacobian(pt.outer(y, pt.sum(x, axis=0)), x)
    assert jac.type.shape == (None, 3, None, 3)
    v = pt.tensor("v", dtype="float64", shape=(20,))
    assert jacobian(v**2, v).type.shape == (20, 20)


def test_several_wrt_share_one_loop():
    x, y = pt.dvector("x"), pt.dmatrix("y")
    e = pt.exp(x) * pt.sum(y**2)
    jx, jy = jacobian(e, [x, y])
    assert len(_maps([jx, jy])) == 1
    xv, yv = np.array([0.1, 0.5]), RNG.uniform(-1, 1, (2, 2))
    got_x, got_y = function([x, y], [jx, jy])(xv, yv)
    np.testing.assert_allclose(got_x, np.diag(np.exp(xv)) * np.sum(yv**2))
    np.testing.assert_allclose(got_y, np.exp(xv)[:, None, None] * 2 * yv, rtol=1e-12)
    # The same variable twice gives the same Jacobian twice.
    j1, j2 = jacobian(e, [x, x])
    np.testing.assert_allclose(*function([x, y], [j1, j2])(xv, yv))


def test_hessian_of_a_runtime_length_model_against_finite_differences_of_the_gradient():
    # Logistic regression: the number of rows and of features are run-time lengths.
    X, y, w = pt.dmatrix("X"), pt.dvector("y"), pt.dvector("w")
    p = pt.sigmoid(X @ w)
    nll = -pt.sum(y * pt.log(p) + (1 - y) * pt.log1p(-p)) + 0.5 * pt.sum(w**2)
    h = hessian(nll, w)
    assert len(_maps(h)) == 1
    Xv, yv = RNG.normal(size=(7, 4)), (RNG.random(7) > 0.5).astype("float64")
    wv = RNG.normal(size=4) * 0.3
    got = function([X, y, w], h)(Xv, yv, wv)
    grad_fn = function([X, y, w], grad(nll, w))
    ref = _fd_jacobian(lambda v: grad_fn(Xv, yv, v), wv)
    np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(got, got.T, rtol=1e-12)
    pv = 1 / (1 + np.exp(-Xv @ wv))
    np.testing.assert_allclose(got, Xv.T @ np.diag(pv * (1 - pv)) @ Xv + np.eye(4), rtol=1e-10)


def test_hessian_with_respect_to_a_matrix_and_a_list():
    W, v = pt.dmatrix("W"), pt.dvector("v")
    cost = pt.sum(pt.tanh(W @ v)) + pt.sum(W**3) * pt.sum(v**2)
    hw, hv = hessian(cost, [W, v])
    Wv, vv = RNG.uniform(-1, 1, (2, 3)), RNG.uniform(-1, 1, 3)
    got_w, got_v = function([W, v], [hw, hv])(Wv, vv)
    assert got_w.shape == (2, 3, 2, 3) and got_v.shape == (3, 3)
    gw = function([W, v], grad(cost, W))
    gv = function([W, v], grad(cost, v))
    np.testing.assert_allclose(got_w, _fd_jacobian(lambda m: gw(m, vv), Wv), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(got_v, _fd_jacobian(lambda u: gv(Wv, u), vv), rtol=1e-5, atol=1e-7)


def test_third_derivative_through_the_loop():
    x, c = pt.dvector("x"), pt.dmatrix("c")
    cost = pt.sum(pt.exp(x) * x) * pt.sum(x)
    third = grad(pt.sum(hessian(cost, x) * c), x)
    assert any(set(n.op.combine) == {"sum"} for n in _maps(third)), "the pullback sums in a loop"
    xv, cv = np.array([0.3, -0.5, 0.8]), RNG.uniform(-1, 1, (3, 3))
    got = function([x, c], third)(xv, cv)
    h = function([x], hessian(cost, x))
    ref = _fd_jacobian(lambda v: np.sum(h(v) * cv), xv)
    np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-6)


def test_pullback_and_pushforward_of_the_loop_against_finite_differences():
    def f(x):
        return jacobian(pt.sin(x) * pt.sum(x**2), x)

    point = [np.array([0.4, -1.1, 0.7])]
    verify_grad(f, point)
    verify_pushforward(f, point)
    x, t = pt.dvector("x"), pt.dvector("t")
    jvp = function([x, t], pushforward(f(x), x, t))(point[0], np.array([1.0, 0.5, -2.0]))
    ref = _fd_jacobian(function([x], f(x)), point[0]) @ np.array([1.0, 0.5, -2.0])
    np.testing.assert_allclose(jvp, ref, rtol=1e-6, atol=1e-7)


def test_long_static_expressions_loop_and_short_ones_unroll():
    from pytensor._gradient_extra import JACOBIAN_UNROLL_MAX

    for n, loops in ((JACOBIAN_UNROLL_MAX, False), (JACOBIAN_UNROLL_MAX + 1, True)):
        x = pt.tensor("x", dtype="float64", shape=(n,))
        jac = jacobian(pt.exp(x) * pt.sum(x), x)
        assert bool(_maps(jac)) is loops
        value = np.linspace(-1, 1, n)
        ref = np.diag(np.exp(value) * value.sum()) + np.exp(value)[:, None]
        np.testing.assert_allclose(function([x], jac)(value), ref, rtol=1e-12)


@pytest.mark.parametrize("vectorize", [False, True])
def test_vectorize_is_accepted_and_gives_the_same_values(vectorize):
    x = pt.dvector("x")
    jac = jacobian(x**3, x, vectorize=vectorize)
    np.testing.assert_allclose(jac.eval({x: np.array([1.0, 2.0])}), np.diag([3.0, 12.0]))


def test_empty_expression():
    x = pt.dvector("x")
    m = pt.dmatrix("m")
    jac = jacobian(pt.exp(x) * pt.sum(m), m)
    assert function([x, m], jac)(np.zeros(0), np.ones((2, 3))).shape == (0, 2, 3)
    # A static length 0: the (unrolled) Jacobian does not need the value of s.
    s = pt.tensor("s", dtype="float64", shape=(0,))
    static = function([s, m], jacobian(s * pt.sum(m), m), on_unused_input="ignore")
    assert static(np.zeros(0), np.ones((2, 3))).shape == (0, 2, 3)


def test_float32_expression_keeps_its_dtype():
    x = pt.fvector("x")
    jac = jacobian(pt.exp(x), x)
    assert jac.dtype == "float32"
    got = function([x], jac)(np.array([0.0, 1.0], dtype="float32"))
    np.testing.assert_allclose(got, np.diag(np.exp([0.0, 1.0])), rtol=1e-6)


def test_consider_constant_blocks_the_rows():
    x = pt.dvector("x")
    hidden = pt.exp(x)
    jac = jacobian(hidden * x, x, consider_constant=[hidden])
    value = np.array([0.5, 1.5])
    np.testing.assert_allclose(function([x], jac)(value), np.diag(np.exp(value)))


def test_the_forward_pass_runs_outside_the_loop():
    x = pt.dvector("x")
    jac = jacobian(pt.exp(pt.sin(x)) * pt.sum(pt.log1p(x**2)), x)
    (node,) = _maps(jac)
    inner = {type(getattr(n.op, "scalar_op", n.op)).__name__ for n in node.op.fgraph.apply_nodes}
    assert not inner & {"Exp", "Sin", "Log1p"}, inner


# -- bad input ---------------------------------------------------------------------------------
def test_wrt_not_in_the_graph_raises_naming_it():
    x, z = pt.dvector("x"), pt.dvector("z")
    with pytest.raises(DisconnectedInputError, match=r"jacobian of .*\(z\) is not part"):
        jacobian(pt.exp(x), z)
    jac = jacobian(pt.exp(x), z, disconnected_inputs="ignore")
    got = function([x, z], jac)(np.ones(2), np.ones(3))
    np.testing.assert_array_equal(got, np.zeros((2, 3)))
    assert not _maps(jac), "a disconnected wrt needs no loop"


def test_non_float_expression_raises_naming_it():
    x = pt.dvector("x")
    i = pt.cast(x, "int64")
    i.name = "counts"
    with pytest.raises(TypeError, match="expression counts has dtype int64"):
        jacobian(i, x)


def test_constant_wrt_raises():
    x = pt.dvector("x")
    with pytest.raises(TypeError, match="constant"):
        jacobian(x * 2, pt.constant(np.ones(2)))


def test_indexed_map_rejects_bad_arguments():
    x = pt.dvector("x")
    with pytest.raises(TypeError, match="n must be an integer scalar"):
        indexed_map(lambda i: [x[i]], x, [()], ["stack"])
    with pytest.raises(ValueError, match="1 dimensions, but its row shape has 0"):
        indexed_map(lambda i: [x * i], x.shape[0], [()], ["stack"])
    (node,) = _maps(jacobian(pt.exp(x), x))
    with pytest.raises(TypeError, match="IndexedMap.*takes n"):
        node.op(*node.inputs[:-1])
    with pytest.raises(TypeError, match="must be an integer scalar"):
        node.op(x, *node.inputs[1:])


# -- the Op ------------------------------------------------------------------------------------
def test_indexed_map_sum_and_loop_invariant_outputs():
    x = pt.dvector("x")
    n = x.shape[0]
    total, stacked, const = indexed_map(
        lambda i: [x[i] * x, x[i] ** 2, pt.sum(x)], n, [(n,), (), ()], ["sum", "stack", "stack"]
    )
    value = np.array([1.0, 2.0, 4.0])
    got = function([x], [total, stacked, const])(value)
    np.testing.assert_allclose(got[0], value.sum() * value)
    np.testing.assert_allclose(got[1], value**2)
    np.testing.assert_allclose(got[2], np.full(3, 7.0))
    (node,) = _maps([total, stacked, const])
    assert node.op.combine == ("sum", "stack")
    assert str(node.op) == "IndexedMap{sum,stack}"


def test_the_op_is_a_value():
    x = pt.dvector("x")
    (a,) = _maps(jacobian(pt.exp(x) * pt.sum(x), x))
    (b,) = _maps(jacobian(pt.exp(x) * pt.sum(x), x))
    (c,) = _maps(jacobian(pt.sin(x) * pt.sum(x), x))
    assert a.op == b.op and hash(a.op) == hash(b.op)
    assert a.op != c.op
    assert stable_token(a.op) == stable_token(b.op) != stable_token(c.op)
    assert graph_hash(a.outputs) == graph_hash(b.outputs) != graph_hash(c.outputs)
    restored = pickle.loads(pickle.dumps(a.op))
    assert restored == a.op
    clone = a.op.clone()
    assert clone == a.op and clone.fgraph is not a.op.fgraph


def test_equal_loops_merge_in_a_compiled_function():
    x = pt.dvector("x")
    j1 = jacobian(pt.exp(x) * pt.sum(x), x)
    j2 = jacobian(pt.exp(x) * pt.sum(x), x)
    fn = function([x], [j1, j2])
    nodes = [n for n in fn.maker.fgraph.apply_nodes if isinstance(n.op, IndexedMap)]
    assert len(nodes) == 1
    r1, r2 = fn(np.array([0.1, 0.2]))
    np.testing.assert_array_equal(r1, r2)


def test_symbolic_shape_of_the_jacobian():
    x, a = pt.dvector("x"), pt.dmatrix("a")
    jac = jacobian(pt.outer(pt.exp(x), pt.sum(a, axis=0)), a)
    shape = function([x, a], jac.shape)(np.ones(2), np.ones((3, 4)))
    np.testing.assert_array_equal(shape, [2, 4, 3, 4])


def test_tensor_namespace_reexports():
    assert pt.jacobian is jacobian and pt.hessian is hessian
    x = pt.dvector("x")
    h = pt.hessian(pt.sum(x**3), x)
    np.testing.assert_allclose(h.eval({x: np.array([1.0, 2.0])}), np.diag([6.0, 12.0]))
    jac = pytensor.gradient.jacobian(x**2, x)
    np.testing.assert_allclose(jac.eval({x: np.array([1.0, 3.0])}), np.diag([2.0, 6.0]))
