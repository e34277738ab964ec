"""Conformance cases: advanced indexing (integer arrays, boolean masks), its writes, take."""

from __future__ import annotations

from typing import Any

import numpy as np

from conformance._case import Case, data, fn, graph, ints

__all__ = ["CASES"]


def _getters() -> list[Case]:
    x = data((4, 5))
    t = data((2, 3, 4), seed=1)
    mask = np.array([[True, False, True, False, True]] * 2 + [[False] * 5, [True] * 5])
    return [
        graph(
            "AdvancedSubtensor1/vector",
            lambda v, i: v[i],
            [x, ints(3, 0, -1, 0)],
            lambda v, i: v[i],
        ),
        graph(
            "AdvancedSubtensor1/empty",
            lambda v, i: v[i],
            [x, np.zeros(0, "int64")],
            lambda v, i: v[i],
        ),
        graph(
            "AdvancedSubtensor1/int8-index-static",
            lambda v, i: v[i],
            [data(6, "int32"), ints(5, -6, dtype="int8")],
            lambda v, i: v[i],
            static=True,
        ),
        graph(
            "AdvancedSubtensor/two-vectors",
            lambda v, i, j: v[i, j],
            [x, ints(0, 3, 3), ints(4, -1, 0)],
            lambda v, i, j: v[i, j],
        ),
        graph(
            "AdvancedSubtensor/separated-by-slice",
            lambda v, i, j: v[i, :, j],
            [t, ints(1, 0), ints(3, 3)],
            lambda v, i, j: v[i, :, j],
        ),
        graph(
            "AdvancedSubtensor/int-and-array-separated",
            lambda v, i: v[1, :, i],
            [t, ints(0, 2, 1)],
            lambda v, i: v[1, :, i],
        ),
        graph(
            "AdvancedSubtensor/adjacent-after-slice",
            lambda v, i, j: v[:, i, j],
            [t, ints(2, 0), ints(1, 3)],
            lambda v, i, j: v[:, i, j],
        ),
        graph(
            "AdvancedSubtensor/matrix-index",
            lambda v, i: v[i, 1:],
            [x, ints([[0, 1], [3, 3]])],
            lambda v, i: v[i, 1:],
        ),
        graph(
            "AdvancedSubtensor/broadcast-static",
            lambda v, i, j: v[i, j],
            [x, ints([[0], [2]]), ints(1, 4, 2)],
            lambda v, i, j: v[i, j],
            static=True,
        ),
        graph("AdvancedSubtensor/mask", lambda v, m: v[m], [x, mask], lambda v, m: v[m]),
        graph(
            "AdvancedSubtensor/mask-rows-slice",
            lambda v, m: v[m, ::-2],
            [x, np.array([True, False, True, True])],
            lambda v, m: v[m, ::-2],
        ),
        graph(
            "AdvancedSubtensor/constant-mask",
            lambda v: v[..., np.array([False, True, True, False])],
            [t],
            lambda v: v[..., np.array([False, True, True, False])],
        ),
        graph(
            "AdvancedSubtensor/newaxis-between",
            lambda v, i, j: v[i, None, j],
            [x, ints(0, 1), ints(2, 2)],
            lambda v, i, j: v[i, None, j],
        ),
        graph("AdvancedSubtensor/0d-mask", lambda v: v[True], [data(3)], lambda v: v[True]),
        graph(
            "AdvancedSubtensor/bool-values",
            lambda v, i: v[i],
            [np.array([[True, False], [False, True]]), ints([[1], [0]])],
            lambda v, i: v[i],
        ),
    ]


def _write(x: np.ndarray, y: np.ndarray, index: Any, mode: str) -> np.ndarray:
    out = np.array(x, copy=True)
    if mode == "set":
        out[index] = y
    else:
        np.add.at(out, index, y)
    return out


def _setters() -> list[Case]:
    x = data((4, 5))
    return [
        graph(
            "AdvancedIncSubtensor1/inc-repeated",
            lambda v, w, i: fn("inc_subtensor")(v[i], w),
            [x, data((4, 5), seed=1), ints(0, 2, 0, 0)],
            lambda v, w, i: _write(v, w, i, "inc"),
        ),
        graph(
            "AdvancedIncSubtensor1/set-row-bcast",
            lambda v, w, i: fn("set_subtensor")(v[i], w),
            [x, data((1, 5), seed=2), ints(3, 1)],
            lambda v, w, i: _write(v, w, i, "set"),
            static=True,
        ),
        graph(
            "AdvancedIncSubtensor1/int-inc",
            lambda v, w, i: v[i].inc(w),
            [ints(1, 2, 3, dtype="int32"), ints(5, dtype="int32"), ints(-1, -1)],
            lambda v, w, i: _write(v, w, i, "inc"),
        ),
        graph(
            "AdvancedIncSubtensor/inc-repeated-pairs",
            lambda v, w, i, j: fn("inc_subtensor")(v[i, j], w),
            [x, data(3, seed=3), ints(1, 1, 2), ints(4, 4, 0)],
            lambda v, w, i, j: _write(v, w, (i, j), "inc"),
        ),
        graph(
            "AdvancedIncSubtensor/set-mask-scalar",
            lambda v, m, w: v[m].set(w),
            [x, data((4, 5), "bool", seed=4), data((), seed=5)],
            lambda v, m, w: _write(v, w, m, "set"),
        ),
        graph(
            "AdvancedIncSubtensor/inc-separated",
            lambda v, w, i: fn("inc_subtensor")(v[i, :, 0], w),
            [data((3, 2, 4)), data((2, 2), seed=6), ints(2, 2)],
            lambda v, w, i: _write(v, w, (i, slice(None), 0), "inc"),
        ),
        graph(
            "AdvancedIncSubtensor/ignore-duplicates",
            lambda v, w, i: fn("inc_subtensor")(v[:, i], w, ignore_duplicates=True),
            [x, data((4, 2), seed=7), ints(0, 3)],
            lambda v, w, i: _write(v, w, (slice(None), i), "inc"),
        ),
        graph(
            "set_subtensor/advanced-newaxis",
            lambda v, w, i: fn("set_subtensor")(v[None, i], w),
            [x, data((1, 2, 5), seed=8), ints(3, 0)],
            lambda v, w, i: _write(v, w, (None, i), "set"),
        ),
        graph(
            "inc_subtensor/advanced-mask-rows",
            lambda v, m, w: fn("inc_subtensor")(v[m, 1], w),
            [x, np.array([False, True, True, False]), data(2, seed=9)],
            lambda v, m, w: _write(v, w, (m, 1), "inc"),
        ),
    ]


def _take() -> list[Case]:
    x = data((3, 4))
    return [
        graph(
            "take/flat",
            lambda v, i: fn("take")(v, i),
            [x, ints(11, 0, -2)],
            lambda v, i: np.take(v, i),
        ),
        graph(
            "take/axis-matrix",
            lambda v, i: fn("take")(v, i, axis=1),
            [x, ints([[0, 3], [1, 1]])],
            lambda v, i: np.take(v, i, axis=1),
        ),
        graph(
            "take/wrap",
            lambda v, i: fn("take")(v, i, axis=0, mode="wrap"),
            [x, ints(4, -5, 2)],
            lambda v, i: np.take(v, i, axis=0, mode="wrap"),
        ),
        graph(
            "take/clip",
            lambda v, i: fn("take")(v, i, axis=-1, mode="clip"),
            [x, ints(9, -1)],
            lambda v, i: np.take(v, i, axis=-1, mode="clip"),
        ),
        graph(
            "take/0d-index",
            lambda v, i: fn("take")(v, i, axis=1),
            [x, ints(2)],
            lambda v, i: np.take(v, i, axis=1),
        ),
        graph(
            "take_along_axis/argsort",
            lambda v: fn("take_along_axis")(v, fn("argsort")(v, axis=1), axis=1),
            [x],
            lambda v: np.take_along_axis(v, np.argsort(v, axis=1), axis=1),
        ),
        graph(
            "take_along_axis/axis0-more",
            lambda v, i: fn("take_along_axis")(v, i, axis=0),
            [x, ints([[2, 0, 1, 1], [0, 0, 2, 2], [1, 1, 1, 0], [2, 2, 2, 2], [0, 1, 2, 0]])],
            lambda v, i: np.take_along_axis(v, i, axis=0),
        ),
        graph(
            "take_along_axis/flat",
            lambda v, i: fn("take_along_axis")(v, i, axis=None),
            [x, ints(11, 0, 5)],
            lambda v, i: np.take_along_axis(v, i, axis=None),
        ),
    ]


CASES: list[Case] = _getters() + _setters() + _take()
