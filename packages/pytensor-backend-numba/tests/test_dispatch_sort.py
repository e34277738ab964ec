"""The numba kernels of SortOp, ArgSortOp and Argmax agree with NumPy and ``perform``.

Graphs are compiled by the numba linker without rewrites, so each Op runs as built.
"""

from __future__ import annotations

import os
import re
import tempfile
from typing import Any

import numpy as np
import pytest

pytest.importorskip("numba")
os.environ.setdefault("PYTENSOR_NUMBA_CACHE_DIR", tempfile.mkdtemp(prefix="pytensor-numba-ops-"))

import pytensor.tensor as pt  # noqa: E402
from pytensor.compile.function import function  # noqa: E402
from pytensor.compile.mode import Mode  # noqa: E402
from pytensor.link.numba.dispatch import sort as _registered  # noqa: E402, F401
from pytensor.tensor._reduce import Argmax  # noqa: E402
from pytensor.tensor.sort import ArgSortOp, SortOp  # noqa: E402

pytestmark = pytest.mark.numba

NUMBA = Mode(linker="numba", optimizer=None)
PY = Mode(linker="py", optimizer=None)


def check(inputs: list[Any], outputs: list[Any], values: list[Any], expected: list[Any]) -> None:
    """Every output has the graph's dtype, and NumPy's shape and values."""
    got = function(inputs, outputs, mode=NUMBA, on_unused_input="ignore")(*values)
    for var, g, e in zip(outputs, got, expected, strict=True):
        g = np.asarray(g)
        assert g.dtype == np.dtype(var.type.dtype)
        assert g.shape == np.shape(e)
        if g.dtype.kind in "fc":
            np.testing.assert_allclose(g, e, rtol=1e-12, equal_nan=True)
        else:
            np.testing.assert_array_equal(g, e)


def check_error(inputs: list[Any], output: Any, values: list[Any]) -> None:
    """The numba backend raises what ``perform`` raises: same type, same message."""
    with pytest.raises(Exception) as ref:
        function(inputs, output, mode=PY, on_unused_input="ignore")(*values)
    fn = function(inputs, output, mode=NUMBA, on_unused_input="ignore")
    with pytest.raises(type(ref.value), match=f"^{re.escape(str(ref.value))}$"):
        fn(*values)


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
