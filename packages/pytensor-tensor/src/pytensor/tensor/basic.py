"""Conversion to tensors, constants, casts and the scalar/tensor bridge (layer: pytensor-tensor).

Construction Ops (alloc, zeros, arange, join, ...) are added below the core.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import singledispatch
from typing import Any

import numpy as np

import pytensor.scalar.basic as ps
from pytensor.graph.basic import Apply, Constant, Variable
from pytensor.graph.op import Op
from pytensor.tensor._shape_calc import ShapedOp
from pytensor.tensor.exceptions import EmptyConstantError, NotScalarConstantError
from pytensor.tensor.type import TensorType
from pytensor.tensor.variable import TensorConstant, TensorVariable

__all__ = [
    "ScalarFromTensor",
    "TensorFromScalar",
    "as_tensor",
    "as_tensor_variable",
    "cast",
    "constant",
    "get_scalar_constant_value",
    "get_underlying_scalar_constant_value",
    "scalar_from_tensor",
    "tensor_from_scalar",
]


def constant(
    x: Any, name: str | None = None, ndim: int | None = None, dtype: str | None = None
) -> TensorConstant:
    """A tensor constant holding ``x``.

    Python numbers get the smallest dtype that holds them exactly (ints:
    int8..int64; floats: float32 when exact, else float64), as in PyTensor;
    arrays keep their dtype. The constant's static shape is its data's shape.

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> pt.constant(2).dtype, pt.constant(0.5).dtype, pt.constant([1.0, 2.0]).dtype
    ('int8', 'float32', 'float64')
    """
    if isinstance(x, Variable):
        raise TypeError(f"constant() needs a value, got the variable {x}")
    arr = ps.convert(x, dtype=dtype)
    if ndim is not None:
        if arr.ndim < ndim:
            arr = arr.reshape((1,) * (ndim - arr.ndim) + arr.shape)
        elif arr.ndim > ndim:
            extra = arr.ndim - ndim
            if any(s != 1 for s in arr.shape[:extra]):
                raise ValueError(
                    f"constant(): cannot make a {ndim}-d constant from data of shape {arr.shape}"
                )
            arr = arr.reshape(arr.shape[extra:])
    if arr.dtype.kind in "OUSV":
        raise TypeError(f"constant(): cannot make a tensor of {type(x).__name__} {x!r}")
    ttype = TensorType(arr.dtype.name, arr.shape)
    return TensorConstant(ttype, arr, name=name)


@singledispatch
def _as_tensor_variable(
    x: Any, name: str | None, ndim: int | None, **kwargs: Any
) -> TensorVariable:
    return constant(x, name=name, ndim=ndim, dtype=kwargs.get("dtype"))


@_as_tensor_variable.register(Variable)
def _as_tensor_from_variable(
    x: Variable, name: str | None, ndim: int | None, **kwargs: Any
) -> TensorVariable:
    if isinstance(x.type, ps.ScalarType):
        x = tensor_from_scalar(x)
    if not isinstance(x.type, TensorType):
        raise TypeError(f"Cannot convert {x} of type {x.type} to a tensor")
    if ndim is not None and x.type.ndim != ndim:
        if x.type.ndim > ndim:
            extra = x.type.ndim - ndim
            if all(s == 1 for s in x.type.shape[:extra]):
                return x.dimshuffle(list(range(extra, x.type.ndim)))  # type: ignore[attr-defined,no-any-return]
        raise ValueError(f"Expected a {ndim}-d tensor, got {x} of type {x.type}")
    return x  # type: ignore[return-value]


@_as_tensor_variable.register(Apply)
def _as_tensor_from_apply(
    x: Apply, name: str | None, ndim: int | None, **kwargs: Any
) -> TensorVariable:
    return as_tensor_variable(x.default_output(), name=name, ndim=ndim, **kwargs)


@_as_tensor_variable.register(list)
@_as_tensor_variable.register(tuple)
def _as_tensor_from_sequence(
    x: Sequence[Any], name: str | None, ndim: int | None, **kwargs: Any
) -> TensorVariable:
    if any(isinstance(e, Variable) for e in _flatten(x)):
        from pytensor.tensor.basic import stack

        return as_tensor_variable(stack([as_tensor_variable(e) for e in x]), name=name, ndim=ndim)  # type: ignore[no-any-return]
    return constant(x, name=name, ndim=ndim, dtype=kwargs.get("dtype"))


def _flatten(x: Any) -> list[Any]:
    out: list[Any] = []
    stack = [x]
    while stack:
        e = stack.pop()
        if isinstance(e, list | tuple):
            stack.extend(e)
        else:
            out.append(e)
    return out


def as_tensor_variable(
    x: Any, name: str | None = None, ndim: int | None = None, **kwargs: Any
) -> TensorVariable:
    """``x`` as a tensor variable.

    Tensor variables pass through; scalar variables are wrapped; NumPy arrays,
    Python numbers and (nested) lists become constants; lists that contain
    variables are stacked.

    Parameters
    ----------
    ndim
        Require this number of dimensions (leading length-1 dimensions may be dropped).
    dtype
        For values: the dtype of the constant.
    """
    return _as_tensor_variable(x, name, ndim, **kwargs)


as_tensor = as_tensor_variable


def _register_as_symbolic() -> None:
    from pytensor.graph.basic import _as_symbolic

    @_as_symbolic.register(object)
    def _as_symbolic_tensor(x: Any, **kwargs: Any) -> TensorVariable:
        return as_tensor_variable(x, **kwargs)


_register_as_symbolic()


class TensorFromScalar(ShapedOp, Op):
    """A 0-d tensor from a scalar variable."""

    __props__ = ()

    def make_node(self, s: Any) -> Apply:  # type: ignore[override]
        s = ps.as_scalar(s)
        return Apply(self, [s], [TensorType(s.type.dtype, ())()])

    def _output_shapes(self, inputs: Any, input_shapes: Any, S: Any) -> list[Any]:
        return [()]

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        output_storage[0][0] = np.asarray(inputs[0], dtype=node.outputs[0].type.dtype)

    def pullback(
        self, inputs: Sequence[Any], outputs: Sequence[Any], cotangents: Sequence[Any]
    ) -> list[Any]:
        return [scalar_from_tensor(cotangents[0])]


class ScalarFromTensor(Op):
    """A scalar variable from a 0-d tensor."""

    __props__ = ()

    def make_node(self, t: Any) -> Apply:  # type: ignore[override]
        t = as_tensor_variable(t)
        if t.type.ndim != 0:
            raise TypeError(f"ScalarFromTensor needs a 0-d tensor, got {t} of type {t.type}")
        return Apply(self, [t], [ps.get_scalar_type(t.type.dtype)()])

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        output_storage[0][0] = np.asarray(inputs[0])[()]

    def infer_shape(self, fgraph: Any, node: Apply, input_shapes: Any) -> list[Any]:
        return [()]

    def pullback(
        self, inputs: Sequence[Any], outputs: Sequence[Any], cotangents: Sequence[Any]
    ) -> list[Any]:
        return [tensor_from_scalar(cotangents[0])]


tensor_from_scalar = TensorFromScalar()
scalar_from_tensor = ScalarFromTensor()


def cast(x: Any, dtype: str) -> TensorVariable:
    """``x`` converted to ``dtype`` (unchanged when it already has it).

    Casting complex to a real dtype is refused (use real/imag/abs).
    """
    from pytensor.tensor.elemwise import Elemwise

    x = as_tensor_variable(x)
    dtype = ps.ScalarType(dtype).dtype if dtype != "floatX" else ps.config.floatX
    if x.type.dtype == dtype:
        return x
    if x.type.dtype.startswith("complex") and not dtype.startswith("complex"):
        raise TypeError(
            f"cast: casting {x} from {x.type.dtype} to {dtype} would drop the imaginary part; "
            "use real(), imag() or abs()"
        )
    op = _cast_ops.get(dtype)
    if op is None:
        op = _cast_ops[dtype] = Elemwise(ps.Cast(ps.get_scalar_type(dtype)))
    return op(x)  # type: ignore[no-any-return]


_cast_ops: dict[str, Any] = {}


def get_underlying_scalar_constant_value(
    v: Any, elemwise: bool = True, only_process_constants: bool = False, max_recur: int = 10
) -> np.ndarray:
    """The constant scalar value of ``v``, looking through casts, broadcasts and simple wrappers.

    Raises NotScalarConstantError when ``v`` is not a constant scalar.
    """
    from pytensor.tensor.elemwise import DimShuffle, Elemwise

    for _ in range(max_recur + 1):
        if isinstance(v, int | float | complex | np.number | np.bool_ | bool):
            return np.asarray(v)
        if isinstance(v, np.ndarray):
            return _single_value(v, v)
        if isinstance(v, Constant):
            data = v.data
            if isinstance(data, np.ndarray | np.generic | int | float):
                return _single_value(np.asarray(data), v)
            raise NotScalarConstantError(f"{v} is not a numeric constant")
        if not isinstance(v, Variable) or v.owner is None or only_process_constants:
            raise NotScalarConstantError(f"{v} is not a constant")
        op = v.owner.op
        if isinstance(op, TensorFromScalar | ScalarFromTensor | DimShuffle):
            v = v.owner.inputs[0]
            continue
        if elemwise and isinstance(op, Elemwise) and isinstance(op.scalar_op, ps.Cast):
            inner = get_underlying_scalar_constant_value(
                v.owner.inputs[0], elemwise, only_process_constants, max_recur - 1
            )
            return np.asarray(inner).astype(op.scalar_op.o_type.dtype)
        if elemwise and isinstance(op, Elemwise) and isinstance(op.scalar_op, ps.Second):
            v = v.owner.inputs[1]
            continue
        if type(op).__name__ in ("SpecifyShape", "Alloc"):
            v = v.owner.inputs[0]
            continue
        if type(op).__name__ == "Shape_i":
            static = v.owner.inputs[0].type.shape[op.i]
            if static is not None:
                return np.asarray(static, dtype="int64")
        raise NotScalarConstantError(f"{v} is computed by {op}, not a constant")
    raise NotScalarConstantError(f"{v}: gave up after {max_recur} steps")


def _single_value(arr: np.ndarray, v: Any) -> np.ndarray:
    if arr.size == 0:
        raise EmptyConstantError(f"{v} is an empty constant")
    flat = arr.reshape(-1)
    if arr.ndim and not np.all(flat == flat[0]):
        raise NotScalarConstantError(f"{v} holds several different values")
    return np.asarray(flat[0])


def get_scalar_constant_value(
    v: Any, elemwise: bool = True, only_process_constants: bool = False, max_recur: int = 10
) -> np.ndarray:
    """Like :func:`get_underlying_scalar_constant_value`, but ``v`` must be 0-d (or a Python/NumPy scalar)."""
    if isinstance(v, Variable) and getattr(v.type, "ndim", 0) != 0:
        raise NotScalarConstantError(f"{v} is not a scalar (type {v.type})")
    return get_underlying_scalar_constant_value(v, elemwise, only_process_constants, max_recur)


# ---------------------------------------------------------------------------
# Construction Ops (alloc, zeros, arange, join, ...) follow; see the module
# docstring.
# ---------------------------------------------------------------------------

# The construction Ops live in private modules (to keep modules small) and are
# re-exported here: PyTensor's paths are pytensor.tensor.basic.<name>.
from pytensor.tensor import _alloc, _diag, _join, _layout, _ranges  # noqa: E402
from pytensor.tensor._alloc import *  # noqa: E402,F403
from pytensor.tensor._alloc import _get_vector_length  # noqa: E402,F401
from pytensor.tensor._diag import *  # noqa: E402,F403
from pytensor.tensor._join import *  # noqa: E402,F403
from pytensor.tensor._join import join_  # noqa: E402,F401
from pytensor.tensor._layout import *  # noqa: E402,F403
from pytensor.tensor._ranges import *  # noqa: E402,F403
from pytensor.tensor.shape import (  # noqa: E402,F401 (PyTensor also exposes these from basic)
    shape,
    shape_padaxis,
    shape_padleft,
    shape_padright,
    shape_tuple,
    specify_broadcastable,
)

__all__ += [*_alloc.__all__, *_diag.__all__, *_join.__all__, *_layout.__all__, *_ranges.__all__]
