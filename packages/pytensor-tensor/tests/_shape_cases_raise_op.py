"""Shape-consistency cases of ``pytensor.raise_op`` (merged by ``test_shape_consistency.py``)."""

from __future__ import annotations

from typing import Any

import pytensor.tensor as pt
from pytensor.raise_op import CheckAndRaise, assert_op


def shape_cases(Case: Any, A: Any, I: Any, Const: Any, Static: Any) -> dict[str, list[Any]]:  # noqa: N803, E741
    return {
        "Assert": [
            Case("matrix", lambda x: assert_op(x, pt.all(pt.isnan(x) < 1)), [A(2, 3)]),
            Case("empty", lambda x: assert_op(x, x.shape[0] >= 0), [A(0, 2)]),
            Case("0d", lambda x: assert_op(x), [A()]),
        ],
        "CheckAndRaise": [
            Case(
                "vector",
                lambda x: CheckAndRaise(ValueError, "no")(x, x.shape[0] > 0),
                [A(3)],
            ),
            Case(
                "length-1",
                lambda x: CheckAndRaise(ValueError, "no")(x, x.shape[0] >= 0),
                [A(1, 0)],
            ),
        ],
    }
