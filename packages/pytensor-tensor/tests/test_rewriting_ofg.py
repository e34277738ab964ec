"""OpFromGraph handling (issue 7 §8): late inlining for fusion, and ElemwiseOpFromGraph.

Each rewrite test compiles in the default mode and without rewrites, compares both with
NumPy/SciPy, and inspects the nodes of the compiled graph.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest
import scipy.special as sp

import pytensor.scalar as ps
import pytensor.tensor as pt
from pytensor.compile.builders import OpFromGraph
from pytensor.compile.function import function
from pytensor.compile.mode import Mode, get_default_mode
from pytensor.gradient import grad, verify_grad
from pytensor.scalar._composite import Composite
from pytensor.tensor._elemwise_ofg import ElemwiseOpFromGraph
from pytensor.tensor._softmax import LogAddExp, LogSoftmax, LogSumExp, Softmax
from pytensor.tensor.elemwise import Elemwise
from pytensor.tensor.rewriting.modes import rewrite_stages, selected_rewrites
from pytensor.tensor.special import log_softmax, softmax

PY = Mode(linker="py", optimizer=None)
RNG = np.random.default_rng(7)
X = RNG.normal(size=(3, 5)) * 4
Y = RNG.uniform(0.5, 2.0, size=(3, 5))


def _nodes(f, cls):  # type: ignore[no-untyped-def]
    return [n for n in f.maker.fgraph.apply_nodes if isinstance(n.op, cls)]


def _check(inputs, output, values, expected, mode=None):  # type: ignore[no-untyped-def]
    """Compile in ``mode`` (default mode) and without rewrites; both must match ``expected``."""
    f = function(inputs, output, mode=mode or get_default_mode())
    plain = function(inputs, output, mode=PY)
    got, ref = f(*values), plain(*values)
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ref, expected, rtol=1e-10, atol=1e-12)
    assert got.dtype == ref.dtype
    return f


# ---------------------------------------------------------------------------
# The stage
# ---------------------------------------------------------------------------
def test_stage_is_registered_between_stabilize_and_fusion():
    stages = {s.name: s for s in rewrite_stages()}
    stage = stages["inline_composites"]
    assert stages["stabilize"].position < stage.position < stages["elemwise_fusion"].position
    assert stages["specialize"].position < stage.position
    assert stage.tags == ("fast_run",)  # and its own name, which is the tag to exclude
    assert "inline_composites" in selected_rewrites("FAST_RUN")
    assert "inline_composites" not in selected_rewrites("FAST_COMPILE")
    excluded = get_default_mode().excluding("inline_composites")
    assert "inline_composites" not in selected_rewrites(excluded)


# ---------------------------------------------------------------------------
# Inlining the softmax family
# ---------------------------------------------------------------------------
def test_softmax_then_elemwise_becomes_fused_loops():
    x, y = pt.dmatrix("x"), pt.dmatrix("y")
    f = _check([x, y], softmax(x, axis=1) * y, [X, Y], sp.softmax(X, axis=1) * Y)
    assert not _nodes(f, OpFromGraph)
    loops = _nodes(f, Elemwise)
    # exp(x - max) and (e / sum) * y: two fused loops, no separate Mul.
    assert len(loops) == 2
    assert all(isinstance(n.op.scalar_op, Composite) for n in loops)


def test_lone_softmax_stays_one_node():
    x = pt.dmatrix("x")
    f = _check([x], softmax(x, axis=1), [X], sp.softmax(X, axis=1))
    assert [type(n.op) for n in f.maker.fgraph.apply_nodes] == [Softmax]


def test_excluding_the_tag_keeps_the_composite_whole():
    x, y = pt.dmatrix("x"), pt.dmatrix("y")
    mode = get_default_mode().excluding("inline_composites")
    f = _check([x, y], softmax(x, axis=1) * y, [X, Y], sp.softmax(X, axis=1) * Y, mode)
    assert len(_nodes(f, Softmax)) == 1
    assert len(f.maker.fgraph.apply_nodes) == 2


def test_elemwise_input_triggers_inlining():
    a, b = pt.dvector("a"), pt.dvector("b")
    av, bv = X[0], Y[0]
    f = _check([a, b], pt.logaddexp(a * 2.0, b), [av, bv], np.logaddexp(av * 2.0, bv))
    assert not _nodes(f, LogAddExp)
    assert len(f.maker.fgraph.apply_nodes) == 1  # one fused loop


def test_logaddexp_then_elemwise_is_one_loop():
    a, b, c = pt.dmatrix("a"), pt.dmatrix("b"), pt.dmatrix("c")
    big = np.array([[800.0, -800.0, 0.0]])
    vals = [np.vstack([X[:, :3], big]), np.vstack([Y[:, :3], -big]), np.ones((4, 3))]
    f = _check([a, b, c], pt.logaddexp(a, b) * c, vals, np.logaddexp(vals[0], vals[1]) * vals[2])
    assert len(f.maker.fgraph.apply_nodes) == 1
    assert isinstance(f.maker.fgraph.outputs[0].owner.op.scalar_op, Composite)


def test_logsumexp_and_log_softmax_next_to_elemwise():
    x = pt.dmatrix("x")
    out = pt.logsumexp(x, axis=1, keepdims=True) + x
    f = _check([x], out, [X], sp.logsumexp(X, axis=1, keepdims=True) + X)
    assert not _nodes(f, LogSumExp)
    y = pt.dmatrix("y")
    f = _check([x, y], log_softmax(x, axis=0) - y, [X, Y], sp.log_softmax(X, axis=0) - Y)
    assert not _nodes(f, LogSoftmax)


def test_stabilize_still_sees_softmax_before_inlining():
    """log(softmax(x)) * 2 becomes log_softmax (stabilize, 1.5) before it is inlined (2.5)."""
    x = pt.dmatrix("x")
    xv = np.array([[0.0, 800.0, -800.0], [1.0, 2.0, 3.0]])
    expected = sp.log_softmax(xv, axis=1) * 2.0
    f = function([x], pt.log(softmax(x, axis=1)) * 2.0)
    got = f(xv)
    assert np.isfinite(got).all()
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert not _nodes(f, OpFromGraph)


def test_graph_with_gradient_keeps_values():
    x, y = pt.dmatrix("x"), pt.dmatrix("y")
    cost = (softmax(x, axis=1) * y).sum()
    gx = grad(cost, x)
    s = sp.softmax(X, axis=1)
    expected = s * (Y - (Y * s).sum(axis=1, keepdims=True))
    f = _check([x, y], gx, [X, Y], expected)
    assert not _nodes(f, Softmax)


# ---------------------------------------------------------------------------
# User OpFromGraphs
# ---------------------------------------------------------------------------
def test_user_elementwise_ofg_is_inlined_and_fused():
    a, b = pt.dmatrix("a"), pt.dmatrix("b")
    op = OpFromGraph([a, b], [pt.exp(a) + b])
    x, y, z = pt.dmatrix("x"), pt.dmatrix("y"), pt.dmatrix("z")
    f = _check([x, y, z], op(x, y) * z, [X, Y, Y + 1], (np.exp(X) + Y) * (Y + 1))
    assert not _nodes(f, OpFromGraph)
    assert len(f.maker.fgraph.apply_nodes) == 1


def test_user_ofg_with_other_ops_stays_whole():
    a, b = pt.dmatrix("a"), pt.dmatrix("b")
    op = OpFromGraph([a, b], [pt.dot(a, b.T)])
    x, y = pt.dmatrix("x"), pt.dmatrix("y")
    f = _check([x, y], op(x, y) * 2.0, [X, Y], (X @ Y.T) * 2.0)
    assert len(_nodes(f, OpFromGraph)) == 1


# ---------------------------------------------------------------------------
# ElemwiseOpFromGraph
# ---------------------------------------------------------------------------
def _exp_mul() -> ElemwiseOpFromGraph:
    a, b = pt.dscalar("a"), pt.dscalar("b")
    return ElemwiseOpFromGraph([a, b], [pt.exp(a) * b], name="exp_mul")


def test_elemwise_ofg_is_generic_over_dtype_rank_and_shape():
    op = _exp_mul()
    m32, v32 = pt.fmatrix("m"), pt.fvector("v")
    out = op(m32, v32)
    assert out.owner.op is op
    assert out.type == pt.TensorType("float32", (None, None))
    assert op(pt.tensor("s", dtype="float64", shape=(2, 1)), pt.dvector("w")).type.shape == (
        2,
        None,
    )
    assert op(pt.ivector("i"), 2).type.dtype == "float64"
    assert op(pt.dscalar(), pt.dscalar()).type.ndim == 0
    mv, vv = X.astype("float32"), Y[0].astype("float32")
    got = function([m32, v32], out, mode=PY)(mv, vv)
    assert got.dtype == "float32"
    np.testing.assert_allclose(got, np.exp(mv) * vv, rtol=1e-6)
    # The Composite's per-dtype variants are cached, not rebuilt.
    f32 = op.composite._for_types(tuple(ps.float32 for _ in range(2)))
    assert f32 is op.composite._for_types(tuple(ps.float32 for _ in range(2)))


def test_elemwise_ofg_definitions_agree():
    a, b = pt.dscalar("a"), pt.dscalar("b")
    from_tensors = ElemwiseOpFromGraph([a, b], [pt.exp(a) * b])
    sa, sb = ps.float64("a"), ps.float64("b")
    from_scalars = ElemwiseOpFromGraph([sa, sb], [ps.exp(sa) * sb])
    from_fn = ElemwiseOpFromGraph.from_function(lambda u, v: pt.exp(u) * v, 2, name=None)
    assert from_tensors == from_scalars
    assert hash(from_tensors) == hash(from_scalars)
    assert from_fn.composite == from_tensors.composite
    assert from_tensors != _exp_mul()  # the name differs
    restored = pickle.loads(pickle.dumps(from_tensors))
    assert restored == from_tensors


def test_elemwise_ofg_rejects_non_elementwise_graphs():
    a = pt.dvector("a")
    with pytest.raises(TypeError, match="0-d tensors"):
        ElemwiseOpFromGraph([a], [pt.exp(a)])
    s = pt.dscalar("s")
    with pytest.raises(TypeError, match="elementwise"):
        ElemwiseOpFromGraph([s], [pt.sum(s)])
    with pytest.raises(TypeError, match="neither an input"):
        ElemwiseOpFromGraph([s], [s + pt.dscalar("other")])
    with pytest.raises(TypeError, match="takes 2 inputs"):
        _exp_mul()(pt.dvector())


@pytest.mark.parametrize("mode", [PY, None], ids=["py", "default"])
def test_elemwise_ofg_runtime_shape_mismatch_raises(mode):
    x, y = pt.dvector("x"), pt.dvector("y")
    f = function([x, y], _exp_mul()(x, y) * 2.0, mode=mode or get_default_mode())
    with pytest.raises(ValueError):
        f(np.ones(3), np.ones(4))


def test_lone_elemwise_ofg_stays_whole_and_inlines_next_to_elemwise():
    op = _exp_mul()
    x, y = pt.dmatrix("x"), pt.dmatrix("y")
    f = _check([x, y], op(x, y), [X, Y], np.exp(X) * Y)
    assert [type(n.op) for n in f.maker.fgraph.apply_nodes] == [ElemwiseOpFromGraph]
    f = _check([x, y], op(x, y) + x, [X, Y], np.exp(X) * Y + X)
    assert len(f.maker.fgraph.apply_nodes) == 1
    assert isinstance(f.maker.fgraph.outputs[0].owner.op, Elemwise)


def test_elemwise_ofg_multiple_outputs_and_inline_flag():
    op = ElemwiseOpFromGraph.from_function(lambda u, v: [u * v, u - v], 2, inline=True)
    x, y = pt.dvector("x"), pt.dvector("y")
    p, d = op(x, y)
    f = function([x, y], [p, d])
    got = f(X[0], Y[0])
    np.testing.assert_allclose(got[0], X[0] * Y[0])
    np.testing.assert_allclose(got[1], X[0] - Y[0])
    assert not _nodes(f, OpFromGraph)


def test_elemwise_ofg_gradients():
    op = _exp_mul()
    verify_grad(lambda u, v: op(u, v), [X / 4, Y])
    x, y = pt.dmatrix("x"), pt.tensor("y", dtype="float64", shape=(1, 5))
    gx, gy = grad(op(x, y).sum(), [x, y])
    f = function([x, y], [gx, gy])
    got = f(X / 4, Y[:1])
    np.testing.assert_allclose(got[0], np.exp(X / 4) * Y[:1])
    np.testing.assert_allclose(got[1], np.exp(X / 4).sum(axis=0, keepdims=True))


def test_elemwise_ofg_infer_shape():
    op = _exp_mul()
    x, y = pt.dmatrix("x"), pt.dvector("y")
    shp = op(x, y).shape
    f = function([x, y], shp)
    assert tuple(f(np.ones((4, 3)), np.ones(3))) == (4, 3)
    assert not _nodes(f, ElemwiseOpFromGraph)
