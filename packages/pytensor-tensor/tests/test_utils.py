"""Tests of pytensor.tensor.utils."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special
from hypothesis import given
from hypothesis import strategies as st

import pytensor.tensor as pt
from pytensor.tensor.utils import (
    _parse_gufunc_signature,
    _static_int,
    broadcast_static_dim_lengths,
    faster_ndindex,
    get_static_shape_from_size_variables,
    import_func_from_string,
    normalize_reduce_axis,
    safe_signature,
)


@pytest.mark.parametrize(
    ("signature", "expected"),
    [
        ("(m,n),(n)->(m)", ([("m", "n"), ("n",)], [("m",)])),
        ("(m,n),(n,p)->(m,p)", ([("m", "n"), ("n", "p")], [("m", "p")])),
        ("()->()", ([()], [()])),
        ("(),()->(),()", ([(), ()], [(), ()])),
        ("->(n)", ([], [("n",)])),
        (" ( m , n ) -> ( n ) ", ([("m", "n")], [("n",)])),
        ("(i00,i01)->(o00)", ([("i00", "i01")], [("o00",)])),
    ],
)
def test_parse_gufunc_signature(signature, expected):
    assert _parse_gufunc_signature(signature) == expected


@pytest.mark.parametrize(
    "signature",
    [
        "(m,n)->",
        "(m,n)",
        "(m,n),->(m)",
        "(m,,n)->(m)",
        "m->(m)",
        "(m)->(m)->(m)",
        "(m),(n)(k)->()",
        "(m-n)->()",
        "",
    ],
)
def test_parse_gufunc_signature_rejects_malformed(signature):
    with pytest.raises(ValueError, match="not a valid gufunc signature"):
        _parse_gufunc_signature(signature)
    with pytest.raises(TypeError):
        _parse_gufunc_signature(None)  # type: ignore[arg-type]


def test_safe_signature():
    assert safe_signature([2, 0], [1]) == "(i00,i01),()->(o00)"
    assert safe_signature([], [0]) == "->()"
    assert safe_signature([1, 1], [1, 2]) == "(i00),(i10)->(o00),(o10,o11)"


@given(st.lists(st.integers(0, 3), max_size=4), st.lists(st.integers(0, 3), min_size=1, max_size=3))
def test_safe_signature_round_trips_with_distinct_names(ins, outs):
    parsed_in, parsed_out = _parse_gufunc_signature(safe_signature(ins, outs))
    assert [len(o) for o in parsed_in] == ins and [len(o) for o in parsed_out] == outs
    names = [n for op in parsed_in + parsed_out for n in op]
    assert len(names) == len(set(names))


def test_normalize_reduce_axis():
    assert normalize_reduce_axis(None, 3) is None
    assert normalize_reduce_axis(-1, 3) == (2,)
    assert normalize_reduce_axis((0, -1), 2) == (0, 1)
    assert normalize_reduce_axis(0, 0) == (0,)
    with pytest.raises(np.exceptions.AxisError):
        normalize_reduce_axis(3, 3)
    with pytest.raises(ValueError, match="repeated axis"):
        normalize_reduce_axis((1, -2), 3)
    with pytest.raises(TypeError, match="integers"):
        normalize_reduce_axis(1.0, 3)


def test_broadcast_static_dim_lengths():
    assert broadcast_static_dim_lengths([3, 3]) == 3
    assert broadcast_static_dim_lengths([1, None]) is None
    assert broadcast_static_dim_lengths([1, 4, None]) == 4
    assert broadcast_static_dim_lengths([1, 1]) == 1
    with pytest.raises(ValueError, match="incompatible"):
        broadcast_static_dim_lengths([2, 3])


def test_static_helpers():
    n = pt.lscalar("n")
    assert get_static_shape_from_size_variables([pt.constant(3), n, 5]) == (3, None, 5)
    assert _static_int(pt.constant(4)) == 4
    assert _static_int(n) is None
    assert _static_int(pt.constant(1.5)) is None
    assert _static_int(True) is None
    assert _static_int(np.int16(7)) == 7


def test_import_func_from_string():
    assert import_func_from_string("exp") is np.exp
    assert import_func_from_string("scipy.special.erf") is scipy.special.erf
    assert import_func_from_string("numpy.linalg.norm") is np.linalg.norm
    assert import_func_from_string("numpy.not_a_function") is None
    assert import_func_from_string("not_a_module_xyz.f") is None


def test_faster_ndindex():
    assert list(faster_ndindex((2, 3))) == list(np.ndindex(2, 3))
    assert list(faster_ndindex(())) == [()]
    assert list(faster_ndindex((0, 2))) == []
