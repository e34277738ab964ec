"""Numba implementations of the compile pipeline's utility Ops (layer: pytensor-backend-numba).

Mirrors ``pytensor/compile/ops.py``: ``DeepCopyOp`` (copies arrays, passes
scalars through) and the view Ops (``ViewOp`` and other ``TypeCastingOp``).
"""

from __future__ import annotations

from typing import Any

from pytensor.compile.ops import DeepCopyOp, TypeCastingOp
from pytensor.graph.basic import Apply
from pytensor.link.numba.dispatch.basic import NumbaImpl, numba_funcify

__all__ = ["numba_funcify_DeepCopyOp", "numba_funcify_TypeCastingOp"]


def _copy_array(x: Any) -> Any:
    return x.copy()


def _same(x: Any) -> Any:
    return x


@numba_funcify.register(DeepCopyOp)
def numba_funcify_DeepCopyOp(op: DeepCopyOp, node: Apply, **kwargs: Any) -> NumbaImpl:
    from pytensor.tensor.type import TensorType

    if isinstance(node.inputs[0].type, TensorType):
        return _copy_array, "DeepCopyOp|array"
    return _same, "DeepCopyOp|value"


@numba_funcify.register(TypeCastingOp)
def numba_funcify_TypeCastingOp(op: TypeCastingOp, node: Apply, **kwargs: Any) -> NumbaImpl:
    return _same, "TypeCastingOp|identity"
