"""pytensor.tensor.math: elementwise helpers, reductions, statistics, argmax and products,
against NumPy/SciPy, with their output dtypes, static shapes and bad-input errors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest
import scipy.special as sp

import pytensor.scalar as ps
import pytensor.scalar.math as psm
import pytensor.tensor as pt
import pytensor.tensor.math as ptm
from pytensor.compile.function import function
from pytensor.compile.mode import Mode
from pytensor.graph.basic import Variable
from pytensor.tensor.elemwise import Elemwise
from pytensor.tensor.math import Argmax, Dot, Matmul

PY = Mode(linker="py", optimizer=None)
RNG = np.random.default_rng(42)


def run(inputs: Sequence[Variable], outputs: Any, *values: Any) -> Any:
    return function(list(inputs), outputs, mode=PY)(*values)


def assert_shapes_agree(node: Any, inputs: Sequence[Variable], values: Sequence[Any]) -> None:
    """Static output shape == infer_shape (fed the runtime input lengths) == computed shape, and dtypes."""
    in_vals = function(list(inputs), list(node.inputs), mode=PY, on_unused_input="ignore")(*values)
    out_vals = function(list(inputs), list(node.outputs), mode=PY, on_unused_input="ignore")(
        *values
    )
    lengths, feed, in_shapes = [], [], []
    for var, val in zip(node.inputs, in_vals, strict=True):
        dims = []
        for k in range(var.type.ndim):
            s = pt.lscalar(f"len{len(lengths)}")
            lengths.append(s)
            feed.append(np.shape(val)[k])
            dims.append(s)
        in_shapes.append(tuple(dims))
    out_shapes = node.op.infer_shape(None, node, in_shapes)
    for out, shp, val in zip(node.outputs, out_shapes, out_vals, strict=True):
        computed = np.shape(val)
        entries = [pt.as_tensor(e, dtype="int64") for e in shp]
        symbolic = (
            function(lengths, entries, mode=PY, on_unused_input="ignore")(*feed) if entries else []
        )
        assert tuple(int(s) for s in symbolic) == computed, (
            f"{node.op}: infer_shape {symbolic} != {computed}"
        )
        assert len(out.type.shape) == len(computed)
        assert all(s is None or s == c for s, c in zip(out.type.shape, computed, strict=True)), (
            f"{node.op}: static {out.type.shape} != computed {computed}"
        )
        assert np.asarray(val).dtype.name == out.type.dtype


def tol(dtype: str) -> dict[str, float]:
    return (
        {"rtol": 2e-6, "atol": 1e-6}
        if dtype in ("float32", "complex64")
        else {"rtol": 1e-12, "atol": 1e-12}
    )


# -- elementwise functions ----------------------------------------------------------------
def test_every_scalar_op_has_an_elementwise_function() -> None:
    for name in psm.__all__:
        op = getattr(psm, name)
        if isinstance(op, ps.ScalarOp):
            fn = getattr(ptm, name)
            args = [
                pt.lvector() if (name == "polygamma" and k == 0) else pt.dvector()
                for k in range(op.nin)
            ]
            out = fn(*args)
            assert isinstance(out.owner.op, Elemwise) and out.owner.op.scalar_op is op
            assert name in ptm.__all__
    for name in (
        "exp",
        "log",
        "sqrt",
        "sqr",
        "maximum",
        "minimum",
        "floor_div",
        "clip",
        "conj",
        "real",
    ):
        assert name in ptm.__all__ and hasattr(pt, name)


def test_aliases() -> None:
    assert ptm.digamma is ptm.psi and ptm.expit is ptm.sigmoid and ptm.log1pexp is ptm.softplus
    assert ptm.square is ptm.sqr and ptm.sgn is ptm.sign and ptm.floor_div is ptm.int_div
    assert ptm.conjugate is ptm.conj and ptm.greater is ptm.gt and ptm.not_equal is ptm.neq
    assert ptm.dense_dot is ptm.dot
    for name in (
        "erfcx",
        "betaincinv",
        "gammaincc",
        "i0",
        "i1",
        "log1pexp",
        "log1mexp",
        "sigmoid",
        "softplus",
        "isclose",
        "allclose",
        "logsumexp",
        "logaddexp",
        "matmul",
        "dot",
        "outer",
        "argmax",
        "argmin",
        "mean",
        "var",
        "std",
        "betaln",
        "expit",
        "isneginf",
        "tensor_copy",
        "variadic_add",
    ):
        assert hasattr(pt, name), name


def test_clip() -> None:
    x = pt.fvector("x")
    out = pt.clip(x, 0, 1.5)
    assert out.dtype == "float32"
    data = np.array([-1.0, 0.5, 2.0], dtype="float32")
    np.testing.assert_array_equal(run([x], out, data), np.clip(data, 0, 1.5))
    np.testing.assert_array_equal(run([x], x.clip(-0.5, 0.5), data), [-0.5, 0.5, 0.5])
    i = pt.bvector("i")
    clipped = pt.clip(i, -2, 3)
    assert clipped.dtype == "int8"
    np.testing.assert_array_equal(
        run([i], clipped, np.array([-100, 1, 100], dtype="int8")), [-2, 1, 3]
    )
    lo, hi = pt.dvector("lo"), pt.dvector("hi")
    np.testing.assert_array_equal(
        run([x, lo, hi], pt.clip(x, lo, hi), data, [0.0, 0.0, 0.0], [0.1, 1.0, 3.0]),
        [0.0, 0.5, 2.0],
    )


def test_round_modes() -> None:
    x = pt.dvector("x")
    data = np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 2.6])
    np.testing.assert_array_equal(run([x], pt.round(x), data), np.round(data))
    np.testing.assert_array_equal(run([x], pt.round(x, mode="half_to_even"), data), np.round(data))
    np.testing.assert_array_equal(
        run([x], x.round(mode="half_away_from_zero"), data), [-3.0, -2.0, -1.0, 1.0, 2.0, 3.0, 3.0]
    )
    rounded = ptm.iround(x)
    assert rounded.dtype == "int64"
    np.testing.assert_array_equal(run([x], rounded, data), [-2, -2, 0, 0, 2, 2, 3])
    f = pt.fvector("f")
    assert pt.round(f).dtype == "float32"
    with pytest.raises(ValueError, match="unknown mode 'up'"):
        pt.round(x, mode="up")


def test_isclose_and_allclose_match_numpy() -> None:
    a = np.array([1.0, 1.0, np.inf, np.inf, -np.inf, np.nan, np.nan, 0.0, 1e-9, 100.0])
    b = np.array([1.0 + 1e-7, 1.1, np.inf, -np.inf, -np.inf, np.nan, 1.0, 1e-9, 0.0, 100.001])
    x, y = pt.dvector("x"), pt.dvector("y")
    for kwargs in ({}, {"equal_nan": True}, {"rtol": 1e-3}, {"atol": 0.2, "rtol": 0.0}):
        out = pt.isclose(x, y, **kwargs)
        assert out.dtype == "bool"
        np.testing.assert_array_equal(run([x, y], out, a, b), np.isclose(a, b, **kwargs))
        assert bool(run([x, y], pt.allclose(x, y, **kwargs), a[:2], b[:2])) == np.allclose(
            a[:2], b[:2], **kwargs
        )
    assert bool(pt.allclose(np.ones(3), np.ones(3) + 1e-9).eval())
    i = pt.ivector("i")
    np.testing.assert_array_equal(
        run([i], pt.isclose(i, 3), np.array([2, 3], dtype="int32")), [False, True]
    )
    m = pt.dmatrix("m")
    out = pt.isclose(m, y)
    assert out.type.ndim == 2


def test_isposinf_isneginf_nan_to_num() -> None:
    data = np.array([np.nan, np.inf, -np.inf, -1.5, 0.0])
    for dtype in ("float32", "float64"):
        x = pt.vector("x", dtype=dtype)
        d = data.astype(dtype)
        np.testing.assert_array_equal(run([x], pt.isposinf(x), d), np.isposinf(d))
        np.testing.assert_array_equal(run([x], ptm.isneginf(x), d), np.isneginf(d))
        out = pt.nan_to_num(x)
        assert out.dtype == dtype
        np.testing.assert_array_equal(run([x], out, d), np.nan_to_num(d))
        custom = pt.nan_to_num(x, nan=-1.0, posinf=9.0, neginf=-9.0)
        assert custom.dtype == dtype
        np.testing.assert_array_equal(
            run([x], custom, d), np.nan_to_num(d, nan=-1.0, posinf=9.0, neginf=-9.0)
        )
    i = pt.ivector("i")
    assert pt.nan_to_num(i) is i
    z = pt.zvector("z")
    zd = np.array([complex(np.nan, np.inf), complex(1.0, -np.inf), 2 + 3j])
    out = pt.nan_to_num(z)
    assert out.dtype == "complex128"
    np.testing.assert_array_equal(run([z], out, zd), np.nan_to_num(zd))


def test_smallest_largest_variadic() -> None:
    a, b, c = pt.dvector("a"), pt.dvector("b"), pt.dvector("c")
    va, vb, vc = np.array([1.0, 5.0, 3.0]), np.array([2.0, 4.0, 3.5]), np.array([0.5, 6.0, 3.2])
    np.testing.assert_array_equal(
        run([a, b, c], ptm.smallest(a, b, c), va, vb, vc), [0.5, 4.0, 3.0]
    )
    np.testing.assert_array_equal(run([a, b, c], ptm.largest(a, b, c), va, vb, vc), [2.0, 6.0, 3.5])
    assert ptm.variadic_add(a) is a and ptm.variadic_mul(a) is a
    np.testing.assert_array_equal(
        run([a, b, c], ptm.variadic_add(a, b, c), va, vb, vc), va + vb + vc
    )
    np.testing.assert_array_equal(run([a, b], ptm.variadic_mul(a, b), va, vb), va * vb)
    assert ptm.variadic_add().eval() == 0 and ptm.variadic_mul().eval() == 1
    with pytest.raises(TypeError, match="smallest needs at least one input"):
        ptm.smallest()


def test_ceil_intdiv_and_divmod() -> None:
    a, b = pt.ivector("a"), pt.ivector("b")
    va = np.array([7, -7, 6, 0, -1], dtype="int32")
    vb = np.array([2, 2, 3, 5, 4], dtype="int32")
    out = ptm.ceil_intdiv(a, b)
    assert out.dtype == "int32"
    np.testing.assert_array_equal(run([a, b], out, va, vb), -(-va // vb))
    q, r = ptm.divmod(a, b)
    np.testing.assert_array_equal(run([a, b], [q, r], va, vb), np.divmod(va, vb))


def test_logaddexp() -> None:
    a, b = pt.dvector("a"), pt.dvector("b")
    va = np.array([0.0, 1000.0, -1000.0, -np.inf, np.inf, -np.inf, 3.0, np.nan])
    vb = np.array([0.0, 1000.0, -999.0, -np.inf, np.inf, 2.0, -np.inf, 1.0])
    c = pt.dvector("c")
    vc = np.array([1.0, 2.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    with np.errstate(invalid="ignore"):
        ref2 = np.logaddexp(va, vb)
        ref3 = np.logaddexp(ref2, vc)
    np.testing.assert_allclose(run([a, b], pt.logaddexp(a, b), va, vb), ref2, rtol=1e-15)
    np.testing.assert_allclose(run([a, b, c], pt.logaddexp(a, b, c), va, vb, vc), ref3, rtol=1e-15)
    f = pt.fvector("f")
    out = pt.logaddexp(f, f)
    assert out.dtype == "float32"
    np.testing.assert_allclose(
        run([f], out, np.array([80.0, -200.0], dtype="float32")),
        [80.0 + np.log(2.0), -200.0 + np.log(2.0)],
        rtol=1e-6,
    )
    assert pt.logaddexp(pt.bvector(), pt.bvector()).dtype == "float32"


def test_tensor_copy_does_not_alias() -> None:
    x = pt.dvector("x")
    data = np.arange(3.0)
    out = run([x], x.copy(name="c"), data)
    assert not np.shares_memory(out, data)
    np.testing.assert_array_equal(out, data)
    assert x.copy(name="c").name == "c" and ptm.tensor_copy(x).type == x.type


# -- reductions ----------------------------------------------------------------------------------
AXES = [None, 0, -1, (0, 2), [2, 0], (), (0, 1, 2)]


@pytest.mark.parametrize("axis", AXES, ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("name", ["sum", "prod", "max", "min", "all", "any", "mean", "var", "std"])
def test_reductions_match_numpy(name: str, axis: Any, keepdims: bool) -> None:
    data = RNG.normal(size=(2, 3, 4))
    x = pt.tensor3("x", shape=(2, 3, None))
    np_axis = tuple(axis) if isinstance(axis, list) else axis
    out = getattr(pt, name)(x, axis=axis, keepdims=keepdims)
    expected = getattr(np, name)(data, axis=np_axis, keepdims=keepdims)
    result = run([x], out, data)
    assert result.shape == expected.shape and result.dtype == expected.dtype
    np.testing.assert_allclose(result, expected, rtol=1e-12)
    reductions = [
        n for n in _nodes(out) if type(n.op).__name__ in ("Sum", "Prod", "Max", "Min", "All", "Any")
    ]
    assert reductions
    for node in reductions:
        assert_shapes_agree(node, [x], [data])


def _nodes(out: Variable) -> list[Any]:
    from pytensor.graph.traversal import apply_ancestors

    return list(apply_ancestors([out]))


@pytest.mark.parametrize(
    "dtype", ["bool", "int8", "uint8", "int32", "float32", "float64", "complex128"]
)
def test_reduction_dtypes_match_numpy(dtype: str) -> None:
    data = (RNG.normal(size=(3, 4)) * 3).astype(dtype)
    x = pt.matrix("x", dtype=dtype)
    for name in ("sum", "prod", "mean", "var", "std"):
        out = getattr(pt, name)(x, axis=0)
        expected = getattr(np, name)(data, axis=0)
        assert out.dtype == expected.dtype.name, (name, dtype)
        np.testing.assert_allclose(run([x], out, data), expected, **tol(expected.dtype.name))
    if dtype != "complex128":
        for name in ("max", "min"):
            out = getattr(pt, name)(x, axis=1)
            assert out.dtype == dtype
            np.testing.assert_array_equal(run([x], out, data), getattr(np, name)(data, axis=1))


def test_float16_mean_accumulates_in_float32() -> None:
    data = np.full(5000, 0.1, dtype="float16")
    x = pt.vector("x", dtype="float16")
    out = pt.mean(x)
    assert out.dtype == "float16"
    np.testing.assert_allclose(run([x], out, data), np.float16(0.1), rtol=1e-3)


def test_sum_and_mean_with_dtype_and_acc_dtype() -> None:
    data = np.array([[100, 100], [100, 27]], dtype="int8")
    x = pt.bmatrix("x")
    out = pt.sum(x, dtype="int8")
    assert out.dtype == "int8"
    assert run([x], out, data) == np.sum(data, dtype="int8")
    out = pt.sum(x, axis=1, acc_dtype="int64")
    assert out.dtype == "int64"
    np.testing.assert_array_equal(run([x], out, data), [200, 127])
    m = pt.mean(x, dtype="float32")
    assert m.dtype == "float32"
    np.testing.assert_allclose(run([x], m, data), 81.75, rtol=1e-7)
    assert x.mean(axis=0, keepdims=True).type.shape == (1, None)


def test_var_std_ddof_and_corrected() -> None:
    data = 1e8 + RNG.normal(size=(4, 6))
    x = pt.dmatrix("x")
    for axis in (None, 0, 1, (0, 1)):
        for ddof in (0, 1, 2):
            np.testing.assert_allclose(
                run([x], pt.var(x, axis=axis, ddof=ddof), data),
                np.var(data, axis=axis, ddof=ddof),
                rtol=1e-6,
            )
            np.testing.assert_allclose(
                run([x], x.std(axis=axis, ddof=ddof, keepdims=True), data),
                np.std(data, axis=axis, ddof=ddof, keepdims=True),
                rtol=1e-6,
            )
            np.testing.assert_allclose(
                run([x], pt.var(x, axis=axis, ddof=ddof, corrected=True), data),
                np.var(data, axis=axis, ddof=ddof),
                rtol=1e-6,
            )
    z = pt.zvector("z")
    zd = np.array([1 + 2j, 3 - 1j, -2 + 0.5j])
    out = pt.var(z)
    assert out.dtype == "float64"
    np.testing.assert_allclose(run([z], out, zd), np.var(zd), rtol=1e-14)
    np.testing.assert_allclose(run([z], pt.var(z, corrected=True), zd), np.var(zd), rtol=1e-14)


def test_mean_var_with_unknown_and_empty_lengths() -> None:
    x = pt.dmatrix("x")
    for shape in [(3, 5), (1, 4), (2, 1)]:
        data = RNG.normal(size=shape)
        np.testing.assert_allclose(run([x], pt.mean(x, axis=1), data), data.mean(axis=1))
        np.testing.assert_allclose(run([x], pt.var(x), data), data.var())
    with np.errstate(all="ignore"):
        assert np.isnan(run([x], pt.mean(x), np.zeros((0, 3))))
    assert pt.mean(pt.matrix(shape=(2, 3)), axis=1).type.shape == (2,)


def test_ptp() -> None:
    data = RNG.normal(size=(3, 4))
    x = pt.dmatrix("x")
    np.testing.assert_allclose(run([x], ptm.ptp(x, axis=1), data), np.ptp(data, axis=1))
    np.testing.assert_allclose(
        run([x], ptm.ptp(x, keepdims=True), data), np.ptp(data, keepdims=True)
    )


@pytest.mark.parametrize(
    "name",
    ["sum", "prod", "max", "min", "all", "any", "mean", "var", "argmax", "argmin", "logsumexp"],
)
def test_axis_errors_name_the_op_and_the_input(name: str) -> None:
    x = pt.dmatrix("my_input")
    with pytest.raises(ValueError, match=r"(?i)axis 2 is out of range for a 2-d input my_input"):
        getattr(pt, name)(x, axis=2)
    with pytest.raises(ValueError, match=r"axis -3 is out of range.*my_input"):
        getattr(pt, name)(x, axis=(0, -3))
    with pytest.raises(ValueError, match="repeated"):
        getattr(pt, name)(x, axis=(1, -1))
    with pytest.raises(TypeError, match="axis entries must be ints"):
        getattr(pt, name)(x, axis=(0.5,))


def test_axis_error_names_the_op() -> None:
    x = pt.dmatrix("x")
    with pytest.raises(ValueError, match="^Sum: axis 3"):
        pt.sum(x, axis=3)
    with pytest.raises(ValueError, match="^Max: axis -3"):
        x.max(axis=-3)
    with pytest.raises(ValueError, match="^Argmax: axis 5"):
        x.argmax(axis=5)


def test_max_of_an_empty_axis_fails_like_numpy() -> None:
    x = pt.dmatrix("x")
    f = function([x], pt.max(x, axis=0), mode=PY)
    with pytest.raises(ValueError, match="empty"):
        f(np.zeros((0, 3)))
    np.testing.assert_array_equal(run([x], pt.max(x, axis=1), np.zeros((0, 3))), np.zeros(0))


# -- logsumexp -------------------------------------------------------------------------------------
@pytest.mark.parametrize("axis", [None, 0, 1, (0, 1), -1])
@pytest.mark.parametrize("keepdims", [False, True])
def test_logsumexp_matches_scipy(axis: Any, keepdims: bool) -> None:
    data = RNG.normal(size=(3, 4)) * 5
    x = pt.dmatrix("x")
    out = pt.logsumexp(x, axis=axis, keepdims=keepdims)
    np.testing.assert_allclose(
        run([x], out, data), sp.logsumexp(data, axis=axis, keepdims=keepdims), rtol=1e-14
    )


def test_logsumexp_is_stable() -> None:
    x = pt.dmatrix("x")
    data = np.array(
        [[1000.0, 1000.0, -np.inf], [-1000.0, -1001.0, -1002.0], [-np.inf] * 3, [np.inf, 0.0, 1.0]]
    )
    result = run([x], pt.logsumexp(x, axis=1), data)
    np.testing.assert_allclose(result[:3], sp.logsumexp(data[:3], axis=1), rtol=1e-15)
    assert result[2] == -np.inf and result[3] == np.inf
    f = pt.fmatrix("f")
    out = pt.logsumexp(f, axis=0)
    assert out.dtype == "float32"
    np.testing.assert_allclose(
        run([f], out, np.array([[100.0], [100.0]], dtype="float32")),
        [100.0 + np.log(2.0)],
        rtol=1e-6,
    )


def test_logsumexp_dtypes() -> None:
    b = pt.bmatrix("b")
    out = pt.logsumexp(b, axis=0)
    assert out.dtype == "float32"
    data = np.array([[1, -3], [2, 5]], dtype="int8")
    np.testing.assert_allclose(
        run([b], out, data), sp.logsumexp(data.astype("float32"), axis=0), rtol=1e-6
    )
    assert pt.logsumexp(pt.lvector()).dtype == "float64"
    assert pt.logsumexp(pt.vector(dtype="bool")).dtype == ps.upgrade_to_float(ps.bool)[0].dtype
    with pytest.raises(TypeError, match="logsumexp: complex input"):
        pt.logsumexp(pt.zvector())


# -- argmax / argmin -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "dtype", ["float64", "float32", "int8", "uint8", "int64", "bool", "complex128"]
)
def test_argmax_argmin_match_numpy(dtype: str) -> None:
    data = (RNG.normal(size=(3, 5)) * 4).astype(dtype)
    x = pt.matrix("x", dtype=dtype)
    for fn, ref in ((pt.argmax, np.argmax), (pt.argmin, np.argmin)):
        for axis in (None, 0, 1, -1):
            for keepdims in (False, True):
                out = fn(x, axis=axis, keepdims=keepdims)
                assert out.dtype == "int64"
                np.testing.assert_array_equal(
                    run([x], out, data), ref(data, axis=axis, keepdims=keepdims)
                )


def test_argmin_of_extreme_integers_does_not_overflow() -> None:
    x = pt.bvector("x")
    data = np.array([5, -128, 127, 0], dtype="int8")
    assert run([x], pt.argmin(x), data) == 1
    assert run([x], pt.argmax(x), data) == 2
    u = pt.vector("u", dtype="uint8")
    assert run([u], pt.argmin(u), np.array([3, 255, 0, 7], dtype="uint8")) == 2
    f = pt.dvector("f")
    nan_data = np.array([1.0, np.nan, -5.0])
    assert run([f], pt.argmin(f), nan_data) == np.argmin(nan_data) == 1
    assert run([f], pt.argmax(f), nan_data) == np.argmax(nan_data) == 1


def test_argmax_over_several_axes() -> None:
    data = RNG.normal(size=(2, 3, 4))
    x = pt.tensor3("x")
    out = pt.argmax(x, axis=(0, 2))
    expected = np.argmax(np.transpose(data, (1, 0, 2)).reshape(3, 8), axis=1)
    np.testing.assert_array_equal(run([x], out, data), expected)
    out = pt.argmax(x, axis=[2, 0], keepdims=True)
    assert out.type.ndim == 3
    np.testing.assert_array_equal(run([x], out, data), expected.reshape(1, 3, 1))
    np.testing.assert_array_equal(run([x], pt.argmax(x, axis=(0, 1, 2)), data), np.argmax(data))
    np.testing.assert_array_equal(run([x], x.argmin(axis=(1,)), data), np.argmin(data, axis=1))


def test_argmax_op_is_a_value_with_consistent_shapes() -> None:
    assert Argmax(axis=(1,)) == Argmax(axis=1) and hash(Argmax((0, 2))) == hash(Argmax((2, 0)))
    assert Argmax(None) != Argmax((0,))
    x = pt.tensor("x", shape=(2, None, 1, 4))
    for axis in (None, 1, (0, 3), (-1, 2)):
        out = pt.argmax(x, axis=axis)
        node = out.owner
        assert isinstance(node.op, Argmax)
        assert_shapes_agree(node, [x], [RNG.normal(size=(2, 3, 1, 4))])
    assert pt.argmax(x, axis=1).type.shape == (2, 1, 4)
    assert pt.argmax(x, axis=(0, 3)).type.shape == (None, 1)
    scalar = pt.dscalar("s")
    assert run([scalar], pt.argmax(scalar), 3.0) == 0


def test_argmax_of_an_empty_axis_is_an_error() -> None:
    with pytest.raises(
        ValueError, match="Argmax: cannot take the argmax of e over its empty axis 0"
    ):
        pt.argmax(pt.matrix("e", shape=(0, 3)), axis=0)
    assert pt.argmax(pt.matrix("e", shape=(0, 3)), axis=1).type.shape == (0,)
    x = pt.dmatrix("x")
    f = function([x], pt.argmax(x, axis=0), mode=PY)
    with pytest.raises(ValueError, match="Argmax.*empty axis.*shape \\(0, 3\\)"):
        f(np.zeros((0, 3)))


def test_max_and_argmax() -> None:
    data = RNG.normal(size=(3, 4))
    x = pt.dmatrix("x")
    mx, am = ptm.max_and_argmax(x, axis=1)
    r_max, r_arg = run([x], [mx, am], data)
    np.testing.assert_array_equal(r_max, data.max(axis=1))
    np.testing.assert_array_equal(r_arg, data.argmax(axis=1))


# -- Dot -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("xs", "ys"),
    [
        ((3,), (3,)),
        ((2, 3), (3,)),
        ((3,), (3, 4)),
        ((2, 3), (3, 4)),
        ((0, 3), (3, 2)),
        ((2, 0), (0, 4)),
        ((1, 1), (1,)),
        ((0,), (0,)),
    ],
)
def test_dot_matches_numpy_with_consistent_shapes(xs: tuple[int, ...], ys: tuple[int, ...]) -> None:
    xv, yv = RNG.normal(size=xs), RNG.normal(size=ys)
    for declared in ("static", "unknown"):
        x = pt.tensor("x", shape=xs if declared == "static" else (None,) * len(xs))
        y = pt.tensor("y", shape=ys if declared == "static" else (None,) * len(ys))
        out = pt.dot(x, y)
        assert isinstance(out.owner.op, Dot)
        np.testing.assert_allclose(run([x, y], out, xv, yv), np.dot(xv, yv), rtol=1e-13)
        assert_shapes_agree(out.owner, [x, y], [xv, yv])
    assert pt.dot(pt.tensor(shape=xs), pt.tensor(shape=ys)).type.shape == np.dot(xv, yv).shape


@pytest.mark.parametrize(
    ("dx", "dy"),
    [
        ("int8", "float32"),
        ("int32", "int32"),
        ("bool", "bool"),
        ("float32", "float32"),
        ("float32", "float64"),
        ("complex128", "float64"),
        ("uint8", "int8"),
    ],
)
def test_dot_dtypes_match_numpy(dx: str, dy: str) -> None:
    xv = (RNG.normal(size=(2, 3)) * 3).astype(dx)
    yv = (RNG.normal(size=(3,)) * 3).astype(dy)
    x, y = pt.matrix("x", dtype=dx), pt.vector("y", dtype=dy)
    out = x.dot(y)
    expected = np.dot(xv, yv)
    assert out.dtype == expected.dtype.name
    result = run([x, y], out, xv, yv)
    assert result.dtype == expected.dtype
    np.testing.assert_allclose(result, expected, **tol(expected.dtype.name))


def test_dot_errors() -> None:
    a, b = pt.matrix("a", shape=(2, 3)), pt.matrix("b", shape=(4, 5))
    with pytest.raises(
        ValueError,
        match=r"Dot: the contracted dimensions of x \(a, shape \(2, 3\)\) and "
        r"y \(b, shape \(4, 5\)\) differ: 3 != 4",
    ):
        pt.dot(a, b)
    with pytest.raises(TypeError, match=r"Dot: input x \(t\) must be 1-d or 2-d"):
        Dot()(pt.tensor3("t"), pt.dvector())
    x, y = pt.dmatrix("x"), pt.dvector("y")
    f = function([x, y], pt.dot(x, y), mode=PY)
    with pytest.raises(
        ValueError, match=r"Dot: the contracted dimensions .* \(2, 3\)\) and y \(shape \(4,\)\)"
    ):
        f(np.ones((2, 3)), np.ones(4))


def test_dot_of_scalars_and_higher_ranks() -> None:
    s, v = pt.dscalar("s"), pt.dvector("v")
    out = pt.dot(s, v)
    assert not isinstance(out.owner.op, Dot)
    np.testing.assert_array_equal(run([s, v], out, 2.0, np.arange(3.0)), [0.0, 2.0, 4.0])
    for xs, ys in [
        ((2, 3, 4), (4,)),
        ((4,), (2, 4, 5)),
        ((2, 3, 4), (5, 4, 6)),
        ((2, 4), (3, 4, 2)),
        ((2, 1, 3, 4), (4, 5)),
    ]:
        xv, yv = RNG.normal(size=xs), RNG.normal(size=ys)
        x, y = pt.tensor("x", shape=(None,) * len(xs)), pt.tensor("y", shape=(None,) * len(ys))
        out = pt.dot(x, y)
        expected = np.dot(xv, yv)
        assert out.type.ndim == expected.ndim
        np.testing.assert_allclose(run([x, y], out, xv, yv), expected, rtol=1e-13)
        assert pt.dot(pt.tensor(shape=xs), pt.tensor(shape=ys)).type.shape == expected.shape


# -- Matmul ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("xs", "ys"),
    [
        ((2, 3), (3, 4)),
        ((5, 2, 3), (3, 4)),
        ((2, 3), (5, 3, 4)),
        ((5, 2, 3), (5, 3, 4)),
        ((1, 2, 3), (5, 3, 4)),
        ((6, 1, 2, 3), (5, 3, 4)),
        ((0, 2, 3), (3, 1)),
        ((3,), (3,)),
        ((3,), (2, 3, 4)),
        ((2, 3, 4), (4,)),
        ((2, 0), (0, 3)),
    ],
)
def test_matmul_matches_numpy(xs: tuple[int, ...], ys: tuple[int, ...]) -> None:
    xv, yv = RNG.normal(size=xs), RNG.normal(size=ys)
    expected = np.matmul(xv, yv)
    x = pt.tensor("x", shape=tuple(1 if s == 1 else None for s in xs))
    y = pt.tensor("y", shape=tuple(1 if s == 1 else None for s in ys))
    out = pt.matmul(x, y)
    np.testing.assert_allclose(run([x, y], out, xv, yv), expected, rtol=1e-13)
    np.testing.assert_allclose(run([x, y], x @ y, xv, yv), expected, rtol=1e-13)
    assert pt.matmul(pt.tensor(shape=xs), pt.tensor(shape=ys)).type.shape == expected.shape
    matmuls = [n for n in _nodes(out) if isinstance(n.op, Matmul)]
    for node in matmuls:
        assert_shapes_agree(node, [x, y], [xv, yv])
    sx, sy = pt.tensor("sx", shape=xs), pt.tensor("sy", shape=ys)
    static_out = pt.matmul(sx, sy)
    for node in [n for n in _nodes(static_out) if isinstance(n.op, Matmul)]:
        assert_shapes_agree(node, [sx, sy], [xv, yv])


def test_matmul_op_and_names() -> None:
    from pytensor.tensor.math import _dot, _matmul

    assert isinstance(_matmul, Matmul) and _matmul.core_op is _dot and isinstance(_dot, Dot)
    assert _matmul.signature == "(m,k),(k,n)->(m,n)"
    out = pt.matmul(pt.tensor3(), pt.dmatrix())
    assert out.owner.op == _matmul
    assert pt.matmul(pt.dvector(), pt.dvector()).owner.op == _dot
    assert pt.matmul(pt.imatrix(), pt.fmatrix(), dtype="float64").dtype == "float64"
    assert pt.matmul(pt.bmatrix(), pt.fmatrix()).dtype == "float32"


def test_matmul_errors() -> None:
    with pytest.raises(ValueError, match="matmul: operands cannot be scalars"):
        pt.matmul(pt.dscalar(), pt.dvector())
    a, b = pt.tensor("a", shape=(5, 2, 3)), pt.tensor("b", shape=(4, 3, 2))
    with pytest.raises(
        ValueError,
        match=r"Matmul: batch dimension 0 of x \(a, shape \(5, 2, 3\)\) and "
        r"y \(b, shape \(4, 3, 2\)\) differs: 5 != 4",
    ):
        pt.matmul(a, b)
    with pytest.raises(ValueError, match="Matmul: the contracted dimensions"):
        pt.matmul(pt.tensor(shape=(2, 3)), pt.tensor(shape=(2, 3)))
    with pytest.raises(TypeError, match="Matmul: input x .* needs at least 2 dimensions"):
        Matmul()(pt.dvector(), pt.dmatrix())
    x, y = pt.dtensor3("x"), pt.dtensor3("y")
    f = function([x, y], pt.matmul(x, y), mode=PY)
    with pytest.raises(ValueError, match="Runtime broadcasting is not allowed"):
        f(np.ones((1, 2, 3)), np.ones((4, 3, 2)))
    with pytest.raises(ValueError, match="contracted dimensions"):
        f(np.ones((4, 2, 3)), np.ones((4, 2, 2)))


def test_outer() -> None:
    a, b = pt.dvector("a"), pt.ivector("b")
    va, vb = np.array([1.0, 2.0]), np.array([3, 4, 5], dtype="int32")
    out = pt.outer(a, b)
    assert out.type.ndim == 2 and out.dtype == "float64"
    np.testing.assert_array_equal(run([a, b], out, va, vb), np.outer(va, vb))
    m = pt.dmatrix("m")
    vm = np.arange(4.0).reshape(2, 2)
    np.testing.assert_array_equal(run([m, a], pt.outer(m, a), vm, va), np.outer(vm, va))


# -- special.py re-exports -----------------------------------------------------------------------
def test_betaln_and_logit_are_reachable_from_math() -> None:
    from pytensor.tensor import special

    assert ptm.betaln is special.betaln and ptm.logit is special.logit
