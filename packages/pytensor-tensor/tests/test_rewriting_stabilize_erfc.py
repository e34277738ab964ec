"""erfc/erfcx stabilize rewrites: products of exp(±x**2) and erfc(x), and the normal logcdf.

Each case compiles the expression without rewrites (``Mode(linker="py", optimizer=None)``),
where it overflows or underflows to inf/nan/0, and in the default mode, where it must match
SciPy; the rewritten graph (fusion excluded) must hold Erfcx and no longer the unstable Ops.
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
from pytensor.gradient import grad
from pytensor.tensor.elemwise import Elemwise

PY = Mode(linker="py", optimizer=None)
INSPECT = get_mode("FAST_RUN").excluding("fusion")
SQRT2 = float(np.sqrt(2.0))
TWO_OVER_SQRT_PI = float(2.0 / np.sqrt(np.pi))


def _log_ndtr_grad(v):
    """d/dx log_ndtr(x) = exp(-x**2/2) / sqrt(2 pi) / ndtr(x), in log space."""
    return np.exp(-(v**2) / 2 - sp.log_ndtr(v)) / np.sqrt(2 * np.pi)


# name: (build(x), x values, reference, Ops that must be gone after rewriting)
CASES = {
    "exp_pow_times_erfc": (
        lambda x: pt.exp(x**2) * pt.erfc(x),
        [30.0, 100.0, 0.5, -3.0],
        sp.erfcx,
        {psm.Erfc, ps.Exp},
    ),
    "erfc_times_exp_mul": (
        lambda x: pt.erfc(x) * pt.exp(x * x),
        [30.0, 100.0, 0.5, -3.0],
        sp.erfcx,
        {psm.Erfc, ps.Exp},
    ),
    "exp_sqr_times_erfc_scaled": (
        lambda x: 3.0 * pt.exp(pt.sqr(x)) * pt.erfc(x),
        [30.0, 100.0, 0.5],
        lambda v: 3.0 * sp.erfcx(v),
        {psm.Erfc, ps.Exp},
    ),
    "exp_neg_sqr_over_erfc": (
        lambda x: pt.exp(-(x**2)) / pt.erfc(x),
        [30.0, 100.0, 0.5, -3.0],
        lambda v: 1.0 / sp.erfcx(v),
        {psm.Erfc, ps.Exp},
    ),
    "grad_log_erfc_form": (
        lambda x: -TWO_OVER_SQRT_PI * pt.exp(-x * x) / pt.erfc(x),
        [30.0, 100.0, 0.5, -3.0],
        lambda v: -TWO_OVER_SQRT_PI / sp.erfcx(v),
        {psm.Erfc, ps.Exp},
    ),
    "erfc_over_exp_neg_sqr": (
        lambda x: pt.erfc(x) / pt.exp(-pt.sqr(x)),
        [30.0, 100.0, 0.5],
        sp.erfcx,
        {psm.Erfc, ps.Exp},
    ),
    "normal_logcdf": (
        lambda x: pt.log(0.5 * pt.erfc(-x / SQRT2)),
        [-40.0, -10.0, 0.0, 3.0],
        sp.log_ndtr,
        {psm.Erfc},
    ),
    "normal_logcdf_div": (
        lambda x: pt.log(pt.erfc(-x / SQRT2) / 2),
        [-40.0, -10.0, 0.0, 3.0],
        sp.log_ndtr,
        {psm.Erfc},
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
    build, values, reference, gone = CASES[name]
    x = pt.vector("x")
    out = build(x)
    value = np.asarray(values, dtype="float64")
    ref = reference(value)

    with np.errstate(all="ignore"):
        naive = function([x], out, mode=PY)(value)
    assert _inaccurate(naive, ref), f"{name}: the unrewritten graph was already accurate: {naive}"

    np.testing.assert_allclose(function([x], out)(value), ref, rtol=1e-12, atol=0)

    ops = _scalar_op_types(function([x], out, mode=INSPECT))
    assert psm.Erfcx in ops
    assert not ops & gone


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_rewrites_keep_the_output_type(name, dtype):
    build, values, reference, _ = CASES[name]
    x = pt.vector("x", dtype=dtype, shape=(len(values),))
    out = build(x)
    f = function([x], out)
    assert f.maker.fgraph.outputs[0].type == out.type
    value = np.asarray(values, dtype=dtype)
    result = f(value)
    assert result.dtype == out.type.dtype
    np.testing.assert_allclose(result, reference(value.astype("float64")), rtol=1e-5)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_gradient_of_log_erfc(dtype):
    x = pt.vector("x", dtype=dtype)
    g = grad(pt.log(pt.erfc(x)).sum(), x)
    value = np.array([-3.0, 0.0, 3.0, 30.0, 100.0], dtype=dtype)
    ref = -TWO_OVER_SQRT_PI / sp.erfcx(value.astype("float64"))

    with np.errstate(all="ignore"):
        naive = function([x], g, mode=PY)(value)
    assert np.isnan(naive[-1]) or np.isinf(naive[-1])

    f = function([x], g)
    assert f.maker.fgraph.outputs[0].type == g.type
    result = f(value)
    assert result.dtype == dtype
    np.testing.assert_allclose(result, ref, rtol=1e-12 if dtype == "float64" else 1e-5)
    ops = _scalar_op_types(function([x], g, mode=INSPECT))
    assert psm.Erfcx in ops
    assert not ops & {psm.Erfc, ps.Exp}


def test_normal_logcdf_and_its_gradient_at_minus_40():
    x = pt.scalar("x")
    logcdf = pt.log(0.5 * pt.erfc(-x / np.sqrt(2)))
    dlogcdf = grad(logcdf, x)
    value = np.float64(-40.0)

    with np.errstate(all="ignore"):
        naive_value, naive_grad = function([x], [logcdf, dlogcdf], mode=PY)(value)
    assert np.isneginf(naive_value)
    assert not np.isfinite(naive_grad)

    got_value, got_grad = function([x], [logcdf, dlogcdf])(value)
    np.testing.assert_allclose(got_value, sp.log_ndtr(value), rtol=1e-12)
    assert np.isfinite(got_grad)
    np.testing.assert_allclose(got_grad, _log_ndtr_grad(value), rtol=1e-12)

    values = np.array([-40.0, -5.0, 0.0, 2.0, 8.0])
    v = pt.vector("v")
    lc = pt.log(0.5 * pt.erfc(-v / np.sqrt(2)))
    fv = function([v], [lc, grad(lc.sum(), v)])
    got_value, got_grad = fv(values)
    np.testing.assert_allclose(got_value, sp.log_ndtr(values), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(got_grad, _log_ndtr_grad(values), rtol=1e-12, atol=1e-300)


def test_float32_normal_logcdf_gradient_stays_float32():
    x = pt.vector("x", dtype="float32")
    lc = pt.log(pt.constant(np.float32(0.5)) * pt.erfc(-x / pt.constant(np.float32(SQRT2))))
    g = grad(lc.sum(), x)
    f = function([x], [lc, g])
    value = np.array([-12.0, -1.0, 2.0], dtype="float32")
    got_value, got_grad = f(value)
    assert got_value.dtype == got_grad.dtype == np.float32
    np.testing.assert_allclose(got_value, sp.log_ndtr(value.astype("float64")), rtol=1e-5)
    np.testing.assert_allclose(got_grad, _log_ndtr_grad(value.astype("float64")), rtol=1e-5)


@pytest.mark.parametrize(
    "build",
    [
        lambda x, y: pt.exp(x**2) * pt.erfc(y),  # different arguments
        lambda x, y: pt.exp(-(x**2)) * pt.erfc(x),  # wrong sign of the exponent
        lambda x, y: pt.exp(x**2) / pt.erfc(x),  # erfc in the denominator needs exp(-x**2)
        lambda x, y: pt.exp(2 * x**2) * pt.erfc(x),  # a different scale
        lambda x, y: pt.log(-0.5 * pt.erfc(x)),  # log of a negative multiple
        lambda x, y: pt.log(y * pt.erfc(x)),  # not a constant multiple
    ],
)
def test_non_matching_forms_are_left_alone(build):
    x, y = pt.vector("x"), pt.vector("y")
    out = build(x, y)
    ops = _scalar_op_types(function([x, y], out, mode=INSPECT, on_unused_input="ignore"))
    assert psm.Erfcx not in ops or psm.Erfc in ops
    assert psm.Erfc in ops or psm.Erf in ops
    value = np.array([0.3, 1.2, -0.7])
    other = np.array([0.5, 2.0, 1.5])
    with np.errstate(all="ignore"):
        ref = function([x, y], out, mode=PY, on_unused_input="ignore")(value, other)
        got = function([x, y], out, on_unused_input="ignore")(value, other)
    np.testing.assert_allclose(got, ref, rtol=1e-12)


def test_non_matching_exponent_keeps_exp():
    x = pt.vector("x")
    for out in (pt.exp(-(x**2)) * pt.erfc(x), pt.exp(2 * x**2) * pt.erfc(x)):
        ops = _scalar_op_types(function([x], out, mode=INSPECT))
        assert psm.Erfcx not in ops
        assert {ps.Exp, psm.Erfc} <= ops


def test_shape_error_of_other_factors_still_raises():
    x, y = pt.vector("x"), pt.vector("y")
    out = 2.0 * pt.exp(x**2) * pt.erfc(x) * y
    f = function([x, y], out)
    assert psm.Erfcx in _scalar_op_types(function([x, y], out, mode=INSPECT))
    np.testing.assert_allclose(
        f(np.array([30.0, 1.0]), np.array([1.0, 2.0])), 2 * sp.erfcx([30.0, 1.0]) * [1, 2]
    )
    with pytest.raises(ValueError):
        f(np.array([30.0, 1.0]), np.array([1.0, 2.0, 3.0]))


def test_broadcast_constant_keeps_the_rank():
    x = pt.vector("x")
    out = pt.constant(np.ones((1, 1))) * pt.exp(x**2) * pt.erfc(x)
    f = function([x], out)
    assert f.maker.fgraph.outputs[0].type == out.type
    np.testing.assert_allclose(f(np.array([30.0, 0.5])), sp.erfcx([[30.0, 0.5]]), rtol=1e-12)
