"""Shape-consistency cases of the fused Ops (``ElemwiseReduce``), merged into the table of
``test_shape_consistency.py``."""

from __future__ import annotations

from typing import Any

import pytensor.tensor as pt
from pytensor.tensor._elemwise_reduce import ElemwiseReduce
from pytensor.tensor.math import Max, Sum


def _exp_mul():  # type: ignore[no-untyped-def]
    """``Elemwise(Composite{exp(a) * b})``."""
    import pytensor.scalar as ps
    from pytensor.tensor.elemwise import Elemwise

    a, b = ps.float64("a"), ps.float64("b")
    return Elemwise(ps.Composite([a, b], [ps.exp(a) * b]))


def _sum_exp_mul(axis: Any) -> Any:
    def build(x: Any, y: Any) -> Any:
        return ElemwiseReduce(_exp_mul(), Sum(axis=axis))(x, y)

    return build


def _max_sqr(x: Any) -> Any:
    return ElemwiseReduce(pt.sqr(x).owner.op, Max(axis=(1,)))(x)


def shape_cases(Case: Any, A: Any, I: Any, Const: Any, Static: Any) -> dict[str, list[Any]]:  # noqa: N803, E741
    return {
        "ElemwiseReduce": [
            Case("sum-all", _sum_exp_mul(None), [A(2, 3), A(2, 3, seed=1)]),
            Case(
                "sum-axis0-bcast",
                _sum_exp_mul((0,)),
                [A(1, 3), A(4, 3)],
                variants=("static", "ones"),
            ),
            Case("sum-empty", _sum_exp_mul((1,)), [A(2, 0), A(2, 0)]),
            Case("sum-0d", _sum_exp_mul(None), [A(), A(seed=1)]),
            Case("max-axis1", _max_sqr, [A(3, 1, 2)]),
        ]
    }
