"""Scalar types and the scalar Op machinery (layer: pytensor-tensor).

Scalar Ops describe one element of an elementwise computation; ``Elemwise``
maps them over tensors and ``Composite`` fuses several into one.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

import numpy as np

from pytensor.configdefaults import config
from pytensor.graph.basic import Apply, Constant, Variable
from pytensor.graph.op import Op
from pytensor.graph.type import HasDataType, HasShape, Type
from pytensor.graph.utils import MethodNotDefined

__all__ = [
    "BinaryScalarOp",
    "Composite",
    "ScalarConstant",
    "ScalarOp",
    "ScalarType",
    "ScalarVariable",
    "UnaryScalarOp",
    "all_types",
    "array_function",
    "as_scalar",
    "autocast_float",
    "autocast_int",
    "bool_out",
    "complex_types",
    "constant",
    "continuous_types",
    "discrete_types",
    "float_out",
    "float_types",
    "get_scalar_type",
    "int_out",
    "int_types",
    "integer_types",
    "same_out",
    "same_out_float_only",
    "same_out_nobool",
    "transfer_type",
    "uint_types",
    "upcast",
    "upcast_out",
    "upcast_out_no_complex",
    "upcast_out_nobool",
    "upgrade_to_float",
    "upgrade_to_float64",
    "upgrade_to_float_no_complex",
]

BOOL = ("bool",)
INT = ("int8", "int16", "int32", "int64")
UINT = ("uint8", "uint16", "uint32", "uint64")
FLOAT = ("float16", "float32", "float64")
COMPLEX = ("complex64", "complex128")
ALL_DTYPES = BOOL + INT + UINT + FLOAT + COMPLEX
DISCRETE_DTYPES = BOOL + INT + UINT


def upcast(dtype: str, *dtypes: str) -> str:
    """The dtype NumPy gives to arithmetic on arrays of these dtypes.

    With ``config.floatX == "float32"``, mixing float32 with integers gives
    float32 (not NumPy's float64), as in PyTensor.
    """
    all_dtypes = (dtype, *dtypes)
    result = np.result_type(*[np.dtype(d) for d in all_dtypes]).name
    if (
        result == "float64"
        and config.floatX == "float32"
        and "float64" not in all_dtypes
        and "float32" in all_dtypes
    ):
        return "float32"
    return result


class _Autocaster:
    """Picks the smallest of ``dtypes`` that holds a Python scalar exactly (PyTensor's 'custom' policy)."""

    def __init__(self, dtypes: tuple[str, ...]) -> None:
        self.dtypes = dtypes

    def __call__(self, x: Any) -> np.ndarray:
        if config.cast_policy == "numpy+floatX":
            arr = np.asarray(x)
            if (
                not hasattr(x, "dtype")
                and arr.dtype.kind == "f"
                and arr.dtype.name != config.floatX
            ):
                arr = arr.astype(config.floatX)
            return arr
        if hasattr(x, "dtype") and str(x.dtype) in self.dtypes:
            return np.asarray(x)
        if (
            isinstance(x, builtins.float)
            and config.floatX in self.dtypes
            and config.floatX != "float64"
        ):
            return np.asarray(x, dtype=config.floatX)
        candidates = [d for d in self.dtypes if d != "float16" or config.floatX == "float16"]
        arr = np.asarray(x)
        for d in candidates:
            with np.errstate(over="ignore", invalid="ignore"):
                try:
                    arr = np.asarray(x, dtype=d)
                except OverflowError:
                    continue
            if arr.item() == x:
                break
        return arr


autocast_int = _Autocaster(INT)
autocast_float = _Autocaster(FLOAT)


def convert(x: Any, dtype: str | None = None) -> np.ndarray:
    """``x`` as a 0-d (or n-d) NumPy array with PyTensor's rules for Python scalars."""
    if dtype is not None:
        return np.asarray(x, dtype=dtype)
    if isinstance(x, builtins.bool | np.bool_):
        return np.asarray(x, dtype="bool")
    if isinstance(x, builtins.int):
        try:
            return autocast_int(x)
        except OverflowError:
            return np.asarray(x, dtype="uint64")
    if isinstance(x, builtins.float):
        return autocast_float(x)
    if isinstance(x, builtins.complex):
        return np.asarray(x)
    return np.asarray(x)


class ScalarType(Type, HasDataType, HasShape):
    """The type of a single number of a given dtype (a 0-d value)."""

    __props__ = ("dtype",)
    ndim = 0
    shape: tuple[int | None, ...] = ()

    def __init__(self, dtype: str) -> None:
        dtype = np.dtype(dtype).name if dtype != "floatX" else config.floatX
        if dtype not in ALL_DTYPES:
            raise TypeError(
                f"ScalarType: unsupported dtype {dtype!r}; supported: {', '.join(ALL_DTYPES)}"
            )
        self.dtype = dtype

    @property
    def variable_type(self) -> type[Variable]:  # type: ignore[override]
        return ScalarVariable

    @property
    def constant_type(self) -> type[Constant]:  # type: ignore[override]
        return ScalarConstant

    @property
    def numpy_dtype(self) -> np.dtype:
        return np.dtype(self.dtype)

    def filter(self, data: Any, strict: bool = False, allow_downcast: bool | None = None) -> Any:
        if strict:
            if isinstance(data, np.generic) and data.dtype.name == self.dtype:
                return data
            if isinstance(data, np.ndarray) and data.ndim == 0 and data.dtype.name == self.dtype:
                return data[()]
            raise TypeError(
                f"{self}: strict mode expects a {self.dtype} scalar, got {data!r} ({type(data).__name__})"
            )
        arr = np.asarray(data)
        if arr.ndim != 0:
            raise TypeError(f"{self} expects a scalar, got an array of shape {arr.shape}")
        if arr.dtype.name == self.dtype:
            return arr[()]
        if arr.dtype.kind in "OSUV":
            raise TypeError(f"{self} cannot hold a value of type {type(data).__name__}: {data!r}")
        converted = arr.astype(self.dtype)
        python_scalar = isinstance(
            data, builtins.int | builtins.float | builtins.complex | builtins.bool
        )
        if allow_downcast or np.can_cast(arr.dtype, self.dtype, "safe"):
            return converted[()]
        if python_scalar and (allow_downcast is None or converted == arr):
            if converted == arr or (allow_downcast is None and self.dtype == config.floatX):
                return converted[()]
        raise TypeError(
            f"{self} cannot hold {data!r} (dtype {arr.dtype}) without losing precision; cast it to "
            f"{self.dtype} or pass allow_input_downcast=True"
        )

    def values_eq(self, a: Any, b: Any) -> builtins.bool:
        return builtins.bool(np.array_equal(a, b, equal_nan=self.dtype in FLOAT + COMPLEX))

    def values_eq_approx(
        self, a: Any, b: Any, rtol: float | None = None, atol: float | None = None
    ) -> builtins.bool:
        return builtins.bool(
            np.allclose(a, b, rtol=rtol or 1e-5, atol=atol or 1e-8, equal_nan=True)
        )

    def value_signature(self, data: Any) -> Any:
        return ("scalar", self.dtype, np.asarray(data, dtype=self.dtype).tobytes())

    def upcast(self, *others: ScalarType) -> str:
        return upcast(self.dtype, *[o.dtype for o in others])

    def __str__(self) -> str:
        return f"Scalar({self.dtype})"

    def __repr__(self) -> str:
        return f"ScalarType({self.dtype})"


@cache
def get_scalar_type(dtype: str) -> ScalarType:
    """The (cached) ScalarType of ``dtype``."""
    return ScalarType(dtype)


bool = get_scalar_type("bool")  # noqa: A001 (PyTensor's name)
int8, int16, int32, int64 = (get_scalar_type(d) for d in INT)
uint8, uint16, uint32, uint64 = (get_scalar_type(d) for d in UINT)
float16, float32, float64 = (get_scalar_type(d) for d in FLOAT)
complex64, complex128 = (get_scalar_type(d) for d in COMPLEX)

int_types = tuple(get_scalar_type(d) for d in INT)
uint_types = tuple(get_scalar_type(d) for d in UINT)
integer_types = int_types + uint_types
float_types = tuple(get_scalar_type(d) for d in FLOAT)
complex_types = tuple(get_scalar_type(d) for d in COMPLEX)
discrete_types = (bool,) + integer_types
continuous_types = float_types + complex_types
all_types = discrete_types + continuous_types


class _ScalarOperators:
    """Arithmetic operators of scalar variables (build scalar Op applications)."""

    def __add__(self, other: Any) -> Any:
        return add(self, other)

    def __radd__(self, other: Any) -> Any:
        return add(other, self)

    def __sub__(self, other: Any) -> Any:
        return sub(self, other)

    def __rsub__(self, other: Any) -> Any:
        return sub(other, self)

    def __mul__(self, other: Any) -> Any:
        return mul(self, other)

    def __rmul__(self, other: Any) -> Any:
        return mul(other, self)

    def __truediv__(self, other: Any) -> Any:
        return true_div(self, other)

    def __rtruediv__(self, other: Any) -> Any:
        return true_div(other, self)

    def __floordiv__(self, other: Any) -> Any:
        return int_div(self, other)

    def __mod__(self, other: Any) -> Any:
        return mod(self, other)

    def __pow__(self, other: Any) -> Any:
        return pow(self, other)

    def __rpow__(self, other: Any) -> Any:
        return pow(other, self)

    def __neg__(self) -> Any:
        return neg(self)

    def __abs__(self) -> Any:
        return abs(self)

    def __lt__(self, other: Any) -> Any:
        return lt(self, other)

    def __le__(self, other: Any) -> Any:
        return le(self, other)

    def __gt__(self, other: Any) -> Any:
        return gt(self, other)

    def __ge__(self, other: Any) -> Any:
        return ge(self, other)

    def __and__(self, other: Any) -> Any:
        return and_(self, other)

    def __or__(self, other: Any) -> Any:
        return or_(self, other)

    def __xor__(self, other: Any) -> Any:
        return xor(self, other)

    def __invert__(self) -> Any:
        return invert(self)

    @property
    def dtype(self) -> str:
        return self.type.dtype  # type: ignore[attr-defined,no-any-return]

    def astype(self, dtype: str) -> Any:
        return cast(self, dtype)


class ScalarVariable(_ScalarOperators, Variable):
    """A symbolic scalar."""


class ScalarConstant(_ScalarOperators, Constant):
    """A constant scalar."""


def constant(x: Any, name: str | None = None, dtype: str | None = None) -> ScalarConstant:
    """A scalar constant, with PyTensor's dtype choice for Python numbers (smallest exact)."""
    arr = convert(x, dtype=dtype)
    if arr.ndim != 0:
        raise TypeError(f"scalar constant: expected a scalar, got an array of shape {arr.shape}")
    return ScalarConstant(get_scalar_type(arr.dtype.name), arr[()], name=name)


def as_scalar(x: Any, name: str | None = None) -> ScalarVariable:
    """``x`` as a scalar variable: scalar variables pass through, numbers become constants,
    0-d tensors are converted with ``scalar_from_tensor``."""
    if isinstance(x, Variable):
        if isinstance(x.type, ScalarType):
            return x  # type: ignore[return-value]
        if getattr(x.type, "ndim", None) == 0 and hasattr(x.type, "dtype"):
            from pytensor.tensor.basic import scalar_from_tensor

            return scalar_from_tensor(x)  # type: ignore[no-any-return]
        raise TypeError(f"Cannot use {x} of type {x.type} as a scalar")
    if isinstance(x, Apply):
        return as_scalar(x.default_output())
    try:
        return constant(x, name=name)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"Cannot convert {x!r} to a scalar variable: {exc}") from None


# -- output type rules ------------------------------------------------------
def upcast_out(*types: ScalarType) -> tuple[ScalarType, ...]:
    return (get_scalar_type(upcast(*[t.dtype for t in types])),)


def upcast_out_nobool(*types: ScalarType) -> tuple[ScalarType, ...]:
    out = upcast_out(*types)
    if out[0] is bool:
        raise TypeError("This operation is not defined on booleans; cast them first")
    return out


def upcast_out_no_complex(*types: ScalarType) -> tuple[ScalarType, ...]:
    if any(t in complex_types for t in types):
        raise TypeError("This operation is not defined on complex numbers")
    return upcast_out(*types)


def same_out(type: ScalarType) -> tuple[ScalarType, ...]:
    return (type,)


def same_out_nobool(type: ScalarType) -> tuple[ScalarType, ...]:
    if type is bool:
        raise TypeError("This operation is not defined on booleans; cast them first")
    return (type,)


def same_out_float_only(type: ScalarType) -> tuple[ScalarType, ...]:
    if type not in float_types:
        raise TypeError(f"This operation is only defined on floats, got {type.dtype}")
    return (type,)


def upgrade_to_float(*types: ScalarType) -> tuple[ScalarType, ...]:
    """Integers become the float that holds them (int8/16 -> float32, else float64); floats stay."""
    conv = {
        "bool": float32,
        "int8": float32,
        "int16": float32,
        "int32": float64,
        "int64": float64,
        "uint8": float32,
        "uint16": float32,
        "uint32": float64,
        "uint64": float64,
    }
    dtypes = [conv[t.dtype].dtype if t.dtype in conv else t.dtype for t in types]
    return (get_scalar_type(upcast(*dtypes)),)


def upgrade_to_float64(*types: ScalarType) -> tuple[ScalarType, ...]:
    return (float64,)


def upgrade_to_float_no_complex(*types: ScalarType) -> tuple[ScalarType, ...]:
    if any(t in complex_types for t in types):
        raise TypeError("This operation is not defined on complex numbers")
    return upgrade_to_float(*types)


def int_out(*types: ScalarType) -> tuple[ScalarType, ...]:
    return (int64,)


def float_out(*types: ScalarType) -> tuple[ScalarType, ...]:
    return (float64,)


def bool_out(*types: ScalarType) -> tuple[ScalarType, ...]:
    return (bool,)


class transfer_type:  # noqa: N801 (PyTensor's name)
    """Output type rule: the outputs take the types of the given input positions."""

    __props__ = ("transfer",)

    def __init__(self, *transfer: int) -> None:
        self.transfer = transfer

    def __call__(self, *types: ScalarType) -> tuple[ScalarType, ...]:
        return tuple(types[i] for i in self.transfer)

    def __eq__(self, other: object) -> builtins.bool:
        return type(self) is type(other) and self.transfer == other.transfer  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self), self.transfer))


class ScalarOp(Op):
    """An operation on scalars. Subclasses define ``impl`` (the Python computation),
    ``nin``/``nout``, and an output type rule (``output_types_preference``).

    ``nfunc_spec = (numpy_function_name, nin, nout)`` names the NumPy ufunc
    that computes it on arrays; ``Elemwise`` uses it in its ``perform``.
    """

    nin: int = -1
    nout: int = 1
    nfunc_spec: tuple[str, int, int] | None = None
    __props__: tuple[str, ...] = ("output_types_preference", "name")

    def __init__(
        self,
        output_types_preference: Callable[..., Sequence[ScalarType]] | None = None,
        name: str | None = None,
    ) -> None:
        if output_types_preference is not None and not callable(output_types_preference):
            raise TypeError(f"{type(self).__name__}: output_types_preference must be callable")
        self.output_types_preference = output_types_preference
        self.name = name

    def make_node(self, *inputs: Any) -> Apply:
        if self.nin >= 0 and len(inputs) != self.nin:
            raise TypeError(f"{self} takes {self.nin} inputs, got {len(inputs)}")
        inputs = tuple(as_scalar(i) for i in inputs)
        try:
            out_types = self.output_types([i.type for i in inputs])
        except TypeError as exc:
            dtypes = ", ".join(i.type.dtype for i in inputs)
            raise TypeError(
                f"{self}: inputs of dtype ({dtypes}) are not supported: {exc}"
            ) from None
        return Apply(self, list(inputs), [t() for t in out_types])

    def output_types(self, types: Sequence[ScalarType]) -> Sequence[ScalarType]:
        """The output types for the given input types."""
        if self.output_types_preference is None:
            raise MethodNotDefined(f"{type(self).__name__} has no output_types_preference")
        out = self.output_types_preference(*types)
        if not isinstance(out, list | tuple) or len(out) != self.nout:
            raise TypeError(
                f"{self}: the output type rule returned {out!r}, expected {self.nout} types"
            )
        return out

    def impl(self, *inputs: Any) -> Any:
        raise MethodNotDefined(f"{type(self).__name__} has no Python implementation")

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        fn = array_function(self, tuple(o.type.dtype for o in node.outputs))
        with np.errstate(all="ignore"):
            results = fn(*[np.asarray(i) for i in inputs])
        if self.nout == 1:
            results = (results,)
        for cell, out, value in zip(output_storage, node.outputs, results, strict=True):
            cell[0] = np.asarray(value, dtype=out.type.dtype)[()]

    @property
    def ufunc(self) -> Any:
        """The NumPy function computing this Op elementwise, or None."""
        if self.nfunc_spec is None:
            return None
        mod: Any = np
        for part in self.nfunc_spec[0].split("."):
            mod = getattr(mod, part, None)
            if mod is None:
                if self.nfunc_spec[0].startswith("scipy."):
                    return _scipy_function(self.nfunc_spec[0])
                return None
        return mod

    def __str__(self) -> str:
        if self.name is not None:
            return self.name
        props = [p for p in type(self).__props__ if p not in ("output_types_preference", "name")]
        if props:
            inner = ", ".join(f"{p}={getattr(self, p)!r}" for p in props)
            return f"{type(self).__name__}{{{inner}}}"
        return type(self).__name__


def array_function(op: ScalarOp, out_dtypes: tuple[str, ...]) -> Any:
    """A function applying ``op`` to whole arrays: its ``array_impl``, its NumPy/SciPy
    function, or a vectorised ``impl``.

    Integer and boolean inputs of an Op with a floating output are converted to
    the output's precision first: NumPy would compute int8 inputs in float16.
    """
    array_impl = getattr(op, "array_impl", None)
    if array_impl is not None:
        return array_impl
    ufunc = op.ufunc
    if ufunc is None:
        return np.vectorize(op.impl, otypes=list(out_dtypes))
    if len(out_dtypes) == 1 and np.dtype(out_dtypes[0]).kind in "fc":
        real = np.empty(0, out_dtypes[0]).real.dtype

        def call(*args: Any) -> Any:
            return ufunc(*[a.astype(real) if a.dtype.kind in "biu" else a for a in args])

        return call
    return ufunc


def _scipy_function(path: str) -> Any:
    import importlib

    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


class UnaryScalarOp(ScalarOp):
    nin = 1


class BinaryScalarOp(ScalarOp):
    nin = 2
    #: Whether the operation is associative (``(a op b) op c == a op (b op c)``).
    associative = False
    #: Whether the operation is commutative.
    commutative = False
    #: Identity element, if any.
    identity: Any = None


# The elementary Ops are defined in a sibling module and re-exported here, so
# that PyTensor's import paths (pytensor.scalar.basic.Add, ...) work.
from pytensor.scalar._elementary import *  # noqa: E402,F403
from pytensor.scalar._elementary import __all__ as _elementary_all  # noqa: E402

__all__ += _elementary_all
from pytensor.scalar._composite import Composite  # noqa: E402
