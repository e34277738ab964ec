"""The numba kernels of OpFromGraph (a compiled inner graph) and ElemwiseOpFromGraph agree with NumPy.

Graphs are compiled by the numba linker without rewrites, so each Op runs as built.
"""

from __future__ import annotations

import numpy as np
import pytest
from _ops_check import NUMBA, check

import pytensor.tensor as pt
from pytensor.compile.builders import OpFromGraph
from pytensor.compile.function import function
from pytensor.link.numba.dispatch import ofg as _registered  # noqa: F401
from pytensor.tensor._elemwise_ofg import ElemwiseOpFromGraph

pytestmark = pytest.mark.numba


def test_op_from_graph_outputs_and_constants() -> None:
    a, b = pt.dvector("a"), pt.dvector("b")
    op = OpFromGraph([a, b], [a * b + 1.0, pt.sum(a), pt.as_tensor(np.arange(2.0)), a])
    x, y = pt.dvector("x"), pt.dvector("y")
    xv, yv = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    check([x, y], op(x, y), [xv, yv], [xv * yv + 1.0, xv.sum(), np.arange(2.0), xv])


def test_elemwise_op_from_graph() -> None:
    s1, s2 = pt.dscalar("s1"), pt.dscalar("s2")
    op = ElemwiseOpFromGraph([s1, s2], [pt.exp(s1) * s2, s1 - s2], name="exp_mul")
    m, v = pt.fmatrix("m"), pt.fvector("v")
    mv, vv = np.linspace(-1, 1, 6, dtype="float32").reshape(2, 3), np.arange(3, dtype="float32")
    got = function([m, v], op(m, v), mode=NUMBA)(mv, vv)
    assert [g.dtype for g in got] == [np.float32, np.float32]
    np.testing.assert_allclose(got[0], np.exp(mv) * vv, rtol=1e-6)
    np.testing.assert_array_equal(got[1], mv - vv)
