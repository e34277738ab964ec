"""Multi-variable constructors and ``as_symbolic`` for tensor values."""

from __future__ import annotations

import numpy as np
import pytest

import pytensor.tensor as pt
from pytensor.basic import as_symbolic
from pytensor.graph.basic import Variable


def test_multi_constructors_make_named_typed_variables():
    a, b = pt.scalars("a", "b")
    assert (a.name, b.name) == ("a", "b") and a.type == pt.scalar().type
    x, y = pt.dvectors("x y")
    assert x.type.dtype == "float64" and x.type.ndim == 1 and y.name == "y"
    three = pt.iscalars(3)
    assert len(three) == 3 and all(v.type.dtype == "int32" and v.name is None for v in three)
    single = pt.fmatrices("m")
    assert single.name == "m" and single.type.dtype == "float32" and single.type.ndim == 2


def test_as_symbolic_converts_values_and_passes_variables_through():
    v = pt.dvector("v")
    assert as_symbolic(v) is v
    c = as_symbolic(np.arange(3.0), name="c")
    assert isinstance(c, Variable) and c.type.shape == (3,) and c.name == "c"
    np.testing.assert_array_equal(c.data, [0.0, 1.0, 2.0])
    assert pt.Variable is Variable


def test_as_symbolic_rejects_what_no_layer_can_convert():
    with pytest.raises(TypeError):
        as_symbolic(object())
