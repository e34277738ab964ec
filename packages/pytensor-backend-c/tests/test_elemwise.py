"""Fused loops and reductions of the C backend against NumPy: values, dtypes, special values,
accuracy of the vectorized libm calls, layouts, multi-output Composites, ElemwiseReduce."""

from __future__ import annotations

import numpy as np
import pytest

import pytensor.scalar as ps
import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.compile.mode import Mode
from pytensor.link.c.linker import link_info
from pytensor.tensor._elemwise_reduce import ElemwiseReduce
from pytensor.tensor.elemwise import Elemwise
from pytensor.tensor.math import Max, Sum
from pytensor.tensor.type import TensorType

pytestmark = pytest.mark.c

C = Mode(linker="c", optimizer=None)
PY = Mode(linker="py", optimizer=None)


def ulp_distance(got: np.ndarray, want: np.ndarray) -> np.ndarray:
    """Distance in units in the last place of ``want`` (0 where both are the same inf/nan)."""
    got, want = np.asarray(got), np.asarray(want)
    same = (got == want) | (np.isnan(got) & np.isnan(want))
    with np.errstate(all="ignore"):
        dist = np.abs(got - want) / np.spacing(np.abs(want).astype(want.dtype))
    return np.where(same, 0, dist)


def _specials(dtype: str) -> np.ndarray:
    info = np.finfo(dtype)
    base = [0.0, -0.0, np.inf, -np.inf, np.nan, info.tiny, info.tiny / 8, -info.tiny / 8]
    base += [info.max, -info.max, info.eps, 1.0, -1.0, 700.0, -745.5, 88.0, -103.0]
    rng = np.random.default_rng(0)
    body = np.concatenate([rng.normal(scale=s, size=256) for s in (1e-8, 1.0, 30.0, 300.0)])
    return np.concatenate([np.array(base), body]).astype(dtype)


UNARY = ["exp", "log", "log1p", "expm1", "sin", "cos", "tanh", "exp2", "log2", "log10"]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("fname", UNARY)
def test_vectorized_libm_is_within_4_ulp_of_numpy(fname, dtype):
    x = TensorType(dtype, (None,))("x")
    f = function([x], getattr(pt, fname)(x), mode=C)
    if link_info(f.vm).fallback_nodes:
        pytest.fail(f"{fname} has no C implementation yet")
    values = _specials(dtype)
    with np.errstate(all="ignore"):
        want = getattr(np, fname)(values)
    got = f(values)
    assert got.dtype == want.dtype
    dist = ulp_distance(got, want)
    assert np.isnan(got).tolist() == np.isnan(want).tolist()
    assert dist.max() <= 4, values[np.argmax(dist)]


def test_elementwise_chain_matches_numpy_on_special_values():
    x, mu, s, c = pt.dvector("x"), pt.dscalar("mu"), pt.dscalar("s"), pt.dscalar("c")
    out = pt.exp(-((x - mu) ** 2) / (2 * s**2)) * c + pt.log1p(pt.abs(x))
    f = function([x, mu, s, c], out, mode=Mode(linker="c", optimizer="fast_run"))
    values = _specials("float64")
    with np.errstate(all="ignore"):
        want = np.exp(-((values - 0.3) ** 2) / (2 * 1.7**2)) * 2.5 + np.log1p(np.abs(values))
    got = f(values, 0.3, 1.7, 2.5)
    assert ulp_distance(got, want).max() <= 8


@pytest.mark.parametrize(
    "dtype", ["float64", "float32", "int64", "int32", "int8", "uint8", "uint64", "bool"]
)
def test_reductions_match_perform(dtype):
    """Every reducer, axis and keepdims of one dtype in one graph (one compilation)."""
    x = TensorType(dtype, (None, None, None))("x")
    outs = [
        getattr(pt, reducer)(x, axis=axis, keepdims=keepdims)
        for reducer in ("sum", "prod", "max", "min", "all", "any")
        for axis in (None, 0, 1, (0, 2), -1)
        for keepdims in (False, True)
    ]
    f_c, f_py = function([x], outs, mode=C), function([x], outs, mode=PY)
    rng = np.random.default_rng(1)
    value = rng.integers(-3, 4, size=(3, 4, 5)).astype(dtype)
    if dtype.startswith("float"):
        value = value * 0.7
        value[1, 2, 3] = np.nan
    assert not link_info(f_c.vm).fallback_nodes
    for k, (got, want) in enumerate(zip(f_c(value), f_py(value), strict=True)):
        assert got.dtype == want.dtype and got.shape == want.shape, outs[k]
        np.testing.assert_allclose(
            got, want, rtol=1e-6 if dtype == "float32" else 1e-13, err_msg=str(outs[k])
        )


@pytest.mark.parametrize("reducer", ["max", "min"])
def test_empty_reduction_without_identity_raises_like_perform(reducer):
    x = pt.dmatrix("x")
    out = getattr(pt, reducer)(x, axis=0)
    value = np.zeros((0, 3))
    with pytest.raises(ValueError) as e_py:
        function([x], out, mode=PY)(value)
    with pytest.raises(ValueError) as e_c:
        function([x], out, mode=C)(value)
    assert str(e_c.value) == str(e_py.value)
    np.testing.assert_array_equal(function([x], pt.sum(x, axis=0), mode=C)(value), [0, 0, 0])
    assert function([x], getattr(pt, reducer)(x, axis=1), mode=C)(value).shape == (0,)


def test_multi_output_composite_runs_in_one_loop():
    a, b = ps.float64("a"), ps.float64("b")
    comp = ps.Composite([a, b], [ps.exp(a) + b, a * b, ps.exp(a)])
    x, y = pt.dmatrix("x"), pt.dvector("y")
    outs = Elemwise(comp)(x, y.dimshuffle("x", 0))
    f = function([x, y], outs, mode=C)
    xv, yv = np.arange(6.0).reshape(2, 3) / 3, np.array([1.0, 2.0, 3.0])
    r = f(xv, yv)
    want = [np.exp(xv) + yv, xv * yv, np.exp(xv)]
    for got, w in zip(r, want, strict=True):
        np.testing.assert_allclose(got, w, rtol=1e-15)
    elem_nodes = [n for n in f.maker.fgraph.apply_nodes if isinstance(n.op, Elemwise)]
    assert len(elem_nodes) == 1 and not link_info(f.vm).fallback_nodes


@pytest.mark.parametrize("axis", [None, (0,), (1,), (0, 1)])
def test_elemwise_reduce_reduces_while_computing(axis):
    x, y = pt.dmatrix("x"), pt.dmatrix("y")
    a, b = ps.float64("a"), ps.float64("b")
    inner = Elemwise(ps.Composite([a, b], [ps.exp(a) * b]))
    op = ElemwiseReduce(inner, Sum(axis=axis))
    op_max = ElemwiseReduce(inner, Max(axis=axis))
    f = function([x, y], [op(x, y), op_max(x, y)], mode=C)
    rng = np.random.default_rng(3)
    xv, yv = rng.normal(size=(4, 5)), rng.normal(size=(4, 5))
    got = f(xv, yv)
    ax = None if axis is None else axis
    np.testing.assert_allclose(got[0], (np.exp(xv) * yv).sum(axis=ax), rtol=1e-13)
    np.testing.assert_allclose(got[1], (np.exp(xv) * yv).max(axis=ax), rtol=1e-15)
    assert not link_info(f.vm).fallback_nodes


def test_elemwise_reduce_runtime_broadcast_check():
    x, y = pt.dmatrix("x"), pt.dmatrix("y")
    op = ElemwiseReduce(pt.add(x, y).owner.op, Sum(axis=(0,)))
    f_c, f_py = function([x, y], op(x, y), mode=C), function([x, y], op(x, y), mode=PY)
    a, b = np.ones((2, 3)), np.ones((1, 3))
    with pytest.raises(ValueError) as e_c:
        f_c(a, b)
    with pytest.raises(ValueError) as e_py:
        f_py(a, b)
    assert str(e_c.value) == str(e_py.value)


@pytest.mark.parametrize("layout", ["transposed", "strided", "broadcast-row", "3d-mixed"])
def test_layouts(layout):
    rng = np.random.default_rng(4)
    if layout == "transposed":
        x, y = pt.dmatrix("x"), pt.dmatrix("y")
        xv, yv = rng.normal(size=(5, 4)).T, rng.normal(size=(4, 5))
    elif layout == "strided":
        x, y = pt.dmatrix("x"), pt.dmatrix("y")
        xv, yv = rng.normal(size=(8, 10))[::2, 1::2], rng.normal(size=(4, 5))
    elif layout == "broadcast-row":
        x, y = pt.tensor("x", shape=(1, None)), pt.dmatrix("y")
        xv, yv = rng.normal(size=(1, 5)), rng.normal(size=(4, 5))
    else:
        x, y = pt.tensor("x", shape=(None, 1, None)), pt.tensor("y", shape=(None, None, None))
        xv, yv = rng.normal(size=(3, 1, 4)), rng.normal(size=(3, 5, 4)).transpose(0, 1, 2)
    outs = [pt.exp(x) * y, pt.sum(pt.exp(x) * y, axis=0), pt.max(x + y, axis=-1)]
    f = function([x, y], outs, mode=Mode(linker="c", optimizer="fast_run"))
    got = f(xv, yv)
    np.testing.assert_allclose(got[0], np.exp(xv) * yv, rtol=1e-14)
    np.testing.assert_allclose(got[1], (np.exp(xv) * yv).sum(axis=0), rtol=1e-13)
    np.testing.assert_allclose(got[2], (xv + yv).max(axis=-1), rtol=1e-15)


def test_integer_overflow_wraps_like_numpy():
    x = TensorType("int64", (None,))("x")
    f = function([x], [x + x, pt.sum(x)], mode=C)
    big = np.array([2**62, 2**62], dtype="int64")
    with np.errstate(over="ignore"):
        want0, want1 = big + big, big.sum()
    got = f(big)
    np.testing.assert_array_equal(got[0], want0)
    assert got[1] == want1


def _random_view(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """An array of ``shape`` with a random layout: C, Fortran, reversed or strided."""
    kind = rng.integers(4)
    if kind == 0:
        return rng.normal(size=shape)
    if kind == 1:
        return np.asfortranarray(rng.normal(size=shape))
    if kind == 2:
        return rng.normal(size=shape)[tuple(slice(None, None, -1) for _ in shape)]
    big = rng.normal(size=tuple(2 * s + 1 for s in shape))
    return big[tuple(slice(1, None, 2) for _ in shape)]


def test_random_layouts_and_shapes_match_the_python_backend():
    x, y = pt.tensor("x", shape=(None, None, None)), pt.tensor("y", shape=(None, None, None))
    z = pt.tensor("z", shape=(1, None, 1))
    outs = [
        pt.exp(x) * y - z,
        pt.sum(x * y, axis=(0, 2)),
        pt.max(x - z, axis=1, keepdims=True),
        pt.prod(y + 1.0, axis=None),
        pt.log1p(pt.abs(x)).sum(axis=-1),
    ]
    f_c = function([x, y, z], outs, mode=Mode(linker="c", optimizer="fast_run"))
    f_py = function([x, y, z], outs, mode=PY)
    rng = np.random.default_rng(7)
    for _ in range(40):
        shape = tuple(int(s) for s in rng.integers(0, 5, size=3))
        xv, yv = _random_view(rng, shape), _random_view(rng, shape)
        zv = _random_view(rng, (1, shape[1], 1))
        try:
            want = f_py(xv, yv, zv)
        except ValueError as exc:  # empty max: both must raise the same
            with pytest.raises(ValueError) as info:
                f_c(xv, yv, zv)
            assert str(info.value) == str(exc)
            continue
        for got, w in zip(f_c(xv, yv, zv), want, strict=True):
            assert got.shape == w.shape and got.dtype == w.dtype
            np.testing.assert_allclose(got, w, rtol=1e-12, atol=1e-300)


def test_fused_exp_log1p_loop_calls_the_vector_math_library():
    from pytensor.link.c import build, cache

    if not build.toolchain().libmvec:
        pytest.skip("no libmvec on this platform: loops call scalar libm")
    x = pt.dvector("x")
    f = function([x], pt.exp(-x * x) + pt.log1p(pt.abs(x)), mode=Mode("c", "fast_run"))
    info = link_info(f.vm)
    lib = next((cache.cache_dir() / info.key).glob("*.so"))
    data = lib.read_bytes()
    assert b"_ZGV" in data and b"v_exp" in data and b"v_log1p" in data


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_fused_multiply_add_rounds_like_numpy(dtype):
    """x * y + z in one fused loop rounds the product, as NumPy does (no FMA contraction)."""
    x, y, z = (TensorType(dtype, (None,))(n) for n in "xyz")
    f = function([x, y, z], [x * y + z, z - x * y], mode=Mode(linker="c", optimizer="fast_run"))
    assert any(isinstance(n.op, Elemwise) for n in f.maker.fgraph.apply_nodes)
    eps = float(np.finfo(dtype).eps)
    # (1 + eps)(1 - eps/2) = 1 + eps/2 - eps**2/2 rounds to 1, so NumPy gives exactly 0;
    # an FMA gives eps/2 - eps**2/2.
    xv = np.full(64, 1 + eps, dtype)
    yv = np.full(64, 1 - eps / 2, dtype)
    zv = np.full(64, -1.0, dtype)
    xv[::2] = np.linspace(0.1, 3.0, 32, dtype=dtype)
    got = f(xv, yv, zv)
    want = [xv * yv + zv, zv - xv * yv]
    for g, w in zip(got, want, strict=True):
        np.testing.assert_array_equal(g, w)


POW_ERROR = "Integers to negative integer powers are not allowed."


@pytest.mark.parametrize("mode", [C, Mode(linker="c", optimizer="fast_run")], ids=["raw", "fused"])
@pytest.mark.parametrize("size", [7, 40_000])  # the long loop runs without the GIL
def test_integer_pow_with_runtime_exponent(mode, size):
    """Runs in C and raises NumPy's ValueError for a negative exponent, after which the
    function still works (the error flag is cleared)."""
    x, y = pt.lvector("x"), pt.bvector("y")
    f = function([x, y], [x**y, (x**y + 1).sum()], mode=mode)
    assert not link_info(f.vm).fallback_nodes
    rng = np.random.default_rng(0)
    xv, yv = rng.integers(-5, 6, size), rng.integers(0, 9, size).astype("int8")
    got = f(xv, yv)
    np.testing.assert_array_equal(got[0], xv**yv)
    assert got[1] == (xv**yv + 1).sum()
    bad = yv.copy()
    bad[size // 2] = -1
    with pytest.raises(ValueError, match=POW_ERROR):
        f(xv, bad)
    np.testing.assert_array_equal(f(xv, yv)[0], xv**yv)
    g = function([x, y], (x**y).sum(), mode=mode)  # an ElemwiseReduce when fused
    assert g(xv, yv) == (xv**yv).sum()
    with pytest.raises(ValueError, match=POW_ERROR):
        g(xv, bad)


def test_scalar_integer_pow_with_runtime_exponent():
    a, b = ps.int32("a"), ps.int32("b")
    f = function([a, b], a**b, mode=C)
    assert not link_info(f.vm).fallback_nodes
    assert f(np.int32(3), np.int32(4)) == 81
    with pytest.raises(ValueError, match=POW_ERROR):
        f(np.int32(3), np.int32(-4))
    assert f(np.int32(-2), np.int32(3)) == -8
