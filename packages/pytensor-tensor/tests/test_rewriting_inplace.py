"""Inplace rewrites (issue 7 §6): Elemwise and increment Ops overwrite intermediates only.

A graph input is overwritten only when marked ``In(x, mutable=True)`` (or a shared
variable with an update); the FunctionMaker's Supervisor lists the others as protected.
"""

from __future__ import annotations

import numpy as np

import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.compile.io import In, Out
from pytensor.compile.mode import Mode, get_default_mode
from pytensor.tensor.elemwise import Elemwise

PY = Mode(linker="py", optimizer=None)
NO_FUSION = get_default_mode().excluding("fusion")


def _destroyers(f):  # type: ignore[no-untyped-def]
    return [n for n in f.maker.fgraph.apply_nodes if n.op.destroy_map]


def test_elemwise_writes_over_an_intermediate() -> None:
    x = pt.vector("x")
    out = pt.sin(pt.exp(x) * 2)
    f = function([x], out, mode=NO_FUSION)
    assert _destroyers(f)
    assert all(isinstance(n.op, Elemwise) for n in _destroyers(f))
    xv = np.linspace(-1, 1, 5)
    keep = xv.copy()
    np.testing.assert_allclose(f(xv), np.sin(np.exp(xv) * 2))
    np.testing.assert_array_equal(xv, keep)
    np.testing.assert_allclose(function([x], out, mode=PY)(xv), f(xv))


def test_non_mutable_inputs_are_never_overwritten() -> None:
    x, y = pt.vector("x"), pt.vector("y")
    f = function([x, y], [pt.exp(x) + y, x * 2], mode=NO_FUSION)
    xv, yv = np.arange(3.0), np.ones(3)
    f(xv, yv)
    np.testing.assert_array_equal(xv, np.arange(3.0))
    np.testing.assert_array_equal(yv, np.ones(3))


def test_value_read_later_is_not_overwritten() -> None:
    x = pt.vector("x")
    e = pt.exp(x)
    outs = [pt.log(e), e * 2]
    f = function([x], outs, mode=NO_FUSION)
    xv = np.linspace(0, 1, 4)
    a, b = f(xv)
    np.testing.assert_allclose(a, xv)
    np.testing.assert_allclose(b, np.exp(xv) * 2)


def test_graph_output_is_not_overwritten() -> None:
    x = pt.vector("x")
    e = pt.exp(x)
    f = function([x], [e, pt.sin(e)], mode=NO_FUSION)
    xv = np.linspace(0, 1, 4)
    a, b = f(xv)
    np.testing.assert_allclose(a, np.exp(xv))
    np.testing.assert_allclose(b, np.sin(np.exp(xv)))


def test_inc_subtensor_writes_in_place_into_an_intermediate() -> None:
    x, y = pt.vector("x"), pt.scalar("y")
    base = pt.exp(x)
    out = pt.inc_subtensor(base[1:3], y)
    f = function([x, y], out)
    assert any(getattr(n.op, "inplace", False) for n in _destroyers(f))
    xv = np.zeros(4)
    np.testing.assert_allclose(f(xv, 2.0), [1, 3, 3, 1])
    np.testing.assert_array_equal(xv, np.zeros(4))


def test_set_subtensor_of_an_input_copies() -> None:
    x = pt.vector("x")
    f = function([x], pt.set_subtensor(x[0], 5.0))
    xv = np.zeros(3)
    np.testing.assert_array_equal(f(xv), [5, 0, 0])
    np.testing.assert_array_equal(xv, np.zeros(3))


def test_set_subtensor_of_a_mutable_input_writes_into_it() -> None:
    x = pt.vector("x")
    f = function([In(x, mutable=True)], Out(pt.set_subtensor(x[0], 5.0), borrow=True))
    assert any(getattr(n.op, "inplace", False) for n in _destroyers(f))
    xv = np.zeros(3)
    out = f(xv)
    np.testing.assert_array_equal(out, [5, 0, 0])
    assert np.shares_memory(out, xv)
    np.testing.assert_array_equal(xv, [5, 0, 0])


def test_advanced_inc_subtensor_in_place() -> None:
    x = pt.vector("x")
    idx = np.array([0, 2, 0])
    out = pt.inc_subtensor(pt.exp(x)[idx], 1.0)
    f = function([x], out)
    assert _destroyers(f)
    xv = np.zeros(3)
    expected = np.ones(3)
    np.add.at(expected, idx, 1.0)
    np.testing.assert_allclose(f(xv), expected)


def test_inplace_can_be_excluded() -> None:
    x = pt.vector("x")
    f = function([x], pt.sin(pt.exp(x) * 2), mode=NO_FUSION.excluding("inplace"))
    assert not _destroyers(f)
