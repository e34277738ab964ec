"""Joining and splitting: Join/concatenate/stack, Split, roll and tile (layer: pytensor-tensor).

Re-exported by :mod:`pytensor.tensor.basic`, PyTensor's import path for these names.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Number
from typing import Any

import numpy as np
from numpy.exceptions import AxisError

import pytensor.scalar.basic as ps
from pytensor.graph.basic import Apply, Variable
from pytensor.graph.op import Op
from pytensor.tensor._alloc import MakeVector, _get_vector_length, alloc, get_vector_length
from pytensor.tensor._shape_calc import ShapedOp
from pytensor.tensor.basic import as_tensor_variable
from pytensor.tensor.shape import (
    _int_scalar,
    _shape_spec_entries,
    _static_int,
    shape_padaxis,
    shape_padleft,
    shape_tuple,
    specify_shape,
)
from pytensor.tensor.type import TensorType, _fmt_shape, int_dtypes

__all__ = [
    "Join",
    "Split",
    "concatenate",
    "dstack",
    "horizontal_stack",
    "hstack",
    "join",
    "roll",
    "split",
    "stack",
    "stacklists",
    "tile",
    "vertical_stack",
    "vstack",
]


def _axis_switch(axis: Variable, ndim: int, d: int, if_axis: Any, otherwise: Any) -> Any:
    """Symbolic ``if_axis if normalised(axis) == d else otherwise``."""
    from pytensor.tensor._alloc import switch
    from pytensor.tensor.basic import cast
    from pytensor.tensor.math import eq, lt

    a = cast(axis, "int64")
    a = switch(lt(a, 0), a + ndim, a)
    return switch(eq(a, d), if_axis, otherwise)


class Join(ShapedOp, Op):
    """Concatenate tensors along an axis: ``Join()(axis, *tensors)``.

    The axis is an integer scalar input (constant or symbolic). All tensors
    have the same number of dimensions and the same lengths except along the
    axis; the output dtype is their common upcast.
    """

    __props__ = ()

    def make_node(self, axis: Any, *tensors: Any) -> Apply:  # type: ignore[override]
        if not tensors:
            raise ValueError(f"{self}: no tensors to join")
        ts = [as_tensor_variable(t) for t in tensors]
        axis = _int_scalar(axis, self, "axis")
        ndims = [t.type.ndim for t in ts]
        if ndims[0] == 0:
            raise TypeError(f"{self}: cannot join 0-d tensors ({ts[0]}); use stack to join scalars")
        for k, t in enumerate(ts):
            if t.type.ndim != ndims[0]:
                raise TypeError(
                    f"{self}: all inputs must have the same number of dimensions; "
                    f"input 0 ({ts[0]}) has "
                    f"{ndims[0]}, input {k} ({t}) has {t.type.ndim}"
                )
        dtype = ps.upcast(*[t.type.dtype for t in ts])
        (out_shape,) = self.static_shapes([axis, *ts])
        return Apply(self, [axis, *ts], [TensorType(dtype, out_shape)()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        axis, *ts = inputs
        shapes = input_shapes[1:]
        ndim = len(shapes[0])
        ax = _static_int(axis)
        if ax is None:
            if not S.symbolic:
                return [(None,) * ndim]
            out = []
            for d in range(ndim):
                other = shapes[0][d]
                for s in shapes[1:]:
                    other = S.equal(self, other, s[d], f"dimension {d}")
                out.append(_axis_switch(axis, ndim, d, S.sum([s[d] for s in shapes]), other))
            return [tuple(out)]
        if not -ndim <= ax < ndim:
            raise AxisError(f"{self}: axis {ax} is out of range for inputs with {ndim} dimensions")
        ax %= ndim
        if not S.symbolic:
            self._check_static(ts, ax)
        out = []
        for d in range(ndim):
            if d == ax:
                out.append(S.sum([s[d] for s in shapes]))
                continue
            dim = shapes[0][d]
            for s in shapes[1:]:
                dim = S.equal(self, dim, s[d], f"dimension {d}")
            out.append(dim)
        return [tuple(out)]

    def _check_static(self, ts: Sequence[Variable], ax: int) -> None:
        for d in range(ts[0].type.ndim):
            if d == ax:
                continue
            known = [(k, t) for k, t in enumerate(ts) if t.type.shape[d] is not None]
            for k, t in known[1:]:
                k0, t0 = known[0]
                if t.type.shape[d] != t0.type.shape[d]:
                    raise ValueError(
                        f"{self}: cannot join along axis {ax}: input {k0} ({t0}) has static shape "
                        f"{_fmt_shape(t0.type.shape)} and input {k} ({t}) has static shape "
                        f"{_fmt_shape(t.type.shape)}; the lengths must match in every dimension "
                        "but the axis"
                    )

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        axis, *ts = inputs
        ndim = ts[0].ndim
        ax = int(axis)
        if not -ndim <= ax < ndim:
            raise AxisError(f"{self}: axis {ax} is out of range for inputs with {ndim} dimensions")
        ax %= ndim
        ref = ts[0].shape
        for k, t in enumerate(ts[1:], 1):
            if any(d != ax and t.shape[d] != ref[d] for d in range(ndim)):
                raise ValueError(
                    f"{self}: cannot join along axis {ax}: input 0 ({node.inputs[1]}) has shape "
                    f"{ref} and input {k} ({node.inputs[k + 1]}) has shape {t.shape}; the lengths "
                    "must match in every "
                    "dimension but the axis"
                )
        out = np.concatenate(ts, axis=ax)
        output_storage[0][0] = np.asarray(out, dtype=node.outputs[0].type.dtype)

    def connection_pattern(self, node: Apply) -> list[list[bool]]:
        return [[False]] + [[True]] * (len(node.inputs) - 1)

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """The cotangent split along the axis by the inputs' lengths; the axis is disconnected."""
        from pytensor.gradient import disconnected_type

        axis, *ts = inputs
        lengths = stack([_length_along(t, axis) for t in ts])
        parts = Split(len(ts))(cotangents[0], axis, lengths, return_list=True)
        return [disconnected_type(), *parts]

    def pushforward(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], tangents: Sequence[Any]
    ) -> list[Any]:
        from pytensor.tensor._alloc import zeros_like

        dtype = outputs[0].type.dtype
        ts = [
            t if t is not None else zeros_like(i, dtype=dtype)
            for t, i in zip(tangents[1:], inputs[1:], strict=True)
        ]
        return [self(inputs[0], *ts)]


def _length_along(t: Variable, axis: Variable) -> Any:
    """The length of ``t`` along the (possibly symbolic) ``axis``."""
    from pytensor.tensor.shape import shape

    ax = _static_int(axis)
    if ax is not None:
        return shape_tuple(t)[ax]
    return shape(t)[axis]  # type: ignore[index]


join_ = Join()


@_get_vector_length.register(Join)
def _get_vector_length_join(op: Join, var: Variable) -> int:
    axis, *parts = var.owner.inputs  # type: ignore[union-attr]
    if _static_int(axis) not in (0, -1):
        raise ValueError(f"Length of {var} cannot be determined")
    return sum(get_vector_length(p) for p in parts)


def join(axis: Any, *tensors_list: Any) -> Variable:
    """Concatenate tensors along ``axis`` (an int or an integer scalar).

    A single tensor is returned as is.

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> x, y = pt.matrix("x", shape=(2, 3)), pt.matrix("y", shape=(4, 3))
    >>> pt.join(0, x, y).type.shape
    (6, 3)
    """
    if len(tensors_list) == 1:
        return as_tensor_variable(tensors_list[0])
    return join_(axis, *tensors_list)  # type: ignore[no-any-return]


def concatenate(tensor_list: Sequence[Any], axis: int | None = 0) -> Variable:
    """``join(axis, *tensor_list)`` with NumPy's signature (``axis=None``: flatten the inputs)."""
    if not isinstance(tensor_list, tuple | list):
        raise TypeError(
            "concatenate: the first argument must be a list or tuple of tensors "
            "(did you write concatenate(x, y) instead of concatenate([x, y])?), "
            f"got {tensor_list!r}"
        )
    if axis is None:
        from pytensor.tensor._layout import flatten

        return join(0, *[flatten(t) for t in tensor_list])
    return join(axis, *tensor_list)


def _is_scalar_like(t: Any) -> bool:
    if isinstance(t, Variable):
        return isinstance(t.type, TensorType) and t.type.ndim == 0
    return isinstance(t, Number | np.number | np.bool_) or (
        isinstance(t, np.ndarray) and t.ndim == 0
    )


def stack(tensors: Sequence[Any], axis: int = 0) -> Variable:
    """Stack tensors of the same shape along a new axis ``axis``.

    Scalars are stacked into a vector with MakeVector.

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> a, b = pt.vector("a", shape=(3,)), pt.vector("b", shape=(3,))
    >>> pt.stack([a, b], axis=1).type.shape
    (3, 2)
    """
    if not isinstance(tensors, Sequence) or isinstance(tensors, str):
        raise TypeError(f"stack: the first argument must be a sequence of tensors, got {tensors!r}")
    if len(tensors) == 0:
        raise ValueError("stack: no tensors to stack")
    if all(_is_scalar_like(t) for t in tensors):
        if axis not in (0, -1):
            raise AxisError(
                f"stack: axis {axis} is out of range for stacking scalars into a vector"
            )
        ts = [as_tensor_variable(t) for t in tensors]
        return MakeVector(ps.upcast(*[t.type.dtype for t in ts]))(*ts)  # type: ignore[no-any-return]
    return join(axis, *[shape_padaxis(t, axis) for t in tensors])


def stacklists(arg: Any) -> Any:
    """Recursively stack nested lists of tensors, keeping their nesting as leading dimensions."""
    if isinstance(arg, tuple | list):
        return stack([stacklists(a) for a in arg])
    return arg


def _as_ndim(args: Sequence[Any], ndim: int, what: str) -> list[Variable]:
    if len(args) < 2:
        raise ValueError(f"{what}: needs at least two tensors")
    out = []
    for a in args:
        t = as_tensor_variable(a)
        if t.type.ndim != ndim:
            raise ValueError(
                f"{what}: all inputs must have {ndim} dimensions, got {t} of type {t.type}"
            )
        out.append(t)
    return out


def horizontal_stack(*args: Any) -> Variable:
    """Concatenate matrices along their columns (PyTensor's strictly 2-d hstack)."""
    return concatenate(_as_ndim(args, 2, "horizontal_stack"), axis=1)


def vertical_stack(*args: Any) -> Variable:
    """Concatenate matrices along their rows (PyTensor's strictly 2-d vstack)."""
    return concatenate(_as_ndim(args, 2, "vertical_stack"), axis=0)


def hstack(tup: Sequence[Any]) -> Variable:
    """NumPy's hstack: concatenate along axis 1 (axis 0 for vectors and scalars)."""
    from pytensor.tensor._layout import atleast_1d

    ts = [atleast_1d(t) for t in tup]
    return concatenate(ts, axis=0 if all(t.type.ndim == 1 for t in ts) else 1)


def vstack(tup: Sequence[Any]) -> Variable:
    """NumPy's vstack: concatenate along axis 0, vectors and scalars becoming rows."""
    from pytensor.tensor._layout import atleast_2d

    return concatenate([atleast_2d(t) for t in tup], axis=0)


def dstack(tup: Sequence[Any]) -> Variable:
    """NumPy's dstack: concatenate along axis 2.

    A vector of length N becomes (1, N, 1), a matrix (M, N) becomes (M, N, 1).
    """
    ts = []
    for t in tup:
        t = as_tensor_variable(t)
        if t.type.ndim == 0:
            t = t.dimshuffle("x", "x", "x")
        elif t.type.ndim == 1:
            t = t.dimshuffle("x", 0, "x")
        elif t.type.ndim == 2:
            t = t.dimshuffle(0, 1, "x")
        ts.append(t)
    return concatenate(ts, axis=2)


class Split(ShapedOp, Op):
    """Split a tensor along an axis into ``len_splits`` parts: ``Split(n)(x, axis, sizes)``.

    The outputs are views of ``x``. The sizes must be non-negative and sum to
    the length of the axis.
    """

    __props__ = ("len_splits",)

    def __init__(self, len_splits: int) -> None:
        if (
            not isinstance(len_splits, int | np.integer)
            or isinstance(len_splits, bool)
            or len_splits < 0
        ):
            raise TypeError(f"Split: len_splits must be an int >= 0, got {len_splits!r}")
        self.len_splits = int(len_splits)
        self.view_map = {i: [0] for i in range(self.len_splits)}  # type: ignore[misc]

    def __str__(self) -> str:
        return f"Split{{{self.len_splits}}}"

    def make_node(self, x: Any, axis: Any, splits: Any) -> Apply:  # type: ignore[override]
        x = as_tensor_variable(x)
        if x.type.ndim == 0:
            raise TypeError(f"{self}: cannot split the 0-d tensor {x}")
        axis = _int_scalar(axis, self, "axis")
        splits = as_tensor_variable(splits)
        if splits.type.ndim != 1 or splits.type.dtype not in int_dtypes:
            raise TypeError(
                f"{self}: the split sizes must be an integer vector, got {splits} of type "
                f"{splits.type}"
            )
        if splits.type.shape[0] is not None and splits.type.shape[0] != self.len_splits:
            raise ValueError(
                f"{self}: {splits.type.shape[0]} split sizes given, expected {self.len_splits}"
            )
        shapes = self.static_shapes([x, axis, splits])
        return Apply(self, [x, axis, splits], [TensorType(x.type.dtype, s)() for s in shapes])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        x, axis, splits = inputs
        xs = input_shapes[0]
        ndim = len(xs)
        sizes = S.values(splits, self.len_splits)
        ax = _static_int(axis)
        if ax is None:
            if not S.symbolic:
                return [(None,) * ndim] * self.len_splits
            return [
                tuple(_axis_switch(axis, ndim, d, sz, xs[d]) for d in range(ndim)) for sz in sizes
            ]
        if not -ndim <= ax < ndim:
            raise AxisError(f"{self}: axis {ax} is out of range for {x} with {ndim} dimensions")
        ax %= ndim
        if not S.symbolic:
            self._check_static(x, ax, sizes)
        return [tuple(sz if d == ax else xs[d] for d in range(ndim)) for sz in sizes]

    def _check_static(self, x: Variable, ax: int, sizes: Sequence[int | None]) -> None:
        if any(s is not None and s < 0 for s in sizes):
            raise ValueError(f"{self}: negative split size in {_fmt_shape(sizes)}")
        length = x.type.shape[ax]
        if length is not None and all(s is not None for s in sizes) and sum(sizes) != length:  # type: ignore[arg-type]
            raise ValueError(
                f"{self}: the split sizes {_fmt_shape(sizes)} sum to {sum(sizes)} "  # type: ignore[arg-type]
                f"(not {length}, the length of "
                f"axis {ax} of {x} with static shape {_fmt_shape(x.type.shape)})"
            )

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        x, axis, splits = inputs
        ax = int(axis)
        if not -x.ndim <= ax < x.ndim:
            raise AxisError(
                f"{self}: axis {ax} is out of range for an input with {x.ndim} dimensions"
            )
        if len(splits) != self.len_splits:
            raise ValueError(f"{self}: {len(splits)} split sizes given, expected {self.len_splits}")
        if np.any(splits < 0):
            raise ValueError(f"{self}: negative split size in {tuple(int(s) for s in splits)}")
        if int(np.sum(splits)) != x.shape[ax]:
            raise ValueError(
                f"{self}: the split sizes {tuple(int(s) for s in splits)} sum to "
                f"{int(np.sum(splits))}, but input "
                f"{node.inputs[0]} has shape {x.shape} (length {x.shape[ax]} along axis {ax})"
            )
        if self.len_splits == 0:
            return
        parts = np.split(x, np.cumsum(splits[:-1]), axis=ax)
        for cell, part in zip(output_storage, parts, strict=True):
            cell[0] = part

    def connection_pattern(self, node: Apply) -> list[list[bool]]:
        n = len(node.outputs)
        return [[True] * n, [False] * n, [False] * n]

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """The cotangents joined along the axis (zeros for missing ones); axis and sizes are
        disconnected."""
        from pytensor.gradient import DisconnectedType, disconnected_type
        from pytensor.tensor._alloc import zeros_like

        x, axis, _ = inputs
        parts = [
            zeros_like(o) if g is None or isinstance(g.type, DisconnectedType) else g
            for g, o in zip(cotangents, outputs, strict=True)
        ]
        return [join(axis, *parts), disconnected_type(), disconnected_type()]

    def pushforward(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], tangents: Sequence[Any]
    ) -> list[Any]:
        return self(tangents[0], *inputs[1:], return_list=True)  # type: ignore[no-any-return]


def split(x: Any, splits_size: Any, n_splits: int, axis: Any = 0) -> Any:
    """Split ``x`` along ``axis`` into ``n_splits`` parts of sizes ``splits_size`` (int vector).

    Examples
    --------
    >>> import numpy as np
    >>> import pytensor.tensor as pt
    >>> a, b = pt.split(np.arange(5), [2, 3], n_splits=2)
    >>> a.eval(), b.eval()
    (array([0, 1]), array([2, 3, 4]))
    """
    return Split(n_splits)(x, axis, splits_size)


def _roll_one(x: Variable, shift: Any, axis: int) -> Variable:
    from pytensor.tensor.basic import cast
    from pytensor.tensor.math import maximum

    ndim = x.type.ndim
    if not isinstance(axis, int | np.integer) or not -ndim <= axis < ndim:
        raise AxisError(f"roll: axis {axis!r} is out of range for {x} with {ndim} dimensions")
    axis = int(axis) % ndim
    n = shape_tuple(x)[axis]
    shift_v = cast(_int_scalar(shift, "roll", "shift"), "int64")
    s = shift_v % (maximum(n, 1) if not isinstance(n, int) else max(n, 1))
    head, tail = split(x, stack([n - s, s]), 2, axis=axis)
    return join(axis, tail, head)


def roll(x: Any, shift: Any, axis: Any = None) -> Variable:
    """Roll elements of ``x`` by ``shift`` places along ``axis`` (NumPy's roll).

    ``axis=None`` rolls the flattened array.

    ``shift`` and ``axis`` may be sequences of the same length.

    Examples
    --------
    >>> import numpy as np
    >>> import pytensor.tensor as pt
    >>> pt.roll(np.arange(5), 2).eval()
    array([3, 4, 0, 1, 2])
    """
    from pytensor.tensor._layout import flatten
    from pytensor.tensor.shape import reshape

    x = as_tensor_variable(x)
    if axis is None:
        if x.type.ndim == 1:
            return roll(x, shift, 0)
        flat = roll(flatten(x), shift, 0)
        return reshape(flat, shape_tuple(x)) if x.type.ndim else flat.reshape(())  # type: ignore[attr-defined]
    shifts = tuple(shift) if isinstance(shift, list | tuple) else None
    axes = tuple(axis) if isinstance(axis, list | tuple) else None
    if shifts is None and axes is None:
        pairs = [(shift, axis)]
    else:
        shifts = shifts or (shift,) * len(axes)  # type: ignore[arg-type]
        axes = axes or (axis,) * len(shifts)
        if len(shifts) != len(axes):
            raise ValueError(f"roll: shift {shift} and axis {axis} must have the same length")
        pairs = list(zip(shifts, axes, strict=True))
    out = x
    for s, a in pairs:
        out = _roll_one(out, s, a)
    if out.type.shape != x.type.shape:
        out = specify_shape(out, x.type.shape)
    return out


def tile(A: Any, reps: Any) -> Variable:
    """``A`` repeated ``reps`` times along each dimension (NumPy's tile).

    ``reps`` is an int, a sequence of ints and integer scalars, or an integer
    vector of static length.

    Examples
    --------
    >>> import numpy as np
    >>> import pytensor.tensor as pt
    >>> pt.tile(np.array([[1, 2]]), (2, 2)).eval()
    array([[1, 2, 1, 2],
           [1, 2, 1, 2]])
    """
    from pytensor.tensor._layout import expand_dims
    from pytensor.tensor.shape import reshape

    A = as_tensor_variable(A)
    reps_l = [
        _int_scalar(r, "tile", "each repetition") if isinstance(r, Variable) else r
        for r in _shape_spec_entries(reps, "tile")
    ]
    for r in reps_l:
        if not isinstance(r, Variable) and not isinstance(r, int | np.integer):
            raise TypeError(f"tile: repetitions must be integers, got {r!r}")
    out_ndim = max(len(reps_l), A.type.ndim)
    reps_l = [1] * (out_ndim - len(reps_l)) + reps_l
    A = shape_padleft(A, out_ndim - A.type.ndim)
    # Static repetitions as Python ints (never NumPy scalars, whose arithmetic
    # with variables would go through NumPy instead of the graph).
    reps_l = [
        int(r)
        if not isinstance(r, Variable)
        else (_static_int(r) if _static_int(r) is not None else r)
        for r in reps_l
    ]
    if any(isinstance(r, int) and r < 0 for r in reps_l):
        raise ValueError(f"tile: negative repetitions in {reps}")
    dims = shape_tuple(A)
    interleaved = [v for pair in zip(reps_l, dims, strict=True) for v in pair]
    replicated = alloc(expand_dims(A, tuple(range(0, 2 * out_ndim, 2))), *interleaved)
    tiled = [r * d for r, d in zip(reps_l, dims, strict=True)]
    return reshape(replicated, tiled, ndim=out_ndim)
