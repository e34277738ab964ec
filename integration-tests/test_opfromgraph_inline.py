"""OpFromGraph across layers: inline expansion by the rewrite layer, shapes and gradients
from the tensor layer, on the reference backend."""

from __future__ import annotations

import numpy as np

import pytensor
import pytensor.tensor as pt
from pytensor.compile.builders import OpFromGraph
from pytensor.compile.mode import Mode


def _ofg_nodes(f):
    return [n for n in f.maker.fgraph.apply_nodes if isinstance(n.op, OpFromGraph)]


def test_inline_ofg_is_expanded_by_fast_run_and_kept_otherwise():
    a, b = pt.dvector("a"), pt.dvector("b")
    x, y = pt.dvector("x"), pt.dvector("y")
    for inline, expected_nodes in [(True, 0), (False, 1)]:
        op = OpFromGraph([a, b], [pt.exp(a) + b * 2], inline=inline)
        f = pytensor.function([x, y], op(x, y), mode=Mode(linker="py", optimizer="fast_run"))
        assert len(_ofg_nodes(f)) == expected_nodes
        xv, yv = np.array([0.0, 1.0]), np.array([2.0, -1.0])
        np.testing.assert_allclose(f(xv, yv), np.exp(xv) + yv * 2)


def test_without_rewrites_the_inline_ofg_runs_through_perform():
    a = pt.dvector("a")
    op = OpFromGraph([a], [a**2], inline=True)
    x = pt.dvector("x")
    f = pytensor.function([x], op(x), mode=Mode(linker="py", optimizer=None))
    assert len(_ofg_nodes(f)) == 1
    np.testing.assert_allclose(f(np.array([3.0])), [9.0])


def test_ofg_shape_inference_uses_the_inner_ops():
    a = pt.dmatrix("a")
    op = OpFromGraph([a], [a.T * 2])
    x = pt.dmatrix("x")
    shapes = op.infer_shape(None, op(x).owner, [(x.shape[0], x.shape[1])])
    f = pytensor.function([x], list(shapes[0]))
    assert [int(s) for s in f(np.zeros((2, 5)))] == [5, 2]
