"""Error conformance cases: graphs whose call must raise, with the Python backend's message.

Every backend must raise the same exception type with a message matching the
same pattern (DESIGN.md §4, "Errors name things"): runtime broadcasting,
out-of-bounds indices, shape mismatches, failed asserts, and the call-time
input checks that ``Function`` does before any backend runs. Each ``match``
is a regular expression derived from the message of ``perform`` on the Python
backend; ``BackendConformance.test_error_case`` asserts it on every backend,
with and without rewrites (rewrites must keep errors).

Names start with ``error/`` so that a backend's ``known_failures`` can list
them beside the value cases.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "ERROR_CASES",
    "ErrorCase",
    "error",
    "lit",
    "mat",
    "oob",
    "runtime_broadcast",
    "scal",
    "vec",
]


@dataclass(frozen=True)
class ErrorCase:
    """A graph and input values for which calling the compiled function must raise.

    Attributes
    ----------
    name
        Unique, ``"error/<Op or check>/<variant>"``.
    build
        Takes no arguments, returns ``(inputs, outputs)`` (one output or a list).
    values
        The input values of the failing call (fresh copies each run).
    exc_type
        The exception class the Python backend raises (subclasses are accepted).
    match
        A regular expression (``re.search``) the message must match.
    """

    name: str
    build: Callable[[], tuple[list[Any], Any]]
    values: tuple[Any, ...]
    exc_type: type[BaseException]
    match: str

    def fresh_values(self) -> list[Any]:
        return [np.copy(v) if isinstance(v, np.ndarray) else v for v in self.values]


#: An input spec: (name, dtype, static shape).
Spec = tuple[str, str, tuple[int | None, ...]]


def vec(name: str, dtype: str = "float64") -> Spec:
    return (name, dtype, (None,))


def mat(name: str, dtype: str = "float64") -> Spec:
    return (name, dtype, (None, None))


def scal(name: str, dtype: str = "int64") -> Spec:
    return (name, dtype, ())


def error(
    name: str,
    specs: Sequence[Spec],
    f: Callable[..., Any],
    values: Sequence[Any],
    exc_type: type[BaseException],
    match: str,
) -> ErrorCase:
    """A case whose graph is ``f(*inputs)``, the inputs named and typed by ``specs``."""
    frozen = tuple(specs)

    def build() -> tuple[list[Any], Any]:
        import pytensor.tensor as pt

        ins = [pt.tensor(n, dtype=d, shape=s) for n, d, s in frozen]
        return ins, f(*ins)

    return ErrorCase("error/" + name, build, tuple(values), exc_type, match)


def lit(message: str) -> str:
    """A pattern matching ``message`` literally."""
    return re.escape(message)


def runtime_broadcast(dim: int, static: tuple[None, ...]) -> str:
    """Elemwise's runtime-broadcasting message. The Op (a fused Composite after rewrites)
    and the input positions depend on the mode, so they are left open."""
    return (
        rf"shapes \([\d, ]+\) \(input \d+\) and \([\d, ]+\) \(input \d+\) do not match at "
        rf"dimension {dim}\. Input \d+ has length 1 there but its static shape "
        rf"{re.escape(str(static))} does not say so, and runtime broadcasting is not allowed"
    )


def oob(op: str, index: int, axis: int, size: int) -> str:
    return lit(f"{op}: index {index} is out of bounds for axis {axis} with size {size}")


ONES3 = np.ones(3)
ONES23 = np.ones((2, 3))
I64 = np.int64


def _pt() -> Any:
    import pytensor.tensor as pt

    return pt


def _assert(msg: str) -> Any:
    from pytensor.raise_op import Assert

    return Assert(msg)


def _check_and_raise(exc: type[Exception], msg: str) -> Any:
    from pytensor.raise_op import CheckAndRaise

    return CheckAndRaise(exc, msg)


# ---------------------------------------------------------------------------
# Elemwise runtime broadcasting, fused or not, and reductions over it
# ---------------------------------------------------------------------------
ELEMWISE: list[ErrorCase] = [
    error(
        "Elemwise/runtime-broadcast-2-inputs",
        [vec("x"), vec("y")],
        lambda x, y: x + y,
        [np.ones(1), ONES3],
        ValueError,
        runtime_broadcast(0, (None,)),
    ),
    error(
        "Elemwise/runtime-broadcast-3-inputs-axis-1",
        [mat("x"), mat("y"), mat("z")],
        lambda x, y, z: x * y + z,
        [np.ones((2, 1)), ONES23, ONES23],
        ValueError,
        runtime_broadcast(1, (None, None)),
    ),
    error(
        "Elemwise/runtime-broadcast-3-inputs-axis-0",
        [mat("x"), mat("y"), mat("z")],
        lambda x, y, z: x * y + z,
        [ONES23, np.ones((1, 3)), ONES23],
        ValueError,
        runtime_broadcast(0, (None, None)),
    ),
    error(
        "Elemwise/runtime-broadcast-fused-composite",
        [vec("x"), vec("y")],
        lambda x, y: _pt().exp(x) * _pt().log1p(_pt().abs(y)) + x,
        [np.ones(4), np.ones(1)],
        ValueError,
        runtime_broadcast(0, (None,)),
    ),
    error(
        "Elemwise/length-mismatch",
        [vec("x"), vec("y")],
        lambda x, y: x + y,
        [np.ones(2), ONES3],
        ValueError,
        r"shapes \(\d,\) \(input \d\) and \(\d,\) \(input \d\) do not match at dimension 0\. "
        r"The lengths must be equal",
    ),
    error(
        "Elemwise/runtime-broadcast-in-gradient",
        [vec("x"), vec("y")],
        lambda x, y: _grad(((x * y) ** 2).sum(), x),
        [np.ones(1), ONES3],
        ValueError,
        runtime_broadcast(0, (None,)),
    ),
    error(
        "ElemwiseReduce/sum-runtime-broadcast",
        [vec("x"), vec("y")],
        lambda x, y: (_pt().exp(x) * y).sum(),
        [np.ones(1), ONES3],
        ValueError,
        runtime_broadcast(0, (None,)),
    ),
    error(
        "ElemwiseReduce/max-axis-runtime-broadcast",
        [mat("x"), mat("y")],
        lambda x, y: (x + y).max(axis=1),
        [np.ones((2, 1)), ONES23],
        ValueError,
        runtime_broadcast(1, (None, None)),
    ),
]


def _grad(cost: Any, wrt: Any) -> Any:
    from pytensor.gradient import grad

    return grad(cost, wrt)


# ---------------------------------------------------------------------------
# Indexing: bounds, slice steps, increments
# ---------------------------------------------------------------------------
INDEXING: list[ErrorCase] = [
    error(
        "Subtensor/constant-index-oob",
        [vec("x")],
        lambda x: x[5],
        [ONES3],
        IndexError,
        oob("Subtensor{i}", 5, 0, 3),
    ),
    error(
        "Subtensor/negative-index-oob",
        [vec("x"), scal("i")],
        lambda x, i: x[i],
        [ONES3, I64(-4)],
        IndexError,
        oob("Subtensor{i}", -4, 0, 3),
    ),
    error(
        "Subtensor/index-oob-axis-1",
        [mat("x")],
        lambda x: x[:, 7],
        [ONES23],
        IndexError,
        oob("Subtensor{:, i}", 7, 1, 3),
    ),
    error(
        "Subtensor/computed-index-oob",
        [vec("x")],
        lambda x: _pt().exp(x)[_pt().argmax(x) + 10],
        [ONES3],
        IndexError,
        oob("Subtensor{i}", 10, 0, 3),
    ),
    error(
        "Subtensor/slice-step-zero",
        [mat("x"), scal("s")],
        lambda x, s: x[:, ::s],
        [ONES23, I64(0)],
        ValueError,
        lit("Subtensor{:, ::i}: slice step cannot be zero (axis 1)"),
    ),
    error(
        "AdvancedSubtensor1/index-oob",
        [vec("x"), vec("i", "int64")],
        lambda x, i: x[i],
        [ONES3, np.array([0, 3])],
        IndexError,
        oob("AdvancedSubtensor1", 3, 0, 3),
    ),
    error(
        "AdvancedSubtensor1/negative-index-oob",
        [vec("x"), vec("i", "int64")],
        lambda x, i: x[i],
        [ONES3, np.array([0, -4])],
        IndexError,
        oob("AdvancedSubtensor1", -4, 0, 3),
    ),
    error(
        "AdvancedSubtensor/index-oob",
        [mat("x"), vec("i", "int64"), vec("j", "int64")],
        lambda x, i, j: x[i, j],
        [ONES23, np.array([0, 1]), np.array([0, 3])],
        IndexError,
        oob("AdvancedSubtensor{int1d, int1d}", 3, 1, 3),
    ),
    error(
        "AdvancedSubtensor/index-shapes-mismatch",
        [mat("x"), vec("i", "int64"), vec("j", "int64")],
        lambda x, i, j: x[i, j],
        [np.ones((3, 3)), np.array([0]), np.array([0, 1, 2])],
        IndexError,
        lit(
            "AdvancedSubtensor{int1d, int1d}: the index arrays of shapes (1,), (3,) cannot be "
            "broadcast together; runtime broadcasting is not allowed"
        ),
    ),
    error(
        "AdvancedSubtensor/boolean-mask-shape",
        [vec("x"), vec("m", "bool")],
        lambda x, m: x[m],
        [ONES3, np.array([True, False])],
        IndexError,
        lit(
            "AdvancedSubtensor{bool1d}: the boolean index m of shape (2,) does not match the "
            "dimension 0 that it indexes, of shape (3,)"
        ),
    ),
    error(
        "take/index-oob",
        [vec("x"), vec("i", "int64")],
        lambda x, i: _pt().take(x, i),
        [ONES3, np.array([5])],
        IndexError,
        oob("AdvancedSubtensor1", 5, 0, 3),
    ),
    error(
        "take/axis-1-index-oob",
        [mat("x"), vec("i", "int64")],
        lambda x, i: _pt().take(x, i, axis=1),
        [ONES23, np.array([5])],
        IndexError,
        oob("AdvancedSubtensor{:, int1d}", 5, 1, 3),
    ),
    error(
        "IncSubtensor/index-oob",
        [vec("x"), scal("y", "float64"), scal("i")],
        lambda x, y, i: _pt().inc_subtensor(x[i], y),
        [ONES3, np.float64(1.0), I64(3)],
        IndexError,
        oob("IncSubtensor{i}", 3, 0, 3),
    ),
    error(
        "IncSubtensor/set-negative-index-oob",
        [vec("x"), scal("y", "float64"), scal("i")],
        lambda x, y, i: _pt().set_subtensor(x[i], y),
        [ONES3, np.float64(1.0), I64(-4)],
        IndexError,
        oob("SetSubtensor{i}", -4, 0, 3),
    ),
    error(
        "IncSubtensor/value-shape-mismatch",
        [vec("x"), vec("y")],
        lambda x, y: _pt().inc_subtensor(x[1:], y),
        [ONES3, ONES3],
        ValueError,
        lit(
            "IncSubtensor{i:}: cannot increment the region of x of shape (2,) with the value y of shape (3,)"
        ),
    ),
    error(
        "IncSubtensor/set-value-shape-mismatch",
        [vec("x"), vec("y")],
        lambda x, y: _pt().set_subtensor(x[1:], y),
        [ONES3, ONES3],
        ValueError,
        lit(
            "SetSubtensor{i:}: cannot set the region of x of shape (2,) with the value y of shape (3,)"
        ),
    ),
    error(
        "IncSubtensor/value-runtime-broadcast",
        [vec("x"), vec("y")],
        lambda x, y: _pt().inc_subtensor(x[1:], y),
        [ONES3, np.ones(1)],
        ValueError,
        lit(
            "IncSubtensor{i:}: cannot increment the region of x of shape (2,) with the value y "
            "of shape (1,); runtime broadcasting is not allowed"
        ),
    ),
    error(
        "AdvancedIncSubtensor1/index-oob",
        [vec("x"), vec("y"), vec("i", "int64")],
        lambda x, y, i: _pt().inc_subtensor(x[i], y),
        [ONES3, np.ones(2), np.array([0, 3])],
        IndexError,
        oob("AdvancedIncSubtensor1", 3, 0, 3),
    ),
    error(
        "AdvancedIncSubtensor1/value-shape-mismatch",
        [vec("x"), vec("y"), vec("i", "int64")],
        lambda x, y, i: _pt().inc_subtensor(x[i], y),
        [ONES3, ONES3, np.array([0, 1])],
        ValueError,
        lit(
            "AdvancedIncSubtensor1: cannot increment the region of x of shape (2,) with the "
            "value y of shape (3,)"
        ),
    ),
    error(
        "AdvancedIncSubtensor/index-oob",
        [mat("x"), vec("y"), vec("i", "int64"), vec("j", "int64")],
        lambda x, y, i, j: _pt().inc_subtensor(x[i, j], y),
        [ONES23, np.ones(2), np.array([0, 1]), np.array([0, 3])],
        IndexError,
        oob("AdvancedIncSubtensor{int1d, int1d}", 3, 1, 3),
    ),
    error(
        "AdvancedIncSubtensor/value-shape-mismatch",
        [mat("x"), vec("y"), vec("i", "int64"), vec("j", "int64")],
        lambda x, y, i, j: _pt().inc_subtensor(x[i, j], y),
        [ONES23, ONES3, np.array([0, 1]), np.array([0, 1])],
        ValueError,
        lit(
            "AdvancedIncSubtensor{int1d, int1d}: cannot increment the region of x of shape (2,) "
            "with the value y of shape (3,)"
        ),
    ),
]

# ---------------------------------------------------------------------------
# Asserts, shapes, construction, products
# ---------------------------------------------------------------------------
SHAPES: list[ErrorCase] = [
    error(
        "Assert/fails",
        [vec("x")],
        lambda x: _assert("x must be positive")(x, _pt().all(x > 0)),
        [np.array([1.0, -1.0])],
        AssertionError,
        lit("x must be positive"),
    ),
    error(
        "CheckAndRaise/fails",
        [vec("x")],
        lambda x: _check_and_raise(ValueError, "x must be finite")(
            x * 2, _pt().all(_pt().lt(_pt().abs(x), np.inf))
        ),
        [np.array([1.0, np.inf])],
        ValueError,
        lit("x must be finite"),
    ),
    error(
        "SpecifyShape/mismatch",
        [vec("x")],
        lambda x: _pt().specify_shape(x, (3,)),
        [np.ones(4)],
        AssertionError,
        lit("SpecifyShape: input x has shape (4,), expected shape (3,)"),
    ),
    error(
        "SpecifyShape/symbolic-mismatch",
        [mat("x"), scal("n")],
        lambda x, n: _pt().specify_shape(x, (None, n)),
        [np.ones((2, 4)), I64(3)],
        AssertionError,
        lit("SpecifyShape: input x has shape (2, 4), expected shape (?, 3)"),
    ),
    error(
        "Reshape/size-mismatch",
        [vec("x"), scal("s")],
        lambda x, s: x.reshape((s, 3)),
        [np.ones(5), I64(2)],
        ValueError,
        lit("Reshape{2}: cannot reshape input x of shape (5,) (size 5) into shape (2, 3)"),
    ),
    error(
        "Reshape/inferred-length-mismatch",
        [vec("x"), scal("s")],
        lambda x, s: x.reshape((s, -1)),
        [np.ones(5), I64(2)],
        ValueError,
        lit("Reshape{2}: cannot reshape input x of shape (5,) (size 5) into shape (2, -1)"),
    ),
    error(
        "Alloc/incompatible-shape",
        [vec("x"), scal("n")],
        lambda x, n: _pt().alloc(x, 2, n),
        [ONES3, I64(4)],
        ValueError,
        lit(
            "Alloc: value x of shape (3,) cannot fill the shape (2, 4): dimension 0 of the "
            "value has length 3, the shape wants 4"
        ),
    ),
    error(
        "Alloc/runtime-broadcast",
        [vec("x"), scal("n")],
        lambda x, n: _pt().alloc(x, n),
        [np.ones(1), I64(4)],
        ValueError,
        lit(
            "Alloc: value x of shape (1,) cannot fill the shape (4,): dimension 0 of the value "
            "has length 1, the shape wants 4; runtime broadcasting is not allowed"
        ),
    ),
    error(
        "Alloc/negative-length",
        [scal("n")],
        lambda n: _pt().zeros((n, 2)),
        [I64(-2)],
        ValueError,
        lit("Alloc: negative length in the requested shape (-2, 2)"),
    ),
    error(
        "BroadcastTo/incompatible-shape",
        [vec("x"), scal("n")],
        lambda x, n: _pt().broadcast_to(x, (2, n)),
        [ONES3, I64(4)],
        ValueError,
        lit(
            "BroadcastTo: cannot broadcast an input of shape (3,) to shape (2, 4): each input "
            "dimension must have length 1 or the target length"
        ),
    ),
    error(
        "Join/shape-mismatch",
        [mat("x"), mat("y")],
        lambda x, y: _pt().concatenate([x, y], axis=0),
        [ONES23, np.ones((2, 4))],
        ValueError,
        lit(
            "Join: cannot join along axis 0: input 0 (x) has shape (2, 3) and input 1 (y) has "
            "shape (2, 4); the lengths must match in every dimension but the axis"
        ),
    ),
    error(
        "Join/stack-shape-mismatch",
        [vec("x"), vec("y")],
        lambda x, y: _pt().stack([x, y]),
        [ONES3, np.ones(4)],
        ValueError,
        r"Join: cannot join along axis 0: input 0 \(.*\) has shape \(1, 3\) and input 1 \(.*\) "
        r"has shape \(1, 4\); the lengths must match in every dimension but the axis",
    ),
    error(
        "Split/sizes-do-not-sum",
        [vec("x"), vec("s", "int64")],
        lambda x, s: _pt().split(x, s, 2),
        [np.ones(5), np.array([2, 2])],
        ValueError,
        lit(
            "Split{2}: the split sizes (2, 2) sum to 4, but input x has shape (5,) (length 5 along axis 0)"
        ),
    ),
    error(
        "Eye/negative-size",
        [scal("n")],
        lambda n: _pt().eye(n),
        [I64(-1)],
        ValueError,
        lit("Eye{dtype='float64'}: negative dimensions (-1, -1)"),
    ),
    error(
        "ARange/step-zero",
        [scal("s")],
        lambda s: _pt().arange(0, 5, s),
        [I64(0)],
        ValueError,
        lit("ARange{dtype='int64'}: step must not be zero"),
    ),
    error(
        "Repeat/negative-repeats",
        [vec("x"), scal("n")],
        lambda x, n: _pt().repeat(x, n),
        [ONES3, I64(-1)],
        ValueError,
        lit("Repeat{axis=None}: repeats must be non-negative, got -1"),
    ),
    error(
        "Dot/matrix-matrix-inner-mismatch",
        [mat("x"), mat("y")],
        lambda x, y: _pt().dot(x, y),
        [ONES23, np.ones((4, 2))],
        ValueError,
        lit(
            "Dot: the contracted dimensions of x (shape (2, 3)) and y (shape (4, 2)) differ: 3 != 4"
        ),
    ),
    error(
        "Dot/matrix-vector-inner-mismatch",
        [mat("x"), vec("y")],
        lambda x, y: _pt().dot(x, y),
        [ONES23, np.ones(4)],
        ValueError,
        lit("Dot: the contracted dimensions of x (shape (2, 3)) and y (shape (4,)) differ: 3 != 4"),
    ),
    error(
        "Dot/vector-vector-length-mismatch",
        [vec("x"), vec("y")],
        lambda x, y: _pt().dot(x, y),
        [ONES3, np.ones(4)],
        ValueError,
        lit("Dot: the contracted dimensions of x (shape (3,)) and y (shape (4,)) differ: 3 != 4"),
    ),
    error(
        "Matmul/batched-inner-mismatch",
        [("x", "float64", (None, None, None)), ("y", "float64", (None, None, None))],
        lambda x, y: _pt().matmul(x, y),
        [np.ones((2, 2, 3)), np.ones((2, 4, 2))],
        ValueError,
        lit(
            "Matmul: the contracted dimensions of x (shape (2, 2, 3)) and y (shape (2, 4, 2)) "
            "differ: 3 != 4"
        ),
    ),
    error(
        "MatrixInverse/singular",
        [mat("a")],
        lambda a: _pt().linalg.inv(a),
        [np.zeros((2, 2))],
        np.linalg.LinAlgError,
        lit("MatrixInverse: the input a (shape (2, 2)) is singular"),
    ),
]

# ---------------------------------------------------------------------------
# Call-time input checks (Function, before any backend runs)
# ---------------------------------------------------------------------------
BAD_ARG = r"Bad input argument 0 \('x'\) to compiled function: "

CALL: list[ErrorCase] = [
    error(
        "call/dtype-downcast",
        [vec("x", "float32")],
        lambda x: x * 2,
        [ONES3],
        TypeError,
        BAD_ARG + lit("Vector(float32, shape=(?,)) cannot hold a value of dtype float64"),
    ),
    error(
        "call/float-to-int",
        [vec("x", "int32")],
        lambda x: x * 2,
        [np.array([1.5, 2.5])],
        TypeError,
        BAD_ARG + lit("Vector(int32, shape=(?,)) cannot hold a value of dtype float64"),
    ),
    error(
        "call/wrong-ndim",
        [vec("x")],
        lambda x: x * 2,
        [ONES23],
        TypeError,
        BAD_ARG
        + lit(
            "Vector(float64, shape=(?,)): wrong number of dimensions: expected 1, got 2 with shape (2, 3)"
        ),
    ),
    error(
        "call/wrong-static-shape",
        [("x", "float64", (3,))],
        lambda x: x * 2,
        [np.ones(4)],
        ValueError,
        BAD_ARG
        + lit(
            "Vector(float64, shape=(3,)): the value's shape (4,) does not match the static shape (3,)"
        ),
    ),
    error(
        "call/too-many-arguments",
        [vec("x")],
        lambda x: x * 2,
        [ONES3, ONES3],
        TypeError,
        lit("compiled function takes 1 argument(s) (x) but 2 were given"),
    ),
]

ERROR_CASES: list[ErrorCase] = [*ELEMWISE, *INDEXING, *SHAPES, *CALL]

_duplicates = sorted(n for n, k in Counter(c.name for c in ERROR_CASES).items() if k > 1)
if _duplicates:
    raise ValueError(f"error case names must be unique; repeated: {_duplicates}")
