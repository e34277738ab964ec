"""Conformance cases: ``pytensor.raise_op`` (CheckAndRaise, Assert) with conditions that hold,
so the value passes through unchanged."""

from __future__ import annotations

from typing import Any

import numpy as np

from conformance._case import Case, data, graph

__all__ = ["CASES"]


def _assert(x: Any, *conds: Any) -> Any:
    from pytensor.raise_op import assert_op

    return assert_op(x, *conds)


def _check(x: Any) -> Any:
    import pytensor.tensor as pt
    from pytensor.raise_op import CheckAndRaise

    return CheckAndRaise(ValueError, "x is empty")(x, pt.gt(x.shape[0], 0))


CASES: list[Case] = [
    graph(
        "Assert/positive",
        lambda x: _assert(x, (x > 0).all()),
        [data((2, 3), domain="pos")],
        lambda x: x,
    ),
    graph(
        "Assert/no-conditions",
        lambda x: _assert(x),
        [data(3)],
        lambda x: x,
    ),
    graph(
        "Assert/two-conditions-then-exp",
        lambda x: _assert(x, (x > 0).all(), x.shape[0] > 1) ** 2,
        [data(4, domain="pos")],
        lambda x: x**2,
    ),
    graph(
        "Assert/int-0d",
        lambda x: _assert(x, x >= 0),
        [np.asarray(3, dtype="int32")],
        lambda x: x,
    ),
    graph("CheckAndRaise/shape", _check, [data(3)], lambda x: x),
    graph("CheckAndRaise/shape-static", _check, [data(3)], lambda x: x, static=True),
]
