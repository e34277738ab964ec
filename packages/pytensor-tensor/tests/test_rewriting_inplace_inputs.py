"""Inplace rewrites on graph inputs (issue 7 §6): only ``In(x, mutable=True)`` inputs
and shared variables with updates are overwritten; every other input keeps its value."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.compile.io import In, Out
from pytensor.compile.mode import Mode, get_default_mode
from pytensor.compile.sharedvalue import shared
from pytensor.tensor.elemwise import Elemwise
from pytensor.tensor.special import softmax

PY = Mode(linker="py", optimizer=None)
NO_FUSION = get_default_mode().excluding("fusion")


def _input_destroyers(f: Any) -> list[Any]:
    """The nodes of the compiled graph that overwrite one of its inputs."""
    fg = f.maker.fgraph
    return [
        n
        for n in fg.apply_nodes
        for ii in n.op.destroy_map.values()
        if any(n.inputs[i] in fg.inputs for i in ii)
    ]


@pytest.mark.parametrize("mode", [NO_FUSION, get_default_mode()], ids=["elemwise", "fused"])
def test_mutable_input_is_overwritten_by_an_elemwise(mode: Mode) -> None:
    x, y = pt.vector("x"), pt.vector("y")
    f = function([In(x, mutable=True), y], Out(pt.exp(x) * y, borrow=True), mode=mode)
    nodes = _input_destroyers(f)
    assert nodes and all(isinstance(n.op, Elemwise) for n in nodes)
    xv, yv = np.linspace(-1, 1, 5), np.full(5, 2.0)
    expected = np.exp(xv) * yv
    out = f(xv, yv)
    np.testing.assert_allclose(out, expected)
    assert np.shares_memory(out, xv)
    np.testing.assert_allclose(xv, expected)
    np.testing.assert_array_equal(yv, np.full(5, 2.0))


def test_mutable_input_result_is_copied_unless_borrowed() -> None:
    x = pt.vector("x")
    f = function([In(x, mutable=True)], pt.sin(x) + 1)
    assert _input_destroyers(f)
    xv = np.linspace(0, 1, 4)
    expected = np.sin(xv) + 1
    out = f(xv)
    np.testing.assert_allclose(out, expected)
    assert not np.shares_memory(out, xv)
    np.testing.assert_allclose(xv, expected)  # the caller lent it


GRAPHS: list[Callable[[Any, Any], Any]] = [
    lambda x, y: pt.exp(x) + y,
    lambda x, y: [x * 2, pt.sin(y)],
    lambda x, y: pt.sum(x) * y,
    lambda x, y: pt.set_subtensor(x[1:], y[:-1]),
    lambda x, y: pt.inc_subtensor(y[[0, 0]], x[:2]),
    lambda x, y: pt.switch(x > 0, x, y) ** 2,
    lambda x, y: pt.maximum(x, y) - pt.log1p(pt.exp(y)),
    lambda x, y: [x + y, x - y, x * y],
    lambda x, y: pt.cumsum(x) / (1 + y**2),
    lambda x, y: pt.dot(x, y) + x,
    lambda x, y: softmax(x) * y,
    lambda x, y: (x[::-1] + y)[1:] * 3,
]


@pytest.mark.parametrize("build", GRAPHS)
@pytest.mark.parametrize("mutable", ["none", "x", "y"])
def test_non_mutable_inputs_keep_their_values(build: Any, mutable: str) -> None:
    x, y = pt.vector("x"), pt.vector("y")
    ins = [In(x, mutable=mutable == "x"), In(y, mutable=mutable == "y")]
    outs = build(x, y)
    f = function(ins, outs)
    ref = function([x, y], outs, mode=PY)
    rng = np.random.default_rng(0)
    xv, yv = rng.normal(size=5), rng.normal(size=5)
    x0, y0 = xv.copy(), yv.copy()
    got = f(xv, yv)
    want = ref(x0.copy(), y0.copy())
    got, want = (v if isinstance(v, list) else [v] for v in (got, want))
    for g, w in zip(got, want, strict=True):
        np.testing.assert_allclose(g, w, rtol=1e-12)
    if mutable != "x":
        np.testing.assert_array_equal(xv, x0)
    if mutable != "y":
        np.testing.assert_array_equal(yv, y0)


def test_mutable_input_read_later_is_not_overwritten_first() -> None:
    x = pt.vector("x")
    e = pt.exp(x)
    # ``e[::-1] * x`` reads x after exp, so exp must not write over x
    f = function([In(x, mutable=True)], [e[::-1] * x, pt.sum(x)], mode=NO_FUSION)
    xv = np.linspace(0, 1, 4)
    x0 = xv.copy()
    a, b = f(xv)
    np.testing.assert_allclose(a, np.exp(x0)[::-1] * x0)
    np.testing.assert_allclose(b, x0.sum())


def test_readers_of_a_mutable_input_run_before_it_is_overwritten() -> None:
    x = pt.vector("x")
    f = function([In(x, mutable=True)], [pt.exp(x) * 2, pt.sum(x), x[::-1] + 1], mode=NO_FUSION)
    assert _input_destroyers(f)
    xv = np.linspace(0, 1, 4)
    x0 = xv.copy()
    a, b, c = f(xv)
    np.testing.assert_allclose(a, np.exp(x0) * 2)
    np.testing.assert_allclose(b, x0.sum())
    np.testing.assert_allclose(c, x0[::-1] + 1)


def test_the_same_array_for_a_mutable_and_another_input() -> None:
    x, y = pt.vector("x"), pt.vector("y")
    f = function([In(x, mutable=True), y], [pt.exp(x) + 1, y * 2], mode=NO_FUSION)
    assert _input_destroyers(f)
    a = np.arange(3.0)
    e, d = f(a, a)
    np.testing.assert_allclose(e, np.exp(np.arange(3.0)) + 1)
    np.testing.assert_allclose(d, np.arange(3.0) * 2)
    np.testing.assert_array_equal(a, np.arange(3.0))


def test_input_with_a_default_value_is_not_overwritten() -> None:
    x = pt.vector("x")
    default = np.arange(3.0)
    f = function([In(x, value=default, mutable=True)], pt.exp(x) + 1)
    assert not _input_destroyers(f)
    for _ in range(2):
        np.testing.assert_allclose(f(), np.exp(np.arange(3.0)) + 1)
    np.testing.assert_array_equal(default, np.arange(3.0))


def test_shared_variables() -> None:
    s, k = shared(np.arange(3.0), "s"), shared(np.ones(3), "k")
    f = function([], pt.sum(k), updates={s: pt.sin(s) * k})
    assert [n.inputs for n in _input_destroyers(f)]
    assert all(s in n.inputs for n in _input_destroyers(f))
    expected = np.arange(3.0)
    for _ in range(3):
        f()
        expected = np.sin(expected)
        np.testing.assert_allclose(s.get_value(), expected)
    np.testing.assert_array_equal(k.get_value(), np.ones(3))
