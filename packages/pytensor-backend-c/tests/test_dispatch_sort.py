"""C kernels of SortOp and ArgSortOp (NumPy's C sorts: the same tie and NaN order as
``perform``) against the Python backend."""

from __future__ import annotations

import numpy as np
import pytest
from _c_ops_check import assert_error, assert_same, compile_pair, strided

import pytensor.tensor as pt
from pytensor.tensor.sort import ArgSortOp, SortOp

pytestmark = pytest.mark.c


@pytest.mark.parametrize("dtype", ["float32", "int16", "complex128"])
def test_sort_and_argsort(dtype):
    x = pt.tensor("x", dtype=dtype, shape=(None, None))
    ax = pt.lscalar("ax")
    kinds = ["quicksort", "mergesort", "heapsort", "stable"]
    outs = [op(kind)(x, ax) for kind in kinds for op in (SortOp, ArgSortOp)]
    fc, fp = compile_pair([x, ax], outs, (SortOp, ArgSortOp))
    v = np.random.default_rng(0).integers(0, 3, (5, 7)).astype(dtype)
    if dtype == "float32":
        v[1, 2] = v[3, 3] = np.nan
    for s in strided(v):
        for axis in (0, 1, -1, -2):
            assert_same(fc, fp, s, axis)
    exc = assert_error(fc, fp, v, 2)
    assert isinstance(exc, ValueError) and "axis 2 is out of range" in str(exc)
