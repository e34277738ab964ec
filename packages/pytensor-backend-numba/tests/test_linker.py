"""The numba linker: one jitted function per graph, its inputs, outputs, constants and errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import pytensor.scalar as ps
import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.compile.mode import Mode
from pytensor.graph.basic import Apply
from pytensor.graph.fg import FunctionGraph
from pytensor.graph.op import Op
from pytensor.link.backend import MissingImplementationError
from pytensor.link.numba import NumbaLinker, backend
from pytensor.tensor.elemwise import Elemwise

NUMBA = Mode(linker="numba", optimizer=None)
PY = Mode(linker="py", optimizer=None)


def test_multiple_outputs_inputs_and_constants_as_outputs():
    x = pt.vector("x")
    y = pt.vector("y")
    big = pt.constant(np.arange(5.0))
    fg = FunctionGraph([x, y], [x + y, x, big, x * big], clone=False)
    runner = backend.link(fg)
    xv, yv = np.ones(5), np.full(5, 2.0)
    s, same, const, prod = runner(xv, yv)
    np.testing.assert_array_equal(s, xv + yv)
    assert same is xv
    np.testing.assert_array_equal(const, np.arange(5.0))
    np.testing.assert_array_equal(prod, np.arange(5.0))
    assert isinstance(runner(xv, yv), list)


def test_array_constants_are_arguments_not_source():
    x = pt.vector("x", shape=(4,))
    c1 = pt.constant(np.array([1.0, 2.0, 3.0, 4.0]))
    c2 = pt.constant(np.array([5.0, 6.0, 7.0, 8.0]))
    r1 = backend.link(FunctionGraph([x], [x * c1], clone=False))
    r2 = backend.link(FunctionGraph([x], [x * c2], clone=False))
    assert "k0" in r1.source and "5.0" not in r2.source
    # Same structure, other constant: the compiled function is shared (the warm-start
    # dispatchers differ, since the warm key includes every constant's value).
    assert r1.dispatcher.full is r2.dispatcher.full
    np.testing.assert_array_equal(r1(np.ones(4))[0], [1, 2, 3, 4])
    np.testing.assert_array_equal(r2(np.ones(4))[0], [5, 6, 7, 8])


def test_scalar_type_inputs_and_outputs_are_numpy_scalars():
    a = ps.float64("a")
    b = ps.int32("b")
    out = ps.add(a, ps.as_scalar(1.5))
    fg = FunctionGraph([a, b], [out, b], clone=False)
    r = backend.link(fg)
    assert "(1.5)" in r.source  # a scalar constant is a literal
    got, same = r(np.float64(2.0), np.int32(3))
    assert type(got) is np.float64 and got == 3.5
    assert type(same) is np.int32 and same == 3


def test_inplace_elemwise_writes_into_the_destroyed_input():
    x = pt.vector("x")
    y = pt.vector("y")
    out = Elemwise(ps.add, {0: 0})(x, y)
    r = backend.link(FunctionGraph([x, y], [out], clone=False))
    xv, yv = np.arange(3.0), np.ones(3)
    (res,) = r(xv, yv)
    assert np.shares_memory(res, xv)
    np.testing.assert_array_equal(xv, [1.0, 2.0, 3.0])


def test_function_results_match_the_python_backend():
    x = pt.matrix("x")
    y = pt.vector("y")
    outs = [pt.exp(x) * y, pt.sum(x, axis=0), x.T, pt.max(x, axis=1), pt.log1p(pt.abs(x))]
    fn = function([x, y], outs, mode=NUMBA)
    ref = function([x, y], outs, mode=PY)
    xv = np.random.default_rng(1).normal(size=(3, 4))
    yv = np.arange(4.0)
    for got, want in zip(fn(xv, yv), ref(xv, yv), strict=True):
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=1e-14)


def _error(fn, *args):
    with pytest.raises(Exception) as info:
        fn(*args)
    return info.value


def test_runtime_broadcast_error_matches_perform():
    x = pt.matrix("x")
    y = pt.matrix("y")
    outs = [x + y]
    xv, yv = np.ones((2, 3)), np.ones((1, 3))
    got = _error(function([x, y], outs, mode=NUMBA), xv, yv)
    want = _error(function([x, y], outs, mode=PY), xv, yv)
    assert type(got) is type(want) is ValueError
    assert str(got) == str(want)
    got = _error(function([x, y], outs, mode=NUMBA), np.ones((2, 3)), np.ones((2, 4)))
    want = _error(function([x, y], outs, mode=PY), np.ones((2, 3)), np.ones((2, 4)))
    assert str(got) == str(want)


class NoNumba(Op):
    """An Op with only a Python implementation."""

    __props__ = ()

    def make_node(self, x):
        x = pt.as_tensor_variable(x)
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, output_storage):
        output_storage[0][0] = inputs[0] * 2


def test_missing_implementation_is_a_compile_time_error_naming_the_op():
    x = pt.vector("x")
    with pytest.raises(MissingImplementationError, match="NoNumba"):
        function([x], NoNumba()(x) + 1, mode=NUMBA)


def test_opt_in_perform_fallback_warns_once_and_runs():
    x = pt.vector("x")
    mode = Mode(linker=NumbaLinker(fallback_to_perform=True), optimizer=None)
    with pytest.warns(UserWarning, match="NoNumba.*perform") as record:
        fn = function([x], NoNumba()(x) + 1, mode=mode)
    assert len([w for w in record if "NoNumba" in str(w.message)]) == 1
    np.testing.assert_array_equal(fn(np.arange(3.0)), [1.0, 3.0, 5.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        function([x], NoNumba()(x) * 3, mode=mode)  # warned already: once per Op class


def test_wrong_input_is_rejected_before_compiled_code():
    x = pt.vector("x", dtype="float64")
    fn = function([x], pt.exp(x), mode=NUMBA)
    with pytest.raises(TypeError):
        fn(np.ones((2, 2)))
    with pytest.raises(TypeError):
        fn(np.ones(2, dtype="int64").astype(object))
