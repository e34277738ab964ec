"""Ranges, grids and triangles: arange, linspace, eye, tri/tril/triu, nonzero.

Layer: pytensor-tensor.

Re-exported by :mod:`pytensor.tensor.basic`, PyTensor's import path for these names.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

import pytensor.scalar.basic as ps
from pytensor.configdefaults import config
from pytensor.graph.basic import Apply, Variable
from pytensor.graph.op import Op
from pytensor.tensor._shape_calc import ShapedOp
from pytensor.tensor.basic import as_tensor_variable, cast, constant, get_scalar_constant_value
from pytensor.tensor.exceptions import NotScalarConstantError
from pytensor.tensor.shape import _int_scalar, shape_padleft, shape_padright, shape_tuple
from pytensor.tensor.type import TensorType, int_dtypes

__all__ = [
    "ARange",
    "Eye",
    "Nonzero",
    "arange",
    "eye",
    "flatnonzero",
    "identity_like",
    "linspace",
    "mgrid",
    "nonzero",
    "ogrid",
    "tri",
    "tril",
    "tril_indices",
    "tril_indices_from",
    "triu",
    "triu_indices",
    "triu_indices_from",
]


def _const_number(v: Variable) -> Any:
    try:
        return get_scalar_constant_value(v).item()
    except (NotScalarConstantError, TypeError, ValueError):
        return None


class ARange(ShapedOp, Op):
    """Evenly spaced values in ``[start, stop)`` with ``step``, of ``dtype`` (NumPy's arange).

    The length is static when start, stop and step are constants.
    """

    __props__ = ("dtype",)

    def __init__(self, dtype: str) -> None:
        self.dtype = TensorType(dtype, ()).dtype

    def make_node(self, start: Any, stop: Any, step: Any) -> Apply:  # type: ignore[override]
        ins = [as_tensor_variable(v) for v in (start, stop, step)]
        for name, v in zip(("start", "stop", "step"), ins, strict=True):
            if v.type.ndim != 0 or v.type.dtype == "bool" or v.type.dtype.startswith("complex"):
                raise TypeError(f"{self}: {name} must be a real scalar, got {v} of type {v.type}")
        (shape,) = self.static_shapes(ins)
        return Apply(self, ins, [TensorType(self.dtype, shape)()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        values = [_const_number(v) for v in inputs]
        if all(v is not None for v in values):
            start, stop, step = values
            if step == 0:
                raise ValueError(f"{self}: step must not be zero")
            return [(max(0, math.ceil((stop - start) / step)),)]
        if not S.symbolic:
            return [(None,)]
        from pytensor.tensor.math import ceil, maximum

        start, stop, step = inputs
        if all(v.type.dtype in int_dtypes for v in inputs) and all(
            ps.upcast(v.type.dtype, "int64") == "int64" for v in inputs
        ):
            start, stop, step = (cast(v, "int64") for v in inputs)
            n = -((start - stop) // step)
        else:
            n = cast(ceil(cast(stop - start, "float64") / step), "int64")
        return [(maximum(n, 0),)]

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        start, stop, step = (np.asarray(v).item() for v in inputs)
        if step == 0:
            raise ValueError(f"{self}: step must not be zero")
        output_storage[0][0] = np.arange(start, stop, step, dtype=self.dtype)

    def connection_pattern(self, node: Apply) -> list[list[bool]]:
        return [[True], [False], [True]]

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """Element ``i`` is ``start + i * step``: d/dstart = sum(g), d/dstep = sum(g * i).

        ``stop`` only sets the length (a piecewise-constant function): disconnected.
        """
        from pytensor.gradient import disconnected_type
        from pytensor.tensor.math import sum as pt_sum

        (g,) = cotangents
        if self.dtype not in ("float16", "float32", "float64"):
            from pytensor.tensor._alloc import zeros_like

            zeros = [zeros_like(inputs[k], dtype=config.floatX) for k in (0, 2)]
            return [zeros[0], disconnected_type(), zeros[1]]
        i = ARange(self.dtype)(0, shape_tuple(outputs[0])[0], 1)
        return [pt_sum(g), disconnected_type(), pt_sum(g * i)]


def _arange_dtype(start: Variable, stop: Variable, step: Variable) -> str:
    dtype = ps.upcast(start.type.dtype, stop.type.dtype, step.type.dtype)
    if dtype in ("int8", "int16", "int32"):
        return "int64"
    if dtype in ("uint8", "uint16", "uint32"):
        return "uint64"
    if config.cast_policy == "numpy+floatX":
        numpy_dtype = np.arange(
            np.array(0, start.type.dtype),
            np.array(1, stop.type.dtype),
            np.array(1, step.type.dtype),
        ).dtype.name
        if (
            numpy_dtype == "float64"
            and config.floatX == "float32"
            and "float64" not in (start.type.dtype, stop.type.dtype, step.type.dtype)
        ):
            return "float32"
        return numpy_dtype
    return dtype


def arange(start: Any, stop: Any = None, step: Any = 1, dtype: Any = None) -> Variable:
    """Evenly spaced values in ``[start, stop)`` (NumPy's arange; one argument is ``stop``).

    Without ``dtype``: integer arguments give int64 (uint64 if unsigned), else
    the upcast of the arguments' dtypes (Python floats are float32 when exact,
    as everywhere in PyTensor).

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> r = pt.arange(2, 11, 3)
    >>> r.type.shape, r.eval()
    ((3,), array([2, 5, 8]))
    """
    if stop is None:
        start, stop = 0, start
    start, stop, step = (as_tensor_variable(v) for v in (start, stop, step))
    if dtype is None:
        dtype = _arange_dtype(start, stop, step)
    return ARange(np.dtype(dtype).name if dtype != "floatX" else config.floatX)(start, stop, step)  # type: ignore[no-any-return]


def linspace(
    start: Any,
    stop: Any,
    num: Any = 50,
    endpoint: bool = True,
    retstep: bool = False,
    dtype: Any = None,
    axis: int = 0,
    end: Any = None,
    steps: Any = None,
) -> Any:
    """``num`` evenly spaced samples from ``start`` to ``stop`` (NumPy's linspace).

    The dtype defaults to ``config.floatX``.

    ``start`` and ``stop`` may be arrays: the samples run along a new axis
    ``axis``. The length is static when ``num`` is a constant.

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> pt.linspace(0, 1, 5).eval()
    array([0.  , 0.25, 0.5 , 0.75, 1.  ])
    """
    from pytensor.tensor._alloc import second, switch
    from pytensor.tensor._layout import moveaxis
    from pytensor.tensor.math import and_, eq, gt

    if end is not None:
        warnings.warn("linspace: 'end' is deprecated; use 'stop'", DeprecationWarning, stacklevel=2)
        stop = end
    if steps is not None:
        warnings.warn(
            "linspace: 'steps' is deprecated; use 'num'", DeprecationWarning, stacklevel=2
        )
        num = steps
    dtype = config.floatX if dtype is None else np.dtype(dtype).name
    start, stop = as_tensor_variable(start), as_tensor_variable(stop)
    comp = ps.upcast(start.type.dtype, stop.type.dtype)
    if comp not in ("float32", "float64", "complex64", "complex128"):
        comp = "float64"
    start, stop = cast(start, comp), cast(stop, comp)
    start, stop = second(stop, start), second(start, stop)
    num = _int_scalar(num, "linspace", "num")
    div = num - 1 if endpoint else num
    i = shape_padright(arange(0, num, dtype=comp), stop.type.ndim)
    delta = stop - start
    step = delta / div
    samples = switch(gt(div, 0), i * step + start, i * delta + start)
    if endpoint:
        samples = switch(and_(eq(i, num - 1), gt(num, 1)), stop, samples)
    if axis != 0:
        samples = moveaxis(samples, 0, axis)
    samples = cast(samples, dtype)
    return (samples, step) if retstep else samples


class Eye(ShapedOp, Op):
    """An ``n`` by ``m`` matrix of ``dtype`` with ones on diagonal ``k`` and zeros elsewhere."""

    __props__ = ("dtype",)

    def __init__(self, dtype: Any = None) -> None:
        self.dtype = TensorType(dtype if dtype is not None else config.floatX, ()).dtype

    def make_node(self, n: Any, m: Any, k: Any) -> Apply:  # type: ignore[override]
        ins = [_int_scalar(v, self, name) for v, name in ((n, "n"), (m, "m"), (k, "k"))]
        (shape,) = self.static_shapes(ins)
        for name, s in zip(("n", "m"), shape, strict=True):
            if s is not None and s < 0:
                raise ValueError(f"{self}: {name} must not be negative, got {s}")
        return Apply(self, ins, [TensorType(self.dtype, shape)()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        return [(S.value(inputs[0]), S.value(inputs[1]))]

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        n, m, k = (int(v) for v in inputs)
        if n < 0 or m < 0:
            raise ValueError(f"{self}: negative dimensions ({n}, {m})")
        output_storage[0][0] = np.eye(n, m, k, dtype=self.dtype)

    def connection_pattern(self, node: Apply) -> list[list[bool]]:
        return [[False], [False], [False]]

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """The sizes and the diagonal index only place the ones: disconnected."""
        from pytensor.gradient import disconnected_type

        return [disconnected_type() for _ in inputs]


def eye(n: Any, m: Any = None, k: Any = 0, dtype: Any = None) -> Variable:
    """An ``n`` by ``m`` (default ``n``) matrix with ones on diagonal ``k`` (dtype: floatX).

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> pt.eye(2, 3, k=1, dtype="int8").eval()
    array([[0, 1, 0],
           [0, 0, 1]], dtype=int8)
    """
    return Eye(dtype)(n, n if m is None else m, k)  # type: ignore[no-any-return]


def identity_like(x: Any, dtype: Any = None) -> Variable:
    """The identity matrix with the shape of the matrix ``x`` (and its dtype by default)."""
    x = as_tensor_variable(x)
    if x.type.ndim != 2:
        raise ValueError(f"identity_like: {x} must be a matrix, got type {x.type}")
    n, m = shape_tuple(x)
    return eye(n, m, 0, dtype=x.type.dtype if dtype is None else dtype)


def tri(N: Any, M: Any = None, k: Any = 0, dtype: Any = None) -> Variable:
    """An ``N`` by ``M`` matrix with ones at and below diagonal ``k`` (NumPy's tri).

    The dtype defaults to ``config.floatX``.
    """
    from pytensor.tensor.math import ge

    rows = shape_padright(arange(N), 1)
    cols = shape_padleft(arange(N if M is None else M), 1)
    return cast(ge(rows + k, cols), config.floatX if dtype is None else np.dtype(dtype).name)


def _triangle(m: Any, k: Any, lower: bool, what: str) -> Variable:
    from pytensor.tensor._alloc import switch

    m = as_tensor_variable(m)
    if m.type.ndim < 2:
        raise ValueError(f"{what}: {m} must have at least 2 dimensions, got type {m.type}")
    n_rows, n_cols = shape_tuple(m)[-2:]
    zero = constant(0, dtype=m.type.dtype)
    if lower:
        return switch(tri(n_rows, n_cols, k, dtype="bool"), m, zero)  # type: ignore[no-any-return]
    return switch(tri(n_rows, n_cols, k - 1, dtype="bool"), zero, m)  # type: ignore[no-any-return]


def tril(m: Any, k: Any = 0) -> Variable:
    """``m`` with the elements above diagonal ``k`` zeroed (over the last two axes).

    Examples
    --------
    >>> import numpy as np
    >>> import pytensor.tensor as pt
    >>> pt.tril(np.arange(1, 7).reshape(2, 3)).eval()
    array([[1, 0, 0],
           [4, 5, 0]])
    """
    return _triangle(m, k, True, "tril")


def triu(m: Any, k: Any = 0) -> Variable:
    """``m`` with the elements below diagonal ``k`` zeroed (over the last two axes)."""
    return _triangle(m, k, False, "triu")


def tril_indices(n: Any, k: Any = 0, m: Any = None) -> tuple[Variable, Variable]:
    """Row and column indices of the lower triangle (diagonal ``k`` and below) of an n x m array."""
    return nonzero(tri(n, m, k, dtype="bool"))  # type: ignore[return-value]


def triu_indices(n: Any, k: Any = 0, m: Any = None) -> tuple[Variable, Variable]:
    """Row and column indices of the upper triangle (diagonal ``k`` and above) of an n x m array."""
    from pytensor.tensor.math import invert

    return nonzero(invert(tri(n, m, k - 1, dtype="bool")))  # type: ignore[return-value]


def _square_shape(a: Any, what: str) -> tuple[Any, Any]:
    a = as_tensor_variable(a)
    if a.type.ndim != 2:
        raise ValueError(f"{what}: the input must be a matrix, got {a} of type {a.type}")
    return shape_tuple(a)  # type: ignore[return-value]


def tril_indices_from(a: Any, k: Any = 0) -> tuple[Variable, Variable]:
    """The indices of the lower triangle of the matrix ``a``."""
    n, m = _square_shape(a, "tril_indices_from")
    return tril_indices(n, k=k, m=m)


def triu_indices_from(a: Any, k: Any = 0) -> tuple[Variable, Variable]:
    """The indices of the upper triangle of the matrix ``a``."""
    n, m = _square_shape(a, "triu_indices_from")
    return triu_indices(n, k=k, m=m)


class Nonzero(ShapedOp, Op):
    """The indices of the non-zero elements of an array: one int64 vector per dimension."""

    __props__ = ()

    def make_node(self, a: Any) -> Apply:  # type: ignore[override]
        a = as_tensor_variable(a)
        if a.type.ndim == 0:
            raise ValueError(f"{self}: the input {a} must have at least one dimension")
        shapes = self.static_shapes([a])
        return Apply(self, [a], [TensorType("int64", s)() for s in shapes])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        ndim = len(input_shapes[0])
        if not S.symbolic:
            return [(None,)] * ndim
        from pytensor.tensor.math import neq, sum

        count = cast(sum(neq(inputs[0], 0)), "int64")
        return [(count,)] * ndim

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        for cell, idx in zip(output_storage, np.nonzero(inputs[0]), strict=True):
            cell[0] = idx.astype("int64")

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """The indices are integers: their derivative with respect to the values is undefined."""
        from pytensor.gradient import grad_undefined

        return [grad_undefined(self, 0, inputs[0], "Nonzero gives integer indices")]


_nonzero = Nonzero()


def nonzero(a: Any, return_matrix: bool = False) -> Any:
    """The indices of the non-zero elements of ``a``: a tuple of vectors.

    With ``return_matrix=True``, one matrix with a row per dimension.
    """
    res = _nonzero(a)
    res = tuple(res) if isinstance(res, list) else (res,)
    if not return_matrix:
        return res
    from pytensor.tensor._join import stack

    return stack(list(res), 0) if len(res) > 1 else shape_padleft(res[0])


def flatnonzero(a: Any) -> Variable:
    """The indices of the non-zero elements of ``a`` flattened."""
    from pytensor.tensor._layout import flatten

    a = as_tensor_variable(a)
    if a.type.ndim == 0:
        raise ValueError(f"flatnonzero: the input {a} must have at least one dimension")
    return nonzero(flatten(a))[0]  # type: ignore[no-any-return]


class _NdGrid:
    """``mgrid[a:b:s, ...]`` (dense) and ``ogrid[...]`` (open) grids of aranges, as in NumPy."""

    def __init__(self, sparse: bool = False) -> None:
        self.sparse = sparse

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, slice):
            return arange(key.start or 0, key.stop, key.step or 1)
        ranges = [arange(sl.start or 0, sl.stop, sl.step or 1) for sl in key]
        ndim = len(ranges)
        shaped = [
            r.dimshuffle(["x"] * j + [0] + ["x"] * (ndim - 1 - j)) for j, r in enumerate(ranges)
        ]
        if self.sparse:
            return shaped
        from pytensor.tensor._alloc import alloc

        lengths = [shape_tuple(r)[0] for r in ranges]
        return [alloc(g, *lengths) for g in shaped]


mgrid = _NdGrid()
ogrid = _NdGrid(sparse=True)
