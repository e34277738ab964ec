"""The numba scalar impls of the elementary scalar Ops agree with ``ScalarOp.perform``.

Every elementary scalar Op class is swept over the dtype combinations its output
rule accepts and a grid of values with edge cases (signed zeros, infinities, NaN,
integer extremes); the jitted impl must give the same value (exactly, for the
arithmetic ones), the exact output dtype, and the same exception type.
"""

from __future__ import annotations

import itertools
import warnings
from typing import Any

import numba
import numpy as np
import pytest

import pytensor.scalar as ps
from pytensor.link.numba.dispatch import scalar as nscalar
from pytensor.link.numba.dispatch.basic import numba_funcify
from pytensor.scalar import _elementary as se

pytestmark = pytest.mark.numba

VALUES: dict[str, list[Any]] = {
    "bool": [False, True],
    "int8": [-128, -7, -1, 0, 1, 3, 127],
    "uint8": [0, 1, 3, 200, 255],
    "int32": [-(2**31), -5, -1, 0, 2, 7, 2**31 - 1],
    "int64": [-(2**63), -9, -1, 0, 1, 2, 5, 2**63 - 1],
    "uint64": [0, 1, 3, 2**64 - 1],
    "float16": [-np.inf, -2.5, -1.0, -0.0, 0.0, 0.5, 1.5, 3.0, np.inf, np.nan],
    "float32": [-np.inf, -2.5, -1.0, -0.5, -0.0, 0.0, 0.3, 0.5, 1.5, 2.5, 7.0, np.inf, np.nan],
    "float64": [-np.inf, -2.5, -1.0, -0.5, -0.0, 0.0, 0.3, 0.5, 1.5, 2.5, 7.0, np.inf, np.nan],
    "complex64": [0j, 1 + 2j, -1.5 - 0.5j, 0.5j, -3 + 0j],
    "complex128": [0j, 1 + 2j, -1.5 - 0.5j, 0.5j, -3 + 0j, complex(np.nan, 1)],
}

UNARY_DTYPES = ["bool", "int8", "uint8", "int64", "float16", "float32", "float64", "complex128"]
BINARY_DTYPES = [(d, d) for d in UNARY_DTYPES] + [
    ("int8", "uint8"),
    ("int32", "float32"),
    ("float32", "float64"),
    ("int64", "uint64"),
    ("bool", "float64"),
    ("complex64", "float32"),
]
TERNARY_DTYPES = [
    ("float64", "float64", "float64"),
    ("float32", "int8", "float32"),
    ("int64", "int8", "int64"),
    ("bool", "float32", "int32"),
    ("bool", "complex128", "float64"),
]

#: Ops whose result must match perform bit for bit (signed zeros included).
EXACT = {
    "Abs", "Add", "AND", "Cast", "Ceil", "Clip", "Conj", "EQ", "Floor", "GE", "GT", "Identity",
    "Imag", "IntDiv", "Invert", "IsInf", "IsNan", "LE", "LT", "LogicalNot", "Maximum",
    "Minimum", "Mod", "Mul", "NEQ", "Neg", "OR", "Real", "RoundHalfAwayFromZero",
    "RoundHalfToEven", "Second", "Sign", "Sqr", "Sub", "Switch", "Trunc", "XOR",
}  # fmt: skip

#: Registered by numba-core's dispatch/vecmath.py, not by scalar.py.
ELSEWHERE = {"Exp", "Exp2", "Expm1", "Log", "Log2", "Log10", "Log1p"}


def elementary_classes() -> list[type]:
    return sorted(
        (getattr(se, n) for n in se.__all__ if isinstance(getattr(se, n), type)),
        key=lambda c: c.__name__,
    )


def instance_of(cls: type) -> Any:
    if cls is se.Cast:
        return None
    for value in vars(se).values():
        if type(value) is cls:
            return value
    raise AssertionError(f"no instance of {cls.__name__} in pytensor.scalar")


def grid(dtypes: tuple[str, ...]) -> list[tuple[Any, ...]]:
    values = [[np.array(v, dtype=d)[()] for v in VALUES[d]] for d in dtypes]
    return list(itertools.product(*values))


def reference(node: Any, args: tuple[Any, ...]) -> Any:
    storage: list[list[Any]] = [[None] for _ in node.outputs]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            node.op.perform(node, [np.asarray(a) for a in args], storage)
        except Exception as exc:  # noqa: BLE001 (the exception type is what is compared)
            return exc
    return storage[0][0]


def as_numba_arg(value: Any) -> Any:
    # numba has no float16: the Elemwise loop hands float16 elements over as float32.
    return np.float32(value) if getattr(value, "dtype", None) == np.float16 else value


def check_node(node: Any, exact: bool) -> None:
    impl, key = numba_funcify(node.op, node)
    assert key.startswith(type(node.op).__name__ + ":")
    jitted = numba.njit(impl)
    out_dtype = node.outputs[0].type.dtype
    in_dtypes = tuple(i.type.dtype for i in node.inputs)
    raised_always = True
    for args in grid(in_dtypes):
        expected = reference(node, args)
        try:
            got = jitted(*[as_numba_arg(a) for a in args])
        except Exception as exc:  # noqa: BLE001
            assert isinstance(expected, Exception), f"{node.op}{args}: raised {exc!r}"
            assert type(exc) is type(expected), f"{node.op}{args}: {exc!r} vs {expected!r}"
            assert str(exc) == str(expected)
            continue
        assert not isinstance(expected, Exception), f"{node.op}{args}: expected {expected!r}"
        raised_always = False
        with np.errstate(all="ignore"):
            got = np.asarray(got).astype(out_dtype)
        if platform_dependent(node, args):
            continue
        compare(node, args, got, np.asarray(expected), exact)
    if raised_always:
        return
    ret = jitted.nopython_signatures[0].return_type
    want = "float32" if out_dtype == "float16" else out_dtype
    assert str(ret) == str(numba.from_dtype(np.dtype(want))), (node.op, in_dtypes, ret)


def platform_dependent(node: Any, args: tuple[Any, ...]) -> bool:
    """Values where NumPy's result depends on the platform's math library: float power of
    -inf to a non-integer exponent (inf with libm, NaN with NumPy's AVX-512 SVML loops) and
    complex power with a non-finite operand."""
    if not isinstance(node.op, se.Pow) or len(args) != 2:
        return False
    if any(np.iscomplexobj(a) for a in args):
        # Complex power with a non-finite operand: C99 cpow special cases vary by libm.
        return not all(np.isfinite(a) for a in args)
    base, exponent = (np.asarray(a) for a in args)
    return bool(np.isneginf(base.real) and exponent.real != np.round(exponent.real))


def compare(node: Any, args: Any, got: np.ndarray, expected: np.ndarray, exact: bool) -> None:
    assert expected.dtype == got.dtype
    msg = f"{node.op}{tuple(a.dtype.name for a in args)} at {args}: {got!r} vs {expected!r}"
    if got.dtype.kind not in "fc" or exact:
        assert np.array_equal(got, expected, equal_nan=got.dtype.kind in "fc"), msg
        if got.dtype.kind == "f":
            assert np.signbit(got) == np.signbit(expected) or np.isnan(got), msg
        return
    rtol = {"float16": 1e-3, "float32": 2e-6, "complex64": 2e-6}.get(got.dtype.name, 1e-14)
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=0, equal_nan=True, err_msg=msg)


def nodes_for(cls: type) -> list[Any]:
    op = instance_of(cls)
    if op is None:
        return [
            se.cast(ps.get_scalar_type(src)("x"), dst).owner
            for src, dst in itertools.product(UNARY_DTYPES, UNARY_DTYPES)
            if src != dst and not cast_is_undefined(src, dst)
        ]
    nin = op.nin if op.nin >= 0 else 2
    combos = {1: [(d,) for d in UNARY_DTYPES], 2: BINARY_DTYPES, 3: TERNARY_DTYPES}[nin]
    nodes = []
    for dtypes in combos:
        try:
            nodes.append(op(*[ps.get_scalar_type(d)(f"x{i}") for i, d in enumerate(dtypes)]).owner)
        except TypeError:
            continue
    return nodes


def cast_is_undefined(src: str, dst: str) -> bool:
    """NumPy's float -> int conversion of NaN, inf and out-of-range values is platform
    dependent (C undefined behaviour); those values are excluded by excluding the pair."""
    return np.dtype(src).kind in "fc" and np.dtype(dst).kind in "iu"


@pytest.mark.parametrize(
    "cls",
    [c for c in elementary_classes() if c.__name__ not in ELSEWHERE],
    ids=lambda c: c.__name__,
)
def test_elementary_op_matches_perform(cls: type) -> None:
    nodes = nodes_for(cls)
    assert nodes, f"no dtype combination accepted by {cls.__name__}"
    for node in nodes:
        check_node(node, exact=cls.__name__ in EXACT)


def test_float_to_int_cast_in_range() -> None:
    node = se.cast(ps.float64("x"), "int32").owner
    jitted = numba.njit(numba_funcify(node.op, node)[0])
    for v in [-2.7, -1.0, -0.5, 0.0, 0.9, 3.5, 2.0**31 - 1]:
        assert jitted(v) == reference(node, (np.float64(v),))


def test_variadic_add_mul_fold_left_with_numpy_promotion() -> None:
    a, b, c = ps.int8("a"), ps.int8("b"), ps.int16("c")
    for op in (se.add, se.mul):
        node = op(a, b, c).owner
        jitted = numba.njit(numba_funcify(node.op, node)[0])
        args = (np.int8(100), np.int8(100), np.int16(1000))
        assert jitted(*args) == reference(node, args)
    one = se.add(ps.float32("x")).owner
    assert numba.njit(numba_funcify(one.op, one)[0])(np.float32(2.5)) == 2.5


def test_integer_negative_power_raises_like_numpy() -> None:
    node = se.pow(ps.int64("a"), ps.int64("b")).owner
    jitted = numba.njit(numba_funcify(node.op, node)[0])
    with pytest.raises(ValueError, match="negative integer powers"):
        jitted(2, -1)
    assert jitted(3, 39) == np.power(np.int64(3), np.int64(39))


def test_keys_distinguish_dtypes() -> None:
    n1 = se.add(ps.float64("x"), ps.float64("y")).owner
    n2 = se.add(ps.float32("x"), ps.float32("y")).owner
    assert numba_funcify(n1.op, n1)[1] != numba_funcify(n2.op, n2)[1]
    assert nscalar.numba_dtype_name("float16") == "np.float32"
