"""Bad input raises an error naming the Op and the offending input (issue 4, "Bad input"; DESIGN.md §4).

Each shape error is checked twice: at graph-build time, when the static
shapes already contradict each other, and at run time, when the same shapes
are only known then. Dtypes and numbers of dimensions are always static, so
a wrong dtype or an axis out of range is always a graph-build error.

Every error case has a positive control beside it (the same graph with
compatible input), so a test cannot pass because the graph fails for an
unrelated reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest

import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.compile.mode import Mode

PY = Mode(linker="py", optimizer=None)
MODES = [pytest.param(PY, id="py-no-rewrites"), pytest.param(None, id="default-mode")]


def assert_names(exc: BaseException, op: str | Sequence[str], inputs: Sequence[str]) -> None:
    """The message names the Op (one of ``op``, case-insensitive) and one of ``inputs``."""
    msg = str(exc)
    ops = [op] if isinstance(op, str) else list(op)
    assert any(o.lower() in msg.lower() for o in ops), f"the message does not name {ops}: {msg!r}"
    assert any(i in msg for i in inputs), f"the message does not name the input ({inputs}): {msg!r}"


# ---------------------------------------------------------------------------
# Wrong dtype: a bitwise op on floats (graph-build time only: dtypes are static)
# ---------------------------------------------------------------------------
BITWISE = [
    ("bitwise_and", ("and",), 2),
    ("bitwise_or", ("or",), 2),
    ("bitwise_xor", ("xor",), 2),
    ("bitwise_not", ("invert",), 1),
    ("and_", ("and",), 2),
    ("invert", ("invert",), 1),
]


@pytest.mark.parametrize(("name", "op", "nin"), BITWISE, ids=[b[0] for b in BITWISE])
@pytest.mark.parametrize("dtype", ["float32", "float64", "complex128"])
def test_bitwise_op_on_floats(name: str, op: tuple[str, ...], nin: int, dtype: str) -> None:
    func = getattr(pt, name)
    ints = [pt.vector(f"ok{k}", dtype="int32") for k in range(nin)]
    assert func(*ints).dtype == "int32"  # control
    floats = [pt.vector("ok0", dtype="int32")] * (nin - 1) + [
        pt.vector("float_operand", dtype=dtype)
    ]
    with pytest.raises(TypeError) as info:
        func(*floats)
    assert_names(info.value, op, ["float_operand"])
    assert dtype in str(info.value)


def test_bitwise_operator_on_floats() -> None:
    x = pt.vector("lhs_float")
    with pytest.raises(TypeError) as info:
        x & pt.vector("rhs", dtype="bool")
    assert_names(info.value, ("and",), ["lhs_float"])
    with pytest.raises(TypeError) as info:
        _ = ~x
    assert_names(info.value, ("invert",), ["lhs_float"])


# ---------------------------------------------------------------------------
# Axis out of range (graph-build time only: the number of dimensions is static)
# ---------------------------------------------------------------------------
def _two(x: Any) -> list[Any]:
    return [x, x]


AXIS_FUNCS: list[tuple[str, Callable[[Any, int], Any], tuple[str, ...]]] = [
    ("sum", lambda x, a: pt.sum(x, axis=a), ("sum",)),
    ("prod", lambda x, a: pt.prod(x, axis=a), ("prod",)),
    ("max", lambda x, a: pt.max(x, axis=a), ("max",)),
    ("min", lambda x, a: pt.min(x, axis=a), ("min",)),
    ("all", lambda x, a: pt.all(x, axis=a), ("all",)),
    ("any", lambda x, a: pt.any(x, axis=a), ("any",)),
    ("mean", lambda x, a: pt.mean(x, axis=a), ("mean",)),
    ("var", lambda x, a: pt.var(x, axis=a), ("var",)),
    ("std", lambda x, a: pt.std(x, axis=a), ("std", "var")),
    ("argmax", lambda x, a: pt.argmax(x, axis=a), ("argmax",)),
    ("argmin", lambda x, a: pt.argmin(x, axis=a), ("argmin", "argmax")),
    ("logsumexp", lambda x, a: pt.logsumexp(x, axis=a), ("logsumexp", "max", "sum")),
    ("cumsum", lambda x, a: pt.cumsum(x, axis=a), ("cumsum", "cumop")),
    ("cumprod", lambda x, a: pt.cumprod(x, axis=a), ("cumprod", "cumop")),
    ("diff", lambda x, a: pt.diff(x, axis=a), ("diff",)),
    ("sort", lambda x, a: pt.sort(x, axis=a), ("sort",)),
    ("argsort", lambda x, a: pt.argsort(x, axis=a), ("argsort", "sort")),
    ("squeeze", lambda x, a: pt.squeeze(pt.specify_shape(x, (1, 1)), axis=a), ("squeeze",)),
    ("flip", lambda x, a: pt.flip(x, axis=a), ("flip",)),
    ("repeat", lambda x, a: pt.repeat(x, 2, axis=a), ("repeat",)),
    ("concatenate", lambda x, a: pt.concatenate(_two(x), axis=a), ("join", "concatenate")),
    ("join", lambda x, a: pt.join(a, x, x), ("join",)),
    ("split", lambda x, a: pt.split(x, [1, 1], 2, axis=a), ("split",)),
    ("roll", lambda x, a: pt.roll(x, 1, axis=a), ("roll",)),
]


@pytest.mark.parametrize(("name", "build", "op"), AXIS_FUNCS, ids=[a[0] for a in AXIS_FUNCS])
@pytest.mark.parametrize("axis", [2, -3, 7])
def test_axis_out_of_range(
    name: str, build: Callable[[Any, int], Any], op: tuple[str, ...], axis: int
) -> None:
    x = pt.matrix("data")
    ok = build(x, 1 if axis > 0 else -2)  # control: a valid axis
    assert ok is not None
    with pytest.raises((ValueError, IndexError)) as info:
        build(x, axis)
    assert_names(info.value, op, [f"axis {axis}"])


@pytest.mark.parametrize("axis", [3, -4, 9])
def test_expand_dims_axis_out_of_range(axis: int) -> None:
    """A 2-d input gets a 3-d result, so the valid axes are -3..2."""
    x = pt.matrix("data")
    assert pt.expand_dims(x, 2).type.ndim == 3 and pt.expand_dims(x, -3).type.ndim == 3  # control
    with pytest.raises((ValueError, IndexError)) as info:
        pt.expand_dims(x, axis)
    assert_names(info.value, "expand_dims", [f"axis {axis}"])


# ---------------------------------------------------------------------------
# Reshape to an incompatible size
# ---------------------------------------------------------------------------
def test_reshape_incompatible_static_size() -> None:
    x = pt.matrix("source", shape=(2, 3))
    assert pt.reshape(x, (3, 2)).type.shape == (3, 2)  # control
    assert pt.reshape(x, (-1,)).type.shape == (6,)
    for bad in [(4, 2), (7,), (5, -1), (2, 2, 2)]:
        with pytest.raises(ValueError) as info:
            pt.reshape(x, bad)
        assert_names(info.value, "Reshape", ["source"])


@pytest.mark.parametrize("mode", MODES)
def test_reshape_incompatible_size_at_run_time(mode: Mode | None) -> None:
    x = pt.matrix("source")
    n = pt.lscalar("n")
    f = function([x, n], pt.reshape(x, (n, 2)), mode=mode)
    np.testing.assert_array_equal(
        f(np.arange(6.0).reshape(2, 3), 3), np.arange(6.0).reshape(3, 2)
    )  # control
    with pytest.raises(ValueError) as info:
        f(np.arange(6.0).reshape(2, 3), 4)
    assert_names(info.value, "Reshape", ["source", "input 0"])
    g = function([x], x.reshape((-1, 4)), mode=mode)
    with pytest.raises(ValueError) as info:
        g(np.zeros((2, 3)))
    assert_names(info.value, "Reshape", ["source", "input 0"])


# ---------------------------------------------------------------------------
# SpecifyShape contradicting a static shape
# ---------------------------------------------------------------------------
def test_specify_shape_contradicts_static_shape() -> None:
    x = pt.matrix("declared", shape=(2, 3))
    assert pt.specify_shape(x, (2, None)).type.shape == (2, 3)  # control
    for bad in [(2, 4), (3, None), (None, 1)]:
        with pytest.raises(ValueError) as info:
            pt.specify_shape(x, bad)
        assert_names(info.value, "SpecifyShape", ["declared"])
    with pytest.raises(ValueError) as info:
        pt.specify_shape(x, (2, 3, 1))
    assert_names(info.value, "SpecifyShape", ["declared"])


@pytest.mark.parametrize("mode", MODES)
def test_specify_shape_contradicted_at_run_time(mode: Mode | None) -> None:
    x = pt.matrix("declared")
    out = pt.specify_shape(x, (2, 4))
    assert out.type.shape == (2, 4)
    f = function([x], out * 2, mode=mode)
    np.testing.assert_array_equal(f(np.ones((2, 4))), np.full((2, 4), 2.0))  # control
    with pytest.raises((AssertionError, ValueError)) as info:
        f(np.ones((2, 3)))
    assert_names(info.value, "SpecifyShape", ["declared", "input 0"])
    n = pt.lscalar("n")
    g = function([x, n], pt.specify_shape(x, (n, None)), mode=mode)
    with pytest.raises((AssertionError, ValueError)) as info:
        g(np.ones((2, 3)), 5)
    assert_names(info.value, "SpecifyShape", ["declared", "input 0"])


# ---------------------------------------------------------------------------
# Concatenation of mismatched shapes
# ---------------------------------------------------------------------------
JOINERS: list[tuple[str, Callable[[Any, Any], Any], tuple[str, ...]]] = [
    ("concatenate", lambda a, b: pt.concatenate([a, b], axis=0), ("join", "concatenate")),
    ("join", lambda a, b: pt.join(1, a, b), ("join",)),
    ("stack", lambda a, b: pt.stack([a, b]), ("join", "stack")),
    ("vstack", lambda a, b: pt.vstack([a, b]), ("join", "vstack")),
    ("hstack", lambda a, b: pt.hstack([a, b]), ("join", "hstack")),
]


def _join_shapes(name: str) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
    """(first, compatible second, incompatible second) for each joiner."""
    if name in ("join", "hstack"):  # along axis 1: the rows must match
        return (2, 3), (2, 5), (4, 3)
    if name == "stack":  # everything must match
        return (2, 3), (2, 3), (2, 4)
    return (2, 3), (5, 3), (2, 4)


@pytest.mark.parametrize(("name", "build", "op"), JOINERS, ids=[j[0] for j in JOINERS])
def test_join_mismatched_static_shapes(
    name: str, build: Callable[[Any, Any], Any], op: tuple[str, ...]
) -> None:
    first, good, bad = _join_shapes(name)
    a = pt.matrix("first", shape=first)
    assert build(a, pt.matrix("second", shape=good)) is not None  # control
    with pytest.raises(ValueError) as info:
        build(a, pt.matrix("mismatched", shape=bad))
    assert_names(info.value, op, ["mismatched", "input 1"])


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("name", "build", "op"), JOINERS, ids=[j[0] for j in JOINERS])
def test_join_mismatched_shapes_at_run_time(
    name: str, build: Callable[[Any, Any], Any], op: tuple[str, ...], mode: Mode | None
) -> None:
    first, good, bad = _join_shapes(name)
    a, b = pt.matrix("first"), pt.matrix("mismatched")
    f = function([a, b], build(a, b), mode=mode)
    assert f(np.ones(first), np.ones(good)) is not None  # control
    with pytest.raises(ValueError) as info:
        f(np.ones(first), np.ones(bad))
    assert_names(info.value, op, ["mismatched", "input 1"])


# ---------------------------------------------------------------------------
# Runtime broadcasting: a length-1 dimension not declared as such
# ---------------------------------------------------------------------------
ELEMWISE_BUILDERS: list[tuple[str, Callable[[Any, Any], Any], tuple[str, ...]]] = [
    ("add", lambda a, b: a + b, ("add",)),
    ("mul", lambda a, b: pt.mul(a, b), ("mul",)),
    ("lt", lambda a, b: pt.lt(a, b), ("lt",)),
    ("maximum", lambda a, b: pt.maximum(a, b), ("maximum",)),
    ("switch", lambda a, b: pt.switch(pt.gt(b, 0), a, b), ("switch", "gt")),
]


@pytest.mark.parametrize(
    ("name", "build", "op"), ELEMWISE_BUILDERS, ids=[e[0] for e in ELEMWISE_BUILDERS]
)
def test_incompatible_static_shapes_in_elemwise(
    name: str, build: Callable[[Any, Any], Any], op: tuple[str, ...]
) -> None:
    a = pt.matrix("first", shape=(2, 3))
    assert build(a, pt.matrix("row", shape=(1, 3))).type.shape == (
        2,
        3,
    )  # control: static 1 broadcasts
    with pytest.raises(ValueError) as info:
        build(a, pt.matrix("longer", shape=(4, 3)))
    assert_names(info.value, op, ["longer", "input 1", "input 0"])
    assert "(4, 3)" in str(info.value) and "(2, 3)" in str(info.value)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("name", "build", "op"), ELEMWISE_BUILDERS, ids=[e[0] for e in ELEMWISE_BUILDERS]
)
def test_runtime_broadcasting_is_an_error(
    name: str, build: Callable[[Any, Any], Any], op: tuple[str, ...], mode: Mode | None
) -> None:
    a, b = pt.matrix("first"), pt.matrix("single_row")
    f = function([a, b], build(a, b), mode=mode)
    ones = np.ones((2, 3))
    assert f(ones, ones).shape == (2, 3)  # control: equal lengths
    with pytest.raises(ValueError) as info:
        f(ones, np.ones((1, 3)))
    msg = str(info.value)
    assert_names(info.value, op, ["single_row", "input 1", "input 0"])
    assert "broadcast" in msg.lower()
    assert "specify_broadcastable" in msg and "shape=(1" in msg, (
        f"the message does not say how to declare it: {msg}"
    )


@pytest.mark.parametrize("mode", MODES)
def test_alloc_runtime_broadcasting_is_an_error(mode: Mode | None) -> None:
    """Alloc repeats its value only along dimensions that are new or of static length 1."""
    x = pt.matrix("small_value")
    f = function([x], pt.alloc(x, 3, 4), mode=mode)
    np.testing.assert_array_equal(f(np.ones((3, 4))), np.ones((3, 4)))  # control
    with pytest.raises(ValueError) as info:
        f(np.ones((1, 4)))
    msg = str(info.value)
    assert_names(info.value, "Alloc", ["small_value", "input 0"])
    assert "specify_broadcastable" in msg or "shape=(1" in msg, msg
    declared = pt.matrix("declared", shape=(1, None))
    g = function([declared], pt.alloc(declared, 3, 4), mode=mode)
    np.testing.assert_array_equal(g(np.arange(4.0)[None]), np.tile(np.arange(4.0), (3, 1)))


@pytest.mark.parametrize("mode", MODES)
def test_runtime_length_mismatch_is_an_error(mode: Mode | None) -> None:
    a, b = pt.vector("first"), pt.vector("second")
    f = function([a, b], a * b, mode=mode)
    with pytest.raises(ValueError) as info:
        f(np.ones(3), np.ones(4))
    assert_names(info.value, "mul", ["second", "input 1", "input 0"])
    assert "specify_broadcastable" not in str(
        info.value
    )  # no length 1 involved: nothing to declare


@pytest.mark.parametrize("mode", MODES)
def test_declared_broadcastable_dimensions_broadcast(mode: Mode | None) -> None:
    """The remedies the error message names work, and give NumPy's values."""
    a = pt.matrix("a")
    row = np.arange(3.0).reshape(1, 3)
    data = np.arange(6.0).reshape(2, 3)
    declared = pt.matrix("declared", shape=(1, None))
    f = function([a, declared], a + declared, mode=mode)
    np.testing.assert_array_equal(f(data, row), data + row)
    b = pt.matrix("b")
    g = function([a, b], a * pt.specify_broadcastable(b, 0), mode=mode)
    np.testing.assert_array_equal(g(data, row), data * row)
    with pytest.raises((AssertionError, ValueError)) as info:
        g(data, data)  # the declaration is checked at run time
    assert_names(info.value, "SpecifyShape", ["b", "input 0"])
