"""softmax, log_softmax, logsumexp and logaddexp: OpFromGraph composites, against SciPy/NumPy.

Checks values (including overflow-prone and infinite inputs), that each call
is one node of its own class that merges with equal calls, and the
closed-form derivatives.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special as sp

import pytensor
import pytensor.tensor as pt
from pytensor.compile.builders import OpFromGraph
from pytensor.compile.function import function
from pytensor.compile.mode import Mode
from pytensor.gradient import grad, pushforward, verify_grad, verify_pushforward
from pytensor.tensor._softmax import LogAddExp, LogSoftmax, LogSumExp, Softmax
from pytensor.tensor.special import log_softmax, softmax

PY = Mode(linker="py", optimizer=None)
RNG = np.random.default_rng(42)
X34 = RNG.normal(size=(3, 4)) * 3
EXTREME = np.array([[1000.0, 0.0], [-np.inf, 0.0], [-np.inf, -np.inf], [-3.0, -1000.0]])


def _run(out, x, value):
    return function([x], out, mode=PY)(value)


def _scipy(name, *args, **kw):
    with np.errstate(all="ignore"):
        return getattr(sp, name)(*args, **kw)


@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 1)])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_matches_scipy(name, axis, dtype):
    x = pt.matrix("x", dtype=dtype)
    fn = softmax if name == "softmax" else log_softmax
    out = fn(x, axis=axis)
    assert out.dtype == dtype
    result = _run(out, x, X34.astype(dtype))
    rtol = 1e-5 if dtype == "float32" else 1e-12
    np.testing.assert_allclose(result, _scipy(name, X34, axis=axis), rtol=rtol, atol=1e-6)


@pytest.mark.parametrize(
    ("axis", "keepdims"), [(None, False), (0, False), (1, True), ((0, 1), True), (-1, False)]
)
def test_logsumexp_matches_scipy(axis, keepdims):
    x = pt.dmatrix("x")
    out = pt.logsumexp(x, axis=axis, keepdims=keepdims)
    result = _run(out, x, X34)
    expected = _scipy("logsumexp", X34, axis=axis, keepdims=keepdims)
    assert result.shape == np.shape(expected)
    np.testing.assert_allclose(result, expected, rtol=1e-12)


def test_no_overflow():
    x = pt.dvector("x")
    np.testing.assert_array_equal(_run(softmax(x), x, np.array([1000.0, 0.0])), [1.0, 0.0])
    np.testing.assert_array_equal(_run(log_softmax(x), x, np.array([1000.0, 0.0])), [0.0, -1000.0])
    np.testing.assert_allclose(
        _run(pt.logsumexp(x), x, np.array([1000.0, 1000.0])), 1000 + np.log(2)
    )
    np.testing.assert_allclose(
        _run(pt.logaddexp(x, 1000.0), x, np.array([1000.0])), [1000 + np.log(2)]
    )
    y = pt.fvector("y")
    np.testing.assert_allclose(
        _run(softmax(y), y, np.array([100.0, 0.0], dtype="float32")), [1.0, 0.0], atol=1e-40
    )


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "logsumexp"])
def test_infinite_lanes_match_scipy(name):
    """An all -inf row: softmax and log_softmax are NaN (0/0, as SciPy), logsumexp is -inf."""
    x = pt.dmatrix("x")
    fn = {"softmax": softmax, "log_softmax": log_softmax, "logsumexp": pt.logsumexp}[name]
    result = _run(fn(x, axis=1), x, EXTREME)
    np.testing.assert_allclose(result, _scipy(name, EXTREME, axis=1), rtol=1e-12)
    if name == "logsumexp":
        assert result[2] == -np.inf


def test_logaddexp_matches_numpy_at_extremes():
    values = np.array([-np.inf, -1000.0, -1.0, 0.0, 3.0, 1000.0, np.inf])
    a, b = np.meshgrid(values, values)
    x, y = pt.dmatrix("x"), pt.dmatrix("y")
    result = function([x, y], pt.logaddexp(x, y), mode=PY)(a, b)
    np.testing.assert_allclose(result, np.logaddexp(a, b), rtol=1e-14)
    tiny = function([x, y], pt.logaddexp(x, y), mode=PY)(np.zeros((1, 1)), np.full((1, 1), -50.0))
    np.testing.assert_allclose(tiny, np.logaddexp(0.0, -50.0), rtol=1e-12)


def test_logaddexp_variadic_and_broadcasting():
    a, b, c = pt.dmatrix("a"), pt.dvector("b"), pt.dcol("c")
    out = pt.logaddexp(a, b, c)
    assert isinstance(out.owner.op, LogAddExp)
    va, vb, vc = RNG.normal(size=(2, 3)), RNG.normal(size=3), RNG.normal(size=(2, 1))
    result = function([a, b, c], out, mode=PY)(va, vb, vc)
    np.testing.assert_allclose(result, np.log(np.exp(va) + np.exp(vb) + np.exp(vc)), rtol=1e-12)
    assert pt.logaddexp(a) is a
    with pytest.raises(TypeError, match="at least one"):
        pt.logaddexp()


@pytest.mark.parametrize(
    ("dtype", "want"), [("int8", "float32"), ("int64", "float64"), ("bool", "float32")]
)
def test_integer_inputs_become_floats(dtype, want):
    x = pt.vector("x", dtype=dtype)
    assert softmax(x).dtype == want
    assert log_softmax(x).dtype == want
    assert pt.logsumexp(x).dtype == want
    assert pt.logaddexp(x, x).dtype == want
    data = np.array([1, 0, 1], dtype=dtype)
    np.testing.assert_allclose(
        _run(softmax(x), x, data), sp.softmax(data.astype("float64")), rtol=1e-6
    )


def test_mixed_dtypes_upcast():
    assert pt.logaddexp(pt.fvector(), pt.dvector()).dtype == "float64"
    assert pt.logaddexp(pt.fvector(), pt.bvector()).dtype == "float32"


def test_complex_and_bad_axes_are_refused():
    with pytest.raises(TypeError, match="softmax: complex"):
        softmax(pt.zvector())
    with pytest.raises(TypeError, match="logsumexp: complex"):
        pt.logsumexp(pt.zvector())
    with pytest.raises(ValueError, match="axis"):
        softmax(pt.dmatrix(), axis=2)


def test_zero_dimensional():
    x = pt.dscalar("x")
    assert _run(softmax(x), x, 3.0) == 1.0
    assert _run(log_softmax(x), x, 3.0) == 0.0
    assert _run(pt.logsumexp(x), x, 3.0) == 3.0


@pytest.mark.parametrize(
    ("build", "cls"),
    [
        (lambda x: softmax(x, axis=1), Softmax),
        (lambda x: log_softmax(x, axis=0), LogSoftmax),
        (lambda x: pt.logsumexp(x, axis=1), LogSumExp),
        (lambda x: pt.logaddexp(x, x.T), LogAddExp),
    ],
)
def test_one_opfromgraph_node_that_merges(build, cls):
    x, y = pt.dmatrix("x", shape=(3, 3)), pt.dmatrix("y", shape=(3, 3))
    a, b, c = build(x), build(x), build(y)
    op = a.owner.op
    assert isinstance(op, cls) and isinstance(op, OpFromGraph)
    assert not op.is_inline
    assert op == b.owner.op == c.owner.op and hash(op) == hash(c.owner.op)
    assert op is not b.owner.op
    fn = function([x], [a, b])
    assert sum(isinstance(n.op, cls) for n in fn.maker.fgraph.apply_nodes) == 1
    fn(np.ones((3, 3)))


def test_parameters_distinguish_ops():
    x = pt.dmatrix("x")
    assert softmax(x, axis=0).owner.op != softmax(x, axis=1).owner.op
    assert pt.logsumexp(x, 0).owner.op != pt.logsumexp(x, 0, keepdims=True).owner.op
    assert softmax(x, axis=1).owner.op != softmax(pt.fmatrix(), axis=1).owner.op
    assert str(softmax(x, axis=1).owner.op) == "Softmax{axis=(1,)}"


def test_static_and_symbolic_shapes():
    x = pt.tensor("x", shape=(2, None))
    out = pt.logsumexp(x, axis=1, keepdims=True)
    assert out.type.shape == (2, 1)
    assert softmax(x, axis=1).type.shape == (2, None)
    shape = function([x], softmax(x, axis=1).shape)(np.zeros((2, 5)))
    np.testing.assert_array_equal(shape, [2, 5])


def _reference_grads(x, value, g):
    """Gradients of the naive formulas (fine for moderate values)."""
    e = pt.exp(x)
    naive = {
        "softmax": e / pt.sum(e, axis=1, keepdims=True),
        "log_softmax": x - pt.log(pt.sum(e, axis=1, keepdims=True)),
        "logsumexp": pt.log(pt.sum(e, axis=1)),
    }
    return {k: function([x], grad(pt.sum(v * g[k]), x), mode=PY)(value) for k, v in naive.items()}


def test_closed_form_pullback_matches_naive_gradient():
    x = pt.dmatrix("x")
    g = {
        "softmax": RNG.normal(size=(3, 4)),
        "log_softmax": RNG.normal(size=(3, 4)),
        "logsumexp": RNG.normal(size=3),
    }
    want = _reference_grads(x, X34, g)
    for name, out in (
        ("softmax", softmax(x, axis=1)),
        ("log_softmax", log_softmax(x, axis=1)),
        ("logsumexp", pt.logsumexp(x, axis=1)),
    ):
        got = function([x], grad(pt.sum(out * g[name]), x), mode=PY)(X34)
        np.testing.assert_allclose(got, want[name], rtol=1e-10, atol=1e-12)


def test_gradients_stay_finite_for_large_inputs():
    x = pt.dvector("x")
    value = np.array([1000.0, 0.0, -5.0])
    for out in (pt.logsumexp(x), softmax(x)[0], log_softmax(x)[1], pt.logaddexp(x, 999.0).sum()):
        result = function([x], grad(out, x), mode=PY)(value)
        assert np.all(np.isfinite(result)), (out, result)
    np.testing.assert_allclose(
        function([x], grad(pt.logsumexp(x), x), mode=PY)(value), sp.softmax(value), rtol=1e-12
    )


@pytest.mark.parametrize(
    "build",
    [
        lambda x: softmax(x, axis=0),
        lambda x: log_softmax(x),
        lambda x: pt.logsumexp(x, axis=(0, 1), keepdims=True),
        lambda x: pt.logaddexp(x, x[0] * 2.0),
    ],
)
def test_verify_grad_and_pushforward(build):
    verify_grad(build, [X34 / 3])
    verify_pushforward(build, [X34 / 3])


def test_pushforward_with_some_tangents_missing():
    x, y = pt.dvector("x"), pt.dvector("y")
    out = pytensor.tensor.logaddexp(x, y)
    jvp = pushforward(out, [x], [pt.ones_like(x)])
    result = function([x, y], jvp, mode=PY)(np.zeros(2), np.zeros(2))
    np.testing.assert_allclose(result, [0.5, 0.5])


def test_second_derivative():
    x = pt.dvector("x")
    hess_diag = function([x], grad(pt.sum(grad(pt.logsumexp(x), x) * [1.0, 0.0]), x), mode=PY)
    s = sp.softmax(np.array([0.3, -0.2]))
    np.testing.assert_allclose(hess_diag(np.array([0.3, -0.2])), [s[0] - s[0] ** 2, -s[0] * s[1]])
