"""The numba kernels of SortOp, ArgSortOp and Argmax agree with NumPy and ``perform``.

Graphs are compiled by the numba linker without rewrites, so each Op runs as built.
"""

from __future__ import annotations

import numpy as np
import pytest
from _ops_check import check, check_error

import pytensor.tensor as pt
from pytensor.link.numba.dispatch import sort as _registered  # noqa: F401
from pytensor.tensor._reduce import Argmax
from pytensor.tensor.sort import ArgSortOp, SortOp

pytestmark = pytest.mark.numba


def test_sort_argsort_argmax() -> None:
    x = pt.dtensor3("x")
    a = pt.lscalar("a")
    rng = np.random.default_rng(0)
    xv = rng.integers(0, 4, (3, 4, 5)).astype(float)
    xv[0, 0, 1] = np.nan
    outs = [SortOp()(x, a), ArgSortOp()(x, a), Argmax((0, 2))(x), Argmax(None)(x)]
    moved = np.transpose(xv, (1, 0, 2)).reshape(4, -1)
    expected = [
        np.sort(xv, axis=1),
        np.argsort(xv, axis=1, kind="stable"),
        np.argmax(moved, axis=-1),
        np.argmax(xv),
    ]
    check([x, a], outs, [xv, np.array(1)], expected)
    check_error([x, a], SortOp()(x, a), [xv, np.array(3)])
    check_error([x], Argmax((1,))(x), [np.zeros((2, 0, 3))])
