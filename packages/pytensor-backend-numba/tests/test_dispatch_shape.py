"""The numba kernels of Shape, Shape_i, Reshape and SpecifyShape agree with NumPy and ``perform``.

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
from pytensor.compile.function import function  # noqa: E402
from pytensor.compile.mode import Mode  # noqa: E402
from pytensor.link.numba.dispatch import shape as _registered  # noqa: E402, F401
from pytensor.tensor.shape import Reshape, Shape_i, specify_shape  # noqa: E402

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


def test_shape_reshape() -> None:
    x = pt.dtensor3("x")
    sh = pt.lvector("sh")
    xv = np.arange(24.0).reshape(2, 3, 4)
    outs = [x.shape, Shape_i(1)(x), Reshape(2)(x, sh), Reshape(2)(x.transpose(2, 0, 1), sh)]
    expected = [
        np.array([2, 3, 4]),
        np.array(3),
        xv.reshape(4, -1),
        xv.transpose(2, 0, 1).reshape(4, -1),
    ]
    check([x, sh], outs, [xv, np.array([4, -1])], expected)
    s = pt.dscalar("s")
    check([s, sh], [Reshape(2)(s, sh)], [np.array(2.0), np.array([1, 1])], [np.full((1, 1), 2.0)])
    for bad in ([5, -1], [-1, -1], [4, 5], [4, 5, 6]):
        check_error([x, sh], Reshape(2)(x, sh), [xv, np.array(bad)])


def test_specify_shape() -> None:
    x = pt.dtensor3("x")
    a = pt.lscalar("a")
    out = specify_shape(x, (a, None, 4))
    xv = np.zeros((2, 3, 4))
    check([x, a], [out], [xv, np.array(2)], [xv])
    check_error([x, a], out, [xv, np.array(3)])
