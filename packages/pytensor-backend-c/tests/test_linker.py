"""The C linker: one module per graph, the driver, perform fallbacks, errors, references."""

from __future__ import annotations

import logging
import sys
import weakref

import numpy as np
import pytest

import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.compile.io import In
from pytensor.compile.mode import Mode
from pytensor.graph.basic import Apply
from pytensor.graph.op import Op
from pytensor.link.c.linker import link_info
from pytensor.tensor.elemwise import Elemwise
from pytensor.tensor.type import TensorType

pytestmark = pytest.mark.c


class Twice(Op):
    """An Op with only a Python perform (no C kernel): it must run as a fallback."""

    __props__ = ()

    def make_node(self, x):
        x = pt.as_tensor_variable(x)
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, outputs):
        outputs[0][0] = inputs[0] * 2


class Boom(Op):
    """Raises at run time, to check the error path of the driver."""

    __props__ = ()

    def make_node(self, x):
        x = pt.as_tensor_variable(x)
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, outputs):
        raise RuntimeError("boom from perform")


def test_a_graph_runs_in_c_and_matches_numpy(c_mode):
    x = pt.vector("x")
    y = pt.matrix("y")
    out = pt.exp(x) * 2 + y
    f = function([x, y], [out, out.sum(axis=1)], mode=c_mode)
    xv, yv = np.arange(3.0), np.ones((2, 3))
    r0, r1 = f(xv, yv)
    np.testing.assert_allclose(r0, np.exp(xv) * 2 + yv, rtol=1e-15)
    np.testing.assert_allclose(r1, (np.exp(xv) * 2 + yv).sum(axis=1), rtol=1e-14)
    assert link_info(f.vm).fallback_nodes == ()


def test_nodes_without_c_run_through_perform_and_are_reported_once(c_mode, caplog):
    from pytensor.link.c import linker

    linker._reported.discard(Twice)
    x = pt.vector("x")
    with caplog.at_level(logging.WARNING, logger="pytensor.link.c"):
        f = function([x], Twice()(pt.exp(x)) + 1, mode=c_mode)
        g = function([x], Twice()(x), mode=c_mode)
    np.testing.assert_allclose(f(np.zeros(2)), [3.0, 3.0])
    np.testing.assert_allclose(g(np.ones(2)), [2.0, 2.0])
    msgs = [r.getMessage() for r in caplog.records if "Twice" in r.getMessage()]
    assert len(msgs) == 1 and "perform" in msgs[0]
    assert [type(n.op) for n in link_info(f.vm).fallback_nodes] == [Twice]


def test_errors_in_a_node_carry_a_note_naming_it(c_mode):
    x = pt.vector("x")
    f = function([x], Boom()(pt.exp(x)), mode=c_mode)
    with pytest.raises(RuntimeError, match="boom from perform") as info:
        f(np.zeros(2))
    assert any("Boom" in n and "c backend" in n for n in info.value.__notes__)


def test_runtime_broadcasting_raises_the_message_of_perform(c_mode):
    x, y = pt.matrix("x"), pt.matrix("y")
    out = x + y
    f_c = function([x, y], out, mode=c_mode)
    f_py = function([x, y], out, mode=Mode("py", None))
    for a, b in [(np.ones((2, 3)), np.ones((1, 3))), (np.ones((2, 3)), np.ones((4, 3)))]:
        with pytest.raises(ValueError) as e_py:
            f_py(a, b)
        with pytest.raises(ValueError) as e_c:
            f_c(a, b)
        assert str(e_c.value) == str(e_py.value)


def test_static_length_one_dimensions_broadcast(c_mode):
    x = pt.matrix("x")
    r = pt.tensor("r", shape=(1, None))
    f = function([x, r], x * r, mode=c_mode)
    a, b = np.arange(6.0).reshape(2, 3), np.array([[1.0, 2.0, 3.0]])
    np.testing.assert_array_equal(f(a, b), a * b)


def test_non_contiguous_inputs(c_mode):
    x, y = pt.matrix("x"), pt.matrix("y")
    f = function([x, y], [pt.exp(x) - y, (x * y).sum(axis=0)], mode=c_mode)
    a = np.arange(24.0).reshape(4, 6)[:, ::2] / 10
    b = np.arange(12.0).reshape(3, 4).T
    r0, r1 = f(a, b)
    np.testing.assert_allclose(r0, np.exp(a) - b, rtol=1e-14)
    np.testing.assert_allclose(r1, (a * b).sum(axis=0), rtol=1e-14)


def test_inplace_elemwise_writes_into_its_input(c_mode):
    import pytensor.scalar as ps

    x = pt.vector("x")
    y = pt.vector("y")
    node = Elemwise(ps.add, {0: 0})(x, y)
    f = function([In(x, mutable=True), y], node, mode=c_mode)
    a, b = np.arange(3.0), np.ones(3)
    res = f(a, b)
    np.testing.assert_array_equal(res, [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(a, [1.0, 2.0, 3.0])


def test_references_are_not_leaked(c_mode):
    x = pt.vector("x")
    f = function([x], [pt.exp(x) + 1, Twice()(x * 2)], mode=c_mode)
    a = np.arange(5.0)
    f(a)
    before = sys.getrefcount(a)
    for _ in range(200):
        f(a)
    assert sys.getrefcount(a) == before
    outs = f(a)
    refs = [weakref.ref(o) for o in outs]
    del outs
    assert [r() for r in refs] == [None, None]


def test_constants_outputs_and_repeated_outputs(c_mode):
    x = pt.vector("x")
    c = pt.constant(np.array([1.0, 2.0]))
    f = function([x], [x + c, c, x, x + c], mode=c_mode)
    r = f(np.zeros(2))
    np.testing.assert_array_equal(r[0], [1.0, 2.0])
    np.testing.assert_array_equal(r[1], [1.0, 2.0])
    np.testing.assert_array_equal(r[2], [0.0, 0.0])
    np.testing.assert_array_equal(r[3], [1.0, 2.0])
    assert r[0] is not r[3]


def test_wrong_number_of_arguments_to_the_driver(c_mode):
    x = pt.vector("x")
    f = function([x], x * 2, mode=c_mode)
    with pytest.raises(TypeError, match="takes 1 inputs, got 2"):
        f.vm(np.zeros(1), np.zeros(1))


def test_dimshuffle_views_and_scalars(c_mode):
    x = pt.tensor("x", shape=(None, 1, None))
    out = x.dimshuffle(2, "x", 0)
    f = function([x], [out, out * 1.0], mode=c_mode)
    a = np.arange(6.0).reshape(2, 1, 3)
    r0, r1 = f(a)
    np.testing.assert_array_equal(r0, a.transpose(2, 1, 0).reshape(3, 1, 2))
    np.testing.assert_array_equal(r1, r0)


def test_zero_dim_and_empty_arrays(c_mode):
    x = pt.scalar("x")
    v = pt.vector("v")
    f = function([x, v], [x * 2, v + x, (v * 2).sum()], mode=c_mode)
    r = f(np.float64(3.0), np.zeros(0))
    assert r[0].shape == () and r[0] == 6.0
    assert r[1].shape == (0,)
    assert r[2] == 0.0


def test_fused_graph_with_rewrites(c_fast_mode):
    x = pt.vector("x")
    mu, s, c = pt.scalars("mu", "s", "c")
    out = pt.exp(-((x - mu) ** 2) / (2 * s**2)) * c + pt.log1p(pt.abs(x))
    f = function([x, mu, s, c], [out, out.sum()], mode=c_fast_mode)
    xv = np.linspace(-5, 5, 101)
    want = np.exp(-((xv - 0.5) ** 2) / (2 * 1.5**2)) * 2.0 + np.log1p(np.abs(xv))
    r0, r1 = f(xv, 0.5, 1.5, 2.0)
    np.testing.assert_allclose(r0, want, rtol=1e-14)
    np.testing.assert_allclose(r1, want.sum(), rtol=1e-13)
    assert link_info(f.vm).fallback_nodes == ()


def test_a_name_with_c_syntax_is_escaped(c_mode):
    import pytensor.scalar as ps

    evil = 'ev"il */ \\ \n ?? é'
    op = Elemwise(ps.add, name=evil)
    x, y = pt.matrix("x"), pt.matrix("y")
    f = function([x, y], op(x, y), mode=c_mode)
    with pytest.raises(ValueError) as info:
        f(np.ones((2, 3)), np.ones((4, 3)))
    assert str(info.value).startswith(evil + ": shapes (2, 3) (input 0)")


def test_dtype_of_every_output_matches_the_graph(c_mode):
    x = TensorType("int8", (None,))("x")
    b = TensorType("bool", (None,))("b")
    outs = [x + x, x * 1.5, pt.sum(x), pt.sum(b), pt.max(x), pt.all(x), b.astype("float32")]
    f = function([x, b], outs, mode=c_mode)
    xv = np.array([1, -2, 127], dtype="int8")
    bv = np.array([True, False, True])
    g = function([x, b], outs, mode=Mode("py", None))
    for r, want, var in zip(f(xv, bv), g(xv, bv), outs, strict=True):
        assert r.dtype == var.type.dtype
        np.testing.assert_array_equal(r, want)


def test_scalar_graph_nodes_run_in_c(c_mode):
    import pytensor.scalar as ps

    a, b = ps.float64("a"), ps.int32("b")
    outs = [ps.exp(a) + b, a * 2, ps.Composite([a, b], [a + b, a - b])(a, b)[1]]
    f = function([a, b], outs, mode=c_mode)
    g = function([a, b], outs, mode=Mode("py", None))
    got, want = f(1.5, 3), g(1.5, 3)
    assert [type(v) for v in got] == [type(v) for v in want]
    np.testing.assert_allclose(got, want, rtol=1e-15)
    assert link_info(f.vm).fallback_nodes == ()


def test_opfromgraph_runs_its_inner_graph_compiled_in_c(c_mode):
    from pytensor.tensor.special import softmax

    x = pt.dmatrix("x")
    f = function([x], softmax(x, axis=1), mode=c_mode)
    v = np.random.default_rng(0).normal(size=(3, 4))
    e = np.exp(v - v.max(axis=1, keepdims=True))
    np.testing.assert_allclose(f(v), e / e.sum(axis=1, keepdims=True), rtol=1e-14)
    (node,) = link_info(f.vm).fallback_nodes
    assert type(node.op).__name__ == "Softmax"


class BrokenCodegen(Twice):
    """An Op whose C generator raises: the node must run through perform, with a log line."""


def test_a_failing_kernel_generator_falls_back_to_perform(c_mode, caplog):
    from pytensor.link.c.dispatch import c_funcify

    @c_funcify.register(BrokenCodegen)
    def _broken(op, node, **kwargs):
        raise RuntimeError("generator bug")

    x = pt.vector("x")
    with caplog.at_level(logging.WARNING, logger="pytensor.link.c"):
        f = function([x], BrokenCodegen()(x), mode=c_mode)
    np.testing.assert_allclose(f(np.ones(2)), [2.0, 2.0])
    assert any("generator bug" in r.getMessage() for r in caplog.records)
    assert [type(n.op) for n in link_info(f.vm).fallback_nodes] == [BrokenCodegen]


def test_big_loops_run_without_the_gil_and_are_thread_safe(c_fast_mode):
    from concurrent.futures import ThreadPoolExecutor

    x = pt.dvector("x")
    f = function([x], [pt.exp(-x * x) + 1.0, pt.sum(pt.log1p(pt.abs(x)))], mode=c_fast_mode)
    assert "PyEval_SaveThread" in link_info(f.vm).source
    rng = np.random.default_rng(5)
    data = [rng.normal(size=100_000) for _ in range(8)]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda v: f(v), data))
    for v, (r0, r1) in zip(data, results, strict=True):
        np.testing.assert_allclose(r0, np.exp(-v * v) + 1.0, rtol=1e-14)
        np.testing.assert_allclose(r1, np.log1p(np.abs(v)).sum(), rtol=1e-12)
