"""Tests of the differentiation machinery (pytensor.gradient) against analytic
derivatives and central finite differences."""

from __future__ import annotations

import numpy as np
import pytest

import pytensor
import pytensor.scalar as ps
import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.configdefaults import config
from pytensor.gradient import (
    DisconnectedInputError,
    GradientError,
    NullTypeGradError,
    disconnected_grad,
    grad,
    grad_clip,
    grad_not_implemented,
    grad_scale,
    hessian,
    hessian_vector_product,
    jacobian,
    pullback,
    pushforward,
    value_and_grad,
    verify_grad,
    verify_pushforward,
    zero_grad,
)
from pytensor.graph.basic import Apply
from pytensor.graph.op import Op


def _fd(f, x, eps=1e-6):
    """Central finite-difference gradient of a scalar function of one array."""
    x = np.array(x, dtype="float64")
    g = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[idx] += eps
        down[idx] -= eps
        g[idx] = (f(up) - f(down)) / (2 * eps)
    return g


def test_polynomial_grad_matches_analytic():
    x = pt.dscalar("x")
    g = grad(x**3 + 2 * x, x)
    assert float(g.eval({x: 2.0})) == pytest.approx(3 * 4 + 2)


def test_elemwise_chain_against_finite_differences():
    x = pt.dvector("x")
    cost = pt.sum(pt.exp(x) * pt.sin(x) + pt.log1p(x * x) / (1 + pt.sqrt(pt.abs(x) + 1)))
    f = function([x], cost)
    g = function([x], grad(cost, x))
    point = np.array([0.3, -1.2, 2.5])
    np.testing.assert_allclose(g(point), _fd(f, point), rtol=1e-6, atol=1e-8)


def test_broadcast_input_gradient_is_summed():
    x = pt.dmatrix("x")
    b = pt.dvector("b", shape=(3,))
    cost = pt.sum((x + b) ** 2)
    gb = function([x, b], grad(cost, b))
    xv = np.arange(6.0).reshape(2, 3)
    bv = np.array([1.0, -1.0, 0.5])
    np.testing.assert_allclose(gb(xv, bv), (2 * (xv + bv)).sum(axis=0))


def test_reductions_gradients():
    x = pt.dmatrix("x")
    point = np.array([[1.0, 3.0, -2.0], [0.5, 4.0, 2.0]])
    for build, ref in [
        (lambda v: pt.sum(v.max(axis=1)), lambda v: v.max(axis=1).sum()),
        (lambda v: pt.sum(v.min(axis=0)), lambda v: v.min(axis=0).sum()),
        (lambda v: pt.sum(v.prod(axis=1)), lambda v: v.prod(axis=1).sum()),
        (lambda v: pt.sum(v.sum(axis=0) ** 2), lambda v: (v.sum(axis=0) ** 2).sum()),
    ]:
        g = function([x], grad(build(x), x))
        np.testing.assert_allclose(g(point), _fd(ref, point), rtol=1e-6, atol=1e-8)


def test_prod_gradient_with_zeros():
    x = pt.dvector("x")
    g = function([x], grad(pt.prod(x), x))
    np.testing.assert_allclose(g(np.array([2.0, 0.0, 3.0])), [0.0, 6.0, 0.0])
    np.testing.assert_allclose(g(np.array([0.0, 0.0, 3.0])), [0.0, 0.0, 0.0])


def test_dimshuffle_gradient():
    x = pt.dmatrix("x", shape=(2, 3))
    y = x.dimshuffle(1, "x", 0)
    w = np.arange(6.0).reshape(3, 1, 2)
    g = function([x], grad(pt.sum(y * w), x))
    np.testing.assert_allclose(g(np.ones((2, 3))), w[:, 0, :].T)


def test_non_scalar_cost_raises_naming_the_cost():
    x = pt.dvector("x")
    with pytest.raises(TypeError, match="must be a scalar"):
        grad(x * 2, x)


def test_disconnected_wrt_raises_or_is_zero():
    x, y = pt.dscalar("x"), pt.dscalar("y")
    with pytest.raises(DisconnectedInputError, match="y"):
        grad(x * 2, y)
    g = grad(x * 2, y, disconnected_inputs="ignore")
    assert float(g.eval({y: 1.0})) == 0.0
    assert grad(x * 2, y, disconnected_inputs="ignore", return_disconnected="None") is None


def test_wrt_constant_raises():
    x = pt.dscalar("x")
    c = pt.constant(2.0)
    with pytest.raises(TypeError, match="constant"):
        grad(x * c, c)


def test_integer_wrt_gets_zero():
    x = pt.dscalar("x")
    i = pt.iscalar("i")
    g = grad(x * i, i)
    assert float(g.eval({i: 3})) == 0.0
    assert g.dtype == config.floatX


def test_pullback_and_pushforward_match_jacobian():
    x = pt.dvector("x", shape=(3,))
    y = pt.exp(x) * x
    u = pt.dvector("u", shape=(3,))
    point = np.array([0.1, -0.4, 1.3])
    jac = np.diag(np.exp(point) * (point + 1))
    uv = np.array([1.0, 2.0, -1.0])
    vjp = function([x, u], pullback(y, x, u))
    jvp = function([x, u], pushforward(y, x, u))
    np.testing.assert_allclose(vjp(point, uv), uv @ jac)
    np.testing.assert_allclose(jvp(point, uv), jac @ uv)


def test_pullback_wrong_cotangent_shape_raises():
    x = pt.dvector("x", shape=(3,))
    with pytest.raises(ValueError, match="static shape"):
        pullback(x * 2, x, pt.dvector("u", shape=(4,)))
    with pytest.raises(TypeError, match="does not fit"):
        pullback(x * 2, x, pt.dmatrix("u"))


def test_jacobian_and_hessian_against_finite_differences():
    x = pt.dvector("x", shape=(3,))
    y = x**2 * pt.sum(x)
    point = np.array([0.5, -1.0, 2.0])
    jac = function([x], jacobian(y, x))(point)
    ref = np.stack([_fd(lambda v, i=i: (v**2 * v.sum())[i], point) for i in range(3)])
    np.testing.assert_allclose(jac, ref, rtol=1e-6, atol=1e-6)
    cost = pt.sum(pt.exp(x) * x) * pt.sum(x)
    h = function([x], hessian(cost, x))(point)
    grad_fn = function([x], grad(cost, x))
    ref_h = np.stack([_fd(lambda v, i=i: grad_fn(v)[i], point) for i in range(3)])
    np.testing.assert_allclose(h, ref_h, rtol=1e-5, atol=1e-6)
    p = pt.dvector("p", shape=(3,))
    hv = function([x, p], hessian_vector_product(cost, x, p))(point, np.array([1.0, 0.0, 2.0]))
    np.testing.assert_allclose(hv, ref_h @ np.array([1.0, 0.0, 2.0]), rtol=1e-5, atol=1e-6)


def test_gradient_modifiers():
    x = pt.dscalar("x")
    assert float(grad(zero_grad(x) * x, x).eval({x: 3.0})) == pytest.approx(3.0)
    assert float(grad(disconnected_grad(x) * x, x).eval({x: 3.0})) == pytest.approx(3.0)
    assert float(grad(grad_scale(x, 5.0) ** 2, x).eval({x: 3.0})) == pytest.approx(30.0)
    assert float(grad(grad_clip(x, -1.0, 1.0) ** 2, x).eval({x: 3.0})) == pytest.approx(1.0)


def test_gradient_modifiers_in_forward_mode():
    # The forward pass is the identity: scale and clip leave tangents alone, while
    # zero_grad and disconnected_grad make the expression a constant.
    x = pt.dscalar("x")
    t = pt.dscalar("t")
    for build, expected in [
        (lambda v: grad_scale(v, 5.0) * v, 2 * 3.0 * 0.5),
        (lambda v: grad_clip(v, -0.1, 0.1) * v, 2 * 3.0 * 0.5),
        (lambda v: zero_grad(v) * v, 3.0 * 0.5),
        (lambda v: disconnected_grad(v) * v, 3.0 * 0.5),
    ]:
        value = pushforward(build(x), x, t).eval({x: 3.0, t: 0.5})
        assert float(value) == pytest.approx(expected)


class _NoGrad(Op):
    __props__ = ()

    def make_node(self, x):
        x = pt.as_tensor_variable(x)
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, out):
        out[0][0] = inputs[0].copy()

    def pullback(self, inputs, outputs, cots):
        return [grad_not_implemented(self, 0, inputs[0])]


def test_null_gradient_raises_or_is_returned():
    x = pt.dscalar("x")
    y = _NoGrad()(x) * 2
    with pytest.raises(NullTypeGradError, match="_NoGrad"):
        grad(y, x)
    g = grad(y, x, null_gradients="return")
    assert "NullType" in str(g.type)


class _WrongGrad(Op):
    """exp with a deliberately wrong gradient (2 * exp)."""

    __props__ = ()

    def make_node(self, x):
        x = pt.as_tensor_variable(x)
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, out):
        out[0][0] = np.exp(inputs[0])

    def pullback(self, inputs, outputs, cots):
        return [cots[0] * outputs[0] * 2]


def test_verify_grad_passes_and_catches_a_wrong_gradient():
    verify_grad(lambda v: pt.tanh(v) * pt.exp(v), [np.array([0.1, -0.3, 0.7])])
    with pytest.raises(GradientError):
        verify_grad(lambda v: _WrongGrad()(v), [np.array([0.1, -0.3, 0.7])])


def test_value_and_grad_shares_the_forward_pass():
    x = pt.dvector("x")
    cost, g = value_and_grad(pt.sum(pt.exp(x) ** 2), x)
    f = function([x], [cost, g], mode=pytensor.compile.mode.Mode(linker="py", optimizer="merge"))
    exps = [
        n
        for n in f.maker.fgraph.apply_nodes
        if isinstance(getattr(n.op, "scalar_op", None), ps.Exp)
    ]
    assert len(exps) == 1
    v, gv = f(np.array([0.1, 0.2]))
    np.testing.assert_allclose(gv, 2 * np.exp(2 * np.array([0.1, 0.2])))


def test_gradient_graph_of_a_chain_is_linear():
    def count(n):
        x = pt.dscalar("x")
        y = x
        for _ in range(n):
            y = pt.sin(y)
        g = grad(y, x)
        from pytensor.graph.traversal import io_toposort

        return len(io_toposort([x], [g]))

    small, big = count(50), count(200)
    assert big <= 4.5 * small


def test_lop_rop_are_deprecated_aliases():
    x = pt.dvector("x", shape=(2,))
    u = pt.dvector("u", shape=(2,))
    with pytest.warns(FutureWarning):
        pytensor.gradient.Lop(x * 2, x, u)
    with pytest.warns(FutureWarning):
        pytensor.gradient.Rop(x * 2, x, u)


# -- second derivatives of a small model (issue 5, section 5) ---------------------------------------
def _logistic_model():
    """Negative log-likelihood of a logistic regression with an L2 penalty, in w (4,)."""
    rng = np.random.default_rng(7)
    data_x = rng.normal(size=(6, 4))
    data_y = (rng.uniform(size=6) < 0.5).astype("float64")
    w = pt.dvector("w", shape=(4,))
    logits = pt.dot(data_x, w)
    nll = pt.sum(pt.softplus(logits) - logits * data_y) + 0.1 * pt.sum(w**2)
    return w, nll, data_x


def test_hessian_of_a_small_model_against_finite_differences_of_the_gradient():
    w, nll, data_x = _logistic_model()
    point = np.array([0.3, -0.8, 1.1, 0.05])
    grad_fn = function([w], grad(nll, w))
    h = function([w], hessian(nll, w))(point)
    ref = np.stack([_fd(lambda v, i=i: grad_fn(v)[i], point) for i in range(4)])
    np.testing.assert_allclose(h, ref, rtol=1e-6, atol=1e-7)
    # The closed form X^T diag(s (1 - s)) X + 0.2 I, and symmetry.
    s = 1 / (1 + np.exp(-data_x @ point))
    np.testing.assert_allclose(h, data_x.T @ np.diag(s * (1 - s)) @ data_x + 0.2 * np.eye(4))
    np.testing.assert_allclose(h, h.T, atol=1e-12)


def test_second_derivatives_of_a_two_layer_network():
    # tanh hidden layer: the Hessian involves Dot, Elemwise and the reductions twice.
    rng = np.random.default_rng(11)
    data_x, data_y = rng.normal(size=(5, 3)), rng.normal(size=5)
    p = pt.dvector("p", shape=(8,))
    w1 = p[:6].reshape((3, 2))
    w2 = p[6:]
    pred = pt.dot(pt.tanh(pt.dot(data_x, w1)), w2)
    cost = pt.mean((pred - data_y) ** 2)
    point = rng.normal(size=8) * 0.5
    grad_fn = function([p], grad(cost, p))
    h = function([p], hessian(cost, p))(point)
    ref = np.stack([_fd(lambda v, i=i: grad_fn(v)[i], point) for i in range(8)])
    np.testing.assert_allclose(h, ref, rtol=1e-5, atol=1e-7)
    # Forward-over-reverse and reverse-over-reverse Hessian-vector products agree with H v.
    v = pt.dvector("v", shape=(8,))
    vec = rng.normal(size=8)
    hv_rr = function([p, v], hessian_vector_product(cost, p, v))(point, vec)
    hv_fr = function([p, v], pushforward(grad(cost, p), p, v))(point, vec)
    np.testing.assert_allclose(hv_rr, h @ vec, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(hv_fr, h @ vec, rtol=1e-8, atol=1e-10)


def test_pushforward_graph_of_a_chain_is_linear():
    def count(n):
        x = pt.dscalar("x")
        y = x
        for _ in range(n):
            y = pt.exp(pt.sin(y))
        from pytensor.graph.traversal import io_toposort

        return len(io_toposort([x], [pushforward(y, x, pt.dscalar("t"))]))

    small, big = count(25), count(100)
    assert big <= 4.5 * small


# -- verify_pushforward ------------------------------------------------------------------------------
class _WrongTangent(Op):
    """exp with a correct pullback but a deliberately wrong pushforward (3 * exp)."""

    __props__ = ()

    def make_node(self, x):
        x = pt.as_tensor_variable(x)
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, out):
        out[0][0] = np.exp(inputs[0])

    def pullback(self, inputs, outputs, cots):
        return [cots[0] * outputs[0]]

    def pushforward(self, inputs, outputs, tangents):
        return [tangents[0] * outputs[0] * 3]


def test_verify_pushforward_catches_a_wrong_pushforward():
    point = [np.array([0.1, -0.3, 0.7])]
    verify_grad(lambda v: _WrongTangent()(v), point)
    with pytest.raises(GradientError):
        verify_pushforward(lambda v: _WrongTangent()(v), point)
    verify_pushforward(lambda v: pt.exp(v) * v, point)


# -- bad input: every error names the offending variable ---------------------------------------------
def test_non_scalar_cost_error_names_the_cost_and_known_grads_accepts_it():
    x = pt.dvector("x")
    y = x * 2
    y.name = "doubled"
    with pytest.raises(TypeError, match="doubled.*must be a scalar"):
        grad(y, x)
    g = grad(None, x, known_grads={y: pt.ones_like(y)})
    np.testing.assert_allclose(g.eval({x: np.array([1.0, 2.0])}), [2.0, 2.0])


def test_integer_cost_error_names_the_cost():
    i = pt.iscalar("i")
    cost = i * 2
    cost.name = "count"
    with pytest.raises(TypeError, match="count has dtype int32"):
        grad(cost, i)


def test_disconnected_wrt_names_it_and_warns_or_ignores():
    x, y = pt.dscalar("x"), pt.dscalar("unused_y")
    with pytest.raises(DisconnectedInputError, match="unused_y"):
        grad(x * 2, [x, y])
    with pytest.warns(UserWarning, match="unused_y"):
        g = grad(x * 2, y, disconnected_inputs="warn")
    assert float(g.eval({y: 1.0})) == 0.0
    g = grad(x * 2, y, disconnected_inputs="ignore", return_disconnected="Disconnected")
    assert isinstance(g.type, pytensor.gradient.DisconnectedType)
    with pytest.raises(ValueError, match="disconnected_inputs"):
        grad(x * 2, y, disconnected_inputs="maybe")


def test_wrt_constant_error_names_the_constant():
    x = pt.dscalar("x")
    c = pt.constant(2.5, name="the_constant")
    with pytest.raises(TypeError, match=r"constant .*the_constant|constant 2.5"):
        grad(x * c, [x, c])
    with pytest.raises(TypeError, match="constant"):
        pullback(x * c, c, pt.dscalar("u"))
    with pytest.raises(TypeError, match="constant"):
        pushforward(x * c, c, pt.dscalar("t"))


def test_known_grads_of_the_wrong_shape_or_type_name_the_variable():
    x = pt.dvector("x", shape=(3,))
    y = pt.exp(x)
    y.name = "expx"
    with pytest.raises(ValueError, match="expx.*2 dimensions"):
        grad(None, x, known_grads={y: pt.dmatrix("g")})
    with pytest.raises(ValueError, match="expx.*static shape"):
        grad(None, x, known_grads={y: pt.dvector("g", shape=(4,))})
    with pytest.raises(TypeError, match="expx.*complex"):
        grad(None, x, known_grads={y: pt.zvector("g", shape=(3,))})
    with pytest.raises(TypeError, match="expx.*not a tensor"):
        grad(None, x, known_grads={y: "not a gradient"})


def test_cotangents_and_tangents_of_the_wrong_type_name_the_variable():
    x = pt.dvector("x", shape=(3,))
    y = x * 2
    y.name = "twice"
    with pytest.raises(TypeError, match="twice"):
        pullback(y, x, pt.dmatrix("u"))
    with pytest.raises(ValueError, match="twice.*static shape"):
        pullback(y, x, pt.dvector("u", shape=(2,)))
    with pytest.raises(TypeError, match="twice.*complex"):
        pullback(y, x, pt.zvector("u"))
    with pytest.raises(ValueError, match="2 outputs but 1 cotangents"):
        pullback([y, y], x, pt.dvector("u"))
    with pytest.raises(TypeError, match="tangent 0.*does not fit x"):
        pushforward(y, x, pt.dmatrix("t"))
    with pytest.raises(ValueError, match="tangent 0.*static shape"):
        pushforward(y, x, pt.dvector("t", shape=(5,)))


def test_cotangent_of_the_wrong_runtime_shape_fails_when_run():
    x = pt.dvector("x")
    u = pt.dvector("u")
    f = function([x, u], pullback(pt.exp(x), x, u))
    np.testing.assert_allclose(f(np.zeros(2), np.ones(2)), np.ones(2))
    with pytest.raises(ValueError, match="shape"):
        f(np.zeros(2), np.ones(3))


def test_op_from_graph_default_derivatives_differentiate_the_inner_graph():
    from pytensor.compile.builders import OpFromGraph

    a, b = pt.dvector("a"), pt.dvector("b")
    ofg = OpFromGraph([a, b], [pt.exp(a) * b + a**2])
    x, y = pt.dvector("x"), pt.dvector("y")
    verify_grad(lambda u, v: ofg(u, v), [np.array([0.2, -0.5]), np.array([1.5, 0.3])])
    xv, yv, tv = np.array([0.2, -0.5]), np.array([1.5, 0.3]), np.array([1.0, -2.0])
    jvp = function([x, y], pushforward(ofg(x, y), [x, y], [pt.constant(tv), pt.zeros_like(y)]))
    np.testing.assert_allclose(jvp(xv, yv), (np.exp(xv) * yv + 2 * xv) * tv)
