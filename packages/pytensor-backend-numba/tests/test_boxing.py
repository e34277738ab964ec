"""Returned arrays (dispatch/_boxing.py): the same arrays numba's own boxing makes, owned
correctly (no leak, no double free), for every dtype, rank, layout and aliasing case."""

from __future__ import annotations

import resource

import numpy as np
import pytest

import pytensor.tensor as pt
from pytensor.graph.fg import FunctionGraph
from pytensor.link.numba import backend
from pytensor.link.numba.linker import compile_graph_function


@pytest.mark.parametrize(
    "dtype", ["float64", "float32", "int8", "uint16", "int64", "bool", "complex128"]
)
@pytest.mark.parametrize("ndim", [0, 1, 3])
def test_returned_arrays_match_numbas_own_boxing(dtype, ndim):
    x = pt.tensor("x", dtype=dtype, shape=(None,) * ndim)
    fg = FunctionGraph([x], [x.T.copy() if ndim else x + x, x.T], clone=False)
    shape = (2, 3, 4)[:ndim]
    value = np.asarray(np.arange(int(np.prod(shape))).reshape(shape) % 3).astype(dtype)
    ours = backend.link(fg)(value)
    # The same graph compiled for numba code (inner graphs): numba's own boxing.
    plain, program = compile_graph_function(fg)
    theirs = plain(value)
    for a, b in zip(ours, theirs, strict=True):
        assert type(a) is type(b) is np.ndarray
        assert (a.dtype, a.shape, a.strides) == (b.dtype, b.shape, b.strides)
        assert a.flags.writeable == b.flags.writeable
        assert a.flags.owndata == b.flags.owndata
        np.testing.assert_array_equal(a, b)
    # A view of the input keeps pointing at the input's memory.
    if ndim:
        assert np.shares_memory(ours[1], value)


def test_aliases_and_inputs_are_returned_as_is():
    x = pt.vector("x")
    y = pt.exp(x)
    runner = backend.link(FunctionGraph([x], [y, y, x], clone=False))
    value = np.linspace(0, 1, 5)
    a, b, same = runner(value)
    assert same is value and np.shares_memory(a, b)
    np.testing.assert_allclose(a, np.exp(value), rtol=1e-15)
    # A read-only input comes back as itself, still read-only.
    frozen = value.copy()
    frozen.flags.writeable = False
    assert runner(frozen)[2] is frozen


def test_returned_arrays_are_freed():
    x = pt.vector("x")
    runner = backend.link(FunctionGraph([x], [pt.exp(x), x * 2.0], clone=False))
    value = np.ones(100_000)  # 0.8 MB per output: 1,000 calls would leak 1.6 GB
    runner(value)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(1_000):
        e, d = runner(value)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert (after - before) * 1024 < 200e6
    np.testing.assert_array_equal(d, 2.0)
    np.testing.assert_allclose(e, np.e)
