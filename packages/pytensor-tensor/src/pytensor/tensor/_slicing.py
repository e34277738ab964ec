"""Slice arithmetic of the indexing Ops: canonical slices, slice lengths (layer: pytensor-tensor).

Everything here works on Python ints when the bounds are known and builds
int64 graphs otherwise, so static shapes and symbolic shapes use the same rules.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pytensor.tensor.utils import _static_int

__all__ = ["get_canonical_form_slice", "slice_length"]


def _t(v: Any) -> Any:
    """An int64 0-d tensor for an int, a scalar variable or a 0-d integer tensor."""
    from pytensor.tensor.basic import as_tensor_variable, cast

    if isinstance(v, int | np.integer):
        return as_tensor_variable(np.int64(v))
    return cast(as_tensor_variable(v), "int64")


def _switch(cond: Any, a: Any, b: Any) -> Any:
    import pytensor.scalar.basic as ps
    from pytensor.tensor.elemwise import Elemwise

    return Elemwise(ps.switch)(cond, _t(a), _t(b))


def _ceildiv(a: Any, b: Any) -> Any:
    return -((-a) // b)


def _literal(v: Any) -> tuple[Any, bool]:
    """(value, True) for None or a known int; (v, False) for a symbolic bound."""
    if v is None:
        return None, True
    k = _static_int(v)
    return (k, True) if k is not None else (v, False)


def _positive_bounds(start: Any, stop: Any, n: Any) -> tuple[Any, Any]:
    from pytensor.tensor.math import lt, maximum, minimum

    def clamp(v: Any, default: Any) -> Any:
        if v is None:
            return default
        v = _t(v)
        return minimum(maximum(_switch(lt(v, 0), v + n, v), 0), n)

    lo = clamp(start, _t(0))
    hi = maximum(clamp(stop, n), lo)
    return lo, hi


def _negative_bounds(start: Any, stop: Any, n: Any, a: Any) -> tuple[Any, Any]:
    """Ascending bounds ``[lo, hi)`` of the elements a slice of step ``-a`` visits."""
    from pytensor.tensor.math import lt, maximum, minimum

    def clamp(v: Any, default: Any) -> Any:
        if v is None:
            return default
        v = _t(v)
        w = _switch(lt(v, 0), v + n, v)
        return minimum(_switch(lt(w, 0), -1, w), n - 1)

    first = clamp(start, n - 1)
    last = clamp(stop, _t(-1))
    count = maximum(_ceildiv(first - last, a), 0)
    lo = minimum(maximum(first - (count - 1) * a, 0), n)
    hi = minimum(maximum(first + 1, lo), n)
    return lo, hi


def _literal_canonical(start: Any, stop: Any, step: Any, n: int) -> tuple[slice, int]:
    r = range(*slice(start, stop, step).indices(n))
    if r.step > 0:
        return slice(r.start, max(r.start, r.stop), r.step), 1
    if len(r) == 0:
        return slice(0, 0, -r.step), -1
    return slice(r[-1], r[0] + 1, -r.step), -1


def get_canonical_form_slice(theslice: Any, length: Any) -> tuple[Any, Any]:
    """A slice or integer index in canonical form for a dimension of ``length``.

    For an integer index ``i`` the canonical form is the non-negative index
    (``i + length`` when ``i < 0``) and direction 1. For a slice it is
    ``slice(start, stop, step)`` with ``0 <= start <= stop <= length`` and
    ``step > 0`` covering the same elements in ascending order, plus the
    direction (1, or -1 when the original slice visits them in reverse).
    Entries are ints when known at graph-build time, else int64 tensors.

    Examples
    --------
    >>> from pytensor.tensor.subtensor import get_canonical_form_slice
    >>> get_canonical_form_slice(slice(None, None, -2), 5)
    (slice(0, 5, 2), -1)
    >>> get_canonical_form_slice(-1, 5)
    (4, 1)
    """
    from pytensor.tensor.math import abs as pt_abs
    from pytensor.tensor.math import lt

    n_lit, n_known = _literal(length)
    if not isinstance(theslice, slice):
        idx, known = _literal(theslice)
        if known and idx is not None:
            if idx >= 0:
                return idx, 1
            return (idx + n_lit, 1) if n_known else (_t(length) + idx, 1)
        return _switch(lt(_t(idx), 0), _t(idx) + _t(length), idx), 1
    (start, ks), (stop, ke), (step, kst) = (
        _literal(f) for f in (theslice.start, theslice.stop, theslice.step)
    )
    if step is not None and kst and step == 0:
        raise ValueError("slice step cannot be zero")
    if ks and ke and kst and n_known:
        return _literal_canonical(start, stop, step, n_lit)
    n = _t(length)
    if step is None or kst:
        if step is None or step > 0:
            lo, hi = _positive_bounds(start, stop, n)
            return slice(lo, hi, 1 if step is None else step), 1
        lo, hi = _negative_bounds(start, stop, n, _t(-step))
        return slice(lo, hi, -step), -1
    a = pt_abs(_t(step))
    is_neg = lt(_t(step), 0)
    plo, phi = _positive_bounds(start, stop, n)
    nlo, nhi = _negative_bounds(start, stop, n, a)
    return slice(_switch(is_neg, nlo, plo), _switch(is_neg, nhi, phi), a), _switch(is_neg, -1, 1)


def slice_length(
    S: Any, n: Any, start: Any, stop: Any, step: Any, op: Any = "Subtensor", axis: int | None = None
) -> Any:
    """The length of ``x[start:stop:step]`` for a dimension of length ``n``, in the algebra ``S``.

    Bounds are Variables (or ints), or None when absent. Known everything
    gives an int; with ``S = STATIC`` anything else that is not determined
    gives None; with ``S = SYMBOLIC`` an int64 graph.
    """
    fields = (start, stop, step)
    vals = [None if f is None else _static_int(f) for f in fields]
    known = all(f is None or v is not None for f, v in zip(fields, vals, strict=True))
    kstep = 1 if step is None else vals[2]
    if kstep == 0:
        where = f" (axis {axis})" if axis is not None else ""
        raise ValueError(f"{op}: slice step cannot be zero{where}")
    kn = S.known(n)
    if known and kn is not None:
        return S.const(len(range(*slice(vals[0], vals[1], kstep).indices(kn))))
    if kn == 0:
        return S.const(0)
    full_start = start is None or (kstep is not None and vals[0] == (0 if kstep > 0 else -1))
    if kstep in (1, -1) and stop is None and full_start:
        return n
    if not S.symbolic:
        return None
    canon, _ = get_canonical_form_slice(slice(start, stop, step), n)
    lo, hi, st = (_t(f) for f in (canon.start, canon.stop, canon.step))
    return _ceildiv(hi - lo, st)
