"""Shape-consistency cases of ``ElemwiseOpFromGraph``, merged into the table of
``test_shape_consistency.py``."""

from __future__ import annotations

from typing import Any


def _op(nout: int = 1) -> Any:
    import pytensor.tensor as pt
    from pytensor.tensor._elemwise_ofg import ElemwiseOpFromGraph

    a, b = pt.dscalar("a"), pt.dscalar("b")
    outs = [pt.exp(a) * b, a - b][:nout]
    return ElemwiseOpFromGraph([a, b], outs, name=f"exp_mul{nout}")


def _one(x: Any, y: Any) -> Any:
    return _op()(x, y)


def _two(x: Any, y: Any) -> Any:
    return _op(2)(x, y)


def shape_cases(Case: Any, A: Any, I: Any, Const: Any, Static: Any) -> dict[str, list[Any]]:  # noqa: N803, E741
    return {
        "ElemwiseOpFromGraph": [
            Case("same-shape", _one, [A(2, 3), A(2, 3, seed=1)]),
            Case("bcast-row", _one, [A(1, 3), A(4, 3)], variants=("static", "ones")),
            Case("rank-pad", _one, [A(3), A(2, 3)]),
            Case("0d", _one, [A(), A(seed=1)]),
            Case("empty", _one, [A(2, 0), A(2, 0, seed=1)]),
            Case("two-outputs", _two, [A(3, 1), A(1, 2)], variants=("static", "ones")),
            Case("float32-int", _one, [A(2, 2, dtype="float32"), A(2, 2, dtype="int32")]),
        ]
    }
