"""Elementwise math and reductions on tensors (layer: pytensor-tensor)."""

from __future__ import annotations

from typing import Any

import numpy as np

import pytensor.scalar.basic as ps
from pytensor.tensor.basic import as_tensor_variable
from pytensor.tensor.elemwise import CAReduce, Elemwise, _normalize_axis, scalar_elemwise

__all__ = [
    "All", "Any", "Max", "Min", "Prod", "Sum",
    "abs", "abs_", "add", "all", "and_", "angle", "any", "arccos", "arccosh", "arcsin", "arcsinh",
    "arctan", "arctan2", "arctanh", "bitwise_and", "bitwise_not", "bitwise_or", "bitwise_xor",
    "ceil", "conj", "cos", "cosh", "deg2rad", "eq", "exp", "exp2", "expm1", "floor", "floor_div",
    "ge", "gt", "hypot", "imag", "int_div", "invert", "isinf", "isnan", "le", "log", "log10",
    "log1p", "log2", "logical_and", "logical_not", "logical_or", "logical_xor", "lt", "max",
    "maximum", "min", "minimum", "mod", "mul", "neg", "neq", "or_", "pow", "power", "prod",
    "rad2deg", "real", "reciprocal", "round_half_away_from_zero", "round_half_to_even", "sgn",
    "sign", "sin", "sinh", "sqr", "sqrt", "square", "sub", "sum", "tan", "tanh", "true_div",
    "true_divide", "trunc", "xor",
]

_g = globals()
for _name in (
    "neg", "abs", "sign", "reciprocal", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p",
    "sqrt", "sqr", "cos", "sin", "tan", "arccos", "arcsin", "arctan", "cosh", "sinh", "tanh",
    "arccosh", "arcsinh", "arctanh", "deg2rad", "rad2deg", "floor", "ceil", "trunc",
    "round_half_to_even", "round_half_away_from_zero", "isnan", "isinf", "invert", "logical_not",
    "real", "imag", "angle", "conj", "add", "mul", "sub", "true_div", "int_div", "mod", "pow",
    "maximum", "minimum", "lt", "gt", "le", "ge", "eq", "neq", "and_", "or_", "xor", "arctan2", "hypot",
):
    _g[_name] = scalar_elemwise(getattr(ps, _name), _name)

abs_ = abs  # noqa: F821
sgn = sign  # noqa: F821
square = sqr  # noqa: F821
power = pow  # noqa: F821
true_divide = true_div  # noqa: F821
floor_div = int_div  # noqa: F821
bitwise_and = and_  # noqa: F821
bitwise_or = or_  # noqa: F821
bitwise_xor = xor  # noqa: F821
bitwise_not = invert  # noqa: F821


def logical_and(a: Any, b: Any) -> Any:
    """Elementwise logical and (inputs are read as booleans)."""
    from pytensor.tensor.basic import cast

    return and_(cast(neq(a, 0), "bool"), cast(neq(b, 0), "bool"))  # noqa: F821


def logical_or(a: Any, b: Any) -> Any:
    """Elementwise logical or (inputs are read as booleans)."""
    return or_(neq(a, 0), neq(b, 0))  # noqa: F821


def logical_xor(a: Any, b: Any) -> Any:
    """Elementwise logical xor (inputs are read as booleans)."""
    return xor(neq(a, 0), neq(b, 0))  # noqa: F821


def _sum_dtype(in_dtype: str) -> str:
    if in_dtype in ("bool", "int8", "int16", "int32"):
        return "int64"
    if in_dtype in ("uint8", "uint16", "uint32"):
        return "uint64"
    return in_dtype


class Sum(CAReduce):
    """Sum over ``axis``; small integer and bool inputs sum to int64 (uint64 for unsigned)."""

    __props__ = ("axis", "dtype", "acc_dtype")

    def __init__(self, axis: Any = None, dtype: str | None = None, acc_dtype: str | None = None) -> None:
        super().__init__(ps.add, axis=axis, dtype=dtype, acc_dtype=acc_dtype)

    def _default_dtype(self, in_dtype: str) -> str:
        return _sum_dtype(in_dtype)


class Prod(CAReduce):
    """Product over ``axis``; small integer and bool inputs multiply in int64 (uint64 for unsigned)."""

    __props__ = ("axis", "dtype", "acc_dtype", "no_zeros_in_input")

    def __init__(self, axis: Any = None, dtype: str | None = None, acc_dtype: str | None = None,
                 no_zeros_in_input: bool = False) -> None:
        super().__init__(ps.mul, axis=axis, dtype=dtype, acc_dtype=acc_dtype)
        self.no_zeros_in_input = no_zeros_in_input

    def _default_dtype(self, in_dtype: str) -> str:
        return _sum_dtype(in_dtype)


class Max(CAReduce):
    """Maximum over ``axis`` (NaN if any element is NaN)."""

    __props__ = ("axis",)

    def __init__(self, axis: Any = None) -> None:
        super().__init__(ps.scalar_maximum, axis=axis)


class Min(CAReduce):
    """Minimum over ``axis`` (NaN if any element is NaN)."""

    __props__ = ("axis",)

    def __init__(self, axis: Any = None) -> None:
        super().__init__(ps.scalar_minimum, axis=axis)


class All(CAReduce):
    """Whether all elements along ``axis`` are true."""

    __props__ = ("axis",)

    def __init__(self, axis: Any = None) -> None:
        super().__init__(ps.and_, axis=axis)

    def _default_dtype(self, in_dtype: str) -> str:
        return "bool"

    def perform(self, node: Any, inputs: Any, output_storage: Any) -> None:
        output_storage[0][0] = np.asarray(np.all(inputs[0], axis=self.axis))


class Any(CAReduce):  # noqa: F811 (PyTensor's name shadows typing.Any only at run time)
    """Whether any element along ``axis`` is true."""

    __props__ = ("axis",)

    def __init__(self, axis: Any = None) -> None:
        super().__init__(ps.or_, axis=axis)

    def _default_dtype(self, in_dtype: str) -> str:
        return "bool"

    def perform(self, node: Any, inputs: Any, output_storage: Any) -> None:
        output_storage[0][0] = np.asarray(np.any(inputs[0], axis=self.axis))


def _keep(x: Any, out: Any, axis: Any, keepdims: bool) -> Any:
    if not keepdims:
        return out
    axes = _normalize_axis("keepdims", axis, x.ndim)
    pattern: list[Any] = []
    k = 0
    for d in range(x.ndim):
        if d in axes:
            pattern.append("x")
        else:
            pattern.append(k)
            k += 1
    return out.dimshuffle(pattern)


def sum(input: Any, axis: Any = None, dtype: str | None = None, keepdims: bool = False, acc_dtype: str | None = None) -> Any:  # noqa: A001
    """Sum of the elements along ``axis`` (None: all)."""
    x = as_tensor_variable(input)
    return _keep(x, Sum(axis=axis, dtype=dtype, acc_dtype=acc_dtype)(x), axis, keepdims)


def prod(input: Any, axis: Any = None, dtype: str | None = None, keepdims: bool = False, acc_dtype: str | None = None,
         no_zeros_in_input: bool = False) -> Any:
    """Product of the elements along ``axis`` (None: all)."""
    x = as_tensor_variable(input)
    return _keep(x, Prod(axis=axis, dtype=dtype, acc_dtype=acc_dtype, no_zeros_in_input=no_zeros_in_input)(x), axis, keepdims)


def max(x: Any, axis: Any = None, keepdims: bool = False) -> Any:  # noqa: A001
    """Maximum along ``axis`` (None: all)."""
    x = as_tensor_variable(x)
    return _keep(x, Max(axis=axis)(x), axis, keepdims)


def min(x: Any, axis: Any = None, keepdims: bool = False) -> Any:  # noqa: A001
    """Minimum along ``axis`` (None: all)."""
    x = as_tensor_variable(x)
    return _keep(x, Min(axis=axis)(x), axis, keepdims)


def all(x: Any, axis: Any = None, keepdims: bool = False) -> Any:  # noqa: A001
    """Whether all elements along ``axis`` are true."""
    x = as_tensor_variable(x)
    return _keep(x, All(axis=axis)(x), axis, keepdims)


def any(x: Any, axis: Any = None, keepdims: bool = False) -> Any:  # noqa: A001
    """Whether any element along ``axis`` is true."""
    x = as_tensor_variable(x)
    return _keep(x, Any(axis=axis)(x), axis, keepdims)
