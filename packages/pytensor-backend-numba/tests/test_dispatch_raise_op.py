"""The numba kernels of CheckAndRaise and Assert raise the Op's exception with its message.

Graphs are compiled by the numba linker without rewrites, so each Op runs as built.
"""

from __future__ import annotations

import numpy as np
import pytest
from _ops_check import check, check_error

import pytensor.tensor as pt
from pytensor.link.numba.dispatch import raise_op as _registered  # noqa: F401
from pytensor.raise_op import Assert, CheckAndRaise

pytestmark = pytest.mark.numba


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
