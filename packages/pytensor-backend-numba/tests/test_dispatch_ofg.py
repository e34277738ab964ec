"""The numba kernels of OpFromGraph (a compiled inner graph) and ElemwiseOpFromGraph agree with NumPy.

Graphs are compiled by the numba linker without rewrites, so each Op runs as built.
"""

from __future__ import annotations

import os
import re
import tempfile
from typing import Any

import numpy as np
import pytest

pytest.importorskip("numba")
os.environ.setdefault("PYTENSOR_NUMBA_CACHE_DIR", tempfile.mkdtemp(prefix="pytensor-numba-ops-"))

import pytensor.tensor as pt  # noqa: E402
from pytensor.compile.builders import OpFromGraph  # noqa: E402
from pytensor.compile.function import function  # noqa: E402
from pytensor.compile.mode import Mode  # noqa: E402
from pytensor.link.numba.dispatch import ofg as _registered  # noqa: E402, F401
from pytensor.tensor._elemwise_ofg import ElemwiseOpFromGraph  # noqa: E402

pytestmark = pytest.mark.numba

NUMBA = Mode(linker="numba", optimizer=None)
PY = Mode(linker="py", optimizer=None)


def check(inputs: list[Any], outputs: list[Any], values: list[Any], expected: list[Any]) -> None:
    """Every output has the graph's dtype, and NumPy's shape and values."""
    got = function(inputs, outputs, mode=NUMBA, on_unused_input="ignore")(*values)
    for var, g, e in zip(outputs, got, expected, strict=True):
        g = np.asarray(g)
        assert g.dtype == np.dtype(var.type.dtype)
        assert g.shape == np.shape(e)
        if g.dtype.kind in "fc":
            np.testing.assert_allclose(g, e, rtol=1e-12, equal_nan=True)
        else:
            np.testing.assert_array_equal(g, e)


def check_error(inputs: list[Any], output: Any, values: list[Any]) -> None:
    """The numba backend raises what ``perform`` raises: same type, same message."""
    with pytest.raises(Exception) as ref:
        function(inputs, output, mode=PY, on_unused_input="ignore")(*values)
    fn = function(inputs, output, mode=NUMBA, on_unused_input="ignore")
    with pytest.raises(type(ref.value), match=f"^{re.escape(str(ref.value))}$"):
        fn(*values)


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
