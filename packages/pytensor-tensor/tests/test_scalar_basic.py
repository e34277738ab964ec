"""pytensor.scalar.basic: scalar types, promotion, constants and the elementary scalar Ops."""

from __future__ import annotations

import pickle
from typing import Any

import numpy as np
import pytest

import pytensor.scalar as ps
import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.compile.mode import Mode
from pytensor.configdefaults import config
from pytensor.graph.hashing import stable_token

PY = Mode(linker="py", optimizer=None)

ALL = [
    "bool",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float16",
    "float32",
    "float64",
    "complex64",
    "complex128",
]


# -- types -----------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ALL)
def test_scalar_types(dtype: str) -> None:
    t = ps.get_scalar_type(dtype)
    assert t is ps.get_scalar_type(dtype) and t == ps.ScalarType(dtype)
    assert t.dtype == dtype and t.ndim == 0 and t.shape == ()
    assert getattr(ps, dtype) is t
    assert str(t) == f"Scalar({dtype})"
    v = t("v")
    assert isinstance(v, ps.ScalarVariable) and v.type is t and v.dtype == dtype
    value = t.filter(1)
    assert isinstance(value, np.generic) and value.dtype == dtype
    assert pickle.loads(pickle.dumps(t)) == t


def test_type_groups() -> None:
    assert ps.float32 in ps.float_types and ps.complex64 in ps.complex_types
    assert ps.bool in ps.discrete_types and ps.uint8 in ps.integer_types and ps.int8 in ps.int_types
    assert set(ps.all_types) == {ps.get_scalar_type(d) for d in ALL}
    assert set(ps.continuous_types) == set(ps.float_types) | set(ps.complex_types)


def test_filter() -> None:
    assert ps.float64.filter(1) == 1.0
    assert ps.int8.filter(np.int8(3), strict=True) == 3
    assert ps.int8.filter(300, allow_downcast=True) == np.int8(300 - 256)
    with pytest.raises(TypeError, match="strict"):
        ps.int8.filter(3, strict=True)
    with pytest.raises(TypeError, match="without losing precision"):
        ps.int8.filter(1.5)
    with pytest.raises(TypeError, match="without losing precision"):
        ps.int8.filter(300)
    with pytest.raises(TypeError, match="expects a scalar"):
        ps.int8.filter([1, 2])
    with pytest.raises(TypeError, match="cannot hold"):
        ps.float64.filter("a")
    with pytest.raises(TypeError, match="unsupported dtype 'str'"):
        ps.ScalarType("str")
    assert ps.float64.values_eq(np.nan, np.nan) and not ps.int8.values_eq(1, 2)


# -- promotion and constants -------------------------------------------------------------------
@pytest.mark.parametrize("a", ALL)
@pytest.mark.parametrize(
    "b", ["bool", "int8", "uint8", "int32", "uint64", "float16", "float32", "complex64"]
)
def test_upcast_is_numpy_promotion(a: str, b: str) -> None:
    expected = np.result_type(np.dtype(a), np.dtype(b)).name
    got = ps.upcast(a, b)
    narrow = "float32" in (a, b) and "float64" not in (a, b)
    if config.floatX == "float32" and expected == "float64" and narrow:
        expected = "float32"
    assert got == expected


@pytest.mark.parametrize(
    ("value", "dtype"),
    [
        (0, "int8"),
        (127, "int8"),
        (-129, "int16"),
        (40000, "int32"),
        (2**40, "int64"),
        (2**63, "uint64"),
        (True, "bool"),
        (0.5, "float32"),
        (0.1, "float64"),
        (1e200, "float64"),
        (1 + 2j, "complex128"),
        (np.float32(0.1), "float32"),
        (np.int16(3), "int16"),
        (np.uint8(3), "uint8"),
    ],
)
def test_constant_autocast(value: Any, dtype: str) -> None:
    c = ps.constant(value)
    assert isinstance(c, ps.ScalarConstant) and c.type.dtype == dtype
    assert c.data == value
    assert ps.constant(3, dtype="float64").type.dtype == "float64"
    with pytest.raises(TypeError, match="scalar constant"):
        ps.constant([1, 2])


def test_as_scalar() -> None:
    x = ps.float64("x")
    assert ps.as_scalar(x) is x
    assert ps.as_scalar(2).type.dtype == "int8"
    t = pt.dscalar("t")
    s = ps.as_scalar(t)
    assert s.type == ps.float64 and s.owner.inputs[0] is t
    assert ps.as_scalar(x.owner if x.owner else (x * 2).owner).type == ps.float64
    with pytest.raises(TypeError, match="Cannot use v"):
        ps.as_scalar(pt.dvector("v"))
    with pytest.raises(TypeError, match="Cannot convert"):
        ps.as_scalar("text")


def test_output_type_rules() -> None:
    assert ps.upgrade_to_float(ps.int8)[0] is ps.float32
    assert ps.upgrade_to_float(ps.int16, ps.uint8)[0] is ps.float32
    assert ps.upgrade_to_float(ps.int32)[0] is ps.float64
    assert ps.upgrade_to_float(ps.uint64)[0] is ps.float64
    assert ps.upgrade_to_float(ps.float16)[0] is ps.float16
    assert ps.upgrade_to_float(ps.int8, ps.complex64)[0] is ps.complex64
    assert ps.upgrade_to_float64(ps.int8)[0] is ps.float64
    assert ps.upcast_out(ps.int8, ps.uint8)[0] is ps.int16
    assert ps.same_out(ps.uint16)[0] is ps.uint16
    assert ps.bool_out(ps.float32)[0] is ps.bool and ps.int_out(ps.bool)[0] is ps.int64
    assert ps.float_out(ps.int8)[0] is ps.float64
    assert ps.transfer_type(1)(ps.int8, ps.float32) == (ps.float32,)
    assert ps.transfer_type(0) == ps.transfer_type(0) != ps.transfer_type(1)
    with pytest.raises(TypeError, match="complex"):
        ps.upgrade_to_float_no_complex(ps.complex128)
    with pytest.raises(TypeError, match="complex"):
        ps.upcast_out_no_complex(ps.float32, ps.complex64)
    with pytest.raises(TypeError, match="booleans"):
        ps.upcast_out_nobool(ps.bool, ps.bool)
    with pytest.raises(TypeError, match="booleans"):
        ps.same_out_nobool(ps.bool)
    with pytest.raises(TypeError, match="only defined on floats"):
        ps.same_out_float_only(ps.int8)


def test_upgrade_to_float_maps_bool_to_float32() -> None:
    assert ps.upgrade_to_float(ps.bool)[0] is ps.float32


# -- operators and graphs ----------------------------------------------------------------------
def test_operators_build_scalar_ops() -> None:
    x, y = ps.float64("x"), ps.float64("y")
    n = ps.int8("n")
    cases = {
        x + y: ps.add,
        x - y: ps.sub,
        x * y: ps.mul,
        x / y: ps.true_div,
        x // y: ps.int_div,
        x % y: ps.mod,
        x**y: ps.pow,
        -x: ps.neg,
        abs(x): ps.abs,
        x < y: ps.lt,
        x <= y: ps.le,
        x > y: ps.gt,
        x >= y: ps.ge,
        n & n: ps.and_,
        n | n: ps.or_,
        n ^ n: ps.xor,
        ~n: ps.invert,
        2 + x: ps.add,
        2 - x: ps.sub,
        2 * x: ps.mul,
        2 / x: ps.true_div,
        2**x: ps.pow,
    }
    for out, op in cases.items():
        assert out.owner.op == op, (out, op)
    assert (x < y).type is ps.bool and (n & n).type is ps.int8
    assert x.astype("float32").type is ps.float32 and x.dtype == "float64"


def test_scalar_graph_compiles() -> None:
    x, y = ps.float32("x"), ps.int8("y")
    f = function([x, y], [ps.exp(x) * y, x < y, ps.switch(x < y, x, y)], mode=PY)
    a, b, c = f(1.5, 3)
    assert a.dtype == "float32" and b.dtype == "bool" and c.dtype == "float32"
    np.testing.assert_allclose(a, np.exp(np.float32(1.5)) * 3, rtol=1e-6)
    assert bool(b) and c == 1.5


# -- the elementary Ops against NumPy ----------------------------------------------------------------
UNARY = {
    "neg": np.negative,
    "abs": np.abs,
    "sign": np.sign,
    "reciprocal": np.reciprocal,
    "exp": np.exp,
    "exp2": np.exp2,
    "expm1": np.expm1,
    "log": np.log,
    "log2": np.log2,
    "log10": np.log10,
    "log1p": np.log1p,
    "sqrt": np.sqrt,
    "sqr": np.square,
    "cos": np.cos,
    "sin": np.sin,
    "tan": np.tan,
    "arccos": np.arccos,
    "arcsin": np.arcsin,
    "arctan": np.arctan,
    "cosh": np.cosh,
    "sinh": np.sinh,
    "tanh": np.tanh,
    "arccosh": np.arccosh,
    "arcsinh": np.arcsinh,
    "arctanh": np.arctanh,
    "deg2rad": np.deg2rad,
    "rad2deg": np.rad2deg,
    "floor": np.floor,
    "ceil": np.ceil,
    "trunc": np.trunc,
    "round_half_to_even": np.round,
    "isnan": np.isnan,
    "isinf": np.isinf,
    "real": np.real,
    "imag": np.imag,
    "angle": np.angle,
    "conj": np.conjugate,
}
BINARY = {
    "add": np.add,
    "sub": np.subtract,
    "mul": np.multiply,
    "true_div": np.true_divide,
    "int_div": np.floor_divide,
    "mod": np.mod,
    "pow": np.power,
    "maximum": np.maximum,
    "minimum": np.minimum,
    "lt": np.less,
    "gt": np.greater,
    "le": np.less_equal,
    "ge": np.greater_equal,
    "eq": np.equal,
    "neq": np.not_equal,
    "arctan2": np.arctan2,
    "hypot": np.hypot,
}
POINTS = np.array([-2.5, -0.75, -0.5, 0.0, 0.25, 0.5, 0.9, 1.0, 1.5, 3.0, np.inf, -np.inf, np.nan])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_ops_match_numpy(name: str, dtype: str) -> None:
    op = getattr(ps, name)
    data = POINTS.astype(dtype)
    with np.errstate(all="ignore"):
        expected = UNARY[name](data)
    out_type = op(ps.get_scalar_type(dtype)()).type
    assert out_type.dtype == expected.dtype.name
    f = function([x := ps.get_scalar_type(dtype)("x")], op(x), mode=PY)
    with np.errstate(all="ignore"):
        got = np.array([f(v) for v in data])
    np.testing.assert_array_equal(got, expected.astype(out_type.dtype))


def test_scalar_perform_silences_floating_point_warnings() -> None:
    x = ps.float64("x")
    f = function([x], ps.log(x), mode=PY)
    with np.errstate(all="raise"):
        assert np.isnan(f(-1.0))


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_ops_match_numpy(name: str) -> None:
    op = getattr(ps, name)
    a, b = np.meshgrid(POINTS[:10], POINTS[[0, 1, 3, 5, 8, 9, 10, 12]])
    with np.errstate(all="ignore"):
        expected = BINARY[name](a, b)
        got = np.vectorize(lambda u, v: op.impl(u, v))(a, b)
    np.testing.assert_array_equal(got.astype(expected.dtype), expected)


def test_integer_and_bool_ops() -> None:
    n, m = ps.int16("n"), ps.int16("m")
    f = function([n, m], [n // m, n % m, n & m, n | m, n ^ m, ~n, ps.maximum(n, m), n**2], mode=PY)
    for a, b in [(7, 2), (-7, 2), (7, -2), (0, 5)]:
        results = f(a, b)
        assert all(r.dtype == "int16" for r in results)
        expected = [a // b, a % b, a & b, a | b, a ^ b, ~a, max(a, b), a**2]
        assert [int(r) for r in results] == expected
    b, c = ps.bool("b"), ps.bool("c")
    g = function([b, c], [b & c, b | c, b ^ c, ~b, ps.logical_not(b)], mode=PY)
    assert [bool(r) for r in g(True, False)] == [False, True, True, False, False]


def test_bad_dtypes_are_refused_naming_the_op() -> None:
    x = ps.float64("x")
    with pytest.raises(
        TypeError, match="and_: inputs of dtype \\(float64, float64\\) are not supported"
    ):
        ps.and_(x, x)
    with pytest.raises(TypeError, match="invert: .*float32"):
        ps.invert(ps.float32())
    with pytest.raises(TypeError, match="neg: .*bool"):
        ps.neg(ps.bool())
    with pytest.raises(TypeError, match="mod: .*complex"):
        ps.mod(ps.complex128(), x)
    with pytest.raises(TypeError, match="clip is not defined on complex numbers"):
        ps.clip(ps.complex128(), x, x)
    with pytest.raises(TypeError, match="round_half_to_even: .*int8"):
        ps.round_half_to_even(ps.int8())
    with pytest.raises(TypeError, match="takes 1 inputs, got 2"):
        ps.exp(x, x)


def test_special_dtype_rules() -> None:
    assert ps.abs(ps.complex64()).type is ps.float32
    assert ps.real(ps.complex128()).type is ps.float64 and ps.imag(ps.float32()).type is ps.float32
    # Integer division gives config.floatX (float64 by default), as in PyTensor.
    assert ps.true_div(ps.int8(), ps.int8()).type is ps.float64
    assert ps.true_div(ps.int32(), ps.int8()).type is ps.float64
    assert ps.true_div(ps.float32(), ps.int8()).type is ps.float32
    assert ps.sqr(ps.bool()).type is ps.bool
    assert ps.exp(ps.int16()).type is ps.float32 and ps.exp(ps.uint32()).type is ps.float64
    assert ps.lt(ps.complex64(), ps.float32()).type is ps.bool
    assert ps.floor(ps.float16()).type is ps.float16


def test_int8_inputs_are_computed_in_float32() -> None:
    n = ps.int8("n")
    f = function([n], ps.exp(n), mode=PY)
    np.testing.assert_allclose(f(7), np.exp(np.float32(7)), rtol=1e-6)


def test_variadic_add_and_mul() -> None:
    x, y, z = ps.float64("x"), ps.int8("y"), ps.float32("z")
    s = ps.add(x, y, z)
    p = ps.mul(x, y, z)
    assert s.type is ps.float64 and len(s.owner.inputs) == 3
    f = function([x, y, z], [s, p], mode=PY)
    assert [float(v) for v in f(1.5, 2, 4.0)] == [7.5, 12.0]
    assert (
        ps.add.identity == 0 and ps.mul.identity == 1 and ps.add.commutative and ps.mul.associative
    )
    assert ps.add.array_impl(np.array([1.0])) is not None


def test_cast_switch_clip_second_identity() -> None:
    x = ps.float64("x")
    c = ps.cast(x, "int8")
    assert c.type is ps.int8 and ps.cast(x, "float64") is x
    assert ps.Cast(ps.int8) == ps.Cast(ps.int8) != ps.Cast(ps.int16)
    with pytest.raises(TypeError, match="Cast needs a ScalarType"):
        ps.Cast("int8")  # type: ignore[arg-type]
    f = function(
        [x],
        [c, ps.switch(x > 0, x, -x), ps.clip(x, -1.0, 1.0), ps.second(x, 3), ps.identity(x)],
        mode=PY,
    )
    assert [float(v) for v in f(-2.7)] == [-2.0, 2.7, -1.0, 3.0, -2.7]
    assert ps.switch(ps.bool(), ps.int8(), ps.float32()).type is ps.float32
    assert (
        ps.round_half_away_from_zero.impl(2.5) == 3.0
        and ps.round_half_away_from_zero.impl(-2.5) == -3.0
    )
    assert ps.round_half_to_even.impl(2.5) == 2.0


# -- Ops as values -----------------------------------------------------------------------------------
def test_ops_are_values() -> None:
    assert ps.Exp(ps.upgrade_to_float, name="exp") == ps.exp
    assert hash(ps.Exp(ps.upgrade_to_float, name="exp")) == hash(ps.exp)
    assert ps.exp != ps.log and ps.add != ps.mul
    assert pickle.loads(pickle.dumps(ps.add)) == ps.add
    assert stable_token(ps.exp) == stable_token(ps.Exp(ps.upgrade_to_float, name="exp"))
    assert stable_token(ps.Cast(ps.float32)) != stable_token(ps.Cast(ps.float64))
    assert ps.exp.ufunc is np.exp and ps.add.nfunc_spec == ("add", 2, 1)
    assert str(ps.exp) == "exp" and str(ps.Cast(ps.int8)) == "convert_to_int8"


def test_cast_pickles() -> None:
    assert pickle.loads(pickle.dumps(ps.Cast(ps.float32))) == ps.Cast(ps.float32)


def test_every_elementary_op_has_a_stable_token() -> None:
    for name in ps.basic.__all__:
        op = getattr(ps, name)
        if isinstance(op, ps.ScalarOp):
            stable_token(op)
