"""The numba kernels of CheckAndRaise and Assert raise the Op's exception with its message.

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
from pytensor.link.numba.dispatch import raise_op as _registered  # noqa: E402, F401
from pytensor.raise_op import Assert, CheckAndRaise  # noqa: E402

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


class _MyError(Exception):
    pass


def test_check_and_raise() -> None:
    x = pt.dvector("x")
    c = pt.bscalar("c")
    checked = Assert("x must be positive")(x, pt.all(x > 0), x.shape[0] > 1)
    custom = CheckAndRaise(_MyError, "custom failure")(x, c)
    xv = np.ones(2)
    check([x, c], [checked, custom], [xv, np.array(1, "int8")], [xv, xv])
    check_error([x], checked, [np.array([1.0, -1.0])])
    check_error([x], checked, [np.ones(1)])
    check_error([x, c], custom, [xv, np.array(0, "int8")])
