"""The ShapeFeature, the shape rewrites and useless-op removal (issue 7 §2).

Each test compiles a graph with and without rewrites, compares both with
NumPy, and inspects the nodes of the rewritten graph to show the rewrite
happened.
"""

from __future__ import annotations

import numpy as np
import pytest

import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.compile.mode import Mode
from pytensor.graph.fg import FunctionGraph
from pytensor.graph.rewriting.utils import rewrite_graph
from pytensor.raise_op import assert_op
from pytensor.tensor._alloc import Alloc, MakeVector
from pytensor.tensor.elemwise import CAReduce, DimShuffle, Elemwise
from pytensor.tensor.rewriting.shape import ShapeFeature
from pytensor.tensor.rewriting.useless import MAX_FOLDED_SIZE
from pytensor.tensor.shape import Reshape, Shape_i, SpecifyShape

NONE = Mode(linker="py", optimizer=None)
FAST = Mode(linker="py", optimizer="fast_run")
SAFE = FAST.excluding("shape_unsafe")
RNG = np.random.default_rng(7)


def _compile(inputs, outputs, mode):
    return function(inputs, outputs, mode=mode)


def _ops(f):
    return [type(n.op) for n in f.maker.fgraph.apply_nodes]


def _check(inputs, outputs, values, expected, modes=(FAST, SAFE)):
    """Compile without and with rewrites, compare each with ``expected``; return the rewritten."""
    ref = _compile(inputs, outputs, NONE)(*values)
    for got in [ref] + [_compile(inputs, outputs, m)(*values) for m in modes]:
        got = got if isinstance(got, list) else [got]
        for g, e in zip(got, expected, strict=True):
            np.testing.assert_allclose(g, e)
    return [_compile(inputs, outputs, m) for m in modes]


# -- ShapeFeature --------------------------------------------------------------------------------
def test_shape_feature_infers_without_computing():
    x = pt.matrix("x")
    y = pt.exp(x).T[:, None]
    fg = FunctionGraph([x], [y], clone=False)
    fg.attach_feature(ShapeFeature())
    shp = fg.shape_feature.shape_of[y]
    assert len(shp) == 3
    f = _compile([x], list(shp), NONE)
    assert [int(v) for v in f(np.zeros((2, 5)))] == [5, 1, 2]
    assert fg.shape_feature.is_safe(y)
    assert y in fg.shape_feature.shape_of


def test_shape_feature_marks_unchecked_broadcast_unsafe():
    x, y = pt.vector("x"), pt.vector("y")
    z = pt.exp(x + y)
    fg = FunctionGraph([x, y], [z], clone=False)
    fg.attach_feature(ShapeFeature())
    assert not fg.shape_feature.is_safe(z)
    w = pt.exp(x + pt.vector("c", shape=(1,)))
    fg2 = FunctionGraph(outputs=[w], clone=False)
    fg2.attach_feature(ShapeFeature())
    assert fg2.shape_feature.is_safe(w)


def test_shape_feature_follows_replacements():
    x = pt.matrix("x")
    a = pt.exp(x)
    y = a.sum(axis=0)
    x2 = pt.matrix("x2")
    fg = FunctionGraph([x, x2], [y], clone=False)
    fg.attach_feature(ShapeFeature())
    before = fg.shape_feature.shape_of[y][0]
    assert before.owner.inputs[0] is x and before.owner.op.i == 1
    fg.replace(a, pt.exp(x2.T))
    after = fg.shape_feature.shape_of[y][0]
    # summing x2.T over axis 0 leaves x2.T's axis 1, which is x2's axis 0
    assert isinstance(after.owner.op, Shape_i) and after.owner.inputs[0] is x2
    assert after.owner.op.i == 0


def test_shape_only_use_drops_the_computation():
    x = pt.matrix("x")
    out = pt.exp(pt.log1p(x) * 2).T.shape
    values = [RNG.random((3, 4))]
    for f in _check([x], out, values, [np.array([4, 3])]):
        assert all(t in (Shape_i, MakeVector) for t in _ops(f)), _ops(f)
        # no floating-point work is left: only reads of x's lengths
        assert not any(
            isinstance(n.op, Elemwise) and n.outputs[0].type.dtype.startswith("float")
            for n in f.maker.fgraph.apply_nodes
        )


def test_shape_of_reduction_and_dot():
    x, y = pt.matrix("x"), pt.matrix("y")
    out = pt.dot(x, y).sum(axis=1).shape[0]
    values = [RNG.random((2, 3)), RNG.random((3, 5))]
    fast, safe = _check([x, y], out, values, [np.array(2)])
    assert not any(isinstance(n.op, CAReduce) for n in fast.maker.fgraph.apply_nodes)
    assert len(fast.maker.fgraph.apply_nodes) == 1
    # the dot could raise (mismatched inner lengths): kept without shape_unsafe
    assert len(safe.maker.fgraph.apply_nodes) > 1


# -- useless ops ---------------------------------------------------------------------------------
def test_useless_specify_shape_and_reshape():
    x = pt.matrix("x", shape=(None, 3))
    y = pt.specify_shape(x, (x.shape[0], 3))
    z = pt.reshape(y, (y.shape[0], 3)) * 2.0
    v = RNG.random((4, 3))
    for f in _check([x], z, [v], [v * 2]):
        assert not {SpecifyShape, Reshape} & set(_ops(f))


def test_specify_shape_that_can_fail_is_kept():
    x = pt.matrix("x")
    y = pt.specify_shape(x, (2, None)) * 2.0
    for f in _check([x], y, [np.ones((2, 3))], [np.full((2, 3), 2.0)]):
        assert SpecifyShape in _ops(f)
        with pytest.raises(AssertionError):
            f(np.ones((3, 3)))


def test_useless_alloc_dimshuffle_cast_reduce():
    x = pt.matrix("x")
    a = pt.alloc(x, x.shape[0], x.shape[1])
    b = a.dimshuffle(0, 1)
    c = pt.cast(b, "float64")
    d = pt.sum(c, axis=())
    v = RNG.random((2, 3))
    for f in _check([x], d + 1.0, [v], [v + 1]):
        assert not {Alloc, DimShuffle, CAReduce} & set(_ops(f))
        assert len(f.maker.fgraph.apply_nodes) == 1


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda x: x * 1.0, lambda v: v),
        (lambda x: 0.0 + x, lambda v: v),
        (lambda x: x - 0.0, lambda v: v),
        (lambda x: x / 1.0, lambda v: v),
        (lambda x: pt.exp(x) * 1.0 * pt.ones((1, 1)), lambda v: np.exp(v)),
    ],
)
def test_useless_elemwise(build, expected):
    x = pt.matrix("x")
    v = RNG.random((2, 3))
    for f in _check([x], build(x), [v], [expected(v)]):
        assert len(f.maker.fgraph.apply_nodes) <= 1


def test_useless_elemwise_keeps_type_changes():
    x = pt.vector("x", dtype="int32")
    out = x * 1.0  # upcasts to float64: not the identity
    (f,) = _check([x], out, [np.arange(3, dtype="int32")], [np.arange(3.0)], modes=(FAST,))
    assert f.maker.fgraph.outputs[0].type.dtype == "float64"


# -- constant folding ----------------------------------------------------------------------------
def test_constant_folding():
    x = pt.vector("x")
    c = pt.exp(pt.constant(np.arange(3.0))) + pt.constant(1.0)
    for f in _check([x], x + c, [np.ones(3)], [1 + np.exp(np.arange(3.0)) + 1]):
        assert len(f.maker.fgraph.apply_nodes) == 1


def test_constant_folding_refuses_huge_outputs():
    x = pt.matrix("x")
    big = pt.alloc(pt.constant(2.0), 200, 200)
    assert 200 * 200 > MAX_FOLDED_SIZE
    for f in _check([x], [big, x], [np.ones((1, 1))], [np.full((200, 200), 2.0), np.ones((1, 1))]):
        assert Alloc in _ops(f)


def test_constant_folding_keeps_failing_nodes():
    x = pt.vector("x")
    bad = assert_op(pt.constant(np.zeros(3)), pt.constant(False))
    out = x + bad.sum()
    for mode in (FAST, SAFE):
        f = _compile([x], out, mode)
        with pytest.raises(AssertionError):
            f(np.ones(2))


def test_rewrite_graph_canonicalize_uses_the_shape_feature():
    x = pt.matrix("x")
    out = rewrite_graph(pt.exp(x).shape[1], include=("canonicalize",))
    assert isinstance(out.owner.op, Shape_i) and out.owner.inputs[0] is x


# -- Shape of SpecifyShape, Reshape chains, UnShapeOpt -------------------------------------------
def test_shape_of_specify_shape_reads_the_stated_length():
    x, n = pt.matrix("x"), pt.lscalar("n")
    y = pt.specify_shape(x, (n, None))
    outs = [y.shape[0] * 2, pt.exp(y)]
    v = RNG.random((3, 2))
    for f in _check([x, n], outs, [v, 3], [6, np.exp(v)]):
        assert Shape_i not in _ops(f)
        assert SpecifyShape in _ops(f)  # still computed for exp(y), so still checked
        with pytest.raises(AssertionError):
            f(v, 4)


def test_shape_of_specify_shape_alone_keeps_the_check_in_safe_mode():
    x, n = pt.matrix("x"), pt.lscalar("n")
    out = pt.specify_shape(x, (n, None)).shape[0] * 2
    v = RNG.random((3, 2))
    fast, safe = _check([x, n], out, [v, 3], [6])
    assert SpecifyShape in _ops(safe)
    with pytest.raises(AssertionError):
        safe(v, 4)
    assert SpecifyShape not in _ops(fast)  # shape_unsafe: the check is gone
    assert fast(v, 4) == 8


def test_reshape_chain_is_merged():
    x = pt.matrix("x")
    z = x.reshape((-1,)).reshape((x.shape[1], x.shape[0])) + 1.0
    v = RNG.random((2, 3))
    for f in _check([x], z, [v], [v.reshape(-1).reshape(3, 2) + 1]):
        assert _ops(f).count(Reshape) == 1
    s = pt.matrix("s", shape=(2, 6))
    w = s.reshape((3, 4)).reshape((4, 3)) * 2.0
    sv = RNG.random((2, 6))
    for f in _check([s], w, [sv], [sv.reshape(4, 3) * 2]):
        assert _ops(f).count(Reshape) == 1


def test_reshape_chain_keeps_the_outer_check():
    x, k = pt.matrix("x"), pt.lscalar("k")
    z = x.reshape((-1,)).reshape((k, 2))
    v = RNG.random((2, 3))
    for f in _check([x, k], z, [v, 3], [v.reshape(3, 2)]):
        assert _ops(f).count(Reshape) == 1
        with pytest.raises(ValueError):
            f(v, 4)


def test_reshape_chain_that_could_fail_is_kept_in_safe_mode():
    x = pt.matrix("x")
    z = x.reshape((4, -1)).reshape((-1,)) * 2.0
    v = RNG.random((2, 4))
    fast, safe = _check([x], z, [v], [v.reshape(-1) * 2])
    assert _ops(safe).count(Reshape) == 2
    with pytest.raises(ValueError):
        safe(RNG.random((3, 3)))
    assert _ops(fast).count(Reshape) == 1  # shape_unsafe: (3, 3) no longer fails
    np.testing.assert_allclose(fast(np.ones((3, 3))), np.full(9, 2.0))


def test_compiled_graph_does_not_carry_the_shape_feature():
    x = pt.matrix("x")
    out = pt.exp(x).shape[0] + pt.sum(x)
    for f in _check([x], out, [np.ones((2, 3))], [8.0]):
        fg = f.maker.fgraph
        assert not any(isinstance(ft, ShapeFeature) for ft in fg._features)
        assert getattr(fg, "shape_feature", None) is None
    kept = _compile([x], out, FAST.excluding("UnShapeOpt"))
    assert any(isinstance(ft, ShapeFeature) for ft in kept.maker.fgraph._features)
