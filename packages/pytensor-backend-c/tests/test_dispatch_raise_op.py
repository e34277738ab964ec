"""C kernel of CheckAndRaise/Assert: the exception class and message reach the user unchanged
(they never enter the C source)."""

from __future__ import annotations

import numpy as np
import pytest
from _c_ops_check import compile_pair

import pytensor.tensor as pt
from pytensor.link.c.linker import link_info
from pytensor.raise_op import Assert, CheckAndRaise

pytestmark = pytest.mark.c


class _CustomError(Exception):
    pass


def test_check_and_raise():
    msg = 'bad %s "value" ??=\n\\ é'
    x = pt.dvector("x")
    c1, c2 = pt.bscalar("c1"), pt.tensor("c2", dtype="bool", shape=())
    out = CheckAndRaise(_CustomError, msg)(x, c1, c2)
    fc, fp = compile_pair([x, c1, c2], out, (CheckAndRaise,))
    np.testing.assert_array_equal(fc(np.ones(3), 2, True), np.ones(3))
    for bad in [(0, True), (1, False)]:
        with pytest.raises(_CustomError) as info:
            fc(np.ones(3), *bad)
        assert str(info.value) == msg
    assert msg not in link_info(fc.vm).source
    assert "value" not in link_info(fc.vm).source


def test_assert():
    x = pt.dvector("x")
    out = Assert("x must be positive")(x, pt.all(x > 0))
    fc, _ = compile_pair([x], out, (Assert,))
    np.testing.assert_array_equal(fc(np.ones(2)), np.ones(2))
    with pytest.raises(AssertionError, match="x must be positive"):
        fc(-np.ones(2))
