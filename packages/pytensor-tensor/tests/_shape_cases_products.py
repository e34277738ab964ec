"""Shape-consistency cases for the graphs that tensordot, the batched products, einsum
and pad build (they add no Op class: every node is a Dot, Matmul, Reshape, DimShuffle, ...).

``test_shape_consistency.py`` merges ``shape_cases(Case, A, I, Const, Static)``
into its table; each case checks static, symbolic and computed shapes of
every ShapedOp node of its graph, so these exercise the reshapes and
transposes of the contractions with 0-d, empty and length-1 dimensions.
"""

from __future__ import annotations

from typing import Any

import pytensor.tensor as pt

STATIC_ONES = ("static", "ones")


def _dot_cases(Case: Any, A: Any) -> list[Any]:  # noqa: N803
    return [
        Case("tensordot-2", lambda a, b: pt.tensordot(a, b), [A(2, 3, 4), A(3, 4, 5)]),
        Case(
            "tensordot-pairs",
            lambda a, b: pt.tensordot(a, b, [[0, 2], [1, 0]]),
            [A(2, 3, 4), A(4, 2, 1)],
        ),
        Case("tensordot-empty", lambda a, b: pt.tensordot(a, b, 1), [A(0, 3), A(3, 2)]),
        Case("inner", pt.inner, [A(2, 3), A(4, 3)]),
        Case(
            "einsum-chain",
            lambda a, b, c: pt.einsum("ij,jk,kl", a, b, c),
            [A(2, 3), A(3, 4), A(4, 1)],
        ),
        Case(
            "einsum-merged", lambda a, b: pt.einsum("ijk,jkl->il", a, b), [A(2, 3, 4), A(3, 4, 0)]
        ),
        Case("einsum-to-0d", lambda a, b: pt.einsum("ij,ij->", a, b), [A(2, 3), A(2, 3, seed=1)]),
    ]


def _matmul_cases(Case: Any, A: Any) -> list[Any]:  # noqa: N803
    return [
        Case("batched-dot", pt.batched_dot, [A(3, 2, 4), A(3, 4)]),
        Case("batched-dot-empty", pt.batched_dot, [A(0, 2, 4), A(0, 4, 3)]),
        Case(
            "batched-dot-bcast",
            pt.batched_dot,
            [A(1, 2, 4), A(3, 4, 2)],
            variants=STATIC_ONES,
        ),
        Case(
            "batched-tensordot",
            lambda a, b: pt.batched_tensordot(a, b, [[2, 3], [1, 2]]),
            [A(2, 3, 1, 4), A(2, 1, 4, 5)],
        ),
        Case("matvec", pt.matvec, [A(2, 3, 4), A(4)]),
        Case("vecmat", pt.vecmat, [A(3), A(1, 3, 2)]),
        Case(
            "einsum-ellipsis",
            lambda a, b: pt.einsum("...ij,...jk->...ik", a, b),
            [A(5, 2, 3), A(5, 3, 1)],
        ),
        Case(
            "einsum-batch-merge",
            lambda a, b: pt.einsum("bij,bjk->bik", a, b),
            [A(2, 1, 3), A(2, 3, 4)],
        ),
    ]


def _reshape_cases(Case: Any, A: Any) -> list[Any]:  # noqa: N803
    return [
        Case("tensordot-merge", lambda a, b: pt.tensordot(a, b, 2), [A(2, 3, 4), A(3, 4, 2)]),
        Case(
            "einsum-outer-groups",
            lambda a, b: pt.einsum("ijk,kl->ijl", a, b),
            [A(2, 1, 3), A(3, 2)],
        ),
        Case("tensordot-0d", lambda a, b: pt.tensordot(a, b, 2), [A(2, 3), A(2, 3, seed=1)]),
    ]


def _pad_join_cases(Case: Any, A: Any) -> list[Any]:  # noqa: N803
    return [
        Case("pad-constant", lambda x: pt.pad(x, ((1, 2), (0, 1))), [A(2, 3)]),
        Case("pad-constant-empty", lambda x: pt.pad(x, 1, constant_values=2.0), [A(0, 1)]),
        Case("pad-mean", lambda x: pt.pad(x, 1, mode="mean", stat_length=2), [A(3, 4)]),
        Case("pad-ramp", lambda x: pt.pad(x, (2, 0), mode="linear_ramp"), [A(1, 3)]),
    ]


def _pad_gather_cases(Case: Any, A: Any) -> list[Any]:  # noqa: N803
    return [
        Case("pad-reflect", lambda x: pt.pad(x, 2, mode="reflect"), [A(3, 1)]),
        Case("pad-edge", lambda x: pt.pad(x, (0, 2), mode="edge"), [A(2, 1)]),
        Case("pad-wrap", lambda x: pt.pad(x, ((1, 0), (3, 1)), mode="wrap"), [A(2, 3)]),
    ]


def shape_cases(Case: Any, A: Any, I: Any, Const: Any, Static: Any) -> dict[str, list[Any]]:  # noqa: N803, E741
    return {
        "Dot": _dot_cases(Case, A),
        "Matmul": _matmul_cases(Case, A),
        "Reshape": _reshape_cases(Case, A),
        "Join": _pad_join_cases(Case, A),
        "AdvancedSubtensor": _pad_gather_cases(Case, A),
    }
