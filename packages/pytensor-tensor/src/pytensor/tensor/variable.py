"""``TensorVariable`` and ``TensorConstant``: operators and NumPy-like methods (layer: pytensor-tensor)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from pytensor.graph.basic import Constant, Variable

__all__ = ["TensorConstant", "TensorConstantSignature", "TensorVariable", "_tensor_py_operators"]


def _m() -> Any:
    from pytensor.tensor import math

    return math


def _b() -> Any:
    from pytensor.tensor import basic

    return basic


def _s() -> Any:
    # ``pytensor.tensor.shape`` is also the name of a function re-exported by
    # ``pytensor.tensor``, so fetch the module itself.
    import importlib

    return importlib.import_module("pytensor.tensor.shape")


class _tensor_py_operators:  # noqa: N801 (PyTensor's name)
    """Python operators and NumPy-like methods shared by tensor variables and constants.

    ``==`` is not overloaded (variables compare by identity); use ``pt.eq``.
    """

    type: Any

    # -- arithmetic -----------------------------------------------------------
    def __abs__(self) -> Any:
        return _m().abs(self)

    def __neg__(self) -> Any:
        return _m().neg(self)

    def __invert__(self) -> Any:
        return _m().invert(self)

    def __add__(self, other: Any) -> Any:
        return _m().add(self, other)

    def __radd__(self, other: Any) -> Any:
        return _m().add(other, self)

    def __sub__(self, other: Any) -> Any:
        return _m().sub(self, other)

    def __rsub__(self, other: Any) -> Any:
        return _m().sub(other, self)

    def __mul__(self, other: Any) -> Any:
        return _m().mul(self, other)

    def __rmul__(self, other: Any) -> Any:
        return _m().mul(other, self)

    def __truediv__(self, other: Any) -> Any:
        return _m().true_div(self, other)

    def __rtruediv__(self, other: Any) -> Any:
        return _m().true_div(other, self)

    def __floordiv__(self, other: Any) -> Any:
        return _m().int_div(self, other)

    def __rfloordiv__(self, other: Any) -> Any:
        return _m().int_div(other, self)

    def __mod__(self, other: Any) -> Any:
        return _m().mod(self, other)

    def __rmod__(self, other: Any) -> Any:
        return _m().mod(other, self)

    def __pow__(self, other: Any) -> Any:
        return _m().pow(self, other)

    def __rpow__(self, other: Any) -> Any:
        return _m().pow(other, self)

    def __divmod__(self, other: Any) -> Any:
        return _m().int_div(self, other), _m().mod(self, other)

    def __matmul__(self, other: Any) -> Any:
        return _m().matmul(self, other)

    def __rmatmul__(self, other: Any) -> Any:
        return _m().matmul(other, self)

    # -- comparisons and logic ----------------------------------------------
    def __lt__(self, other: Any) -> Any:
        return _m().lt(self, other)

    def __le__(self, other: Any) -> Any:
        return _m().le(self, other)

    def __gt__(self, other: Any) -> Any:
        return _m().gt(self, other)

    def __ge__(self, other: Any) -> Any:
        return _m().ge(self, other)

    def __and__(self, other: Any) -> Any:
        return _m().and_(self, other)

    def __rand__(self, other: Any) -> Any:
        return _m().and_(other, self)

    def __or__(self, other: Any) -> Any:
        return _m().or_(self, other)

    def __ror__(self, other: Any) -> Any:
        return _m().or_(other, self)

    def __xor__(self, other: Any) -> Any:
        return _m().xor(self, other)

    def __rxor__(self, other: Any) -> Any:
        return _m().xor(other, self)

    def __bool__(self) -> bool:
        raise TypeError(
            f"The truth value of the symbolic variable {self} is not known when the graph is built; "
            "use pt.switch/pt.where for conditions, or pt.eq/pt.all for comparisons"
        )

    def __len__(self) -> int:
        shape = self.type.shape
        if shape and shape[0] is not None:
            return int(shape[0])
        raise TypeError(
            f"len() of {self}: its first dimension has no static length; use x.shape[0]"
        )

    def __iter__(self) -> Any:
        for i in range(len(self)):
            yield self[i]

    # -- attributes ---------------------------------------------------------
    @property
    def ndim(self) -> int:
        return self.type.ndim  # type: ignore[no-any-return]

    @property
    def dtype(self) -> str:
        return self.type.dtype  # type: ignore[no-any-return]

    @property
    def broadcastable(self) -> tuple[bool, ...]:
        return self.type.broadcastable  # type: ignore[no-any-return]

    @property
    def shape(self) -> Any:
        return _s().shape(self)

    @property
    def size(self) -> Any:
        return _m().prod(self.shape) if self.ndim else _b().as_tensor_variable(1, dtype="int64")

    @property
    def T(self) -> Any:
        return self.transpose()

    @property
    def real(self) -> Any:
        return _m().real(self)

    @property
    def imag(self) -> Any:
        return _m().imag(self)

    # -- shape manipulation -------------------------------------------------
    def transpose(self, *axes: Any) -> Any:
        if len(axes) == 1 and isinstance(axes[0], Sequence | type(None)):
            axes = tuple(axes[0]) if axes[0] is not None else ()
        return _b().transpose(self, axes or None)

    def dimshuffle(self, *pattern: Any) -> Any:
        """Reorder, add (``"x"``) and drop (length-1) dimensions; see DimShuffle."""
        from pytensor.tensor.elemwise import DimShuffle

        if len(pattern) == 1 and isinstance(pattern[0], list | tuple):
            pattern = tuple(pattern[0])
        return DimShuffle(input_ndim=self.ndim, new_order=pattern)(self)

    def reshape(self, shape: Any, *, ndim: int | None = None) -> Any:
        return _s().reshape(self, shape, ndim=ndim)

    def flatten(self, ndim: int = 1) -> Any:
        return _b().flatten(self, ndim)

    def ravel(self) -> Any:
        return _b().flatten(self, 1)

    def squeeze(self, axis: Any = None) -> Any:
        from pytensor.tensor.extra_ops import squeeze

        return squeeze(self, axis=axis)

    def astype(self, dtype: str) -> Any:
        return _b().cast(self, dtype)

    def copy(self, name: str | None = None) -> Any:
        return _m().tensor_copy(self, name=name)

    # -- reductions ---------------------------------------------------------
    def sum(
        self,
        axis: Any = None,
        dtype: str | None = None,
        keepdims: bool = False,
        acc_dtype: str | None = None,
    ) -> Any:
        return _m().sum(self, axis=axis, dtype=dtype, keepdims=keepdims, acc_dtype=acc_dtype)

    def prod(
        self,
        axis: Any = None,
        dtype: str | None = None,
        keepdims: bool = False,
        acc_dtype: str | None = None,
    ) -> Any:
        return _m().prod(self, axis=axis, dtype=dtype, keepdims=keepdims, acc_dtype=acc_dtype)

    def mean(
        self,
        axis: Any = None,
        dtype: str | None = None,
        keepdims: bool = False,
        acc_dtype: str | None = None,
    ) -> Any:
        return _m().mean(self, axis=axis, dtype=dtype, keepdims=keepdims, acc_dtype=acc_dtype)

    def var(
        self, axis: Any = None, ddof: int = 0, keepdims: bool = False, corrected: bool = False
    ) -> Any:
        return _m().var(self, axis=axis, ddof=ddof, keepdims=keepdims, corrected=corrected)

    def std(
        self, axis: Any = None, ddof: int = 0, keepdims: bool = False, corrected: bool = False
    ) -> Any:
        return _m().std(self, axis=axis, ddof=ddof, keepdims=keepdims, corrected=corrected)

    def max(self, axis: Any = None, keepdims: bool = False) -> Any:
        return _m().max(self, axis=axis, keepdims=keepdims)

    def min(self, axis: Any = None, keepdims: bool = False) -> Any:
        return _m().min(self, axis=axis, keepdims=keepdims)

    def argmax(self, axis: Any = None, keepdims: bool = False) -> Any:
        return _m().argmax(self, axis=axis, keepdims=keepdims)

    def argmin(self, axis: Any = None, keepdims: bool = False) -> Any:
        return _m().argmin(self, axis=axis, keepdims=keepdims)

    def all(self, axis: Any = None, keepdims: bool = False) -> Any:
        return _m().all(self, axis=axis, keepdims=keepdims)

    def any(self, axis: Any = None, keepdims: bool = False) -> Any:
        return _m().any(self, axis=axis, keepdims=keepdims)

    def cumsum(self, axis: int | None = None) -> Any:
        from pytensor.tensor.extra_ops import cumsum

        return cumsum(self, axis=axis)

    def cumprod(self, axis: int | None = None) -> Any:
        from pytensor.tensor.extra_ops import cumprod

        return cumprod(self, axis=axis)

    # -- elementwise helpers ------------------------------------------------
    def clip(self, a_min: Any, a_max: Any) -> Any:
        return _m().clip(self, a_min, a_max)

    def round(self, mode: str | None = None) -> Any:
        return _m().round(self, mode=mode)

    def conj(self) -> Any:
        return _m().conj(self)

    conjugate = conj

    def dot(self, other: Any) -> Any:
        return _m().dot(self, other)

    def zeros_like(self, dtype: str | None = None) -> Any:
        return _b().zeros_like(self, dtype=dtype)

    def ones_like(self, dtype: str | None = None) -> Any:
        return _b().ones_like(self, dtype=dtype)

    def fill(self, value: Any) -> Any:
        return _b().fill(self, value)

    def repeat(self, repeats: Any, axis: int | None = None) -> Any:
        from pytensor.tensor.extra_ops import repeat

        return repeat(self, repeats, axis=axis)

    def sort(self, axis: int = -1, kind: str = "quicksort", order: Any = None) -> Any:
        from pytensor.tensor.sort import sort

        return sort(self, axis=axis, kind=kind, order=order)

    def argsort(self, axis: int = -1, kind: str = "quicksort", order: Any = None) -> Any:
        from pytensor.tensor.sort import argsort

        return argsort(self, axis=axis, kind=kind, order=order)

    # -- indexing -----------------------------------------------------------
    def __getitem__(self, args: Any) -> Any:
        from pytensor.tensor.subtensor import getitem

        return getitem(self, args)

    def set(self, y: Any, **kwargs: Any) -> Any:
        """The tensor this variable was indexed from, with this region set to ``y``.

        ``x[idx].set(y)`` is ``set_subtensor(x[idx], y, **kwargs)``: a new
        tensor, ``x`` is unchanged. Works for basic and advanced indices.

        Examples
        --------
        >>> import pytensor.tensor as pt
        >>> x = pt.ones((3,))
        >>> x[1].set(2.0).eval()
        array([1., 2., 1.])
        """
        from pytensor.tensor.subtensor import set_subtensor

        return set_subtensor(self, y, **kwargs)

    def inc(self, y: Any, **kwargs: Any) -> Any:
        """The tensor this variable was indexed from, with ``y`` added to this region.

        ``x[idx].inc(y)`` is ``inc_subtensor(x[idx], y, **kwargs)``; repeated
        advanced indices accumulate, like ``np.add.at``.

        Examples
        --------
        >>> import pytensor.tensor as pt
        >>> x = pt.zeros((3,))
        >>> x[[0, 0, 2]].inc(1.0).eval()
        array([2., 0., 1.])
        """
        from pytensor.tensor.subtensor import inc_subtensor

        return inc_subtensor(self, y, **kwargs)


class TensorVariable(_tensor_py_operators, Variable):
    """A symbolic n-dimensional array."""

    def __repr__(self) -> str:
        return str(self)


class TensorConstantSignature(tuple):  # type: ignore[type-arg]
    """The identity of a constant's value: (type, data); equal when values are equal."""

    def __eq__(self, other: object) -> bool:
        if type(self) is not type(other):
            return False
        (t0, d0), (t1, d1) = self, other  # type: ignore[misc]
        if t0 != t1 or np.shape(d0) != np.shape(d1):
            return False
        return bool(np.array_equal(d0, d1, equal_nan=np.asarray(d0).dtype.kind in "fc"))

    def __hash__(self) -> int:
        t, d = self
        arr = np.ascontiguousarray(d)
        return hash((t, arr.shape, arr.tobytes()[:256]))


class TensorConstant(_tensor_py_operators, Constant):
    """A constant n-dimensional array; its static shape is the data's shape."""

    def __init__(self, type: Any, data: Any, name: str | None = None) -> None:
        filtered = type.filter(data)
        # Own a private, read-only copy: the caller's array must stay writable
        # and the constant's value must never change.
        data = (
            np.array(filtered, copy=True)
            if filtered is data or filtered.base is not None
            else filtered
        )
        if any(s is not None and s != d for s, d in zip(type.shape, data.shape, strict=True)):
            raise ValueError(f"TensorConstant: data of shape {data.shape} does not fit type {type}")
        data.setflags(write=False)
        super().__init__(type, data, name=name)

    def signature(self) -> TensorConstantSignature:
        return TensorConstantSignature((self.type, self.data))

    def __str__(self) -> str:
        if self.name is not None:
            return self.name
        data = self.data
        if data.size <= 6:
            text = np.array2string(data, separator=", ") if data.ndim else str(data)
        else:
            text = f"[{data.reshape(-1)[0]} ... {data.reshape(-1)[-1]}]"
        return text

    def __repr__(self) -> str:
        return f"TensorConstant({self.type}, data={self.data!r})"

    def __deepcopy__(self, memo: dict[int, Any]) -> TensorConstant:
        return self
