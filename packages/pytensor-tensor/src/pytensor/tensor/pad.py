"""``pad``: NumPy's array padding as a graph of existing Ops (layer: pytensor-tensor).

Every mode pads one axis at a time, as NumPy does (so corners take the value
of the last axis padded). ``edge``, ``wrap``, ``reflect`` and ``symmetric``
gather the input at computed indices (one advanced index per axis);
``constant``, ``linear_ramp`` and the statistics modes join new blocks to
the input. Pad widths may be symbolic; constant widths give static shapes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from pytensor.graph.basic import Variable
from pytensor.tensor.basic import as_tensor_variable

__all__ = ["pad"]

_MODE_KWARGS: dict[str, tuple[str, ...]] = {
    "constant": ("constant_values",),
    "edge": (),
    "linear_ramp": ("end_values",),
    "maximum": ("stat_length",),
    "minimum": ("stat_length",),
    "mean": ("stat_length",),
    "median": ("stat_length",),
    "wrap": (),
    "reflect": ("reflect_type",),
    "symmetric": ("reflect_type",),
}


def _m() -> Any:
    from pytensor.tensor import math as m

    return m


def _pairs(value: Any, ndim: int, what: str, integer: bool) -> list[tuple[Any, Any]]:
    """``value`` broadcast to ``(ndim, 2)``: one (before, after) pair per axis.

    Entries are Python numbers when ``value`` is not symbolic, else symbolic scalars.
    """
    if not isinstance(value, Variable) and any(
        isinstance(v, Variable) for v in np.asarray(value, dtype=object).ravel()
    ):
        value = as_tensor_variable(value)
    if isinstance(value, Variable):
        from pytensor.tensor.extra_ops import broadcast_to

        v = as_tensor_variable(value)
        if integer and v.dtype not in (
            "int8",
            "int16",
            "int32",
            "int64",
            "uint8",
            "uint16",
            "uint32",
        ):
            raise TypeError(f"pad: {what} must be integers, got {v} of type {v.type}")
        if v.type.ndim > 2:
            raise ValueError(f"pad: {what} must have at most 2 dimensions, got type {v.type}")
        b = broadcast_to(v, (ndim, 2))
        return [(b[d, 0], b[d, 1]) for d in range(ndim)]
    arr = np.asarray(value)
    if integer:
        if arr.dtype.kind not in "iu":
            raise TypeError(f"pad: {what} must be integers, got {value!r}")
        if (arr < 0).any():
            raise ValueError(f"pad: {what} cannot be negative, got {value!r}")
    try:
        b = np.broadcast_to(arr, (ndim, 2))
    except ValueError:
        raise ValueError(
            f"pad: {what} {value!r} cannot be broadcast to one (before, after) pair for each of "
            f"{ndim} axes"
        ) from None
    return [(b[d, 0].item(), b[d, 1].item()) for d in range(ndim)]


def _at(axis: int, index: Any, ndim: int) -> tuple[Any, ...]:
    return (*([slice(None)] * axis), index, *([slice(None)] * (ndim - axis - 1)))


def _slab(x: Any, axis: int, index: Any) -> Any:
    """``x[..., index, ...]`` at ``axis``, kept as a (static) length-1 dimension."""
    from pytensor.tensor._layout import expand_dims

    return expand_dims(x[_at(axis, index, x.type.ndim)], axis)


def _along(v: Any, axis: int, ndim: int) -> Any:
    """A vector laid along ``axis`` of an ``ndim``-d array (length 1 elsewhere)."""
    return v.dimshuffle(["x" if d != axis else 0 for d in range(ndim)])


def _block(x: Any, axis: int, width: Any, value: Any) -> Any:
    """``value`` (broadcasting against ``x``) as a block of ``width`` along ``axis``."""
    from pytensor.tensor.extra_ops import broadcast_to

    shape = [width if d == axis else x.shape[d] for d in range(x.type.ndim)]
    return broadcast_to(value, shape)


def _join(x: Any, axis: int, left: Any, right: Any) -> Any:
    from pytensor.tensor.basic import concatenate

    return concatenate([left, x, right], axis=axis)


def _cast_like(v: Any, x: Any, floor: bool = False) -> Any:
    """``v`` in ``x``'s dtype: truncated like NumPy's assignment, or floored (``floor``) like
    NumPy's integer ``linspace``."""
    from pytensor.tensor.basic import cast

    v = as_tensor_variable(v)
    if v.dtype == x.dtype:
        return v
    if floor and x.dtype.startswith(("int", "uint")) and v.dtype.startswith("float"):
        v = _m().floor(v)
    return cast(v, x.dtype)


def _constant(x: Any, widths: list, values: list, **_: Any) -> Any:
    for axis, ((before, after), (cb, ca)) in enumerate(zip(widths, values, strict=True)):
        left = _block(x, axis, before, _cast_like(cb, x))
        right = _block(x, axis, after, _cast_like(ca, x))
        x = _join(x, axis, left, right)
    return x


def _linear_ramp(x: Any, widths: list, values: list, **_: Any) -> Any:
    from pytensor.tensor.basic import arange

    m = _m()
    work = x.dtype if x.dtype.startswith(("float", "complex")) else "float64"
    for axis, ((before, after), (eb, ea)) in enumerate(zip(widths, values, strict=True)):
        n = x.shape[axis]
        first = _slab(x, axis, 0).astype(work)
        last = _slab(x, axis, n - 1).astype(work)
        ramps = []
        for width, end, edge, backwards in ((before, eb, first, False), (after, ea, last, True)):
            k = arange(width, dtype=work)
            if backwards:
                k = m.sub(m.sub(as_tensor_variable(width).astype(work), 1), k)
            frac = m.true_div(k, m.maximum(as_tensor_variable(width).astype(work), 1))
            end_t = as_tensor_variable(end).astype(work)
            ramp = m.add(end_t, m.mul(m.sub(edge, end_t), _along(frac, axis, x.type.ndim)))
            ramps.append(_cast_like(ramp, x, floor=True))
        x = _join(x, axis, *ramps)
    return x


def _median(x: Any, axis: int, keepdims: bool = True) -> Any:
    from pytensor.tensor.sort import sort

    m = _m()
    s = sort(x, axis=axis)
    n = x.shape[axis]
    lo = _slab(s, axis, m.int_div(n - 1, 2))
    hi = _slab(s, axis, m.int_div(n, 2))
    work = x.dtype if x.dtype.startswith("float") else "float64"
    return m.true_div(m.add(lo.astype(work), hi.astype(work)), 2)


def _statistic(func: Callable[..., Any]) -> Callable[..., Any]:
    def pad_axis(x: Any, widths: list, values: list, **_: Any) -> Any:
        m = _m()
        for axis, ((before, after), (lb, la)) in enumerate(zip(widths, values, strict=True)):
            n = x.shape[axis]
            stats = []
            for width, length, from_end in ((before, lb, False), (after, la, True)):
                take = n if length is None else m.minimum(length, n)
                part = slice(n - take, n) if from_end else slice(0, take)
                stat = func(x[_at(axis, part, x.type.ndim)], axis=axis, keepdims=True)
                if not x.dtype.startswith(("float", "complex")) and stat.dtype != x.dtype:
                    stat = m.round_half_to_even(stat)
                stats.append(_block(x, axis, width, _cast_like(stat, x)))
            x = _join(x, axis, *stats)
        return x

    return pad_axis


def _gather(x: Any, axis: int, before: Any, after: Any, kind: str, odd: bool) -> Any:
    """``x`` extended along ``axis`` by reading it at indices computed from the output position."""
    from pytensor.tensor.basic import arange

    m = _m()
    ndim = x.type.ndim
    # Python ints where the length and widths are static, so the indices are constants.
    n = x.type.shape[axis] if x.type.shape[axis] is not None else x.shape[axis]
    t = arange(-before if isinstance(before, int) else m.neg(before), n + after)
    if kind == "edge":
        return x[_at(axis, m.clip(t, 0, n - 1), ndim)]
    if kind == "wrap":
        return x[_at(axis, m.mod(t, n), ndim)]
    # reflect mirrors about the edge elements (period 2n - 2), symmetric about the edges (2n).
    period = m.maximum(2 * n - 2, 1) if kind == "reflect" else 2 * n
    r = m.mod(t, period)
    mirrored = m.ge(r, n)
    idx = m._switch(mirrored, period - r - (0 if kind == "reflect" else 1), r)
    out = x[_at(axis, idx, ndim)]
    if not odd:
        return out
    # Odd reflection: point-reflect through the edge values; each period shifts by 2(last - first).
    first = _slab(x, axis, 0)
    last = _slab(x, axis, n - 1)
    flip = _along(mirrored, axis, ndim)
    out = m._switch(flip, m.sub(m.mul(_const2(x), last), out), out)
    turns = _along(m.int_div(m.sub(t, r), period), axis, ndim)
    return m.add(out, m.mul(_cast_like(turns, x), m.mul(_const2(x), m.sub(last, first))))


def _const2(x: Any) -> Any:
    return _m()._const(2, x.dtype)


def _indexed(kind: str) -> Callable[..., Any]:
    def pad_axis(x: Any, widths: list, values: list, reflect_type: str = "even") -> Any:
        if reflect_type not in ("even", "odd"):
            raise ValueError(f"pad: reflect_type must be 'even' or 'odd', got {reflect_type!r}")
        for axis, (before, after) in enumerate(widths):
            if isinstance(before, int) and isinstance(after, int) and before == after == 0:
                continue
            x = _gather(x, axis, before, after, kind, reflect_type == "odd")
        return x

    return pad_axis


def pad(x: Any, pad_width: Any, mode: str = "constant", **kwargs: Any) -> Any:
    """Pad an array, as ``numpy.pad``.

    Parameters
    ----------
    x
        The tensor to pad.
    pad_width
        Widths before and after each axis: ``((before_1, after_1), ...)``,
        ``(before, after)`` for every axis, or one int for all; may be
        symbolic (integers).
    mode
        ``"constant"`` (``constant_values``, default 0), ``"edge"``,
        ``"linear_ramp"`` (``end_values``, default 0), ``"maximum"``,
        ``"minimum"``, ``"mean"``, ``"median"`` (``stat_length``: how many
        values at each end the statistic uses, default all), ``"wrap"``,
        ``"reflect"`` and ``"symmetric"`` (``reflect_type`` "even" or
        "odd"). As in NumPy, integer arrays round the mean and median to the
        nearest integer and the ramp down.

    Examples
    --------
    >>> import numpy as np, pytensor.tensor as pt
    >>> pt.pad(np.array([1, 2, 3]), (2, 1), mode="reflect").eval()
    array([3, 2, 1, 2, 3, 2])
    >>> pt.pad(np.ones((1, 2)), 1, constant_values=7).eval()
    array([[7., 7., 7., 7.],
           [7., 1., 1., 7.],
           [7., 7., 7., 7.]])
    """
    x = as_tensor_variable(x)
    if mode not in _MODE_KWARGS:
        raise ValueError(f"pad: unknown mode {mode!r}; expected one of {sorted(_MODE_KWARGS)}")
    unexpected = sorted(set(kwargs) - set(_MODE_KWARGS[mode]))
    if unexpected:
        raise ValueError(f"pad: mode {mode!r} does not take the arguments {unexpected}")
    ndim = x.type.ndim
    widths = _pairs(pad_width, ndim, "pad_width", integer=True)
    if mode in ("constant", "linear_ramp"):
        key = "constant_values" if mode == "constant" else "end_values"
        values = _pairs(kwargs.get(key, 0), ndim, key, integer=False)
        return (_constant if mode == "constant" else _linear_ramp)(x, widths, values)
    if mode in ("maximum", "minimum", "mean", "median"):
        length = kwargs.get("stat_length")
        values = (
            [(None, None)] * ndim
            if length is None
            else _pairs(length, ndim, "stat_length", integer=True)
        )
        m = _m()
        func = {"maximum": m.max, "minimum": m.min, "mean": m.mean, "median": _median}[mode]
        return _statistic(func)(x, widths, values)
    return _indexed(mode)(x, widths, [], reflect_type=kwargs.get("reflect_type", "even"))
