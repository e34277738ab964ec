"""The numba kernels of Shape, Shape_i, Reshape and SpecifyShape agree with NumPy and ``perform``.

Graphs are compiled by the numba linker without rewrites, so each Op runs as built.
"""

from __future__ import annotations

import numpy as np
import pytest
from _ops_check import check, check_error

import pytensor.tensor as pt
from pytensor.link.numba.dispatch import shape as _registered  # noqa: F401
from pytensor.tensor.shape import Reshape, Shape_i, specify_shape

pytestmark = pytest.mark.numba


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
