"""Rewrite safety (issue 7 §5, DESIGN.md §4).

With the ``shape_unsafe`` rewrites excluded, every error a graph raises
without rewrites is still raised after FAST_RUN rewriting: runtime
broadcasting in Elemwise, SpecifyShape, Reshape, Join and Dot mismatches,
and failing Asserts, whichever way the failing value is used (its shape, a
length, a reduction, a product with zero). With valid inputs every mode gives
the NumPy result.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.compile.mode import Mode
from pytensor.raise_op import Assert, CheckAndRaise, assert_op

NONE = Mode(linker="py", optimizer=None)
FAST = Mode(linker="py", optimizer="fast_run")
SAFE = FAST.excluding("shape_unsafe")


def _m(*shape: int) -> np.ndarray:
    return np.arange(float(np.prod(shape))).reshape(shape) + 1.0


# name -> (build(*inputs) -> failing variable, ndims of the inputs, good values, bad values)
GRAPHS: dict[str, tuple[Callable[..., Any], tuple[int, ...], list[Any], list[Any]]] = {
    "elemwise-mismatch": (lambda x, y: pt.exp(x + y), (1, 1), [_m(3), _m(3)], [_m(3), _m(4)]),
    "elemwise-runtime-broadcast": (
        lambda x, y: x * y,
        (2, 2),
        [_m(2, 3), _m(2, 3)],
        [_m(2, 3), _m(1, 3)],
    ),
    "specify-shape": (lambda x: pt.specify_shape(x, (3,)) + 1.0, (1,), [_m(3)], [_m(4)]),
    "reshape-size": (lambda x: pt.reshape(x, (2, 3)), (1,), [_m(6)], [_m(5)]),
    "join": (lambda a, b: pt.join(0, a, b), (2, 2), [_m(2, 3), _m(1, 3)], [_m(2, 3), _m(2, 4)]),
    "dot": (lambda a, b: pt.dot(a, b), (2, 2), [_m(2, 3), _m(3, 4)], [_m(2, 3), _m(4, 4)]),
    "matmul-vector": (lambda a, b: pt.dot(a, b), (2, 1), [_m(2, 3), _m(3)], [_m(2, 3), _m(2)]),
    "assert": (lambda x: assert_op(x, pt.all(x > 2.0)), (1,), [_m(3) + 2], [_m(3)]),
    "check-and-raise": (
        lambda x: CheckAndRaise(ValueError, "too short")(x, x.shape[0] > 2) * 2.0,
        (1,),
        [_m(3)],
        [_m(2)],
    ),
    "alloc": (lambda x, y: pt.alloc(x, y.shape[0]) * 0.0, (1, 1), [_m(3), _m(3)], [_m(3), _m(4)]),
}

# How the failing value is used: each removes the need for its values.
USES: dict[str, Callable[[Any], Any]] = {
    "shape": lambda v: v.shape,
    "length": lambda v: v.shape[0],
    "size": lambda v: v.size,
    "sum": lambda v: v.sum(),
    "times-zero": lambda v: (v * 0.0).sum(),
    "zeros-like": pt.zeros_like,
}


def _inputs(ndims: tuple[int, ...]) -> list[Any]:
    return [pt.tensor(f"i{k}", dtype="float64", shape=(None,) * n) for k, n in enumerate(ndims)]


@pytest.mark.parametrize("use", sorted(USES))
@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_errors_survive_rewriting_without_shape_unsafe(name: str, use: str) -> None:
    build, ndims, good, bad = GRAPHS[name]
    inputs = _inputs(ndims)
    out = USES[use](build(*inputs))
    reference = function(inputs, out, mode=NONE)
    with pytest.raises(Exception) as original:  # noqa: PT011 (each graph raises its own type)
        reference(*bad)
    safe = function(inputs, out, mode=SAFE)
    with pytest.raises(type(original.value)):
        safe(*bad)
    expected = reference(*good)
    for mode in (SAFE, FAST):
        np.testing.assert_allclose(function(inputs, out, mode=mode)(*good), expected)


def test_shape_unsafe_is_included_by_default_and_drops_the_check() -> None:
    x, y = _inputs((1, 1))
    out = (x + y).shape[0]
    fast = function([x, y], out, mode=FAST)
    assert len(fast.maker.fgraph.apply_nodes) == 1  # only a read of one input's length
    assert int(fast(_m(3), _m(4))) == 3  # the mismatch is not seen: that is what the tag means
    safe = function([x, y], out, mode=SAFE)
    with pytest.raises(ValueError):
        safe(_m(3), _m(4))


def _asserts(f: Any) -> list[Any]:
    return [n for n in f.maker.fgraph.apply_nodes if isinstance(n.op, CheckAndRaise)]


@pytest.mark.parametrize("mode", [FAST, SAFE], ids=["fast_run", "safe"])
def test_asserts_survive_unless_proven_true(mode: Mode) -> None:
    x = pt.vector("x")
    kept = assert_op(x, pt.all(x > 0)) * 2.0
    f = function([x], kept, mode=mode)
    assert len(_asserts(f)) == 1
    with pytest.raises(AssertionError):
        f(np.array([-1.0]))
    proven = assert_op(x, pt.constant(True), pt.constant(np.int8(1))) * 2.0
    g = function([x], proven, mode=mode)
    assert _asserts(g) == []
    np.testing.assert_allclose(g(np.array([1.5])), [3.0])
    partly = Assert("msg")(x, pt.constant(True), pt.all(x > 0)) * 2.0
    h = function([x], partly, mode=mode)
    [node] = _asserts(h)
    assert len(node.inputs) == 2


def test_constant_false_assert_still_raises() -> None:
    x = pt.vector("x")
    out = assert_op(pt.constant(np.ones(2)), pt.constant(False)) + x
    f = function([x], out, mode=FAST)
    with pytest.raises(AssertionError):
        f(np.ones(2))


def test_remove_all_assert_only_in_unsafe() -> None:
    x = pt.vector("x")
    out = assert_op(x, pt.all(x > 0)) * 2.0
    f = function([x], out, mode=Mode(linker="py", optimizer="fast_run").including("unsafe"))
    assert _asserts(f) == []
    np.testing.assert_allclose(f(np.array([-1.0])), [-2.0])
    g = function([x], out, mode=FAST)
    assert len(_asserts(g)) == 1
