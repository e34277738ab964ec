"""Shape-consistency cases of ``IndexedMap`` (merged by ``test_shape_consistency.py``).

An expression of static length up to ``JACOBIAN_UNROLL_MAX`` gets an unrolled
Jacobian (no IndexedMap), so the cases whose inputs are short run only with
unknown lengths; the long ones run in every variant.
"""

from __future__ import annotations

from typing import Any

import pytensor.tensor as pt
from pytensor.gradient import grad, hessian, jacobian
from pytensor.tensor._jacobian import indexed_map

UNKNOWN = ("unknown",)


def _sum_and_invariant(x: Any) -> Any:
    n = x.shape[0]
    return indexed_map(lambda i: [x[i] * x, x[i] ** 2], n, [(n,), ()], ["sum", "stack"])


def shape_cases(Case: Any, A: Any, I: Any, Const: Any, Static: Any) -> dict[str, list[Any]]:  # noqa: N803, E741
    return {
        "IndexedMap": [
            Case("jacobian-vector", lambda x: jacobian(pt.exp(x) * pt.sum(x), x), [A(3)], UNKNOWN),
            Case("jacobian-long", lambda x: jacobian(pt.exp(x) * pt.sum(x), x), [A(20)]),
            Case(
                "jacobian-matrix",
                lambda a, w: jacobian(pt.outer(pt.exp(a), pt.sum(w, axis=0)), w),
                [A(2), A(3, 4)],
                UNKNOWN,
            ),
            Case("jacobian-long-matrix", lambda x, w: jacobian(x * pt.sum(w), w), [A(17), A(1, 3)]),
            Case("jacobian-empty", lambda x, w: jacobian(x * pt.sum(w), w), [A(0), A(2)], UNKNOWN),
            Case("hessian", lambda x: hessian(pt.sum(x**3) * pt.sum(x), x), [A(3)], UNKNOWN),
            Case(
                "third-order",
                lambda x: grad(pt.sum(hessian(pt.sum(pt.exp(x)), x)), x),
                [A(3)],
                UNKNOWN,
            ),
            Case("sum-and-stack", _sum_and_invariant, [A(4)], UNKNOWN),
        ]
    }
