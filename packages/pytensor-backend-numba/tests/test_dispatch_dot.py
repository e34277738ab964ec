"""The numba kernels of Dot and Matmul agree with NumPy and ``perform``.

Graphs are compiled by the numba linker without rewrites, so each Op runs as built.
"""

from __future__ import annotations

import numpy as np
import pytest
from _ops_check import check, check_error

import pytensor.tensor as pt
from pytensor.link.numba.dispatch import dot as _registered  # noqa: F401
from pytensor.tensor._dot import Dot, Matmul

pytestmark = pytest.mark.numba


def test_dot_float_and_int() -> None:
    x, v, f = pt.dmatrix("x"), pt.dvector("v"), pt.fmatrix("f")
    im, iv = pt.lmatrix("im"), pt.lvector("iv")
    xv, vv, fv = np.arange(6.0).reshape(2, 3), np.arange(3.0), np.ones((3, 2), "float32")
    imv, ivv = np.arange(6).reshape(2, 3), np.arange(3)
    outs = [
        Dot()(x, v),
        Dot()(v, x.T),
        Dot()(v, v),
        Dot()(x, f),
        Dot()(im, iv),
        Dot()(iv, iv),
        Dot()(im, im.T),
    ]
    expected = [xv @ vv, vv @ xv.T, vv @ vv, xv @ fv, imv @ ivv, ivv @ ivv, imv @ imv.T]
    check([x, v, f, im, iv], outs, [xv, vv, fv, imv, ivv], expected)
    check_error([x, v], Dot()(x, v), [xv, np.arange(2.0)])


def test_dot_views() -> None:
    """Transposed (F-contiguous at run time) and strided operands give NumPy's products."""
    x, w = pt.dmatrix("x"), pt.dvector("w")
    xv, wv = np.arange(12.0).reshape(4, 3), np.arange(4.0)
    outs = [Dot()(x.T, w), Dot()(x[::2].T, w[:2]), Dot()(x.T, x), Matmul()(x.T, x[:, :2])]
    expected = [xv.T @ wv, xv[::2].T @ wv[:2], xv.T @ xv, xv.T @ xv[:, :2]]
    check([x, w], outs, [xv, wv], expected)


def test_matmul_batches() -> None:
    t, x = pt.dtensor3("t"), pt.dmatrix("x")
    t4 = pt.tensor("t4", shape=(1, None, None, None))
    l3, lm = pt.ltensor3("l3"), pt.lmatrix("lm")
    tv, xv, t4v = np.ones((4, 2, 3)), np.arange(6.0).reshape(3, 2), np.ones((1, 5, 2, 3))
    t5v = np.arange(30.0).reshape(5, 3, 2)
    l3v, lmv = np.arange(12).reshape(2, 2, 3), np.arange(6).reshape(3, 2)
    outs = [Matmul()(t, x), Matmul()(t4, t), Matmul()(l3, lm)]
    check([t, x, t4, l3, lm], outs[:1] + outs[2:], [tv, xv, t4v, l3v, lmv], [tv @ xv, l3v @ lmv])
    check([t4, t], [outs[1]], [t4v, t5v], [t4v @ t5v])
    t3b = pt.dtensor3("t3b")
    check_error([t], Matmul()(t, t), [np.ones((4, 2, 1))])
    check_error([t, t3b], Matmul()(t, t3b), [tv, np.ones((1, 3, 2))])
