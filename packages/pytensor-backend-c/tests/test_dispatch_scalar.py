"""C kernels of the elementary scalar Ops against what ``Elemwise.perform`` computes
(NumPy), on every supported dtype and on edge values (NaN, inf, signed zeros,
integer extremes, zero divisors)."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from _c_scalar_harness import KernelSet, make_node, reference

import pytensor.scalar as ps

DTYPES = [
    "bool",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float32",
    "float64",
]
MIXED = [
    ("int8", "uint8"),
    ("uint8", "int8"),
    ("int64", "uint64"),
    ("uint64", "int64"),
    ("uint64", "int8"),
    ("int32", "float32"),
    ("int8", "float32"),
    ("float32", "float64"),
    ("bool", "int8"),
    ("uint32", "int32"),
    ("bool", "float64"),
    ("int64", "float64"),
    ("uint64", "float64"),
    ("int16", "float32"),
]


def values(dtype: str) -> np.ndarray:
    """Edge values of ``dtype`` plus a few ordinary ones."""
    if dtype == "bool":
        return np.array([False, True])
    if dtype.startswith(("int", "uint")):
        info = np.iinfo(dtype)
        vals = [info.min, info.min + 1, info.max, info.max - 1, 0, 1, 2, 3, 7, 100]
        if info.min < 0:
            vals += [-1, -2, -3, -7, -100]
        return np.unique(np.array([v for v in vals if info.min <= v <= info.max], dtype=dtype))
    info = np.finfo(dtype)
    return np.array(
        [np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, 2.5, -2.5, 0.49999997]
        + [3.0, -7.0, 1e-3, -1e-3, 12.75, -12.75, 300.0, float(info.max), -float(info.max)]
        + [float(info.tiny), 1e30, -3e9, 3e9, 0.1, 1e10],
        dtype=dtype,
    )


def complex_values(dtype: str) -> np.ndarray:
    """Complex numbers whose parts are the float edge values of the matching precision."""
    parts = values("float32" if dtype == "complex64" else "float64")[::3]
    re, im = np.meshgrid(parts, parts)
    return (re + 1j * im).ravel().astype(dtype)


def grid(dtypes: tuple[str, ...]) -> list[np.ndarray]:
    """All combinations of the edge values of each input dtype."""
    combos = list(
        itertools.product(*[complex_values(d) if "complex" in d else values(d) for d in dtypes])
    )
    return [np.array([c[k] for c in combos], dtype=d) for k, d in enumerate(dtypes)]


UNARY = [
    ps.neg,
    ps.abs,
    ps.sign,
    ps.sqr,
    ps.invert,
    ps.logical_not,
    ps.isnan,
    ps.isinf,
    ps.identity,
    ps.real,
    ps.imag,
    ps.conj,
    ps.angle,
    ps.floor,
    ps.ceil,
    ps.trunc,
    ps.round_half_to_even,
    ps.round_half_away_from_zero,
    ps.reciprocal,
    ps.deg2rad,
    ps.rad2deg,
]
LIBM = [
    ps.exp,
    ps.exp2,
    ps.expm1,
    ps.log,
    ps.log2,
    ps.log10,
    ps.log1p,
    ps.sqrt,
    ps.cos,
    ps.sin,
    ps.tan,
    ps.arccos,
    ps.arcsin,
    ps.arctan,
    ps.cosh,
    ps.sinh,
    ps.tanh,
    ps.arccosh,
    ps.arcsinh,
    ps.arctanh,
]
BINARY = [
    ps.add,
    ps.sub,
    ps.mul,
    ps.true_div,
    ps.int_div,
    ps.mod,
    ps.maximum,
    ps.minimum,
    ps.lt,
    ps.gt,
    ps.le,
    ps.ge,
    ps.eq,
    ps.neq,
    ps.and_,
    ps.or_,
    ps.xor,
    ps.second,
    ps.pow,
    ps.hypot,
    ps.arctan2,
]
TERNARY_DTYPES = [
    ("float64", "float64", "float64"),
    ("float32", "float32", "float32"),
    ("int32", "int32", "int32"),
    ("int8", "uint8", "int16"),
    ("bool", "int8", "float32"),
    ("float64", "int64", "uint8"),
    ("bool", "bool", "bool"),
    ("uint64", "int64", "float64"),
]


def _cases() -> list[tuple[Any, tuple[str, ...]]]:
    cases: list[tuple[Any, tuple[str, ...]]] = []
    for op in UNARY + LIBM:
        cases += [(op, (d,)) for d in DTYPES]
    for op in BINARY:
        cases += [(op, (d, d)) for d in DTYPES] + [(op, pair) for pair in MIXED]
    for op in (ps.clip, ps.switch):
        cases += [(op, dts) for dts in TERNARY_DTYPES]
    cases += [(ps.add, ("int16", "uint8", "int8")), (ps.mul, ("float32", "int8", "int16"))]
    cases += [(ps.Cast(ps.get_scalar_type(b)), (a,)) for a in DTYPES for b in DTYPES if a != b]
    return cases + COMPLEX_CASES


COMPLEX_UNARY = [ps.neg, ps.sqr, ps.conj, ps.exp, ps.real, ps.imag, ps.abs, ps.angle, ps.identity]
COMPLEX_BINARY = [ps.add, ps.sub, ps.mul, ps.eq, ps.neq, ps.second]
COMPLEX_PAIRS = [
    ("complex128", "complex128"),
    ("complex64", "complex64"),
    ("complex128", "float64"),
    ("float32", "complex64"),
    ("complex64", "float64"),
]
COMPLEX_CASES = (
    [(op, (d,)) for op in COMPLEX_UNARY for d in ("complex64", "complex128")]
    + [(op, pair) for op in COMPLEX_BINARY for pair in COMPLEX_PAIRS]
    + [(ps.switch, ("bool", "complex128", "float64")), (ps.switch, ("int8", "complex64", "int8"))]
    + [
        (ps.Cast(ps.get_scalar_type(b)), (a,))
        for a, b in [
            ("float64", "complex128"),
            ("int32", "complex64"),
            ("complex64", "complex128"),
            ("complex128", "complex64"),
        ]
    ]
)


def _buildable(op: Any, dtypes: tuple[str, ...]) -> Any:
    try:
        return make_node(op, dtypes)
    except TypeError:
        return None


CASES = [(op, d, node) for op, d in _cases() if (node := _buildable(op, d)) is not None]
IDS = [f"{op}-{'-'.join(d)}" for op, d, _ in CASES]
# NumPy raises for negative integer powers: these kernels report it (scalar error channel).
CHECKED_POW = {
    f"pow-{a}-{b}"
    for a, b in [(d, d) for d in DTYPES] + MIXED
    if b.startswith("int") and not np.result_type(a, b).kind == "f"
}
# Bitwise Ops on int64 and uint64 promote to float64, where NumPy has no bitwise loop.
NO_KERNEL = {
    f"{op}-{a}-{b}"
    for op in ("and_", "or_", "xor")
    for a, b in MIXED
    if np.result_type(a, b).kind == "f" and "float" not in a + b
}


@pytest.fixture(scope="module")
def kernels() -> tuple[KernelSet, dict[str, str | None]]:
    ks = KernelSet()
    names = {case_id: ks.add(node) for case_id, (_, _, node) in zip(IDS, CASES, strict=True)}
    ks.compile()
    return ks, names


def _tolerance(op: Any, dtype: str) -> float:
    """libm and NumPy's SIMD loops may differ in the last bits of transcendental results."""
    if op in LIBM or op in (ps.hypot, ps.arctan2, ps.pow, ps.angle, ps.abs):
        return 4e-6 if dtype in ("float32", "complex64") else 4e-15
    return 0.0


@pytest.mark.parametrize("case", range(len(CASES)), ids=IDS)
def test_kernel_matches_perform(kernels: Any, case: int) -> None:
    ks, names = kernels
    op, dtypes, node = CASES[case]
    name = names[IDS[case]]
    if IDS[case] in NO_KERNEL:
        assert name is None
        return
    assert name is not None, f"no C kernel for {IDS[case]}"
    arrays = grid(dtypes)
    out_dtype = node.outputs[0].type.dtype
    if isinstance(op, ps.Cast) and out_dtype == "uint32" and dtypes[0].startswith("float"):
        # Out-of-range float -> uint32 is undefined in C and SIMD-path dependent in NumPy.
        keep = (arrays[0] > -(2.0**31)) & (arrays[0] < 2.0**32)
        arrays = [arrays[0][keep]]
    if IDS[case] in CHECKED_POW:
        with pytest.raises(ValueError) as c_error:
            ks.run(name, arrays)
        with pytest.raises(ValueError) as np_error:
            reference(node, arrays)
        assert str(c_error.value) == str(np_error.value)
        keep = arrays[1] >= 0
        arrays = [arrays[0][keep], arrays[1][keep]]
    got = ks.run(name, arrays)
    expected = reference(node, arrays)
    assert got.dtype == expected.dtype
    rtol = _tolerance(op, out_dtype)
    if rtol:
        np.testing.assert_allclose(got, expected, rtol=rtol, atol=0, equal_nan=True)
    else:
        np.testing.assert_array_equal(got, expected)


def test_integer_pow_with_constant_exponent(kernels: Any) -> None:
    ks = KernelSet()
    node = make_node(ps.pow, ("int64", "int8"), constants={1: 3})
    name = ks.add(node)
    assert name is not None
    negative = ks.add(make_node(ps.pow, ("int64", "int8"), constants={1: -1}))
    assert negative is not None
    ks.compile()
    base = values("int64")
    np.testing.assert_array_equal(
        ks.run(name, [base, np.int8(3)]), reference(node, [base, np.int8(3)])
    )
    with pytest.raises(ValueError, match="Integers to negative integer powers are not allowed"):
        ks.run(negative, [base, np.int8(-1)])


def test_float16_and_complex_fall_back() -> None:
    for op, dtypes in [
        (ps.add, ("float16", "float16")),
        (ps.true_div, ("complex128", "complex128")),
    ]:
        node = make_node(op, dtypes)
        ks = KernelSet()
        assert ks.add(node) is None
