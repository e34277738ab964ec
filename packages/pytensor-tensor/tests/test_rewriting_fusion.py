"""Elementwise fusion (issue 7 §7): vertical, horizontal and reduction fusion.

Each test compiles a graph in the default mode and without rewrites, compares
both with NumPy, and counts the nodes of the compiled graph to show the fusion.
"""

from __future__ import annotations

import numpy as np
import pytest

import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.compile.mode import Mode, get_default_mode
from pytensor.gradient import grad
from pytensor.scalar._composite import Composite
from pytensor.tensor._elemwise_reduce import ElemwiseReduce
from pytensor.tensor.elemwise import CAReduce, Elemwise
from pytensor.tensor.rewriting.fusion import MAX_INPUTS

PY = Mode(linker="py", optimizer=None)


def _compile(inputs, outputs, mode=None):  # type: ignore[no-untyped-def]
    return function(inputs, outputs, mode=mode or get_default_mode())


def _nodes(f, cls):  # type: ignore[no-untyped-def]
    return [n for n in f.maker.fgraph.apply_nodes if isinstance(n.op, cls)]


def _check(inputs, outputs, values, expected):  # type: ignore[no-untyped-def]
    fused = _compile(inputs, outputs)
    plain = _compile(inputs, outputs, PY)
    got, ref = fused(*values), plain(*values)
    for g, r, e in zip(got, ref, expected, strict=True):
        np.testing.assert_allclose(g, e, rtol=1e-6)
        np.testing.assert_allclose(r, e, rtol=1e-6)
        assert g.dtype == r.dtype
    return fused


RNG = np.random.default_rng(0)


def test_vertical_chain_is_one_loop() -> None:
    x, y = pt.matrix("x"), pt.matrix("y")
    out = pt.exp(x) * y + pt.log(y) - x
    xv, yv = RNG.uniform(0.5, 1, (3, 4)), RNG.uniform(0.5, 1, (3, 4))
    f = _check([x, y], [out], [xv, yv], [np.exp(xv) * yv + np.log(yv) - xv])
    [node] = _nodes(f, Elemwise)
    assert isinstance(node.op.scalar_op, Composite)


def test_intermediate_with_several_clients_is_an_extra_output() -> None:
    x = pt.vector("x")
    e = pt.exp(x) + 1
    outs = [e * 2, pt.log(e), e]
    xv = RNG.uniform(-1, 1, 5)
    ev = np.exp(xv) + 1
    f = _check([x], outs, [xv], [ev * 2, np.log(ev), ev])
    assert len(_nodes(f, Elemwise)) == 1


def test_broadcast_and_static_shapes_are_kept() -> None:
    x = pt.tensor("x", shape=(None, 1))
    y = pt.tensor("y", shape=(1, 3))
    out = pt.exp(x) + pt.sin(y) * 2
    xv, yv = RNG.normal(size=(4, 1)), RNG.normal(size=(1, 3))
    f = _check([x, y], [out], [xv, yv], [np.exp(xv) + np.sin(yv) * 2])
    assert len(_nodes(f, Elemwise)) == 1
    assert f.maker.fgraph.outputs[0].type.shape == (None, 3)


def test_mixed_dtypes() -> None:
    x, k = pt.vector("x", dtype="float32"), pt.vector("k", dtype="int32")
    out = pt.exp(x) * k + 1
    xv, kv = RNG.normal(size=4).astype("float32"), np.arange(4, dtype="int32")
    f = _check([x, k], [out], [xv, kv], [np.exp(xv) * kv + 1])
    assert len(_nodes(f, Elemwise)) == 1
    assert f.maker.fgraph.outputs[0].type.dtype == out.type.dtype


def test_runtime_shape_error_survives_fusion() -> None:
    x, y = pt.vector("x"), pt.vector("y")
    f = _compile([x, y], [pt.exp(x) + pt.log(y)])
    assert len(_nodes(f, Elemwise)) == 1
    with pytest.raises(ValueError, match="do not match"):
        f(np.ones(3), np.ones(2))


def test_max_inputs_is_respected() -> None:
    xs = [pt.vector(f"x{k}") for k in range(MAX_INPUTS + 8)]
    out = xs[0]
    for v in xs[1:]:
        out = pt.sin(out) + v
    vals = [RNG.uniform(-0.1, 0.1, 3) for _ in xs]
    ref = vals[0]
    for v in vals[1:]:
        ref = np.sin(ref) + v
    f = _check(xs, [out], vals, [ref])
    nodes = _nodes(f, Elemwise)
    assert len(nodes) == 2
    assert all(len(n.inputs) <= MAX_INPUTS for n in nodes)


def test_no_fusion_through_a_non_elementwise_node() -> None:
    """A cycle would appear if both sides of a reduction went into one loop."""
    x = pt.vector("x")
    e = pt.exp(x)
    out = e / pt.sum(e)
    xv = RNG.normal(size=5)
    _check([x], [out], [xv], [np.exp(xv) / np.exp(xv).sum()])


def test_horizontal_siblings_become_one_loop() -> None:
    x = pt.matrix("x")
    outs = [pt.exp(x), pt.log(x), pt.sqrt(x) * 2]
    xv = RNG.uniform(0.5, 2, (2, 3))
    f = _check([x], outs, [xv], [np.exp(xv), np.log(xv), np.sqrt(xv) * 2])
    [node] = _nodes(f, Elemwise)
    assert node.op.scalar_op.nout == 3


def test_siblings_of_independent_shapes_stay_apart() -> None:
    """Fusing them would add a length check the original graph does not make."""
    x, y = pt.vector("x"), pt.vector("y")
    f = _compile([x, y], [pt.exp(x), pt.log(y)])
    assert len(_nodes(f, Elemwise)) == 2
    a, b = f(np.zeros(2), np.ones(3))
    assert a.shape == (2,) and b.shape == (3,)


def test_normal_logp_and_gradient_are_one_loop() -> None:
    """The seed's example: the elementwise logp of a Normal and its gradient."""
    x = pt.vector("x")
    mu, sigma = pt.scalar("mu"), pt.scalar("sigma")
    logp = -0.5 * ((x - mu) / sigma) ** 2 - pt.log(sigma) - 0.5 * np.log(2 * np.pi)
    dlogp = grad(logp.sum(), x)
    xv, m, s = RNG.normal(size=6), 0.3, 1.7
    z = (xv - m) / s
    ref = [-0.5 * z**2 - np.log(s) - 0.5 * np.log(2 * np.pi), -z / s]
    f = _check([x, mu, sigma], [logp, dlogp], [xv, m, s], ref)
    loops = [n for n in _nodes(f, Elemwise) if n.outputs[0].type.ndim == 1]
    assert len(loops) == 1, [str(n.op) for n in loops]


@pytest.mark.parametrize(
    ("reduce", "ref"),
    [(pt.sum, np.sum), (pt.prod, np.prod), (pt.max, np.max), (pt.min, np.min)],
)
def test_reduction_over_elemwise_is_one_op(reduce, ref) -> None:  # type: ignore[no-untyped-def]
    x, y = pt.matrix("x"), pt.matrix("y")
    out = reduce(pt.exp(x) * y + 1, axis=1)
    xv, yv = RNG.uniform(-1, 1, (3, 4)), RNG.uniform(-1, 1, (3, 4))
    f = _check([x, y], [out], [xv, yv], [ref(np.exp(xv) * yv + 1, axis=1)])
    [node] = _nodes(f, ElemwiseReduce)
    assert not _nodes(f, Elemwise) and not _nodes(f, CAReduce)
    assert isinstance(node.op.elemwise.scalar_op, Composite)


def test_reduction_not_fused_when_the_elementwise_result_is_needed() -> None:
    x = pt.vector("x")
    e = pt.exp(x) * 2
    xv = RNG.normal(size=4)
    f = _check([x], [pt.sum(e), e], [xv], [np.sum(np.exp(xv) * 2), np.exp(xv) * 2])
    assert not _nodes(f, ElemwiseReduce)


def test_fusion_can_be_excluded() -> None:
    x = pt.vector("x")
    f = _compile([x], [pt.exp(x) * 2 + 1], get_default_mode().excluding("fusion"))
    assert not any(isinstance(n.op.scalar_op, Composite) for n in _nodes(f, Elemwise))


def test_gradient_through_fused_graph() -> None:
    x = pt.vector("x")
    cost = pt.sum(pt.exp(x) * x)
    g = grad(cost, x)
    xv = RNG.normal(size=4)
    _check([x], [cost, g], [xv], [np.sum(np.exp(xv) * xv), np.exp(xv) * (xv + 1)])


def test_sum_of_many_terms_is_one_reduction() -> None:
    """Broadcast constants go inside the Composite, so they do not count toward MAX_INPUTS."""
    xs = [pt.vector(f"x{k}") for k in range(5)]
    out = sum(pt.exp(xs[k % 5] * (k + 1) / 50) * xs[(k + 1) % 5] for k in range(60))
    vals = [RNG.uniform(-1, 1, 4) for _ in xs]
    ref = sum(np.exp(vals[k % 5] * (k + 1) / 50) * vals[(k + 1) % 5] for k in range(60))
    f = _check(xs, [pt.sum(out)], vals, [np.sum(ref)])
    assert [type(n.op) for n in f.maker.fgraph.apply_nodes] == [ElemwiseReduce]
