"""Shape-consistency cases for the advanced indexing Ops (merged by test_shape_consistency.py).

Cases whose index arrays (or values) broadcast along a length-1 dimension run
only in the variants that declare that length statically: with no runtime
broadcasting, an undeclared length 1 meeting a longer one is an error.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pytensor.tensor.subtensor import inc_subtensor, set_subtensor, take, take_along_axis

STATIC_ONES = ("static", "ones")
EMPTY = np.zeros(0, dtype="int64")


def _getters(Case: Any, A: Any, I: Any, Const: Any, Static: Any) -> dict[str, list[Any]]:  # noqa: N803, E741
    return {
        "AdvancedSubtensor1": [
            Case("vector", lambda x, i: x[i], [A(5, 2), I([0, 4, -1])]),
            Case("repeat-len1", lambda x, i: x[i], [A(1, 3), I([0, 0])]),
            Case("empty-index", lambda x, i: x[i], [A(3), I(EMPTY)]),
            Case("constant", lambda x: x[[2, 0]], [A(3, 2)]),
            Case("take-clip", lambda x, i: take(x, i, axis=0, mode="clip"), [A(3, 1), I([5, -2])]),
        ],
        "AdvancedSubtensor": [
            Case("two-vectors", lambda x, i, j: x[i, j], [A(3, 4), I([0, 2]), I([1, -1])]),
            Case("separated", lambda x, i, j: x[i, :, j], [A(2, 3, 4), I([1, 0]), I([3, 3])]),
            Case("adjacent-late", lambda x, i, j: x[:, i, j], [A(2, 3, 4), I([0, 2]), I([1, 3])]),
            Case("matrix-index", lambda x, i: x[i], [A(3, 2), I([[0, 1], [2, 0]])]),
            Case(
                "broadcast",
                lambda x, i, j: x[i, j],
                [A(3, 4), I([[0], [2]]), I([0, 1, 3])],
                variants=STATIC_ONES,
            ),
            Case("mask", lambda x, m: x[m], [A(2, 3), A(2, 3, dtype="bool")]),
            Case("mask-slice", lambda x, m: x[m, 1:], [A(3, 4), A(3, dtype="bool", seed=2)]),
            Case("constant-mask", lambda x: x[:, np.array([True, False, True])], [A(2, 3)]),
            Case("newaxis", lambda x, i: x[None, i, None], [A(3, 2), I([1, 2])]),
            Case("int-separated", lambda x, i: x[0, :, i], [A(2, 3, 4), I([1])]),
            Case("0d-mask", lambda x: x[True], [A(2)]),
            Case("empty", lambda x, i: x[i, 1:], [A(0, 3), I(EMPTY.reshape(0, 1))]),
            Case("symbolic-slice", lambda x, i, a: x[a:, i], [A(4, 3), I([0, 2]), I(1)]),
            Case(
                "take_along_axis",
                lambda x, i: take_along_axis(x, i, axis=1),
                [A(2, 3), I([[2, 0, 0, 1], [1, 1, 0, 2]])],
            ),
        ],
    }


def _setters(Case: Any, A: Any, I: Any) -> dict[str, list[Any]]:  # noqa: N803, E741
    return {
        "AdvancedIncSubtensor1": [
            Case(
                "inc-repeat",
                lambda x, y, i: inc_subtensor(x[i], y),
                [A(3, 2), A(4, 2), I([0, 0, 2, 1])],
            ),
            Case(
                "set-bcast",
                lambda x, y, i: set_subtensor(x[i], y),
                [A(3, 2), A(1, 2), I([2, 0])],
                variants=STATIC_ONES,
            ),
            Case("0d-value", lambda x, y, i: inc_subtensor(x[i], y), [A(4), A(), I([1, 1])]),
            Case("empty", lambda x, y, i: set_subtensor(x[i], y), [A(0, 2), A(0, 2), I(EMPTY)]),
        ],
        "AdvancedIncSubtensor": [
            Case(
                "set-two-vectors",
                lambda x, y, i, j: set_subtensor(x[i, j], y),
                [A(3, 4), A(2), I([0, 2]), I([1, -1])],
            ),
            Case(
                "inc-mask",
                lambda x, y, m: inc_subtensor(x[m], y),
                [A(2, 3), A(), A(2, 3, dtype="bool")],
            ),
            Case(
                "inc-separated-repeat",
                lambda x, y, i, j: inc_subtensor(x[i, :, j], y),
                [A(2, 3, 4), A(2, 3), I([1, 1]), I([0, 0])],
            ),
            Case(
                "set-newaxis",
                lambda x, y, i: set_subtensor(x[i, None], y),
                [A(3, 2), A(2, 1, 2), I([0, 2])],
            ),
            Case(
                "empty",
                lambda x, y, i: inc_subtensor(x[:, i], y),
                [A(0, 3), A(0, 2), I([0, 2])],
            ),
            Case(
                "ignore-duplicates",
                lambda x, y, i, j: inc_subtensor(x[i, j], y, ignore_duplicates=True),
                [A(3, 3), A(1), I([0, 1]), I([2, 2])],
                variants=STATIC_ONES,
            ),
        ],
    }


def shape_cases(Case: Any, A: Any, I: Any, Const: Any, Static: Any) -> dict[str, list[Any]]:  # noqa: N803, E741
    """The cases of the advanced indexing Ops, by class name."""
    return {**_getters(Case, A, I, Const, Static), **_setters(Case, A, I)}
