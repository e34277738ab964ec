"""Derivatives of the elementwise Ops beyond the finite-difference table of test_grad_ops:
special functions against SciPy's own derivatives, Composite pullbacks, gradients that
are zero, not implemented or complex, and scalar-level pullbacks."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special as sp
import scipy.stats as st

import pytensor.scalar as ps
import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.gradient import (
    NullType,
    NullTypeGradError,
    grad,
    pullback,
    pushforward,
    verify_grad,
)
from pytensor.graph.traversal import io_toposort
from pytensor.tensor.elemwise import Elemwise


def _grad_values(build, point):
    """The elementwise derivative of ``build`` at ``point`` (gradient of the sum)."""
    x = pt.dvector("x")
    return function([x], grad(pt.sum(build(x)), x))(np.asarray(point, dtype="float64"))


X = np.array([0.4, 1.3, 2.6, 7.5])
P = np.array([0.05, 0.3, 0.62, 0.97])

# Each derivative is compared with an expression of SciPy that does not share the
# formula of the pullback (the derivative helpers of scipy.special, or the density
# that the incomplete functions integrate).
SCIPY_DERIVATIVES = [
    ("jv", lambda x: pt.jv(1.5, x), lambda x: sp.jvp(1.5, x), X),
    ("j1", pt.j1, lambda x: sp.jvp(1, x), X),
    ("j0", pt.j0, lambda x: sp.jvp(0, x), X),
    ("iv", lambda x: pt.iv(2.5, x), lambda x: sp.ivp(2.5, x), X),
    ("i1", pt.i1, lambda x: sp.ivp(1, x), X),
    ("i0", pt.i0, lambda x: sp.ivp(0, x), X),
    ("kv", lambda x: pt.kv(0.7, x), lambda x: sp.kvp(0.7, x), X),
    (
        "ive",
        lambda x: pt.ive(1.5, x),
        lambda x: (sp.ivp(1.5, x) - np.sign(x) * sp.iv(1.5, x)) * np.exp(-np.abs(x)),
        X,
    ),
    ("kve", lambda x: pt.kve(0.7, x), lambda x: (sp.kvp(0.7, x) + sp.kv(0.7, x)) * np.exp(x), X),
    ("tri_gamma", pt.tri_gamma, lambda x: sp.polygamma(2, x), X),
    ("polygamma", lambda x: pt.polygamma(2, x), lambda x: sp.polygamma(3, x), X),
    ("gammainc", lambda x: pt.gammainc(2.5, x), lambda x: st.gamma.pdf(x, 2.5), X),
    ("gammaincc", lambda x: pt.gammaincc(2.5, x), lambda x: -st.gamma.pdf(x, 2.5), X),
    (
        "gammal",
        lambda x: pt.gammal(2.5, x),
        lambda x: st.gamma.pdf(x, 2.5) * sp.gamma(2.5),
        X,
    ),
    (
        "gammau",
        lambda x: pt.gammau(2.5, x),
        lambda x: -st.gamma.pdf(x, 2.5) * sp.gamma(2.5),
        X,
    ),
    ("chi2sf", lambda x: pt.chi2sf(x, 3.0), lambda x: -st.chi2.pdf(x, 3.0), X),
    (
        "gammaincinv",
        lambda y: pt.gammaincinv(2.5, y),
        lambda y: 1 / st.gamma.pdf(sp.gammaincinv(2.5, y), 2.5),
        P,
    ),
    (
        "gammainccinv",
        lambda y: pt.gammainccinv(2.5, y),
        lambda y: -1 / st.gamma.pdf(sp.gammainccinv(2.5, y), 2.5),
        P,
    ),
    ("betainc", lambda x: pt.betainc(2.0, 3.5, x), lambda x: st.beta.pdf(x, 2.0, 3.5), P),
    (
        "betaincinv",
        lambda y: pt.betaincinv(2.0, 3.5, y),
        lambda y: 1 / st.beta.pdf(sp.betaincinv(2.0, 3.5, y), 2.0, 3.5),
        P,
    ),
    ("erfcx", pt.erfcx, lambda x: 2 * x * sp.erfcx(x) - 2 / np.sqrt(np.pi), X),
    ("log1mexp", pt.log1mexp, lambda x: -1 / np.expm1(-x), -X),
    ("softplus_large", pt.softplus, sp.expit, np.array([-40.0, -3.0, 3.0, 40.0])),
]


@pytest.mark.parametrize(
    "build, reference, point",
    [c[1:] for c in SCIPY_DERIVATIVES],
    ids=[c[0] for c in SCIPY_DERIVATIVES],
)
def test_special_function_derivative_matches_scipy(build, reference, point):
    np.testing.assert_allclose(_grad_values(build, point), reference(point), rtol=1e-9, atol=1e-12)


def test_owens_t_derivatives_match_the_integral_form():
    # T(h, a) = 1/(2 pi) int_0^a exp(-h^2 (1 + x^2) / 2) / (1 + x^2) dx
    h, a = pt.dvector("h"), pt.dvector("a")
    gh, ga = grad(pt.sum(pt.owens_t(h, a)), [h, a])
    hv, av = np.array([0.3, -1.1, 2.0]), np.array([0.5, 1.7, -0.8])
    ghv, gav = function([h, a], [gh, ga])(hv, av)
    np.testing.assert_allclose(gav, np.exp(-(hv**2) * (1 + av**2) / 2) / (2 * np.pi * (1 + av**2)))
    x = np.linspace(0.0, 1.0, 20001)[None, :] * av[:, None]
    integrand = -hv[:, None] * np.exp(-(hv[:, None] ** 2) * (1 + x**2) / 2) / (2 * np.pi)
    np.testing.assert_allclose(ghv, np.trapezoid(integrand, x, axis=1), rtol=1e-7)


def test_hyp2f1_derivative_in_z_matches_finite_differences_of_scipy():
    z = np.array([-0.7, 0.1, 0.6])
    eps = 1e-6
    ref = (sp.hyp2f1(0.5, 1.5, 2.5, z + eps) - sp.hyp2f1(0.5, 1.5, 2.5, z - eps)) / (2 * eps)
    np.testing.assert_allclose(
        _grad_values(lambda v: pt.hyp2f1(0.5, 1.5, 2.5, v), z), ref, rtol=1e-6
    )


NOT_IMPLEMENTED = [
    ("gammainc", lambda k, x: pt.gammainc(k, x), 0),
    ("gammaincc", lambda k, x: pt.gammaincc(k, x), 0),
    ("gammaincinv", lambda k, y: pt.gammaincinv(k, y), 0),
    ("gammau", lambda k, x: pt.gammau(k, x), 0),
    ("chi2sf", lambda x, k: pt.chi2sf(x, k), 1),
    ("jv", lambda v, x: pt.jv(v, x), 0),
    ("iv", lambda v, x: pt.iv(v, x), 0),
    ("kve", lambda v, x: pt.kve(v, x), 0),
    ("betainc", lambda a, x: pt.betainc(a, 2.0, x), 0),
    ("hyp2f1", lambda a, z: pt.hyp2f1(a, 1.0, 2.5, z), 0),
]


@pytest.mark.parametrize(
    "name, build, position", NOT_IMPLEMENTED, ids=[c[0] for c in NOT_IMPLEMENTED]
)
def test_unimplemented_parameter_gradient_is_null_and_names_the_op(name, build, position):
    a, b = pt.dvector("a"), pt.dvector("b")
    cost = pt.sum(build(a, b))
    wrt = (a, b)[position]
    with pytest.raises(NullTypeGradError, match=rf"gradient of {name} with respect to its input"):
        grad(cost, wrt)
    g = grad(cost, wrt, null_gradients="return")
    assert isinstance(g.type, NullType)
    # The other argument still has its gradient.
    other = (a, b)[1 - position]
    assert not isinstance(grad(cost, other).type, NullType)


# -- Composite ----------------------------------------------------------------------------------
def _composite_and_reference():
    x, y = ps.float64("x"), ps.float64("y")
    s = ps.sin(x * y)
    comp = ps.Composite([x, y], [s * ps.exp(y) + ps.sqr(x), ps.log(y) - s, ps.lt(x, y)])

    def reference(a, b):
        s = pt.sin(a * b)
        return s * pt.exp(b) + pt.sqr(a), pt.log(b) - s

    return Elemwise(comp), reference


def test_composite_pullback_equals_the_unfused_graph():
    op, reference = _composite_and_reference()
    a, b = pt.dmatrix("a"), pt.dvector("b", shape=(3,))
    w1, w2 = pt.dmatrix("w1"), pt.dmatrix("w2")
    o1, o2, _ = op(a, b)
    r1, r2 = reference(a, b)
    fused = grad(pt.sum(o1 * w1 + o2 * w2), [a, b])
    plain = grad(pt.sum(r1 * w1 + r2 * w2), [a, b])
    f = function([a, b, w1, w2], [*fused, *plain])
    rng = np.random.default_rng(1)
    values = [rng.normal(size=(2, 3)), rng.uniform(0.5, 2.0, 3), *rng.normal(size=(2, 2, 3))]
    ga, gb, ra, rb = f(*values)
    np.testing.assert_allclose(ga, ra, rtol=1e-12)
    np.testing.assert_allclose(gb, rb, rtol=1e-12)
    assert gb.shape == (3,)


def test_composite_with_one_output_used_gets_zero_cotangents_for_the_others():
    op, reference = _composite_and_reference()
    a, b = pt.dvector("a"), pt.dvector("b")
    fused = grad(pt.sum(op(a, b)[1]), [a, b])
    plain = grad(pt.sum(reference(a, b)[1]), [a, b])
    av, bv = np.array([0.3, -1.0]), np.array([0.7, 1.9])
    for g, r in zip(function([a, b], fused)(av, bv), function([a, b], plain)(av, bv), strict=True):
        np.testing.assert_allclose(g, r, rtol=1e-12)


def test_composite_pullback_does_not_copy_the_graph_of_its_inputs():
    x = pt.dvector("x")
    deep = x
    for _ in range(40):
        deep = pt.cos(deep)
    u, v = ps.float64("u"), ps.float64("v")
    op = Elemwise(ps.Composite([u, v], [ps.exp(u) * v]))
    out = op(deep, x)
    g = grad(pt.sum(out), x)
    n_forward = len(io_toposort([x], [out]))
    n_grad = len(io_toposort([x], [g]))
    # The backward pass of the chain adds a few nodes per cosine; copying the chain for
    # the Composite would add 40 more.
    assert n_grad < n_forward + 4 * 40 + 20
    verify_grad(lambda t: op(pt.cos(t), t), [np.array([0.2, -0.4])])


def test_composite_outputs_of_integer_inputs_identities_constants_and_broadcast_inputs():
    x, n, y = ps.float64("x"), ps.int8("n"), ps.float64("y")
    comp = ps.Composite(
        [x, n, y], [ps.polygamma(n, x) * x, x, ps.exp(ps.constant(1.0)), ps.exp(y) * 2.0]
    )
    a, k = pt.dvector("a"), pt.bvector("k")
    b = pt.dvector("b", shape=(1,))
    o1, o2, o3, o4 = Elemwise(comp)(a, k, b)
    ga, gk, gb = grad(pt.sum(o1) + pt.sum(o2 * 3) + pt.sum(o3) + pt.sum(o4), [a, k, b])
    av, kv, bv = np.array([1.5, 2.0]), np.array([1, 2], dtype="int8"), np.array([0.3])
    gav, gkv, gbv = function([a, k, b], [ga, gk, gb])(av, kv, bv)
    np.testing.assert_allclose(gav, sp.polygamma(kv, av) + av * sp.polygamma(kv + 1, av) + 3)
    np.testing.assert_array_equal(gkv, [0.0, 0.0])
    # o4 depends on b only, which broadcasts: its cotangent is summed over the two elements.
    np.testing.assert_allclose(gbv, [2 * 2 * np.exp(0.3)])


def test_composite_pullback_on_scalars():
    x, y = ps.float64("x"), ps.float64("y")
    comp = ps.Composite([x, y], [ps.exp(x) * y, ps.sqr(y)])
    a, b, g1, g2 = (ps.float64(n) for n in "abgh")
    o1, o2 = comp(a, b)
    ga, gb = comp.pullback([a, b], [o1, o2], [g1, g2])
    assert isinstance(ga.type, ps.ScalarType) and isinstance(gb.type, ps.ScalarType)
    va, vb = function([a, b, g1, g2], [ga, gb])(0.5, 2.0, 3.0, -1.0)
    assert va == pytest.approx(3.0 * np.exp(0.5) * 2.0)
    assert vb == pytest.approx(3.0 * np.exp(0.5) - 2.0 * 2.0)


def test_composite_with_an_unimplemented_inner_gradient_gives_a_null_gradient():
    k, x = ps.float64("k"), ps.float64("x")
    op = Elemwise(ps.Composite([k, x], [ps.gammainc(k, x) * 2.0]))
    a, b = pt.dvector("a"), pt.dvector("b")
    cost = pt.sum(op(a, b))
    with pytest.raises(NullTypeGradError, match="gammainc"):
        grad(cost, a)
    gb = function([a, b], grad(cost, b))(np.array([2.5]), np.array([1.2]))
    np.testing.assert_allclose(gb, 2 * st.gamma.pdf(1.2, 2.5))


# -- scalar-level pullbacks agree with the elementwise ones --------------------------------------
SCALAR_OPS = [
    (ps.exp, (0.3,)),
    (ps.tan, (0.3,)),
    (ps.true_div, (0.3, 1.7)),
    (ps.pow, (1.3, 0.7)),
    (ps.psi, (1.3,)),
    (ps.tri_gamma, (1.3,)),
    (ps.j1, (1.3,)),
    (ps.owens_t, (0.5, 1.2)),
    (ps.gammaincinv, (2.5, 0.3)),
    (ps.clip, (0.5, -1.0, 1.0)),
]


@pytest.mark.parametrize("op, point", SCALAR_OPS, ids=[str(c[0]) for c in SCALAR_OPS])
def test_scalar_pullback_matches_elemwise_pullback(op, point):
    scalars = [ps.float64(f"s{k}") for k in range(len(point))]
    out = op(*scalars)
    g = ps.float64("g")
    scalar_grads = op.pullback(scalars, [out], [g])
    keep = [k for k, s in enumerate(scalar_grads) if not isinstance(s.type, NullType)]
    values = function([*scalars, g], [scalar_grads[k] for k in keep])(*point, 1.5)
    tensors = [pt.dscalar(f"t{k}") for k in range(len(point))]
    t_grads = grad(Elemwise(op)(*tensors) * 1.5, [tensors[k] for k in keep])
    expected = function(tensors, t_grads)(*point)
    np.testing.assert_allclose(values, expected, rtol=1e-12)


# -- zero gradients: discrete outputs and piecewise-constant functions ---------------------------
@pytest.mark.parametrize(
    "build",
    [
        lambda x: pt.cast(pt.argmax(x), "float64"),
        lambda x: pt.sum(pt.cast(pt.lt(x, 0.5), "float64")),
        lambda x: pt.sum(pt.cast(pt.isnan(x) | pt.isinf(x), "float64")),
        lambda x: pt.sum(pt.cast(pt.iround(x), "float64")),
        lambda x: pt.sum(pt.floor(x)),
    ],
    ids=["argmax", "lt", "isnan_isinf", "iround", "floor"],
)
def test_gradient_through_discrete_values_is_zero(build):
    # As PyTensor: connected through integer values, the gradient is zero (not disconnected).
    x = pt.dvector("x")
    g = function([x], grad(build(x), x))(np.array([0.2, 1.7, -0.4]))
    np.testing.assert_array_equal(g, np.zeros(3))


def test_discrete_ops_have_zero_pullbacks():
    x, y = pt.dvector("x"), pt.dvector("y")
    for op, inputs in [(pt.eq, (x, y)), (pt.isnan, (x,)), (pt.argmax, (x,))]:
        out = op(*inputs)
        grads = out.owner.op.pullback(list(out.owner.inputs), [out], [pt.zeros_like(out)])
        values = function([x, y], grads, on_unused_input="ignore")(np.ones(2), np.ones(2))
        for v in values:
            np.testing.assert_array_equal(v, np.zeros(2))


def test_discrete_path_adds_zero_to_a_differentiable_path():
    x = pt.dvector("x")
    cost = pt.sum(x**2) + pt.sum(pt.cast(pt.gt(x, 0), "float64"))
    np.testing.assert_allclose(
        function([x], grad(cost, x))(np.array([0.5, -1.0])), np.array([1.0, -2.0])
    )


# -- complex numbers: gradient = dC/dRe(z) + i dC/dIm(z) ------------------------------------------
def _complex_fd(f, z, eps=1e-7):
    re = (f(z + eps) - f(z - eps)) / (2 * eps)
    im = (f(z + 1j * eps) - f(z - 1j * eps)) / (2 * eps)
    return re + 1j * im


COMPLEX_CASES = [
    ("abs", lambda z: pt.abs(z), np.abs),
    ("angle", lambda z: pt.angle(z), np.angle),
    ("real", lambda z: pt.real(z) * 3.0, lambda z: np.real(z) * 3.0),
    ("imag", lambda z: pt.imag(z) * 3.0, lambda z: np.imag(z) * 3.0),
    (
        "conj_mul",
        lambda z: pt.real(pt.conj(z) * (2 + 1j)),
        lambda z: np.real(np.conj(z) * (2 + 1j)),
    ),
    ("mul", lambda z: pt.imag(z * z * (1 - 2j)), lambda z: np.imag(z * z * (1 - 2j))),
    ("true_div", lambda z: pt.real((1 + 1j) / z), lambda z: np.real((1 + 1j) / z)),
]


@pytest.mark.parametrize(
    "build, ref", [c[1:] for c in COMPLEX_CASES], ids=[c[0] for c in COMPLEX_CASES]
)
def test_complex_gradient_convention(build, ref):
    z = pt.zvector("z")
    point = np.array([0.6 - 1.2j, -2.0 + 0.5j])
    g = function([z], grad(pt.sum(build(z)), z))(point)
    expected = np.array(
        [_complex_fd(lambda v, k=k: ref(np.array([v]))[0], point[k]) for k in range(2)]
    )
    np.testing.assert_allclose(g, expected, rtol=1e-6, atol=1e-8)


def test_holomorphic_rules_refuse_complex_inputs():
    z = pt.zvector("z")
    with pytest.raises(NullTypeGradError, match=r"exp .*complex"):
        grad(pt.sum(pt.real(pt.exp(z))), z)


# -- pullback and pushforward of Elemwise with broadcasting ---------------------------------------
def test_pushforward_of_broadcast_elemwise_matches_the_jacobian():
    a = pt.dmatrix("a", shape=(2, 3))
    b = pt.dvector("b", shape=(3,))
    out = pt.exp(a) * pt.sin(b)
    ta, tb = pt.dmatrix("ta", shape=(2, 3)), pt.dvector("tb", shape=(3,))
    jvp = pushforward(out, [a, b], [ta, tb])
    u = pt.dmatrix("u", shape=(2, 3))
    vjp = pullback(out, [a, b], u)
    rng = np.random.default_rng(3)
    av, tav, uv = rng.normal(size=(3, 2, 3))
    bv, tbv = rng.normal(size=(2, 3))
    jv = function([a, b, ta, tb], jvp)(av, bv, tav, tbv)
    np.testing.assert_allclose(jv, np.exp(av) * tav * np.sin(bv) + np.exp(av) * np.cos(bv) * tbv)
    ga, gb = function([a, b, u], vjp)(av, bv, uv)
    # <u, J t> == <J^T u, t>
    assert np.sum(uv * jv) == pytest.approx(np.sum(ga * tav) + np.sum(gb * tbv))
