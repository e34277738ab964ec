"""One shape definition per Op (issue 4 §6, DESIGN.md §4).

For every Op class of pytensor-tensor that is a ``ShapedOp`` (found by walking
the subclasses, so a new Op without cases makes a failing test), each case
builds a small graph and checks, for every ShapedOp node in it:

    static shape (``node.outputs[i].type.shape``, where not None)
    == symbolic shape (``op.infer_shape`` evaluated with ``function``)
    == shape of the value computed by ``function``

The symbolic shapes are evaluated twice: once with every input length given
as a free int64 scalar (what a graph with unknown shapes sees) and once with
the statically known lengths given as ints (what the shape feature sees when
it folds constants).

A case lists input values; each *variant* turns them into input variables:
``static`` declares the values' full shapes, ``ones`` declares only the
length-1 dimensions (the usual broadcastable pattern), ``unknown`` declares
nothing. Wrap a value in :class:`Const` to pass it as a constant, or in
:class:`Static` to always declare its full shape (e.g. a shape vector).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

import pytensor.scalar.basic as ps
import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.compile.io import In
from pytensor.compile.mode import Mode
from pytensor.graph.basic import Constant, Variable
from pytensor.graph.traversal import apply_ancestors
from pytensor.tensor._shape_calc import ShapedOp

PY = Mode(linker="py", optimizer=None)
VARIANTS = ("static", "ones", "unknown")


# ---------------------------------------------------------------------------
# Collecting the Op classes
# ---------------------------------------------------------------------------
def _import_tensor_modules() -> None:
    import pytensor.tensor as tensor_pkg

    for info in pkgutil.walk_packages(tensor_pkg.__path__, "pytensor.tensor."):
        importlib.import_module(info.name)


def shaped_op_classes() -> dict[str, type]:
    """Every ShapedOp subclass defined by the library, keyed by class name."""
    _import_tensor_modules()
    found: dict[str, type] = {}
    stack = list(ShapedOp.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if not cls.__module__.startswith("pytensor."):
            continue
        other = found.get(cls.__qualname__)
        if other is not None and other is not cls:
            raise AssertionError(
                f"two ShapedOp classes named {cls.__qualname__}: {other} and {cls}"
            )
        found[cls.__qualname__] = cls
    return found


# Base classes that are never instantiated themselves; each entry says why.
ABSTRACT: dict[str, str] = {}


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Const:
    """An input passed to the builder as a constant (not a function input)."""

    value: Any


@dataclass(frozen=True)
class Static:
    """An input whose full shape is declared in every variant."""

    value: Any


@dataclass
class Case:
    """``build(*inputs)`` returns the output variable(s); ``values`` are the inputs' values."""

    id: str
    build: Callable[..., Any]
    values: Sequence[Any] = ()
    variants: Sequence[str] = VARIANTS


def A(
    *shape: int, dtype: str = "float64", low: float = -3.0, high: float = 3.0, seed: int = 0
) -> np.ndarray:
    """Deterministic test data of ``shape`` and ``dtype``."""
    rng = np.random.default_rng(seed + 7 * len(shape) + sum(shape))
    if dtype == "bool":
        return rng.random(shape) > 0.5
    if np.dtype(dtype).kind in "iu":
        lo = 0 if np.dtype(dtype).kind == "u" else int(low)
        return rng.integers(lo, int(high) + 1, size=shape).astype(dtype)
    data = rng.uniform(low, high, size=shape)
    if np.dtype(dtype).kind == "c":
        data = data + 1j * rng.uniform(low, high, size=shape)
    return np.asarray(data, dtype=dtype)


def I(value: Any, dtype: str = "int64") -> np.ndarray:  # noqa: E743 (short name for table readability)
    """An integer array (scalar or vector) used as a length, axis or index input."""
    return np.asarray(value, dtype=dtype)


def _elemwise_cases() -> list[Case]:
    return [
        Case("unary-0d", pt.exp, [A()]),
        Case("unary-empty", pt.exp, [A(0, 3)]),
        Case("unary-len1", pt.neg, [A(1, 1, 2)]),
        Case("binary-same", pt.add, [A(2, 3), A(2, 3, seed=1)]),
        Case("binary-bcast-row", pt.mul, [A(2, 3), A(1, 3)], variants=("static", "ones")),
        Case("binary-bcast-both", pt.sub, [A(4, 1), A(1, 3)], variants=("static", "ones")),
        Case("binary-rank-pad", pt.add, [A(2, 3), A(3)]),
        Case("binary-scalar", lambda x: x * 2.0, [A(0, 2)]),
        Case("binary-empty-bcast", pt.add, [A(0, 1), A(1, 4)], variants=("static", "ones")),
        Case("comparison", pt.lt, [A(3), A(3, seed=2)]),
        Case(
            "ternary-switch",
            lambda c, a, b: pt.switch(c, a, b),
            [A(2, 1, dtype="bool"), A(2, 3), A(1, 3)],
            variants=("static", "ones"),
        ),
        Case("ternary-clip", lambda x, lo, hi: pt.clip(x, lo, hi), [A(5), A(), A()]),
        Case("inplace", lambda x, y: pt.Elemwise(ps.add, {0: 0})(x, y), [A(2, 3), A(2, 3)]),
        Case("two-outputs-composite", _composite_two_outputs, [A(2, 2), A(2, 2)]),
    ]


def _composite_two_outputs(x: Any, y: Any) -> Any:
    Composite = getattr(ps, "Composite", None)
    if Composite is None:  # the fused Op arrives with scalar/math; the plain Elemwise still runs
        return [pt.add(x, y), pt.mul(x, y)]
    a, b = ps.float64("a"), ps.float64("b")
    op = pt.Elemwise(Composite([a, b], [a + b, a * b]))
    return op(x, y)


def _dimshuffle_cases() -> list[Case]:
    return [
        Case("transpose", lambda x: x.dimshuffle(1, 0), [A(2, 3)]),
        Case("transpose-empty", lambda x: x.T, [A(0, 3)]),
        Case("expand-0d", lambda x: x.dimshuffle("x", "x"), [A()]),
        Case("expand-middle", lambda x: x.dimshuffle(0, "x", 1), [A(2, 3)]),
        Case("drop-len1", lambda x: x.dimshuffle(1), [A(1, 3)], variants=("static", "ones")),
        Case("drop-all", lambda x: x.dimshuffle(), [A(1, 1)], variants=("static", "ones")),
        Case("mixed", lambda x: x.dimshuffle(2, "x", 0), [A(2, 1, 4)], variants=("static", "ones")),
    ]


def _reduce_cases(fn: Callable[..., Any], dtype: str = "float64") -> list[Case]:
    return [
        Case("all-axes", lambda x: fn(x), [A(2, 3, dtype=dtype)]),
        Case("axis0", lambda x: fn(x, axis=0), [A(2, 3, dtype=dtype)]),
        Case("axis-neg", lambda x: fn(x, axis=-1), [A(2, 3, 4, dtype=dtype)]),
        Case("axis-tuple", lambda x: fn(x, axis=(0, 2)), [A(2, 3, 4, dtype=dtype)]),
        Case("0d", lambda x: fn(x), [A(dtype=dtype)]),
        Case("len1", lambda x: fn(x, axis=1), [A(3, 1, dtype=dtype)]),
        Case("keepdims", lambda x: fn(x, axis=1, keepdims=True), [A(2, 3, dtype=dtype)]),
    ]


def _reduce_empty_cases(fn: Callable[..., Any], dtype: str = "float64") -> list[Case]:
    """Reductions with an identity can reduce empty dimensions."""
    return [
        Case("empty-reduced", lambda x: fn(x, axis=0), [A(0, 3, dtype=dtype)]),
        Case("empty-kept", lambda x: fn(x, axis=1), [A(0, 3, dtype=dtype)]),
    ]


def _careduce_cases() -> list[Case]:
    return [
        Case("maximum-axis", lambda x: pt.CAReduce(ps.maximum, axis=(1,))(x), [A(2, 3)]),
        Case("add-all", lambda x: pt.CAReduce(ps.add)(x), [A(2, 0)]),
        Case("mul-none-axis", lambda x: pt.CAReduce(ps.mul, axis=())(x), [A(2, 1)]),
    ]


def _shape_cases() -> dict[str, list[Case]]:
    return {
        "Shape": [
            Case("matrix", lambda x: pt.shape(x), [A(2, 3)]),
            Case("0d", lambda x: pt.shape(x), [A()]),
            Case("empty", lambda x: pt.shape(x), [A(0, 1, 4)]),
        ],
        "Shape_i": [
            Case("dim1", lambda x: x.shape[1], [A(2, 3)]),
            Case("empty-dim", lambda x: pt.shape_i(x, 0), [A(0, 2)]),
            Case("len1", lambda x: pt.shape_i(x, 1), [A(3, 1)]),
        ],
        "SpecifyShape": [
            # (with the full static shape declared there is nothing to specify: no node)
            Case(
                "full",
                lambda x: pt.specify_shape(x, (2, 3)),
                [A(2, 3)],
                variants=("ones", "unknown"),
            ),
            Case(
                "partial",
                lambda x: pt.specify_shape(x, (None, 3)),
                [A(4, 3)],
                variants=("ones", "unknown"),
            ),
            Case("symbolic", lambda x, n: pt.specify_shape(x, (n, None)), [A(2, 1), I(2)]),
            Case("len1", lambda x: pt.specify_shape(x, (1, 1)), [A(1, 1)], variants=("unknown",)),
            Case(
                "empty",
                lambda x: pt.specify_shape(x, (0, None)),
                [A(0, 5)],
                variants=("ones", "unknown"),
            ),
        ],
        "Reshape": [
            Case("constant", lambda x: pt.reshape(x, (3, 2)), [A(2, 3)]),
            Case("minus-one", lambda x: pt.reshape(x, (-1, 2)), [A(2, 3, 2)]),
            Case("symbolic", lambda x, s: pt.reshape(x, s, ndim=2), [A(2, 6), Static(I([4, 3]))]),
            Case(
                "symbolic-minus-one",
                lambda x, s: pt.reshape(x, s, ndim=2),
                [A(2, 6), Static(I([-1, 3]))],
            ),
            Case("to-0d", lambda x: pt.reshape(x, ()), [A(1, 1)]),
            Case("from-0d", lambda x: pt.reshape(x, (1, 1, 1)), [A()]),
            Case("empty-explicit", lambda x: pt.reshape(x, (0, 5)), [A(5, 0)]),
            Case("len1", lambda x: pt.reshape(x, (1, 3, 1)), [A(3)]),
        ],
    }


def _construction_cases() -> dict[str, list[Case]]:
    return {
        "Alloc": [
            Case("scalar", lambda v, n: pt.alloc(v, n, 3), [A(), I(2)]),
            Case("row", lambda v: pt.alloc(v, 4, 3), [A(1, 3)], variants=("static", "ones")),
            Case("empty", lambda v: pt.alloc(v, 0, 2), [A()]),
            Case("new-dims", lambda v: pt.alloc(v, 2, 1, 3), [A(3)]),
        ],
        "AllocEmpty": [
            Case("symbolic", lambda n: pt.empty((n, 3)), [I(2)]),
            Case("empty", lambda: pt.empty((0, 4))),
            Case("0d", lambda: pt.empty(())),
        ],
        "MakeVector": [
            Case("scalars", lambda a, b: pt.stack([a, b, a]), [A(), A(seed=1)]),
            Case("ints", lambda a: pt.as_tensor_variable([a, a]), [I(3)]),
            Case("empty", lambda: pt.make_vector()),
        ],
        "ARange": [
            Case("stop", lambda n: pt.arange(n), [I(5)]),
            Case("constant", lambda: pt.arange(2, 11, 3)),
            Case("negative-step", lambda a, b: pt.arange(a, b, -2), [I(5), I(-3)]),
            Case("float", lambda a, b: pt.arange(a, b, 0.5), [A(), A(seed=3) + 5]),
            Case("empty", lambda n: pt.arange(n), [I(0)]),
            Case("empty-constant", lambda: pt.arange(5, 2)),
        ],
        "Eye": [
            Case("square", lambda n: pt.eye(n), [I(3)]),
            Case("rect-k", lambda n, m: pt.eye(n, m, 1), [I(3), I(4)]),
            Case("constant", lambda: pt.eye(2, 5, -1)),
            Case("empty", lambda n: pt.eye(n, 3), [I(0)]),
        ],
        "ExtractDiag": [
            Case("matrix", lambda x: pt.diagonal(x), [A(3, 4)]),
            Case("offset", lambda x: pt.diagonal(x, 2), [A(3, 4)]),
            Case("negative-offset", lambda x: pt.diagonal(x, -1), [A(3, 4)]),
            Case("3d-axes", lambda x: pt.diagonal(x, 0, 1, 2), [A(2, 3, 3)]),
            Case("empty", lambda x: pt.diagonal(x, 5), [A(3, 4)]),
            Case("len1", lambda x: pt.diag(x), [A(1, 3)]),
        ],
        "Join": [
            Case("axis0", lambda a, b: pt.concatenate([a, b]), [A(2, 3), A(1, 3)]),
            Case(
                "axis1",
                lambda a, b: pt.concatenate([a, b], axis=1),
                [A(2, 3), A(2, 1)],
                variants=("static", "unknown"),
            ),
            Case("empty-part", lambda a, b: pt.concatenate([a, b]), [A(0, 3), A(2, 3)]),
            Case(
                "symbolic-axis",
                lambda ax, a, b: pt.join(ax, a, b),
                [I(1), A(2, 2), A(2, 3)],
                variants=("static", "unknown"),
            ),
            Case("stack", lambda a, b: pt.stack([a, b], axis=1), [A(3), A(3)]),
            Case("three-len1", lambda a, b, c: pt.join(0, a, b, c), [A(1), A(1), A(0)]),
        ],
        "Split": [
            Case("constant-sizes", lambda x: pt.split(x, [1, 3, 2], 3), [A(6)]),
            Case(
                "symbolic-sizes",
                lambda x, s: pt.split(x, s, 2, axis=1),
                [A(2, 5), Static(I([2, 3]))],
            ),
            Case("empty-part", lambda x: pt.split(x, [0, 4], 2), [A(4)]),
            Case("len1", lambda x: pt.split(x, [1], 1, axis=0), [A(1, 3)]),
        ],
        "BroadcastTo": [
            Case(
                "row", lambda x: pt.broadcast_to(x, (3, 4)), [A(1, 4)], variants=("static", "ones")
            ),
            Case("symbolic", lambda x, n: pt.broadcast_to(x, (n, 2)), [A(2), I(3)]),
            Case("empty", lambda x: pt.broadcast_to(x, (0, 3)), [A(3)]),
            Case("0d", lambda x: pt.broadcast_to(x, (2, 2)), [A()]),
        ],
    }


def _extra_cases() -> dict[str, list[Case]]:
    return {
        "Argmax": [
            Case("all", lambda x: pt.argmax(x), [A(2, 3)]),
            Case("axis", lambda x: pt.argmax(x, axis=1), [A(2, 3)]),
            Case("keepdims", lambda x: pt.argmin(x, axis=0, keepdims=True), [A(3, 2)]),
            Case("len1", lambda x: pt.argmax(x, axis=0), [A(1, 4)]),
            Case("empty-kept", lambda x: pt.argmax(x, axis=1), [A(0, 3)]),
            Case("0d", lambda x: pt.argmax(x), [A()]),
        ],
        "CumOp": [
            Case("axis0", lambda x: pt.cumsum(x, axis=0), [A(3, 2)]),
            Case("flat", lambda x: pt.cumprod(x), [A(2, 3)]),
            Case("empty", lambda x: pt.cumsum(x, axis=1), [A(2, 0)]),
            Case("0d", lambda x: pt.cumsum(x), [A()]),
            Case("len1", lambda x: pt.cumsum(x, axis=-1), [A(3, 1)]),
        ],
        "Repeat": [
            Case("scalar", lambda x: pt.repeat(x, 2, axis=0), [A(2, 3)]),
            Case("vector", lambda x, r: pt.repeat(x, r, axis=1), [A(2, 3), Static(I([1, 0, 3]))]),
            Case("flat", lambda x: pt.repeat(x, 3), [A(2, 2)]),
            Case("symbolic-count", lambda x, n: pt.repeat(x, n, axis=0), [A(3), I(2)]),
            Case("empty", lambda x: pt.repeat(x, 4, axis=0), [A(0, 2)]),
            Case("len1", lambda x, r: pt.repeat(x, r, axis=0), [A(1, 2), Static(I([5]))]),
        ],
        "SearchsortedOp": [
            Case("vector", lambda a, v: pt.searchsorted(a, v), [np.sort(A(6)), A(4, seed=1)]),
            Case(
                "0d-value", lambda a, v: pt.searchsorted(a, v, side="right"), [np.sort(A(6)), A()]
            ),
            Case(
                "sorter",
                lambda a, v, s: pt.searchsorted(a, v, sorter=s),
                [A(3), A(2, 2), I([2, 0, 1])],
            ),
            Case("empty", lambda a, v: pt.searchsorted(a, v), [A(0), A(3)]),
        ],
        "FillDiagonal": [
            Case("square", lambda a, v: pt.fill_diagonal(a, v), [A(3, 3), A()]),
            Case("wide", lambda a, v: pt.fill_diagonal(a, v), [A(2, 4), A()]),
            Case("len1", lambda a, v: pt.fill_diagonal(a, v), [A(1, 1), A()]),
        ],
        "UnravelIndex": [
            Case("vector", lambda i: pt.unravel_index(i, (3, 4)), [I([0, 5, 11])]),
            Case("0d", lambda i: pt.unravel_index(i, (3, 4)), [I(7)]),
            Case(
                "symbolic-dims", lambda i, d: pt.unravel_index(i, d), [I([1, 2]), Static(I([2, 3]))]
            ),
            Case("empty", lambda i: pt.unravel_index(i, (2, 2)), [I(np.zeros(0, dtype="int64"))]),
        ],
        "RavelMultiIndex": [
            Case(
                "vectors", lambda a, b: pt.ravel_multi_index([a, b], (3, 4)), [I([0, 2]), I([3, 1])]
            ),
            Case("0d", lambda a, b: pt.ravel_multi_index([a, b], (3, 4)), [I(1), I(2)]),
            Case(
                "empty",
                lambda a, b: pt.ravel_multi_index([a, b], (3, 4)),
                [I(np.zeros(0, dtype="int64")), I(np.zeros(0, dtype="int64"))],
            ),
        ],
        "BinCount": [
            Case("plain", lambda x: pt.bincount(x), [I([0, 1, 1, 3, 0])]),
            Case(
                "weights-minlength", lambda x, w: pt.bincount(x, w, minlength=6), [I([2, 0]), A(2)]
            ),
            Case("empty", lambda x: pt.bincount(x), [I(np.zeros(0, dtype="int64"))]),
            Case("len1", lambda x: pt.bincount(x), [I([0])]),
        ],
        "Unique": [
            Case("plain", lambda x: pt.unique(x), [np.array([3.0, 1.0, 3.0, 2.0])]),
            Case("all-returns", lambda x: pt.unique(x, True, True, True), [I([4, 2, 4, 4, 1])]),
            Case("axis", lambda x: pt.unique(x, axis=0), [I([[1, 2], [0, 1], [1, 2]])]),
            Case("empty", lambda x: pt.unique(x, return_counts=True), [A(0)]),
            Case("len1", lambda x: pt.unique(x), [A(1, 1)]),
            Case("0d", lambda x: pt.unique(x), [A()]),
        ],
        "Nonzero": [
            Case("matrix", lambda x: pt.nonzero(x), [I([[0, 1], [2, 0]])]),
            Case("flat", lambda x: pt.flatnonzero(x), [np.array([0.0, 1.5, 0.0])]),
            Case("empty", lambda x: pt.nonzero(x), [A(0, 3)]),
            Case("len1", lambda x: pt.nonzero(x, return_matrix=True), [I([[1]])]),
        ],
        "SortOp": [
            Case("last-axis", lambda x: pt.sort(x), [A(3, 4)]),
            Case("axis0", lambda x: pt.sort(x, axis=0), [A(3, 1)]),
            Case("flat", lambda x: pt.sort(x, axis=None), [A(2, 3)]),
            Case("empty", lambda x: pt.sort(x), [A(2, 0)]),
            Case("0d-flat", lambda x: pt.sort(x, axis=None), [A()]),
        ],
        "ArgSortOp": [
            Case("last-axis", lambda x: pt.argsort(x), [A(3, 4)]),
            Case("flat", lambda x: pt.argsort(x, axis=None), [A(2, 3)]),
            Case("empty", lambda x: pt.argsort(x, axis=0), [A(0, 2)]),
            Case("len1", lambda x: pt.argsort(x), [A(1)]),
        ],
        "Subtensor": [
            Case("int", lambda x: x[1], [A(4, 5)]),
            Case("slices", lambda x: x[1:3, ::2], [A(4, 5)]),
            Case("reverse", lambda x: x[::-1], [A(4, 5)]),
            Case("negative-step-bounds", lambda x: x[3:0:-2, -1:-4:-1], [A(4, 5)]),
            Case("out-of-range", lambda x: x[2:100, -100:2], [A(4, 5)]),
            Case("empty-result", lambda x: x[3:1], [A(4, 5)]),
            Case("empty-input", lambda x: x[1:], [A(0, 2)]),
            Case("symbolic", lambda x, a, b: x[a:b], [A(6), I(1), I(-1)]),
            Case("symbolic-step", lambda x, s: x[::s], [A(7), I(-3)]),
            Case("to-0d", lambda x: x[0, 1], [A(1, 2)]),
            Case("newaxis", lambda x: x[None, ..., 0], [A(2, 3)]),
        ],
        "Dot": [
            Case("vector-vector", lambda a, b: pt.dot(a, b), [A(4), A(4, seed=1)]),
            Case("matrix-vector", lambda a, b: pt.dot(a, b), [A(3, 4), A(4)]),
            Case("matrix-matrix", lambda a, b: pt.dot(a, b), [A(2, 3), A(3, 1)]),
            Case("empty", lambda a, b: pt.dot(a, b), [A(2, 0), A(0, 3)]),
        ],
        "Matmul": [
            Case("batched", lambda a, b: pt.matmul(a, b), [A(2, 3, 4), A(2, 4, 2)]),
            Case(
                "broadcast-batch",
                lambda a, b: pt.matmul(a, b),
                [A(1, 3, 4), A(5, 4, 2)],
                variants=("static", "ones"),
            ),
            Case("vector", lambda a, b: pt.matmul(a, b), [A(3, 4), A(4)]),
            Case("empty", lambda a, b: pt.matmul(a, b), [A(0, 3), A(3, 2)]),
        ],
    }


CASES: dict[str, list[Case]] = {
    "Elemwise": _elemwise_cases(),
    "DimShuffle": _dimshuffle_cases(),
    "CAReduce": _careduce_cases(),
    "Sum": _reduce_cases(pt.sum) + _reduce_empty_cases(pt.sum),
    "Prod": _reduce_cases(pt.prod, "int32") + _reduce_empty_cases(pt.prod),
    "Max": _reduce_cases(pt.max) + [Case("empty-kept", lambda x: pt.max(x, axis=0), [A(3, 0)])],
    "Min": _reduce_cases(pt.min, "int8"),
    "All": _reduce_cases(pt.all, "bool") + _reduce_empty_cases(pt.all, "bool"),
    "Any": _reduce_cases(pt.any, "bool") + _reduce_empty_cases(pt.any, "bool"),
    "TensorFromScalar": [
        Case(
            "from-scalar-var",
            lambda x: pt.tensor_from_scalar(pt.scalar_from_tensor(x) + 1.0),
            [A()],
        ),
        Case("from-constant", lambda: pt.tensor_from_scalar(ps.constant(3))),
    ],
    **_shape_cases(),
    **_construction_cases(),
    **_extra_cases(),
}


def _merge_contributed(table: dict[str, list[Case]]) -> dict[str, list[Case]]:
    """Add the cases other modules contribute: every ``_shape_cases_*.py`` beside this file
    defines ``shape_cases(Case, A, I, Const, Static) -> {op_class_name: [Case, ...]}``
    (ids are prefixed with the module's suffix)."""
    import pathlib

    for path in sorted(pathlib.Path(__file__).parent.glob("_shape_cases_*.py")):
        module = importlib.import_module(path.stem)
        make = getattr(module, "shape_cases", None) or module.indexing_cases
        prefix = path.stem.removeprefix("_shape_cases_")
        for name, cases in make(Case, A, I, Const, Static).items():
            table.setdefault(name, []).extend(
                Case(f"{prefix}-{c.id}", c.build, c.values, c.variants) for c in cases
            )
    return table


CASES = _merge_contributed(CASES)


# ---------------------------------------------------------------------------
# The check
# ---------------------------------------------------------------------------
def _declared(shape: tuple[int, ...], variant: str) -> tuple[int | None, ...]:
    if variant == "static":
        return shape
    if variant == "ones":
        return tuple(1 if s == 1 else None for s in shape)
    return (None,) * len(shape)


def _make_inputs(
    values: Sequence[Any], variant: str
) -> tuple[list[Any], list[Variable], list[Any]]:
    args, inputs, feed = [], [], []
    for k, raw in enumerate(values):
        if isinstance(raw, Const):
            args.append(pt.constant(raw.value))
            continue
        value = np.asarray(raw.value if isinstance(raw, Static) else raw)
        shape = value.shape if isinstance(raw, Static) else _declared(value.shape, variant)
        var = pt.tensor(f"in{k}", dtype=value.dtype.name, shape=shape)
        args.append(var)
        inputs.append(var)
        feed.append(value)
    return args, inputs, feed


def _entries(shapes: Sequence[Any]) -> list[Any]:
    """The symbolic entries of a list of shape tuples (None for non-tensor outputs)."""
    return [d for shp in shapes if shp is not None for d in shp]


def _evaluate_infer_shape(
    node: Any, inputs: list[Variable], feed: list[Any], in_values: list[Any], use_static: bool
) -> list[tuple[int, ...] | None]:
    """``node.op.infer_shape`` evaluated for the given input values."""
    shape_vars: list[Variable] = []
    shape_feed: list[Any] = []
    in_shapes = []
    for var, value in zip(node.inputs, in_values, strict=True):
        if (
            not hasattr(var.type, "shape")
            or not hasattr(var.type, "ndim")
            or isinstance(var.type, ps.ScalarType)
        ):
            in_shapes.append(())
            continue
        dims = []
        for k, static in enumerate(var.type.shape):
            if use_static and static is not None:
                dims.append(static)
            else:
                s = pt.lscalar(f"{var}_shape{k}")
                shape_vars.append(s)
                shape_feed.append(np.int64(np.shape(value)[k]))
                dims.append(s)
        in_shapes.append(tuple(dims))
    out_shapes = node.op.infer_shape(None, node, in_shapes)
    assert len(out_shapes) == len(node.outputs), (
        f"{node.op}: infer_shape gave {len(out_shapes)} shapes"
    )
    symbolic = [
        e for e in _entries(out_shapes) if isinstance(e, Variable) and not isinstance(e, Constant)
    ]
    fn = function(inputs + shape_vars, symbolic, mode=PY, on_unused_input="ignore")
    computed = iter(fn(*feed, *shape_feed) if symbolic else [])
    result: list[tuple[int, ...] | None] = []
    for shp in out_shapes:
        if shp is None:
            result.append(None)
            continue
        dims = []
        for e in shp:
            if isinstance(e, Constant):
                dims.append(int(e.data))
            elif isinstance(e, Variable):
                dims.append(int(next(computed)))
            else:
                dims.append(int(e))
        result.append(tuple(dims))
    return result


def check_node(node: Any, inputs: list[Variable], feed: list[Any]) -> None:
    """Static == symbolic == computed shapes (and the computed dtype) for one node."""
    # Two functions, fed copies, so that an Op working in place may overwrite its input.
    mutable = [In(i, mutable=True) for i in inputs]
    get_inputs = function(inputs, list(node.inputs), mode=PY, on_unused_input="ignore")
    get_outputs = function(mutable, list(node.outputs), mode=PY, on_unused_input="ignore")
    in_values = get_inputs(*[np.copy(f) for f in feed])
    values = dict(zip(node.outputs, get_outputs(*[np.copy(f) for f in feed]), strict=True))
    symbolic = _evaluate_infer_shape(node, inputs, feed, in_values, use_static=False)
    folded = _evaluate_infer_shape(node, inputs, feed, in_values, use_static=True)
    for k, out in enumerate(node.outputs):
        if not isinstance(getattr(out.type, "shape", None), tuple) or isinstance(
            out.type, ps.ScalarType
        ):
            continue
        computed = np.shape(values[out])
        static = out.type.shape
        where = f"{node.op} output {k} (static {static}, computed {computed})"
        assert len(static) == len(computed), f"{where}: wrong number of dimensions"
        for d, (s, c) in enumerate(zip(static, computed, strict=True)):
            assert s is None or s == c, (
                f"{where}: static length {s} != computed {c} at dimension {d}"
            )
        assert symbolic[k] == computed, f"{where}: infer_shape gave {symbolic[k]}"
        assert folded[k] == computed, (
            f"{where}: infer_shape with static lengths folded gave {folded[k]}"
        )
        assert np.asarray(values[out]).dtype.name == out.type.dtype, (
            f"{where}: computed dtype {np.asarray(values[out]).dtype} != type dtype {out.type.dtype}"
        )


def run_case(cls: type, case: Case, variant: str) -> None:
    args, inputs, feed = _make_inputs(case.values, variant)
    outs = case.build(*args)
    outs = list(outs) if isinstance(outs, list | tuple) else [outs]
    nodes = [n for n in apply_ancestors(outs) if isinstance(n.op, ShapedOp)]
    assert any(type(n.op) is cls for n in nodes), (
        f"case {case.id!r} builds no {cls.__name__} node (it built: {sorted({type(n.op).__name__ for n in nodes})})"
    )
    for node in nodes:
        check_node(node, inputs, feed)


def _params() -> list[Any]:
    classes = shaped_op_classes()
    params = []
    for name in sorted(classes):
        if name in ABSTRACT:
            continue
        cases = CASES.get(name)
        if not cases:
            params.append(pytest.param(classes[name], None, None, id=f"{name}-NO-CASE"))
            continue
        for case in cases:
            for variant in case.variants:
                params.append(
                    pytest.param(classes[name], case, variant, id=f"{name}-{case.id}-{variant}")
                )
    return params


@pytest.mark.parametrize(("cls", "case", "variant"), _params())
def test_static_symbolic_computed_shapes_agree(
    cls: type, case: Case | None, variant: str | None
) -> None:
    if case is None:
        pytest.fail(
            f"{cls.__module__}.{cls.__qualname__} is a ShapedOp without a case in CASES "
            "(tests/test_shape_consistency.py): add cases with 0-d, empty and length-1 dimensions"
        )
    assert variant is not None
    run_case(cls, case, variant)


def test_every_table_entry_is_a_shaped_op() -> None:
    classes = shaped_op_classes()
    stale = sorted(set(CASES) - set(classes))
    assert not stale, f"CASES names classes that are not ShapedOps of pytensor-tensor: {stale}"
    for name in ABSTRACT:
        assert name in classes, f"ABSTRACT names {name}, which is not a ShapedOp class"
        assert classes[name].__subclasses__(), f"ABSTRACT {name} has no concrete subclass"


def test_every_case_covers_edge_shapes() -> None:
    """Each Op's cases include a 0-d or an empty or a length-1 dimension somewhere."""
    for name, cases in CASES.items():
        shapes = [
            np.shape(v.value if isinstance(v, Const | Static) else v)
            for c in cases
            for v in c.values
        ]
        edgy = [s for s in shapes if s == () or 0 in s or 1 in s]
        assert edgy or not shapes, f"{name}: no case has a 0-d, empty or length-1 input"


def test_check_node_detects_a_wrong_infer_shape(monkeypatch: pytest.MonkeyPatch) -> None:
    """The checker itself fails when infer_shape disagrees with the computed shape."""
    x = pt.matrix("x", shape=(None, 3))
    out = pt.exp(x)
    monkeypatch.setattr(
        type(out.owner.op), "infer_shape", lambda self, fg, node, shapes: [(shapes[0][0], 4)]
    )
    with pytest.raises(AssertionError, match="infer_shape gave"):
        check_node(out.owner, [x], [np.zeros((2, 3))])
