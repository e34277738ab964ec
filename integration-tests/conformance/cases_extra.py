"""Conformance cases: extra_ops (search, counting, index conversion), sorting and basic indexing."""

from __future__ import annotations

from typing import Any

import numpy as np

from conformance._case import Case, data, fn, graph, ints

__all__ = ["CASES"]


def _extra_ops() -> list[Case]:
    sorted_values = np.sort(data(6))
    return [
        graph(
            "searchsorted/left",
            lambda a, v: fn("searchsorted")(a, v),
            [sorted_values, data(4, seed=1)],
            np.searchsorted,
        ),
        graph(
            "searchsorted/right",
            lambda a, v: fn("searchsorted")(a, v, side="right"),
            [np.array([1.0, 2.0, 2.0, 3.0]), np.array([2.0, 0.0, 5.0])],
            lambda a, v: np.searchsorted(a, v, "right"),
        ),
        graph(
            "searchsorted/sorter",
            lambda a, v, s: fn("searchsorted")(a, v, sorter=s),
            [np.array([3.0, 1.0, 2.0]), np.array([2.5, 0.5]), ints(1, 2, 0)],
            lambda a, v, s: np.searchsorted(a, v, sorter=s),
        ),
        graph(
            "searchsorted/0d-value",
            lambda a, v: fn("searchsorted")(a, v),
            [sorted_values, np.float64(0.1)],
            np.searchsorted,
        ),
        graph("bincount/plain", fn("bincount"), [ints(0, 1, 1, 3, 0)], np.bincount),
        graph(
            "bincount/weights",
            lambda x, w: fn("bincount")(x, w),
            [ints(2, 0, 2), data(3)],
            lambda x, w: np.bincount(x, w),
        ),
        graph(
            "bincount/minlength",
            lambda x: fn("bincount")(x, minlength=6),
            [ints(1, 2)],
            lambda x: np.bincount(x, minlength=6),
        ),
        graph("unique/plain", fn("unique"), [np.array([3.0, 1.0, 3.0, 2.0, 1.0])], np.unique),
        graph(
            "unique/all-returns",
            lambda x: fn("unique")(x, True, True, True),
            [ints(4, 2, 4, 4, 1)],
            lambda x: tuple(np.unique(x, True, True, True)),
        ),
        graph(
            "unique/axis",
            lambda x: fn("unique")(x, axis=0),
            [np.array([[1, 2], [0, 1], [1, 2]])],
            lambda x: np.unique(x, axis=0),
        ),
        graph("unique/empty", fn("unique"), [np.zeros(0)], np.unique),
        graph(
            "fill_diagonal/square",
            lambda a, v: fn("fill_diagonal")(a, v),
            [data((3, 3)), np.float64(9.0)],
            _fill_diagonal,
        ),
        graph(
            "fill_diagonal/wide",
            lambda a, v: fn("fill_diagonal")(a, v),
            [data((2, 4)), np.float64(-1.0)],
            _fill_diagonal,
        ),
        graph(
            "unravel_index/c",
            lambda i: fn("unravel_index")(i, (3, 4)),
            [ints(0, 5, 11)],
            lambda i: np.unravel_index(i, (3, 4)),
        ),
        graph(
            "unravel_index/fortran",
            lambda i: fn("unravel_index")(i, (3, 4), order="F"),
            [ints(1, 7)],
            lambda i: np.unravel_index(i, (3, 4), order="F"),
        ),
        graph(
            "ravel_multi_index/c",
            lambda a, b: fn("ravel_multi_index")([a, b], (3, 4)),
            [ints(0, 2), ints(3, 1)],
            lambda a, b: np.ravel_multi_index((a, b), (3, 4)),
        ),
        graph(
            "ravel_multi_index/wrap",
            lambda a, b: fn("ravel_multi_index")([a, b], (3, 4), mode="wrap"),
            [ints(4, -1), ints(5, 1)],
            lambda a, b: np.ravel_multi_index((a, b), (3, 4), mode="wrap"),
        ),
        graph(
            "nonzero/matrix",
            lambda x: fn("nonzero")(x),
            [np.array([[0, 1], [2, 0]])],
            lambda x: np.nonzero(x),
        ),
        graph(
            "flatnonzero/vector",
            fn("flatnonzero"),
            [np.array([0.0, 1.5, 0.0, -2.0])],
            np.flatnonzero,
        ),
        graph(
            "broadcast_shape/two",
            lambda a, b: fn("stack")(list(fn("broadcast_shape")(a, b))),
            [data((3, 1)), data((1, 4))],
            lambda a, b: np.asarray(np.broadcast_shapes(a.shape, b.shape)),
            static=True,
        ),
    ]


def _fill_diagonal(a: np.ndarray, v: Any) -> np.ndarray:
    out = np.array(a, copy=True)
    np.fill_diagonal(out, v)
    return out


def _sorting() -> list[Case]:
    return [
        graph("sort/last-axis", fn("sort"), [data((3, 4))], np.sort),
        graph(
            "sort/axis0",
            lambda x: fn("sort")(x, axis=0),
            [data((3, 4))],
            lambda x: np.sort(x, axis=0),
        ),
        graph(
            "sort/flat",
            lambda x: fn("sort")(x, axis=None),
            [data((2, 3))],
            lambda x: np.sort(x, axis=None),
        ),
        graph("sort/int-method", lambda x: x.sort(), [data(7, "int16")], np.sort),
        graph("sort/empty", fn("sort"), [np.zeros((2, 0))], np.sort),
        graph(
            "argsort/stable-ties",
            lambda x: fn("argsort")(x, kind="stable"),
            [np.array([2.0, 1.0, 2.0, 1.0, 0.0])],
            lambda x: np.argsort(x, kind="stable"),
        ),
        graph(
            "argsort/axis0",
            lambda x: fn("argsort")(x, axis=0, kind="stable"),
            [data((4, 2))],
            lambda x: np.argsort(x, axis=0, kind="stable"),
        ),
        graph(
            "argsort/flat",
            lambda x: fn("argsort")(x, axis=None, kind="stable"),
            [data((2, 3))],
            lambda x: np.argsort(x, axis=None, kind="stable"),
        ),
        graph("sort/nan-last", fn("sort"), [np.array([np.nan, 1.0, -1.0])], np.sort),
    ]


def _indexing() -> list[Case]:
    x = data((4, 5))
    return [
        graph("Subtensor/int", lambda v: v[1], [x], lambda v: v[1]),
        graph("Subtensor/negative-int", lambda v: v[-1, -2], [x], lambda v: v[-1, -2]),
        graph("Subtensor/slice", lambda v: v[1:3], [x], lambda v: v[1:3]),
        graph("Subtensor/step", lambda v: v[::2, 1::2], [x], lambda v: v[::2, 1::2]),
        graph("Subtensor/reverse", lambda v: v[::-1], [x], lambda v: v[::-1]),
        graph(
            "Subtensor/negative-step-bounds",
            lambda v: v[3:0:-2, -1:-4:-1],
            [x],
            lambda v: v[3:0:-2, -1:-4:-1],
        ),
        graph("Subtensor/column", lambda v: v[:, 0], [x], lambda v: v[:, 0]),
        graph(
            "Subtensor/newaxis-ellipsis", lambda v: v[None, ..., 2], [x], lambda v: v[None, ..., 2]
        ),
        graph(
            "Subtensor/out-of-range-slice",
            lambda v: v[2:100, -100:2],
            [x],
            lambda v: v[2:100, -100:2],
        ),
        graph("Subtensor/empty-slice", lambda v: v[3:1], [x], lambda v: v[3:1]),
        graph("Subtensor/symbolic-int", lambda v, i: v[i], [x, ints(2)], lambda v, i: v[int(i)]),
        graph(
            "Subtensor/symbolic-slice",
            lambda v, a, b: v[a:b],
            [x, ints(1), ints(-1)],
            lambda v, a, b: v[a:b],
        ),
        graph(
            "Subtensor/symbolic-step", lambda v, s: v[::s], [data(7), ints(-3)], lambda v, s: v[::s]
        ),
        graph("Subtensor/0d-result", lambda v: v[2], [data(3, "int8")], lambda v: v[2]),
        graph("Subtensor/static-shape", lambda v: v[1:, :2], [x], lambda v: v[1:, :2], static=True),
        graph("Subtensor/chained", lambda v: v[1:][0][::2], [x], lambda v: v[1:][0][::2]),
    ]


def _numpy_write(x: np.ndarray, y: np.ndarray, index: tuple[object, ...], add: bool) -> np.ndarray:
    out = np.array(x, copy=True)
    if add:
        out[index] += y
    else:
        out[index] = y
    return out


def _writing() -> list[Case]:
    x = data((4, 5))
    return [
        graph(
            "set_subtensor/slices",
            lambda v, w: fn("set_subtensor")(v[1:, ::-2], w),
            [x, data((3, 3), seed=1)],
            lambda v, w: _numpy_write(v, w, (slice(1, None), slice(None, None, -2)), False),
        ),
        graph(
            "set_subtensor/0d",
            lambda v, w: fn("set_subtensor")(v[-1, 2], w),
            [x, data((), seed=2)],
            lambda v, w: _numpy_write(v, w, (-1, 2), False),
        ),
        graph(
            "inc_subtensor/row-bcast",
            lambda v, w: fn("inc_subtensor")(v[1:3], w),
            [x, data((1, 5), seed=3)],
            lambda v, w: _numpy_write(v, w, (slice(1, 3),), True),
            static=True,
        ),
        graph(
            "inc_subtensor/symbolic-int",
            lambda v, i, w: fn("inc_subtensor")(v[i], w),
            [x, ints(-2), data(5, seed=4)],
            lambda v, i, w: _numpy_write(v, w, (int(i),), True),
        ),
    ]


CASES: list[Case] = _extra_ops() + _sorting() + _indexing() + _writing()
