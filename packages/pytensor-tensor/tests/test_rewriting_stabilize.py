"""Stabilize rewrites: the unrewritten graph overflows or loses precision, the rewritten one does not.

Each case compiles the same expression without rewrites (``Mode(linker="py", optimizer=None)``)
and in the default mode, and compares both with a closed-form reference computed by NumPy/SciPy
in a form that is accurate at the chosen inputs. The rewritten graph (fusion excluded, so the
scalar Ops stay visible) must contain the stable Op and not the unstable one.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special as sp

import pytensor.scalar as ps
import pytensor.scalar.math as psm
import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.compile.mode import Mode, get_mode
from pytensor.tensor._softmax import LogSoftmax, Softmax
from pytensor.tensor.elemwise import Elemwise
from pytensor.tensor.special import softmax

PY = Mode(linker="py", optimizer=None)
INSPECT = get_mode("FAST_RUN").excluding("fusion")


def _log1mexp(x):
    return np.where(x > -np.log(2), np.log(-np.expm1(x)), np.log1p(-np.exp(x)))


def _log_erfc(x):
    with np.errstate(all="ignore"):
        return np.where(x < 0, np.log(sp.erfc(x)), np.log(sp.erfcx(x)) - x**2)


# name: (build(x), x values, reference, stable op in the rewritten graph, unstable op gone)
CASES = {
    "log1p": (lambda x: pt.log(1 + x), [1e-20, 1e-10, 0.5, 3.0], np.log1p, ps.Log1p, ps.Log),
    "log1p_x_plus_1": (lambda x: pt.log(x + 1), [1e-20, 2.0], np.log1p, ps.Log1p, ps.Log),
    "log1p_neg": (lambda x: pt.log(1 - x), [1e-20, 0.5], lambda v: np.log1p(-v), ps.Log1p, ps.Log),
    "expm1": (lambda x: pt.exp(x) - 1, [1e-20, -1e-17, 0.5], np.expm1, ps.Expm1, ps.Exp),
    "neg_expm1": (lambda x: 1 - pt.exp(x), [1e-20, 0.5], lambda v: -np.expm1(v), ps.Expm1, ps.Exp),
    "log_sigmoid": (
        lambda x: pt.log(pt.sigmoid(x)),
        [-800.0, -40.0, 0.0, 3.0],
        sp.log_expit,
        psm.Softplus,
        psm.Sigmoid,
    ),
    "log_1m_sigmoid": (
        lambda x: pt.log(1 - pt.sigmoid(x)),
        [40.0, 800.0, 0.0, -3.0],
        lambda v: sp.log_expit(-v),
        psm.Softplus,
        psm.Sigmoid,
    ),
    "one_minus_sigmoid": (
        lambda x: 1 - pt.sigmoid(x),
        [40.0, 100.0, 0.0, -3.0],
        lambda v: sp.expit(-v),
        psm.Sigmoid,
        ps.Sub,
    ),
    "softplus": (
        lambda x: pt.log(1 + pt.exp(x)),
        [1000.0, -50.0, 0.0, 3.0],
        lambda v: np.logaddexp(0, v),
        psm.Softplus,
        ps.Exp,
    ),
    "log1mexp": (
        lambda x: pt.log(1 - pt.exp(x)),
        [-1e-20, -1e-10, -0.5, -50.0],
        _log1mexp,
        psm.Log1mexp,
        ps.Exp,
    ),
    "log_erfc": (
        lambda x: pt.log(pt.erfc(x)),
        [30.0, 100.0, 3.0, 0.0, -2.0, -30.0],
        _log_erfc,
        psm.Erfcx,
        psm.Erfc,
    ),
    "one_minus_erf": (lambda x: 1 - pt.erf(x), [10.0, 0.5, -3.0], sp.erfc, psm.Erfc, psm.Erf),
    "one_plus_erf": (
        lambda x: 1 + pt.erf(x),
        [-10.0, 0.5, 3.0],
        lambda v: sp.erfc(-v),
        psm.Erfc,
        psm.Erf,
    ),
    "erf_minus_one": (
        lambda x: pt.erf(x) - 1,
        [10.0, 0.5, -3.0],
        lambda v: -sp.erfc(v),
        psm.Erfc,
        ps.Sub,
    ),
    "one_minus_erfc": (
        lambda x: 1 - pt.erfc(x),
        [1e-20, 0.5, -3.0],
        sp.erf,
        psm.Erf,
        psm.Erfc,
    ),
    "log_one_minus_erf": (
        lambda x: pt.log(1 - pt.erf(x)),
        [30.0, 7.0, 0.5, -3.0],
        _log_erfc,
        psm.Erfcx,
        psm.Erfc,
    ),
}


def _scalar_op_types(f):
    return {type(n.op.scalar_op) for n in f.maker.fgraph.apply_nodes if isinstance(n.op, Elemwise)}


def _inaccurate(got, ref):
    with np.errstate(all="ignore"):
        bad = ~np.isclose(got, ref, rtol=1e-6, atol=0.0) | ~np.isfinite(got)
    return bool(np.any(bad & np.isfinite(ref)))


@pytest.mark.parametrize("name", list(CASES))
def test_unstable_graph_fails_rewritten_graph_matches(name):
    build, values, reference, stable, unstable = CASES[name]
    x = pt.vector("x")
    out = build(x)
    value = np.asarray(values, dtype="float64")
    with np.errstate(all="ignore"):
        ref = reference(value)

    naive = function([x], out, mode=PY)(value)
    assert _inaccurate(naive, ref), f"{name}: the unrewritten graph was already accurate: {naive}"

    fast = function([x], out)(value)
    np.testing.assert_allclose(fast, ref, rtol=1e-12, atol=0)

    ops = _scalar_op_types(function([x], out, mode=INSPECT))
    assert stable in ops
    assert unstable not in ops


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_rewrites_keep_the_output_type(name, dtype):
    build, values, _, _, _ = CASES[name]
    x = pt.vector("x", dtype=dtype, shape=(len(values),))
    out = build(x)
    f = function([x], out)
    assert f.maker.fgraph.outputs[0].type == out.type
    value = np.asarray(values, dtype=dtype)
    result = f(value)
    assert result.dtype == out.type.dtype
    assert result.shape == value.shape


def test_log_softmax():
    x = pt.matrix("x")
    out = pt.log(softmax(x, axis=1))
    value = np.array([[0.0, -1000.0, 3.0], [2.0, 1.0, 0.0]])
    ref = sp.log_softmax(value, axis=1)
    naive = function([x], out, mode=PY)(value)
    assert np.isneginf(naive[0, 1])
    f = function([x], out)
    np.testing.assert_allclose(f(value), ref, rtol=1e-12)
    ops = [type(n.op) for n in f.maker.fgraph.apply_nodes]
    assert LogSoftmax in ops
    assert Softmax not in ops


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", [None, 0, 1])
def test_log_sum_exp_subtracts_the_max(axis, keepdims):
    x = pt.matrix("x")
    out = pt.log(pt.sum(pt.exp(x), axis=axis, keepdims=keepdims))
    value = np.array([[1000.0, 1000.0, -5.0], [-np.inf, -1000.0, 2.0]])
    ref = sp.logsumexp(value, axis=axis, keepdims=keepdims)
    naive = function([x], out, mode=PY)(value)
    assert np.any(np.isinf(naive))
    f = function([x], out)
    np.testing.assert_allclose(f(value), ref, rtol=1e-12)
    assert f.maker.fgraph.outputs[0].type == out.type
    ops = {type(n.op).__name__ for n in function([x], out, mode=INSPECT).maker.fgraph.apply_nodes}
    assert "Max" in ops


def test_log_sum_exp_of_all_minus_inf_lane():
    x = pt.matrix("x")
    out = pt.log(pt.sum(pt.exp(x), axis=1))
    value = np.array([[-np.inf, -np.inf], [0.0, 0.0]])
    np.testing.assert_allclose(function([x], out)(value), [-np.inf, np.log(2.0)])


def test_log1p_of_several_terms_and_broadcast_constant():
    x, y = pt.matrix("x"), pt.vector("y")
    out = pt.log(1 + x + y)
    vx, vy = np.full((2, 3), 1e-20), np.full(3, 1e-20)
    f = function([x, y], out)
    np.testing.assert_allclose(f(vx, vy), np.log1p(vx + vy), rtol=1e-12)
    assert ps.Log1p in _scalar_op_types(function([x, y], out, mode=INSPECT))


def test_log1p_keeps_shape_errors():
    x, y = pt.vector("x"), pt.vector("y")
    f = function([x, y], pt.log(1 + x + y))
    with pytest.raises(ValueError):
        f(np.zeros(3), np.zeros(4))


def test_constant_with_runtime_shape_is_not_dropped():
    # A constant of length 3 takes part in the shape check, so log(c + x) is left alone.
    x = pt.vector("x")
    c = pt.constant(np.zeros(3))
    out = pt.log(pt.add(1, c, x))
    f = function([x], out)
    with pytest.raises(ValueError):
        f(np.zeros(4))
    value = np.array([0.5, 1.0, 2.0])
    np.testing.assert_allclose(f(value), np.log1p(value), rtol=1e-12)


def test_integer_input_is_not_rewritten_to_a_different_type():
    x = pt.vector("x", dtype="int64")
    out = pt.log(1 + x)
    f = function([x], out)
    assert f.maker.fgraph.outputs[0].type == out.type
    np.testing.assert_allclose(f(np.array([0, 1, 5])), np.log1p([0, 1, 5]))
