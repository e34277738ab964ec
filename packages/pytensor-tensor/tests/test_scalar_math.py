"""Special-function scalar Ops (pytensor.scalar.math) against SciPy.

Each Op is evaluated on a grid of points, through its scalar ``impl``, a
compiled scalar graph and ``Elemwise`` on tensors, for float32, float64 and
integer inputs. Integer inputs are computed in the float that holds them
(int8/int16/uint8 -> float32, int32/int64 -> float64) and float32 stays
float32.
"""

from __future__ import annotations

import itertools
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
import scipy.special as sp

import pytensor.scalar as ps
import pytensor.scalar.math as psm
import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.compile.mode import Mode
from pytensor.graph.hashing import stable_token
from pytensor.tensor.elemwise import Elemwise

PY = Mode(linker="py", optimizer=None)

# Points per domain: (float values, integer values).
DOMAINS: dict[str, tuple[list[float], list[int]]] = {
    "real": ([-3.5, -1.25, -0.5, 0.0, 0.3, 1.0, 2.75, 6.0], [-3, -1, 0, 1, 2, 5]),
    "pos": ([0.1, 0.5, 1.0, 1.75, 3.0, 8.5], [1, 2, 3, 7]),
    "nonneg": ([0.0, 0.25, 1.0, 2.5, 6.0], [0, 1, 2, 6]),
    "nonint": ([-2.5, -0.75, 0.3, 1.5, 4.25, 9.0], [1, 2, 5, 9]),
    "unit_open": ([-0.95, -0.5, 0.0, 0.25, 0.75], [0]),
    "unit_closed": ([-1.0, -0.6, 0.0, 0.4, 1.0], [-1, 0, 1]),
    "prob": ([0.0, 0.05, 0.3, 0.5, 0.8, 1.0], [0, 1]),
    "two": ([0.0, 0.1, 0.7, 1.0, 1.6, 2.0], [0, 1, 2]),
    "order": ([0.0, 0.5, 1.0, 2.5], [0, 1, 3]),
    "neg": ([-40.0, -5.0, -0.7, -0.69, -0.1, -1e-8, 0.0], [-40, -5, -1, 0]),
    "wide": ([-60.0, -20.0, -1.0, 0.0, 1.0, 20.0, 60.0], [-60, -20, 0, 20, 60]),
    "small_z": ([-0.9, -0.3, 0.0, 0.4, 0.8], [0]),
}


def _log1mexp_ref(x: np.ndarray) -> np.ndarray:
    # Independent of the implementation's branch point: log(-expm1) is exact for x near 0
    # and log1p(-exp) for very negative x; in float64 both are fine on [-1, 0].
    return np.where(x < -1.0, np.log1p(-np.exp(x)), np.log(-np.expm1(x)))


@dataclass(frozen=True)
class Special:
    name: str
    ref: Callable[..., Any]
    domains: tuple[str, ...]
    rtol32: float = 1e-5


SPECIALS = [
    Special("erf", sp.erf, ("real",)),
    Special("erfc", sp.erfc, ("real",)),
    Special("erfcx", sp.erfcx, ("real",)),
    Special("erfinv", sp.erfinv, ("unit_closed",)),
    Special("erfcinv", sp.erfcinv, ("two",)),
    Special("owens_t", sp.owens_t, ("real", "real")),
    Special("gamma", sp.gamma, ("nonint",)),
    Special("gammaln", sp.gammaln, ("nonint",)),
    Special("psi", sp.psi, ("nonint",)),
    Special("tri_gamma", lambda x: sp.polygamma(1, x), ("pos",)),
    Special("chi2sf", lambda x, k: sp.chdtrc(k, x), ("nonneg", "pos")),
    Special("gammainc", sp.gammainc, ("pos", "nonneg")),
    Special("gammaincc", sp.gammaincc, ("pos", "nonneg")),
    Special("gammaincinv", sp.gammaincinv, ("pos", "prob"), rtol32=1e-4),
    Special("gammainccinv", sp.gammainccinv, ("pos", "prob"), rtol32=1e-4),
    Special("gammau", lambda k, x: sp.gammaincc(k, x) * sp.gamma(k), ("pos", "nonneg")),
    Special("gammal", lambda k, x: sp.gammainc(k, x) * sp.gamma(k), ("pos", "nonneg")),
    Special("j0", sp.j0, ("real",)),
    Special("j1", sp.j1, ("real",)),
    Special("jv", sp.jv, ("order", "real")),
    Special("i0", sp.i0, ("real",)),
    Special("i1", sp.i1, ("real",)),
    Special("iv", sp.iv, ("order", "real")),
    Special("ive", sp.ive, ("order", "real")),
    Special("kv", sp.kv, ("order", "pos")),
    Special("kve", sp.kve, ("order", "pos")),
    Special("sigmoid", sp.expit, ("wide",)),
    Special("softplus", lambda x: np.logaddexp(0.0, x), ("wide",)),
    Special("log1mexp", _log1mexp_ref, ("neg",)),
    Special("xlogx", lambda x: sp.xlogy(x, x), ("nonneg",)),
    Special("xlogy0", sp.xlogy, ("nonneg", "pos")),
    Special("betainc", sp.betainc, ("pos", "pos", "prob"), rtol32=1e-4),
    Special("betaincinv", sp.betaincinv, ("pos", "pos", "prob"), rtol32=1e-4),
    Special("hyp2f1", sp.hyp2f1, ("order", "order", "pos", "small_z"), rtol32=1e-4),
]
BY_NAME = {s.name: s for s in SPECIALS}

FLOAT_OF = {
    "int8": "float32",
    "int16": "float32",
    "uint8": "float32",
    "int32": "float64",
    "int64": "float64",
    "float32": "float32",
    "float64": "float64",
}


def grid(spec: Special, dtype: str) -> list[np.ndarray]:
    """Values of every input on a full grid (input k varies along axis k)."""
    pools = []
    for dom in spec.domains:
        floats, ints = DOMAINS[dom]
        pool = ints if np.dtype(dtype).kind in "iu" else floats
        if np.dtype(dtype).kind == "u":
            pool = [v for v in pool if v >= 0] or [0]
        pools.append(np.asarray(pool, dtype=dtype))
    combos = list(itertools.product(*pools))
    return [np.asarray([c[k] for c in combos], dtype=dtype) for k in range(len(pools))]


def reference(spec: Special, args: list[np.ndarray], out_dtype: str) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.asarray(spec.ref(*[a.astype("float64") for a in args]), dtype="float64").astype(
            out_dtype
        )


def assert_matches(result: np.ndarray, ref: np.ndarray, dtype: str, rtol32: float) -> None:
    if dtype == "float32":
        np.testing.assert_allclose(result, ref, rtol=rtol32, atol=1e-6, equal_nan=True)
    else:
        np.testing.assert_allclose(result, ref, rtol=1e-12, atol=1e-300, equal_nan=True)


def test_every_special_op_is_tested() -> None:
    ops = {n for n in psm.__all__ if isinstance(getattr(psm, n), ps.ScalarOp)}
    assert ops == set(BY_NAME) | {"polygamma"}


@pytest.mark.parametrize(
    "dtype", ["float64", "float32", "int8", "int16", "uint8", "int32", "int64"]
)
@pytest.mark.parametrize("spec", SPECIALS, ids=lambda s: s.name)
def test_elemwise_matches_scipy(spec: Special, dtype: str) -> None:
    args = grid(spec, dtype)
    out_dtype = FLOAT_OF[dtype]
    inputs = [pt.vector(f"x{k}", dtype=dtype) for k in range(len(args))]
    out = getattr(pt, spec.name)(*inputs)
    assert out.dtype == out_dtype
    result = function(inputs, out, mode=PY)(*args)
    assert result.dtype == out_dtype
    assert_matches(result, reference(spec, args, out_dtype), out_dtype, spec.rtol32)


@pytest.mark.parametrize("spec", SPECIALS, ids=lambda s: s.name)
def test_scalar_impl_and_scalar_graph_agree_with_elemwise(spec: Special) -> None:
    op = getattr(psm, spec.name)
    for dtype in ("float32", "float64", "int16"):
        args = grid(spec, dtype)
        out_dtype = FLOAT_OF[dtype]
        arrays = op.array_impl(*args)
        assert arrays.dtype == out_dtype
        svars = [ps.get_scalar_type(dtype)(f"s{k}") for k in range(len(args))]
        sout = op(*svars)
        assert sout.type.dtype == out_dtype
        fn = function(svars, sout, mode=PY)
        for k in range(0, len(args[0]), 3):
            point = [a[k] for a in args]
            value = op.impl(*point)
            assert np.asarray(value).dtype == out_dtype
            np.testing.assert_array_equal(value, arrays[k])
            np.testing.assert_array_equal(fn(*point), arrays[k])


@pytest.mark.parametrize("spec", SPECIALS, ids=lambda s: s.name)
def test_bool_inputs_follow_upgrade_to_float(spec: Special) -> None:
    dtype = ps.upgrade_to_float(ps.bool)[0].dtype
    args = [np.asarray([False, True, True]) for _ in spec.domains]
    inputs = [pt.vector(f"b{k}", dtype="bool") for k in range(len(args))]
    out = getattr(pt, spec.name)(*inputs)
    assert out.dtype == dtype
    result = function(inputs, out, mode=PY)(*args)
    np.testing.assert_allclose(result, reference(spec, args, dtype), rtol=1e-5, equal_nan=True)


@pytest.mark.parametrize("spec", SPECIALS, ids=lambda s: s.name)
def test_complex_inputs(spec: Special) -> None:
    """log1mexp and xlogx compute complex values; every other special function refuses them at build time."""
    z = pt.zvector("z")
    others = [pt.dvector(f"x{k}") for k in range(len(spec.domains) - 1)]
    if spec.name in ("log1mexp", "xlogx"):
        out = getattr(pt, spec.name)(z)
        assert out.dtype == "complex128"
        data = np.array([-0.5 + 0.25j, -3.0 - 1j, 2.0 + 0.5j])
        expected = np.log(-np.expm1(data)) if spec.name == "log1mexp" else data * np.log(data)
        np.testing.assert_allclose(function([z], out, mode=PY)(data), expected, rtol=1e-12)
        return
    with pytest.raises(TypeError, match=rf"(?i){spec.name}.*complex"):
        getattr(pt, spec.name)(*others, z)
    with pytest.raises(TypeError, match="complex"):
        getattr(psm, spec.name)(*[ps.float64() for _ in others], ps.complex128())


def test_polygamma_orders_and_types() -> None:
    n, x = pt.lvector("n"), pt.fvector("x")
    out = pt.polygamma(n, x)
    assert out.dtype == "float32", "the order does not take part in the output type"
    orders = np.array([0, 1, 2, 3, 4])
    xs = np.array([0.5, 1.0, 2.5, 3.0, 7.5], dtype="float32")
    result = function([n, x], out, mode=PY)(orders, xs)
    np.testing.assert_allclose(result, sp.polygamma(orders, xs.astype("float64")), rtol=1e-5)
    assert pt.polygamma(n, pt.bvector()).dtype == "float32"
    assert pt.polygamma(n, pt.ivector()).dtype == "float64"
    np.testing.assert_allclose(pt.polygamma(0, pt.as_tensor([2.0])).eval(), sp.psi([2.0]))
    with pytest.raises(TypeError, match="order n must be an integer"):
        pt.polygamma(pt.dvector(), x)
    with pytest.raises(TypeError, match="complex"):
        pt.polygamma(n, pt.zvector())


def test_float64_mixed_with_float32_is_computed_in_float64() -> None:
    x, y = pt.ivector("x"), pt.fvector("y")
    out = pt.xlogy0(x, y)
    assert out.dtype == "float64"
    xs, ys = np.array([1, 2, 3], dtype="int32"), np.array([0.3, 2.5, 7.1], dtype="float32")
    result = function([x, y], out, mode=PY)(xs, ys)
    np.testing.assert_allclose(result, xs * np.log(ys.astype("float64")), rtol=1e-14)


# -- numerically careful implementations ------------------------------------------------
def test_sigmoid_is_stable_at_extremes() -> None:
    for dtype in ("float32", "float64"):
        x = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0], dtype=dtype)
        with np.errstate(all="raise"):
            y = psm.sigmoid.array_impl(x)
        assert y.dtype == dtype
        assert y[0] == 0.0 and y[-1] == 1.0 and y[2] == 0.5
        np.testing.assert_allclose(y[1], np.exp(-50.0), rtol=1e-5)


def test_softplus_is_accurate_and_never_overflows() -> None:
    x = np.array([-800.0, -40.0, -1e-10, 0.0, 30.0, 40.0, 800.0])
    y = psm.softplus.array_impl(x)
    np.testing.assert_allclose(
        y[:2], np.exp(x[:2]), rtol=1e-14
    )  # log1p(e^x) ~ e^x, even below exp's range of 1
    np.testing.assert_allclose(y[2:4], [np.log(2.0) - 5e-11, np.log(2.0)], rtol=1e-14)
    np.testing.assert_allclose(y[4:], x[4:] + np.exp(-x[4:]), rtol=1e-15)
    assert np.isfinite(y).all()
    y32 = psm.softplus.array_impl(x.astype("float32"))
    assert y32.dtype == "float32" and np.isfinite(y32).all() and y32[-1] == np.float32(800.0)


def test_log1mexp_is_accurate_on_both_sides_of_the_branch_point() -> None:
    x = np.array([-1e-20, -1e-8, -np.log(2.0), -0.6931, -0.6932, -50.0, -800.0, 0.0, 1.0])
    y = psm.log1mexp.array_impl(x)
    np.testing.assert_allclose(y[0], np.log(1e-20), rtol=1e-14)  # naive log(1 - exp(x)) gives -inf
    np.testing.assert_allclose(y[1], np.log(1e-8) - 5e-9, rtol=1e-12)
    np.testing.assert_allclose(y[2], -np.log(2.0), rtol=1e-15)
    np.testing.assert_allclose(y[3:5], np.log(-np.expm1(x[3:5])), rtol=1e-13)
    np.testing.assert_allclose(y[5], -np.exp(-50.0), rtol=1e-14)  # naive gives 0
    assert y[6] == 0.0 and y[7] == -np.inf and np.isnan(y[8])
    y32 = psm.log1mexp.array_impl(np.array([-1e-7, -30.0], dtype="float32"))
    assert y32.dtype == "float32"
    np.testing.assert_allclose(y32, [np.log(1e-7), -np.exp(-30.0)], rtol=1e-5)


def test_xlogx_and_xlogy0_are_zero_where_x_is_zero() -> None:
    assert psm.xlogx.impl(0.0) == 0.0
    assert psm.xlogy0.impl(0.0, 0.0) == 0.0
    assert psm.xlogy0.impl(0.0, np.nan) == 0.0, "x == 0 gives 0 whatever y is"
    assert psm.xlogy0.impl(2.0, 0.0) == -np.inf
    assert np.isnan(psm.xlogx.impl(-1.0))


def test_gammau_gammal_are_not_regularized() -> None:
    k, x = np.array([0.5, 2.0, 4.0]), np.array([1.0, 1.0, 3.0])
    np.testing.assert_allclose(
        psm.gammal.array_impl(k, x) + psm.gammau.array_impl(k, x), sp.gamma(k), rtol=1e-14
    )


def test_no_floating_point_warnings_escape() -> None:
    x = pt.dvector("x")
    f = function([x], [pt.gammaln(x), pt.log1mexp(x), pt.xlogx(x), pt.erfinv(x)], mode=PY)
    with np.errstate(all="raise"):
        results = f(np.array([0.0, -1.0, 2.0, 5.0]))
    assert np.isinf(results[0][0]) and np.isnan(results[1][2]) and results[3][1] == -np.inf
    with np.errstate(all="raise"):
        assert psm.log1mexp.impl(np.float64(1.0)) != psm.log1mexp.impl(np.float64(1.0))  # NaN


# -- the Ops as values ---------------------------------------------------------------------
def test_ops_are_values_with_stable_tokens() -> None:
    assert psm.Erf(ps.upgrade_to_float_no_complex, name="erf") == psm.erf
    assert hash(psm.Erf(ps.upgrade_to_float_no_complex, name="erf")) == hash(psm.erf)
    assert psm.erf != psm.erfc
    assert psm.erf != psm.Erf(ps.upgrade_to_float, name="erf")
    assert stable_token(psm.erf) == stable_token(pickle.loads(pickle.dumps(psm.erf)))
    assert stable_token(psm.erf) != stable_token(psm.erfc)
    assert pickle.loads(pickle.dumps(psm.polygamma)) == psm.polygamma


def test_nfunc_spec_resolves_to_scipy() -> None:
    assert psm.erf.nfunc_spec == ("scipy.special.erf", 1, 1)
    assert psm.erf.ufunc is sp.erf
    assert psm.betainc.ufunc is sp.betainc and psm.betainc.nin == 3
    assert psm.hyp2f1.nin == 4 and psm.owens_t.nin == 2 and psm.sigmoid.nin == 1
    assert psm.softplus.nfunc_spec is None, "computed with NumPy, not SciPy"


def test_public_names() -> None:
    for name in (
        "Erf",
        "Erfc",
        "Erfcx",
        "Log1mexp",
        "Sigmoid",
        "Softplus",
        "Composite",
        "Exp",
        "Add",
        "Switch",
        "UnaryScalarOp",
        "upgrade_to_float_no_complex",
        "exp",
        "switch",
        "sign",
    ):
        assert hasattr(ps, name), name
    assert ps.math.Log1mexp is psm.Log1mexp
    assert ps.Sigmoid is psm.Sigmoid
    assert isinstance(psm.log1mexp, ps.Log1mexp)


def test_elemwise_of_special_ops_keeps_static_shapes() -> None:
    x = pt.tensor("x", dtype="float32", shape=(2, 1, None))
    y = pt.tensor("y", dtype="int8", shape=(3, None))
    out = pt.gammainc(x, y)
    assert isinstance(out.owner.op, Elemwise) and out.owner.op.scalar_op == psm.gammainc
    assert out.type.shape == (2, 3, None) and out.dtype == "float32"
    lengths = [pt.lscalar(f"n{k}") for k in range(5)]
    x_shape, y_shape = tuple(lengths[:3]), (pt.as_tensor(1, dtype="int64"), *lengths[3:])
    padded_y = out.owner.inputs[1]
    symbolic = out.owner.op.infer_shape(None, out.owner, [x_shape, y_shape])[0]
    assert padded_y.type.shape == (1, 3, None)
    entries = [pt.as_tensor(s, dtype="int64") for s in symbolic]
    shape_fn = function(lengths, entries, mode=PY, on_unused_input="ignore")
    xv, yv = np.ones((2, 1, 4), dtype="float32"), np.ones((3, 4), dtype="int8")
    value = function([x, y], out, mode=PY)(xv, yv)
    assert tuple(int(s) for s in shape_fn(2, 1, 4, 3, 4)) == value.shape == (2, 3, 4)
