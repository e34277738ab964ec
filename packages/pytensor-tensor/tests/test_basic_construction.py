"""Tests of the construction functions of pytensor.tensor.basic: alloc, zeros..., fill/switch,
MakeVector, arange/linspace, eye/tri, nonzero, diagonals and the layout helpers."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from numpy.exceptions import AxisError
from test_shape_consistency import A, Case, I, run_case, shaped_op_classes

import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.configdefaults import config
from pytensor.tensor.basic import (
    Alloc,
    AllocEmpty,
    ARange,
    ExtractDiag,
    Eye,
    MakeVector,
    Nonzero,
    alloc_diag,
    get_vector_length,
    infer_static_shape,
    make_vector,
)
from pytensor.tensor.type import TensorType


def _eval(
    out: object, inputs: list[object] | None = None, values: list[object] | None = None
) -> np.ndarray:
    return function(inputs or [], out)(*(values or []))  # type: ignore[no-any-return]


# ---------------------------------------------------------------------------
# Alloc and friends
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float64", "float32", "int16", "uint8", "bool", "complex64"])
def test_alloc_broadcasts_value_like_numpy(dtype: str) -> None:
    v = pt.tensor("v", dtype=dtype, shape=(1, 3))
    n = pt.lscalar("n")
    out = pt.alloc(v, 2, n, 3)
    assert isinstance(out.owner.op, Alloc)
    assert out.type == TensorType(dtype, (2, None, 3))
    val = np.asarray([[1, 0, 2]], dtype=dtype)
    res = _eval(out, [v, n], [val, 4])
    np.testing.assert_array_equal(res, np.broadcast_to(val, (2, 4, 3)))
    assert res.dtype == np.dtype(dtype) and res.flags.writeable


def test_alloc_static_shape_from_value_and_constants() -> None:
    n = pt.lscalar("n")
    assert pt.alloc(pt.vector("v", shape=(3,)), n, pt.lscalar("m")).type.shape == (None, 3)
    assert pt.alloc(pt.vector("v", shape=(1,)), n, 5).type.shape == (None, 5)
    assert pt.alloc(0.0, n, 0).type.shape == (None, 0)
    assert pt.alloc(1.5).type.shape == ()


def test_alloc_bad_inputs_at_build_time() -> None:
    v = pt.vector("v", shape=(3,))
    with pytest.raises(
        ValueError, match=r"Alloc: value v of static shape \(3,\) cannot fill the shape \(2, 4\)"
    ):
        pt.alloc(v, 2, 4)
    with pytest.raises(TypeError, match="Alloc: value m has 2 dimensions"):
        pt.alloc(pt.matrix("m"), 3)
    with pytest.raises(TypeError, match="Alloc: shape entry 0 must be a scalar integer"):
        pt.alloc(v, 2.5, 3)
    with pytest.raises(ValueError, match="Alloc: shape entry 1 is negative"):
        pt.alloc(v, 2, -3)


def test_alloc_bad_inputs_at_run_time() -> None:
    v = pt.vector("v")
    n = pt.lscalar("n")
    f = function([v, n], pt.alloc(v, 2, n))
    assert f(np.ones(3), 3).shape == (2, 3)
    with pytest.raises(
        ValueError, match=r"Alloc: value v of shape \(3,\) cannot fill the shape \(2, 4\)"
    ):
        f(np.ones(3), 4)
    with pytest.raises(ValueError, match="runtime broadcasting is not allowed"):
        f(np.ones(1), 4)
    with pytest.raises(ValueError, match="Alloc: negative length"):
        f(np.ones(3), -3)


def test_infer_static_shape() -> None:
    n = pt.lscalar("n")
    entries, static = infer_static_shape([2, n, pt.constant(np.int32(5))])
    assert static == (2, None, 5)
    assert all(e.type.ndim == 0 for e in entries)
    with pytest.raises(TypeError, match="shape entry 0"):
        infer_static_shape([pt.dscalar()])


@pytest.mark.parametrize("shape", [(2, 3), 4, (), (0, 2), [pt.lscalar("n"), 2]])
@pytest.mark.parametrize("fn", ["zeros", "ones", "empty"])
def test_zeros_ones_empty_shapes_and_dtypes(fn: str, shape: object) -> None:
    out = getattr(pt, fn)(shape, dtype="int32")
    assert out.type.dtype == "int32"
    inputs = [s for s in (shape if isinstance(shape, list) else []) if not isinstance(s, int)]
    res = _eval(out, inputs, [3] * len(inputs))
    expected_shape = (
        tuple(3 if not isinstance(s, int) else s for s in shape)
        if isinstance(shape, list | tuple)
        else (shape,)
    )
    assert res.shape == expected_shape and res.dtype == np.int32
    if fn != "empty":
        np.testing.assert_array_equal(
            res, np.full(expected_shape, int(fn == "ones"), dtype="int32")
        )
    if isinstance(shape, tuple):
        assert out.type.shape == shape


def test_zeros_default_dtype_and_vector_shape() -> None:
    assert pt.zeros(3).type == TensorType(config.floatX, (3,))
    assert isinstance(pt.empty(3).owner.op, AllocEmpty)
    s = pt.lvector("s", shape=(2,))
    z = pt.zeros(s)
    assert z.type.ndim == 2
    assert _eval(z, [s], [np.array([2, 5])]).shape == (2, 5)
    x = pt.tensor3("x")
    assert _eval(pt.ones(x.shape), [x], [np.zeros((1, 2, 3))]).shape == (1, 2, 3)


@pytest.mark.parametrize(
    ("fill_value", "dtype", "expected_dtype"),
    [
        (3, None, "int8"),
        (2.5, None, "float32"),
        (0.1, None, "float64"),
        (2, "float32", "float32"),
        (True, None, "bool"),
        (1 + 2j, None, "complex128"),
    ],
)
def test_full(fill_value: object, dtype: str | None, expected_dtype: str) -> None:
    out = pt.full((2, 2), fill_value, dtype=dtype)
    assert out.type == TensorType(expected_dtype, (2, 2))
    np.testing.assert_array_equal(_eval(out), np.full((2, 2), fill_value, dtype=expected_dtype))


@pytest.mark.parametrize("dtype", ["float32", "int64", "bool", "complex128"])
def test_like_functions(dtype: str) -> None:
    x = pt.tensor("x", dtype=dtype, shape=(None, 3))
    val = np.ones((2, 3), dtype=dtype)
    for fn, fill in ((pt.zeros_like, 0), (pt.ones_like, 1)):
        out = fn(x)
        assert out.type == x.type
        np.testing.assert_array_equal(_eval(out, [x], [val]), np.full((2, 3), fill, dtype=dtype))
    assert pt.zeros_like(x, dtype="int8").type == TensorType("int8", (None, 3))
    assert x.ones_like(dtype="float32").type.dtype == "float32"
    e = pt.empty_like(x)
    assert e.type.dtype == dtype and _eval(e, [x], [val]).shape == (2, 3)
    assert pt.empty_like(x, dtype="int16").type.dtype == "int16"


def test_full_like_dtype_is_the_fill_values() -> None:
    x = pt.matrix("x", shape=(2, 2), dtype="int64")
    assert pt.full_like(x, 2.5).type == TensorType("float32", (2, 2))
    out = pt.full_like(x, 2.5, dtype="float64")
    np.testing.assert_array_equal(
        _eval(out, [x], [np.zeros((2, 2), "int64")]), np.full((2, 2), 2.5)
    )


def test_fill_and_second() -> None:
    x = pt.matrix("x", shape=(None, 3))
    out = x.fill(7)
    assert out.type == TensorType("int8", (None, 3))
    np.testing.assert_array_equal(
        _eval(out, [x], [np.zeros((2, 3))]), np.full((2, 3), 7, dtype="int8")
    )
    assert pt.second is pt.fill


# ---------------------------------------------------------------------------
# switch / where
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("dt_a", "dt_b"),
    [
        ("float32", "float32"),
        ("int8", "float32"),
        ("int32", "int64"),
        ("bool", "bool"),
        ("complex64", "float64"),
    ],
)
def test_switch_matches_numpy_where(dt_a: str, dt_b: str) -> None:
    c = pt.vector("c", dtype="bool")
    a = pt.vector("a", dtype=dt_a)
    b = pt.vector("b", dtype=dt_b)
    out = pt.switch(c, a, b)
    cv = np.array([True, False, True])
    av, bv = np.array([1, 0, 1], dtype=dt_a), np.array([0, 1, 1], dtype=dt_b)
    expected = np.where(cv, av, bv)
    res = _eval(out, [c, a, b], [cv, av, bv])
    assert res.dtype == expected.dtype == np.dtype(out.type.dtype)
    np.testing.assert_array_equal(res, expected)


def test_where_three_and_one_argument_forms() -> None:
    x = pt.vector("x")
    out = pt.where(pt.gt(x, 0), x, 0.0)
    np.testing.assert_array_equal(_eval(out, [x], [np.array([-1.0, 2.0])]), [0.0, 2.0])
    (idx,) = pt.where(np.array([0, 3, 0, 1]))
    np.testing.assert_array_equal(_eval(idx), [1, 3])
    with pytest.raises(ValueError, match="where: give both"):
        pt.where(x, x)


def test_switch_no_runtime_broadcasting() -> None:
    c, a, b = pt.vector("c", dtype="bool"), pt.vector("a"), pt.vector("b")
    f = function([c, a, b], pt.switch(c, a, b))
    with pytest.raises(ValueError, match="runtime broadcasting is not allowed"):
        f(np.array([True, False]), np.ones(1), np.ones(2))


# ---------------------------------------------------------------------------
# MakeVector / get_vector_length
# ---------------------------------------------------------------------------
def test_make_vector() -> None:
    a, b = pt.lscalar("a"), pt.iscalar("b")
    v = make_vector(a, b, 3)
    assert isinstance(v.owner.op, MakeVector) and v.type == TensorType("int64", (3,))
    np.testing.assert_array_equal(_eval(v, [a, b], [5, -2]), np.array([5, -2, 3], dtype="int64"))
    f = MakeVector("float32")(pt.fscalar("f"), 2)
    assert f.type == TensorType("float32", (2,))
    empty = MakeVector("int32")()
    assert empty.type == TensorType("int32", (0,))
    assert _eval(empty).shape == (0,)


def test_make_vector_bad_inputs() -> None:
    with pytest.raises(
        TypeError,
        match=r"MakeVector\{dtype='int64'\}: input 1 \(d\) of dtype float64 cannot be converted",
    ):
        make_vector(pt.lscalar("a"), pt.dscalar("d"))
    with pytest.raises(TypeError, match="MakeVector.*input 0 .* must be a scalar"):
        make_vector(pt.lvector("v"))


def test_as_tensor_of_list_with_variables_is_make_vector() -> None:
    n = pt.lscalar("n")
    v = pt.as_tensor_variable([n, 2])
    assert isinstance(v.owner.op, MakeVector) and v.type.dtype == "int64"
    assert pt.as_tensor_variable([pt.fscalar("f"), 0.5]).type.dtype == "float32"


def test_get_vector_length() -> None:
    assert get_vector_length(pt.as_tensor([1, 2, 3])) == 3
    assert get_vector_length(pt.lvector("v", shape=(4,))) == 4
    assert get_vector_length(pt.shape(pt.tensor3())) == 3
    n = pt.lscalar("n")
    assert get_vector_length(pt.alloc(0, 5) + n) == 5
    assert get_vector_length(pt.concatenate([pt.lvector(shape=(2,)), pt.as_tensor([1, 2, 3])])) == 5
    with pytest.raises(ValueError, match="cannot be determined"):
        get_vector_length(pt.lvector("w"))
    with pytest.raises(TypeError, match="not a vector"):
        get_vector_length(pt.matrix())


# ---------------------------------------------------------------------------
# arange / linspace
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "args",
    [
        (5,),
        (2, 11, 3),
        (10, 2, -3),
        (3, 3),
        (5, 1),
        (0.5, 3.0),
        (0.0, 1.0, 0.1),
        (-1.5, 2, 0.5),
        (1, 0.3, -0.25),
    ],
)
def test_arange_matches_numpy(args: tuple[float, ...]) -> None:
    out = pt.arange(*args)
    assert isinstance(out.owner.op, ARange)
    expected = np.arange(*args)
    res = _eval(out)
    np.testing.assert_allclose(res, expected.astype(out.type.dtype))
    assert out.type.shape == expected.shape and res.shape == expected.shape


@pytest.mark.parametrize(
    ("dtypes", "expected"),
    [
        (("int8", "int8", "int8"), "int64"),
        (("uint8", "uint16", "uint8"), "uint64"),
        (("float32", "int8", "int8"), "float32"),
        (("int64", "float64", "int8"), "float64"),
        (("int32", "int32", "int32"), "int64"),
    ],
)
def test_arange_dtype_rule(dtypes: tuple[str, str, str], expected: str) -> None:
    args = [pt.scalar(dtype=d) for d in dtypes]
    out = pt.arange(*args)
    assert out.type.dtype == expected and out.type.shape == (None,)
    assert pt.arange(5, dtype="float32").type == TensorType("float32", (5,))


def test_arange_symbolic_lengths() -> None:
    a, b, c = pt.lscalar("a"), pt.lscalar("b"), pt.lscalar("c")
    f = function([a, b, c], pt.arange(a, b, c))
    for args in [(0, 10, 3), (10, 0, -4), (5, 5, 1), (5, 0, 1)]:
        np.testing.assert_array_equal(f(*args), np.arange(*args))
    x, y = pt.dscalar("x"), pt.dscalar("y")
    np.testing.assert_allclose(
        function([x, y], pt.arange(x, y, 0.5))(0.25, 2.0), np.arange(0.25, 2.0, 0.5)
    )


def test_arange_zero_step() -> None:
    with pytest.raises(ValueError, match="ARange.*step must not be zero"):
        pt.arange(0, 5, 0)
    s = pt.lscalar("s")
    f = function([s], pt.arange(0, 5, s))
    with pytest.raises(ValueError, match="ARange.*step must not be zero"):
        f(0)
    with pytest.raises(TypeError, match="ARange.*start must be a real scalar"):
        pt.arange(pt.vector(), 5)


@pytest.mark.parametrize(
    ("kwargs"),
    [
        dict(num=5),
        dict(num=5, endpoint=False),
        dict(num=1),
        dict(num=0),
        dict(num=2, endpoint=False),
        dict(num=7, dtype="float32"),
    ],
)
def test_linspace_matches_numpy(kwargs: dict[str, object]) -> None:
    out = pt.linspace(-1.0, 2.0, **kwargs)
    expected = np.linspace(-1.0, 2.0, **kwargs)  # type: ignore[call-overload]
    assert out.type.shape == expected.shape
    res = _eval(out)
    assert res.dtype == np.dtype(kwargs.get("dtype", config.floatX))
    np.testing.assert_allclose(res, expected, rtol=1e-6)


def test_linspace_arrays_axis_and_retstep() -> None:
    start, stop = np.array([0.0, 1.0]), np.array([1.0, 3.0])
    out, step = pt.linspace(start, stop, 3, retstep=True, axis=-1)
    exp, exp_step = np.linspace(start, stop, 3, retstep=True, axis=-1)
    np.testing.assert_allclose(_eval(out), exp)
    np.testing.assert_allclose(_eval(step), exp_step)
    n = pt.lscalar("n")
    np.testing.assert_allclose(function([n], pt.linspace(0, 1, n))(4), np.linspace(0, 1, 4))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        np.testing.assert_allclose(_eval(pt.linspace(0, 1, end=2, steps=3)), np.linspace(0, 2, 3))


# ---------------------------------------------------------------------------
# eye / tri / tril / triu
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("n", "m", "k"), [(3, None, 0), (2, 4, 1), (4, 2, -1), (0, 3, 0), (3, 3, 5)]
)
def test_eye_matches_numpy(n: int, m: int | None, k: int) -> None:
    out = pt.eye(n, m, k, dtype="int8")
    assert isinstance(out.owner.op, Eye)
    expected = np.eye(n, m, k, dtype="int8")
    assert out.type.shape == expected.shape
    np.testing.assert_array_equal(_eval(out), expected)
    assert pt.eye(2).type.dtype == config.floatX


def test_eye_bad_inputs() -> None:
    with pytest.raises(ValueError, match="Eye.*n must not be negative"):
        pt.eye(-1)
    with pytest.raises(TypeError, match="Eye.*k must be a scalar integer"):
        pt.eye(2, 2, 0.5)
    n = pt.lscalar("n")
    f = function([n], pt.eye(n))
    assert f(2).shape == (2, 2)
    with pytest.raises(ValueError, match="Eye.*negative dimensions"):
        f(-2)


def test_identity_like() -> None:
    x = pt.matrix("x", shape=(None, 3), dtype="float32")
    out = pt.identity_like(x)
    assert out.type == TensorType("float32", (None, 3))
    np.testing.assert_array_equal(
        _eval(out, [x], [np.zeros((2, 3), "float32")]), np.eye(2, 3, dtype="float32")
    )
    with pytest.raises(ValueError, match="identity_like"):
        pt.identity_like(pt.vector())


@pytest.mark.parametrize(("N", "M", "k"), [(3, None, 0), (3, 5, 1), (4, 2, -1), (0, 2, 0)])
def test_tri_matches_numpy(N: int, M: int | None, k: int) -> None:
    out = pt.tri(N, M, k, dtype="int32")
    expected = np.tri(N, M, k, dtype="int32")
    assert out.type.shape == expected.shape
    np.testing.assert_array_equal(_eval(out), expected)


@pytest.mark.parametrize("k", [-1, 0, 2])
@pytest.mark.parametrize("dtype", ["float64", "int8", "bool"])
def test_tril_triu_match_numpy(k: int, dtype: str) -> None:
    m = pt.tensor3("m", dtype=dtype)
    val = (np.arange(2 * 3 * 4).reshape(2, 3, 4) % 5).astype(dtype)
    lo, up = pt.tril(m, k), pt.triu(m, k)
    assert lo.type.dtype == up.type.dtype == dtype
    f = function([m], [lo, up])
    res_lo, res_up = f(val)
    np.testing.assert_array_equal(res_lo, np.tril(val, k))
    np.testing.assert_array_equal(res_up, np.triu(val, k))


def test_tril_keeps_infinities_and_nans_out_of_the_zeroed_part() -> None:
    val = np.array([[1.0, np.inf], [np.nan, -np.inf]])
    np.testing.assert_array_equal(_eval(pt.tril(val)), np.tril(val))
    np.testing.assert_array_equal(_eval(pt.triu(val)), np.triu(val))
    with pytest.raises(ValueError, match="tril.*at least 2 dimensions"):
        pt.tril(pt.vector())


@pytest.mark.parametrize(("n", "k", "m"), [(3, 0, None), (4, 1, 2), (3, -1, 5)])
def test_triangle_indices(n: int, k: int, m: int | None) -> None:
    for ours, theirs in ((pt.tril_indices, np.tril_indices), (pt.triu_indices, np.triu_indices)):
        rows, cols = ours(n, k, m)
        e_rows, e_cols = theirs(n, k, m)
        np.testing.assert_array_equal(_eval(rows), e_rows)
        np.testing.assert_array_equal(_eval(cols), e_cols)
    a = np.zeros((3, 4))
    for ours, theirs in (
        (pt.tril_indices_from, np.tril_indices_from),
        (pt.triu_indices_from, np.triu_indices_from),
    ):
        for got, exp in zip(ours(a, 1), theirs(a, 1), strict=True):
            np.testing.assert_array_equal(_eval(got), exp)
    with pytest.raises(ValueError, match="tril_indices_from"):
        pt.tril_indices_from(np.zeros(3))


# ---------------------------------------------------------------------------
# nonzero
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float32", "int64", "bool", "complex128"])
def test_nonzero_matches_numpy(dtype: str) -> None:
    val = np.array([[0, 1, 0], [2, 0, 3]], dtype=dtype)
    x = pt.matrix("x", dtype=dtype)
    out = pt.nonzero(x)
    assert isinstance(out[0].owner.op, Nonzero) and len(out) == 2
    res = function([x], list(out))(val)
    for got, exp in zip(res, np.nonzero(val), strict=True):
        np.testing.assert_array_equal(got, exp)
        assert got.dtype == np.int64
    np.testing.assert_array_equal(
        function([x], pt.nonzero(x, return_matrix=True))(val), np.array(np.nonzero(val))
    )
    np.testing.assert_array_equal(function([x], pt.flatnonzero(x))(val), np.flatnonzero(val))


def test_nonzero_of_scalar_raises() -> None:
    with pytest.raises(ValueError, match="Nonzero.*at least one dimension"):
        pt.nonzero(pt.scalar("s"))
    with pytest.raises(ValueError, match="flatnonzero"):
        pt.flatnonzero(pt.scalar("s"))


# ---------------------------------------------------------------------------
# Diagonals
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("shape", "offset", "axis1", "axis2"),
    [
        ((3, 4), 0, 0, 1),
        ((3, 4), 1, 0, 1),
        ((3, 4), -2, 0, 1),
        ((3, 4), 6, 0, 1),
        ((2, 3, 4), 1, 2, 0),
        ((2, 3, 4), -1, -1, -2),
        ((0, 3), 0, 0, 1),
    ],
)
def test_diagonal_matches_numpy(
    shape: tuple[int, ...], offset: int, axis1: int, axis2: int
) -> None:
    val = np.arange(int(np.prod(shape)), dtype="float32").reshape(shape)
    x = pt.tensor("x", dtype="float32", shape=shape)
    out = pt.diagonal(x, offset, axis1, axis2)
    assert isinstance(out.owner.op, ExtractDiag)
    expected = np.diagonal(val, offset, axis1, axis2)
    assert out.type.shape == expected.shape and out.type.dtype == "float32"
    res = _eval(out, [x], [val])
    np.testing.assert_array_equal(res, expected)
    assert res.flags.writeable
    np.testing.assert_allclose(
        _eval(pt.trace(x, offset, axis1, axis2), [x], [val]), np.trace(val, offset, axis1, axis2)
    )


def test_extract_diag_errors_and_view() -> None:
    with pytest.raises(ValueError, match="ExtractDiag.*at least 2 dimensions"):
        ExtractDiag()(pt.vector("v"))
    with pytest.raises(ValueError, match="axis1 and axis2 must differ"):
        ExtractDiag(0, 1, 1)
    with pytest.raises(AxisError, match="diagonal: axis 2"):
        pt.diagonal(pt.matrix(), 0, 0, 2)
    op = ExtractDiag(1, 1, 0)
    assert (op.axis1, op.axis2, op.offset) == (0, 1, -1)
    assert ExtractDiag(view=True).view_map == {0: [0]}


@pytest.mark.parametrize("k", [0, 1, -2])
@pytest.mark.parametrize("dtype", ["float64", "int32", "bool"])
def test_diag_vector_to_matrix_and_back(k: int, dtype: str) -> None:
    val = np.array([1, 0, 3], dtype=dtype)
    v = pt.vector("v", dtype=dtype)
    m = pt.diag(v, k)
    assert m.type.dtype == dtype and m.type.ndim == 2
    res = _eval(m, [v], [val])
    np.testing.assert_array_equal(res, np.diag(val, k))
    np.testing.assert_array_equal(_eval(pt.diag(m, k), [v], [val]), val)
    assert pt.diag(pt.vector(shape=(3,)), k).type.shape == (3 + abs(k), 3 + abs(k))


def test_alloc_diag_batched_and_special_values() -> None:
    val = np.array([[1.0, np.inf], [np.nan, 2.0]])
    out = alloc_diag(val, offset=1, axis1=0, axis2=2)
    expected = np.zeros((3, 2, 3))
    for b in range(2):
        expected[:, b, :] = np.diag(val[b], 1)
    np.testing.assert_array_equal(_eval(out), expected)
    with pytest.raises(ValueError, match="diag.*vector or a matrix"):
        pt.diag(pt.tensor3())


# ---------------------------------------------------------------------------
# Layout helpers
# ---------------------------------------------------------------------------
def test_transpose_and_T() -> None:
    x = pt.tensor3("x", shape=(1, 2, 3))
    val = np.arange(6.0).reshape(1, 2, 3)
    assert x.T.type.shape == (3, 2, 1)
    np.testing.assert_array_equal(_eval(x.T, [x], [val]), val.T)
    out = pt.transpose(x, (1, -1, 0))
    np.testing.assert_array_equal(_eval(out, [x], [val]), np.transpose(val, (1, 2, 0)))
    assert pt.transpose(x, (0, 1, 2)) is x
    assert pt.transpose(pt.matrix("m")).name == "m.T"
    with pytest.raises(AxisError, match="transpose: axis 3"):
        pt.transpose(x, (0, 1, 3))
    with pytest.raises(ValueError, match="transpose: axes"):
        pt.transpose(x, (0, 1))


def test_matrix_transpose_swapaxes_moveaxis() -> None:
    val = np.arange(24.0).reshape(2, 3, 4)
    x = pt.tensor3("x", shape=(2, 3, 4))
    cases = [
        (pt.matrix_transpose(x), np.swapaxes(val, -1, -2)),
        (pt.swapaxes(x, 0, 2), np.swapaxes(val, 0, 2)),
        (pt.moveaxis(x, 0, -1), np.moveaxis(val, 0, -1)),
        (pt.moveaxis(x, (0, 1), (2, 0)), np.moveaxis(val, (0, 1), (2, 0))),
    ]
    for out, expected in cases:
        assert out.type.shape == expected.shape
        np.testing.assert_array_equal(_eval(out, [x], [val]), expected)
    with pytest.raises(ValueError, match="matrix_transpose"):
        pt.matrix_transpose(pt.vector())
    with pytest.raises(ValueError, match="moveaxis: source"):
        pt.moveaxis(x, (0, 1), 2)


@pytest.mark.parametrize(
    ("shape", "ndim"), [((2, 3, 4), 1), ((2, 3, 4), 2), ((2, 3, 4), 3), ((), 1), ((0, 2), 1)]
)
def test_flatten_matches_numpy(shape: tuple[int, ...], ndim: int) -> None:
    val = np.arange(int(np.prod(shape)), dtype="int16").reshape(shape)
    x = pt.tensor("x", dtype="int16", shape=shape)
    out = pt.flatten(x, ndim)
    expected = val.reshape((*shape[: ndim - 1], -1)) if shape else val.reshape(1)
    assert out.type.shape == expected.shape
    np.testing.assert_array_equal(_eval(out, [x], [val]), expected)
    assert x.flatten(ndim).type.shape == expected.shape


def test_flatten_bad_ndim() -> None:
    with pytest.raises(ValueError, match="flatten: ndim=3"):
        pt.flatten(pt.matrix(), 3)
    with pytest.raises(ValueError, match="flatten: ndim=0"):
        pt.flatten(pt.matrix(), 0)


@pytest.mark.parametrize("axis", [0, -1, (0, 2), (1, -1)])
def test_expand_dims_matches_numpy(axis: int | tuple[int, ...]) -> None:
    val = np.arange(6.0).reshape(2, 3)
    out = pt.expand_dims(pt.as_tensor(val), axis)
    expected = np.expand_dims(val, axis)
    assert out.type.shape == expected.shape
    np.testing.assert_array_equal(_eval(out), expected)


def test_expand_dims_errors() -> None:
    with pytest.raises(AxisError, match="expand_dims: axis 3"):
        pt.expand_dims(pt.vector(), 3)
    with pytest.raises(ValueError, match="expand_dims: repeated axis"):
        pt.expand_dims(pt.vector(), (0, 0))


def test_atleast_nd() -> None:
    s, v = pt.scalar("s"), pt.vector("v")
    assert pt.atleast_1d(s).type.shape == (1,)
    assert pt.atleast_2d(v).type.shape == (1, None)
    assert pt.atleast_3d(v).type.shape == (1, 1, None)
    assert pt.atleast_Nd(v, n=3, left=False).type.shape == (None, 1, 1)
    m = pt.matrix("m")
    assert pt.atleast_2d(m) is m
    a, b = pt.atleast_1d(s, v)
    assert a.type.shape == (1,) and b is v


def test_mgrid_and_ogrid_match_numpy() -> None:
    dense = pt.mgrid[0:3, 1:6:2]
    open_ = pt.ogrid[0:3, 1:6:2]
    for got, exp in zip(dense, np.mgrid[0:3, 1:6:2], strict=True):
        np.testing.assert_array_equal(_eval(got), exp)
    for got, exp in zip(open_, np.ogrid[0:3, 1:6:2], strict=True):
        np.testing.assert_array_equal(_eval(got), exp)
    np.testing.assert_array_equal(_eval(pt.mgrid[2:5]), np.mgrid[2:5])


# ---------------------------------------------------------------------------
# One shape definition per Op: static == symbolic == computed
# ---------------------------------------------------------------------------
SHAPE_CASES: dict[str, list[Case]] = {
    "Alloc": [
        Case("vector-value", lambda v: pt.alloc(v, 2, 3), [A(3)]),
        Case(
            "len1-value-empty",
            lambda v, n: pt.alloc(v, n, 1, 3),
            [A(1, 3), I(0)],
            variants=("static", "ones"),
        ),
        Case("0d", lambda v: pt.alloc(v), [A()]),
    ],
    "AllocEmpty": [
        Case("symbolic", lambda n: pt.empty((n, 2, 1)), [I(3)]),
        Case("empty", lambda n: pt.empty((n, 0)), [I(2)]),
    ],
    "MakeVector": [
        Case("mixed-dtypes", lambda a, b: pt.stack([a, b]), [A(), A(dtype="int32")]),
        Case("no-inputs", lambda: MakeVector("int8")()),
    ],
    "ARange": [
        Case("ints", lambda a, b: pt.arange(a, b), [I(2), I(7)]),
        Case(
            "floats",
            lambda a, b, c: pt.arange(a, b, c),
            [A(low=0, high=1), A(low=3, high=4), A(low=0.3, high=0.5)],
        ),
        Case("negative-step", lambda a: pt.arange(a, 0, -2), [I(5)]),
        Case("empty", lambda a: pt.arange(a, 1), [I(4)]),
        Case("constant", lambda: pt.arange(1, 10, 4)),
    ],
    "Eye": [
        Case("empty-cols", lambda n, m, k: pt.eye(n, m, k), [I(3), I(0), I(1)]),
        Case("len1", lambda n: pt.eye(n, 1), [I(1)]),
    ],
    "Nonzero": [
        Case("matrix", lambda x: pt.nonzero(x), [A(3, 1)]),
        Case("empty", lambda x: pt.nonzero(x), [A(0)]),
    ],
    "ExtractDiag": [
        Case("offset", lambda x: pt.diagonal(x, 1), [A(3, 4)]),
        Case("axes", lambda x: pt.diagonal(x, -2, 2, 0), [A(3, 1, 4)]),
        Case("past-the-end", lambda x: pt.diagonal(x, 5), [A(3, 4)]),
        Case("empty", lambda x: pt.diagonal(x), [A(0, 2)]),
    ],
}


def _shape_params() -> list[object]:
    classes = shaped_op_classes()
    return [
        pytest.param(classes[name], case, variant, id=f"{name}-{case.id}-{variant}")
        for name, cases in SHAPE_CASES.items()
        for case in cases
        for variant in case.variants
    ]


@pytest.mark.parametrize(("cls", "case", "variant"), _shape_params())
def test_static_symbolic_and_computed_shapes_agree(cls: type, case: Case, variant: str) -> None:
    run_case(cls, case, variant)
