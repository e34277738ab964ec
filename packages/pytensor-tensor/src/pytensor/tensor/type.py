"""``TensorType``: n-dimensional arrays with a dtype and a static shape (layer: pytensor-tensor).

A static shape entry is an int (known length) or None (known only at run
time). A dimension broadcasts only when its static length is 1; there is no
separate broadcastable flag that could disagree with the shape.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from pytensor.configdefaults import config
from pytensor.graph.basic import Variable
from pytensor.graph.type import HasDataType, HasShape, Type
from pytensor.scalar.basic import ALL_DTYPES, COMPLEX, FLOAT, upcast

__all__ = [
    "TensorType",
    "bscalar",
    "bvector",
    "bmatrix",
    "btensor3",
    "btensor4",
    "cscalar",
    "cvector",
    "cmatrix",
    "dscalar",
    "dvector",
    "dmatrix",
    "dtensor3",
    "dtensor4",
    "dtensor5",
    "dtensor6",
    "dtensor7",
    "fscalar",
    "fvector",
    "fmatrix",
    "ftensor3",
    "ftensor4",
    "ftensor5",
    "ftensor6",
    "ftensor7",
    "iscalar",
    "ivector",
    "imatrix",
    "itensor3",
    "itensor4",
    "lscalar",
    "lvector",
    "lmatrix",
    "ltensor3",
    "ltensor4",
    "wscalar",
    "wvector",
    "wmatrix",
    "wtensor3",
    "wtensor4",
    "zscalar",
    "zvector",
    "zmatrix",
    "col",
    "matrix",
    "row",
    "scalar",
    "tensor",
    "tensor3",
    "tensor4",
    "tensor5",
    "tensor6",
    "tensor7",
    "vector",
    "dcol",
    "drow",
    "fcol",
    "frow",
    "icol",
    "irow",
    "lcol",
    "lrow",
    "int_dtypes",
    "float_dtypes",
    "complex_dtypes",
    "discrete_dtypes",
    "continuous_dtypes",
    "all_dtypes",
    "values_eq_approx_always_true",
    "scalars",
    "vectors",
    "matrices",
    "tensor3s",
    "tensor4s",
    "iscalars",
    "ivectors",
    "imatrices",
    "lscalars",
    "lvectors",
    "lmatrices",
    "fscalars",
    "fvectors",
    "fmatrices",
    "dscalars",
    "dvectors",
    "dmatrices",
]

int_dtypes = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")
float_dtypes = FLOAT
complex_dtypes = COMPLEX
discrete_dtypes = ("bool", *int_dtypes)
continuous_dtypes = FLOAT + COMPLEX
all_dtypes = ALL_DTYPES

_NDIM_NAMES = {0: "Scalar", 1: "Vector", 2: "Matrix"}


def _norm_dtype(dtype: Any) -> str:
    if dtype is None or dtype == "floatX":
        return config.floatX
    try:
        name = np.dtype(dtype).name
    except TypeError:
        raise TypeError(f"TensorType: {dtype!r} is not a dtype") from None
    if name not in ALL_DTYPES:
        raise TypeError(
            f"TensorType: unsupported dtype {name!r}; supported: {', '.join(ALL_DTYPES)}"
        )
    return name


def _norm_shape(shape: Iterable[Any]) -> tuple[int | None, ...]:
    out: list[int | None] = []
    for s in shape:
        if s is None:
            out.append(None)
        elif isinstance(s, builtins.bool | np.bool_):
            raise TypeError(
                f"TensorType: shape entries are lengths (int) or None, got the bool {s!r}; "
                "use 1 for a broadcastable dimension and None for an unknown one"
            )
        elif isinstance(s, int | np.integer) and s >= 0:
            out.append(int(s))
        else:
            raise TypeError(
                f"TensorType: invalid shape entry {s!r} (lengths are ints >= 0 or None)"
            )
    return tuple(out)


class TensorType(Type, HasDataType, HasShape):
    """The type of n-dimensional arrays of ``dtype`` with static ``shape``.

    Parameters
    ----------
    dtype
        A NumPy dtype name, or "floatX" for ``config.floatX``.
    shape
        One entry per dimension: the length if known, else None.
    broadcastable
        Accepted for compatibility instead of ``shape``: True means length 1,
        False means unknown.

    Examples
    --------
    >>> from pytensor.tensor.type import TensorType
    >>> t = TensorType("float64", shape=(None, 3))
    >>> t.ndim, t.broadcastable
    (2, (False, False))
    """

    __props__ = ("dtype", "shape")

    def __init__(
        self,
        dtype: Any,
        shape: Iterable[Any] | None = None,
        name: str | None = None,
        broadcastable: Iterable[Any] | None = None,
    ) -> None:
        if broadcastable is not None:
            if shape is not None:
                raise TypeError("TensorType: give shape or broadcastable, not both")
            shape = tuple(1 if b else None for b in broadcastable)
        if shape is None:
            raise TypeError(
                "TensorType needs a shape: a tuple of int (known length) or None entries"
            )
        self.dtype = _norm_dtype(dtype)
        self.shape = _norm_shape(shape)
        self.name = name
        # Cached for filter(), which runs on every call of a compiled function.
        self._np_dtype = np.dtype(self.dtype)
        self._free_shape = all(s is None for s in self.shape)

    # -- derived attributes ---------------------------------------------------
    @property
    def ndim(self) -> int:  # type: ignore[override]
        return len(self.shape)

    @property
    def broadcastable(self) -> tuple[bool, ...]:
        """Which dimensions broadcast: exactly those of static length 1."""
        return tuple(s == 1 for s in self.shape)

    @property
    def numpy_dtype(self) -> np.dtype:
        return self._np_dtype

    @property
    def variable_type(self) -> type[Variable]:  # type: ignore[override]
        from pytensor.tensor.variable import TensorVariable

        return TensorVariable

    @property
    def constant_type(self) -> type[Any]:  # type: ignore[override]
        from pytensor.tensor.variable import TensorConstant

        return TensorConstant

    def clone(
        self,
        dtype: Any = None,
        shape: Iterable[Any] | None = None,
        broadcastable: Any = None,
        **kw: Any,
    ) -> TensorType:  # type: ignore[override]
        if broadcastable is not None:
            shape = tuple(1 if b else None for b in broadcastable)
        return type(self)(
            dtype if dtype is not None else self.dtype, shape if shape is not None else self.shape
        )

    # -- values -------------------------------------------------------------
    def filter(self, data: Any, strict: bool = False, allow_downcast: bool | None = None) -> Any:
        """``data`` as an ndarray of this type, or TypeError/ValueError naming what is wrong.

        No value is silently downcast: a float64 array for a float32 type
        raises unless ``allow_downcast``; Python numbers are accepted when
        they convert exactly (or, with ``allow_downcast=None``, when the
        type's dtype is ``config.floatX``).
        """
        if type(data) is np.ndarray and data.dtype == self._np_dtype:
            if self._free_shape and data.ndim == len(self.shape):
                return data  # the common case, kept short: it runs on every call
            arr = data
        elif isinstance(data, Variable):
            raise TypeError(f"{self} expects a value, got the symbolic variable {data}")
        elif strict:
            if not isinstance(data, np.ndarray | np.generic):
                raise TypeError(
                    f"{self}: strict mode expects a NumPy array, got {type(data).__name__}"
                )
            if data.dtype != self.numpy_dtype:
                raise TypeError(f"{self}: strict mode expects dtype {self.dtype}, got {data.dtype}")
            arr = np.asarray(data)
        else:
            arr = self._convert(data, allow_downcast)
        if arr.ndim != self.ndim:
            raise TypeError(
                f"{self}: wrong number of dimensions: expected {self.ndim}, got {arr.ndim} with shape {arr.shape}"
            )
        for k, (s, d) in enumerate(zip(self.shape, arr.shape, strict=True)):
            if s is not None and s != d:
                raise ValueError(
                    f"{self}: the value's shape {arr.shape} does not match the static shape "
                    f"{_fmt_shape(self.shape)} (dimension {k} must have length {s})"
                )
        return arr

    def _convert(self, data: Any, allow_downcast: bool | None) -> np.ndarray:
        python_scalar = isinstance(data, builtins.int | builtins.float | builtins.complex)
        if isinstance(data, np.ndarray | np.generic):
            src = np.asarray(data)
        else:
            try:
                src = np.asarray(data)
            except (ValueError, TypeError) as exc:
                raise TypeError(
                    f"{self} cannot hold {type(data).__name__} {data!r}: {exc}"
                ) from None
        if src.dtype == self.numpy_dtype:
            return src
        if src.dtype.kind in "OSUVMm":
            raise TypeError(
                f"{self} cannot hold a value of dtype {src.dtype} ({type(data).__name__})"
            )
        if allow_downcast:
            return src.astype(self.dtype)
        if upcast(src.dtype.name, self.dtype) == self.dtype and np.can_cast(
            src.dtype, self.dtype, "safe"
        ):
            return src.astype(self.dtype)
        if not isinstance(data, np.ndarray | np.generic):
            # A Python number or list: accept it when it converts exactly, and
            # Python floats into floatX when downcasting was not refused.
            with np.errstate(all="ignore"):
                converted = src.astype(self.dtype)
            if np.array_equal(converted, src, equal_nan=src.dtype.kind in "fc"):
                return converted
            if python_scalar and allow_downcast is None and self.dtype == config.floatX:
                return converted
        raise TypeError(
            f"{self} cannot hold a value of dtype {src.dtype} without risking loss of precision. "
            f"Cast the value to {self.dtype} first, or pass allow_input_downcast=True to function()"
        )

    def value_signature(self, data: Any) -> Any:
        arr = np.ascontiguousarray(data)
        return ("tensor", arr.dtype.str, arr.shape, arr.tobytes())

    def values_eq(self, a: Any, b: Any, force_same_dtype: bool = True) -> bool:
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape or (force_same_dtype and a.dtype != b.dtype):
            return False
        return bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))

    def values_eq_approx(
        self,
        a: Any,
        b: Any,
        allow_remove_inf: bool = False,
        allow_remove_nan: bool = False,
        rtol: float | None = None,
        atol: float | None = None,
    ) -> bool:
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape:
            return False
        if a.dtype.kind not in "fc":
            return bool(np.array_equal(a, b))
        default_rtol, default_atol = (
            (1e-3, 1e-5) if self.dtype in ("float16", "float32", "complex64") else (1e-5, 1e-8)
        )
        return bool(
            np.allclose(a, b, rtol=rtol or default_rtol, atol=atol or default_atol, equal_nan=True)
        )

    # -- relations between types -------------------------------------------
    def is_super(self, otype: Type) -> bool | None:
        """Whether every value of ``otype`` is a value of this type (same dtype and rank, compatible static shape)."""
        if (
            not isinstance(otype, TensorType)
            or otype.dtype != self.dtype
            or otype.ndim != self.ndim
        ):
            return False
        return all(s is None or s == o for s, o in zip(self.shape, otype.shape, strict=True))

    def in_same_class(self, otype: Type) -> bool | None:
        return (
            isinstance(otype, TensorType) and otype.dtype == self.dtype and otype.ndim == self.ndim
        )

    def convert_variable(self, var: Variable) -> Variable | None:
        """``var`` as this type: as is when this type is more general; with a runtime
        shape check (SpecifyShape) when this type is more specific; else None."""
        if self.is_super(var.type):
            return var
        if isinstance(var.type, TensorType) and var.type.is_super(self):
            from pytensor.tensor.shape import specify_shape

            return specify_shape(var, self.shape)  # type: ignore[no-any-return]
        return None

    def __str__(self) -> str:
        if self.name:
            return self.name
        kind = _NDIM_NAMES.get(self.ndim, f"Tensor{self.ndim}")
        return f"{kind}({self.dtype}, shape={_fmt_shape(self.shape)})"

    def __repr__(self) -> str:
        return f"TensorType({self.dtype}, shape={self.shape})"

    def get_shape_info(self, obj: Any) -> Any:
        return obj.shape

    def __getstate__(self) -> dict[str, Any]:
        return self.__dict__.copy()


def _fmt_shape(shape: Sequence[int | None]) -> str:
    inner = ", ".join("?" if s is None else str(s) for s in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def values_eq_approx_always_true(a: Any, b: Any) -> bool:
    return True


def tensor(
    name: str | None = None, *, dtype: Any = None, shape: Sequence[Any] | None = None, **kwargs: Any
) -> Any:
    """A new symbolic tensor variable.

    Parameters
    ----------
    name
        Its name.
    dtype
        Defaults to ``config.floatX``.
    shape
        Static shape: lengths or None; defaults to a 0-d tensor.
    """
    if isinstance(name, tuple | list):
        raise TypeError("tensor(): the first argument is the name; pass the shape as shape=")
    if "broadcastable" in kwargs:
        if shape is not None:
            raise TypeError("tensor(): give shape or broadcastable, not both")
        shape = tuple(1 if b else None for b in kwargs.pop("broadcastable"))
    if "ndim" in kwargs:
        ndim = kwargs.pop("ndim")
        if shape is not None and len(shape) != ndim:
            raise ValueError(f"tensor(): shape {shape} does not have ndim={ndim} entries")
        shape = shape if shape is not None else (None,) * ndim
    if kwargs:
        raise TypeError(f"tensor() got unexpected arguments {sorted(kwargs)}")
    return TensorType(dtype, shape if shape is not None else ())(name)


def _maker(ndim: int, dtype: Any = None, fixed: tuple[int | None, ...] | None = None) -> Any:
    def make(
        name: str | None = None, *, dtype: Any = dtype, shape: Sequence[Any] | None = None
    ) -> Any:
        if shape is None:
            shape = fixed if fixed is not None else (None,) * ndim
        elif len(shape) != ndim:
            raise ValueError(f"expected a shape with {ndim} entries, got {shape}")
        return TensorType(dtype, shape)(name)

    return make


scalar = _maker(0)
vector = _maker(1)
matrix = _maker(2)
row = _maker(2, fixed=(1, None))
col = _maker(2, fixed=(None, 1))
tensor3 = _maker(3)
tensor4 = _maker(4)
tensor5 = _maker(5)
tensor6 = _maker(6)
tensor7 = _maker(7)

_PREFIX = {
    "b": "int8",
    "w": "int16",
    "i": "int32",
    "l": "int64",
    "f": "float32",
    "d": "float64",
    "c": "complex64",
    "z": "complex128",
}
_g = globals()
for _p, _dt in _PREFIX.items():
    for _kind, _nd in (
        ("scalar", 0),
        ("vector", 1),
        ("matrix", 2),
        ("tensor3", 3),
        ("tensor4", 4),
        ("tensor5", 5),
        ("tensor6", 6),
        ("tensor7", 7),
    ):
        _g[f"{_p}{_kind}"] = _maker(_nd, _dt)
    _g[f"{_p}row"] = _maker(2, _dt, (1, None))
    _g[f"{_p}col"] = _maker(2, _dt, (None, 1))


def _multi(maker: Any) -> Any:
    def make_many(*names: Any, dtype: Any = None) -> Any:
        """Several variables at once: ``f("a", "b")`` or ``f(3)`` (three unnamed ones)."""
        kw = {} if dtype is None else {"dtype": dtype}
        if len(names) == 1 and isinstance(names[0], int):
            return [maker(**kw) for _ in range(names[0])]
        if len(names) == 1 and isinstance(names[0], list | tuple):
            names = tuple(names[0])
        if len(names) == 1 and isinstance(names[0], str) and ("," in names[0] or " " in names[0]):
            names = tuple(n for n in names[0].replace(",", " ").split() if n)
        made = [maker(n, **kw) for n in names]
        return made[0] if len(made) == 1 else made

    return make_many


scalars, vectors, matrices = _multi(scalar), _multi(vector), _multi(matrix)
tensor3s, tensor4s = _multi(tensor3), _multi(tensor4)
for _p in ("i", "l", "f", "d"):
    for _kind, _plural in (("scalar", "scalars"), ("vector", "vectors"), ("matrix", "matrices")):
        _g[f"{_p}{_plural}"] = _multi(_g[f"{_p}{_kind}"])
