"""Helpers of the tensor layer: gufunc signatures, axes, static shapes (layer: pytensor-tensor)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import product
from typing import Any

import numpy as np

__all__ = [
    "broadcast_static_dim_lengths",
    "faster_ndindex",
    "get_static_shape_from_size_variables",
    "import_func_from_string",
    "normalize_reduce_axis",
    "safe_signature",
]

# One operand of a gufunc signature: "()", "(n)" or "(m,n,...)" with word-character names.
_OPERAND = re.compile(r"\((\w+(?:,\w+)*)?\)")


def _parse_operands(text: str, signature: str) -> list[tuple[str, ...]]:
    """The operands of one side of a signature, or ValueError when the side is malformed."""
    operands: list[tuple[str, ...]] = []
    pos = 0
    while pos < len(text):
        if operands:
            if text[pos] != ",":
                raise ValueError(f"not a valid gufunc signature: {signature}")
            pos += 1
        match = _OPERAND.match(text, pos)
        if match is None:
            raise ValueError(f"not a valid gufunc signature: {signature}")
        names = match.group(1)
        operands.append(tuple(names.split(",")) if names else ())
        pos = match.end()
    return operands


def _parse_gufunc_signature(signature: str) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """Split a generalized-ufunc signature into the core dimensions of its inputs and outputs.

    Whitespace is ignored. A signature may have no inputs (``"->(n)"``), but it
    must have at least one output.

    Parameters
    ----------
    signature
        For example ``"(m,n),(n,p)->(m,p)"`` (matrix product).

    Returns
    -------
    The input operands and the output operands, each a list with one tuple of
    dimension names per operand.

    Examples
    --------
    >>> from pytensor.tensor.utils import _parse_gufunc_signature
    >>> _parse_gufunc_signature("(m,n),(n)->(m)")
    ([('m', 'n'), ('n',)], [('m',)])
    >>> _parse_gufunc_signature("()->()")
    ([()], [()])
    """
    if not isinstance(signature, str):
        raise TypeError(f"a gufunc signature is a string, got {type(signature).__name__}")
    compact = re.sub(r"\s+", "", signature)
    sides = compact.split("->")
    if len(sides) != 2 or not sides[1]:
        raise ValueError(f"not a valid gufunc signature: {signature}")
    return _parse_operands(sides[0], signature), _parse_operands(sides[1], signature)


def safe_signature(core_inputs_ndim: Sequence[int], core_outputs_ndim: Sequence[int]) -> str:
    """A gufunc signature with distinct names for every core dimension.

    Dimension ``d`` of input ``k`` is called ``i{k}{d}``; of output ``k``, ``o{k}{d}``.
    No two dimensions share a name, so the signature asserts nothing about
    which lengths agree.

    Examples
    --------
    >>> from pytensor.tensor.utils import safe_signature
    >>> safe_signature([2, 0], [1])
    '(i00,i01),()->(o00)'
    """

    def side(ndims: Sequence[int], prefix: str) -> str:
        return ",".join(
            "(" + ",".join(f"{prefix}{k}{d}" for d in range(n)) + ")" for k, n in enumerate(ndims)
        )

    return f"{side(core_inputs_ndim, 'i')}->{side(core_outputs_ndim, 'o')}"


def normalize_reduce_axis(axis: Any, ndim: int) -> tuple[int, ...] | None:
    """``axis`` of a reduction as a tuple of non-negative ints (None stays None).

    A 0-d input accepts axis 0 and -1, as in NumPy. Raises
    ``numpy.exceptions.AxisError`` for an axis out of range and ValueError for
    a repeated one.
    """
    if axis is None:
        return None
    if isinstance(axis, int | np.integer):
        axes: tuple[Any, ...] = (axis,)
    elif isinstance(axis, Iterable):
        axes = tuple(axis)
    else:
        raise TypeError(f"axis must be None, an integer or a sequence of integers, got {axis!r}")
    limit = max(1, ndim)
    out: list[int] = []
    for a in axes:
        if not isinstance(a, int | np.integer) or isinstance(a, bool):
            raise TypeError(f"axis entries must be integers, got {a!r}")
        if not -limit <= a < limit:
            raise np.exceptions.AxisError(int(a), ndim=ndim)
        a = int(a) % limit
        if a in out:
            raise ValueError(f"repeated axis {a} in {axis!r}")
        out.append(a)
    return tuple(out)


def broadcast_static_dim_lengths(dim_lengths: Iterable[int | None]) -> int | None:
    """The static length of one broadcast dimension from the inputs' static lengths.

    Raises ValueError when two known lengths differ and neither is 1.
    """
    lengths = set(dim_lengths)
    if len(lengths) == 1:
        return next(iter(lengths))
    if lengths == {None, 1}:
        return None
    known = lengths - {None, 1}
    if len(known) > 1:
        raise ValueError(f"incompatible static lengths {sorted(known)} cannot be broadcast")
    return known.pop() if known else None


def get_static_shape_from_size_variables(size_vars: Sequence[Any]) -> tuple[int | None, ...]:
    """The static length given by each size variable: its constant int value, or None."""
    from pytensor.tensor.basic import get_scalar_constant_value
    from pytensor.tensor.exceptions import NotScalarConstantError

    out: list[int | None] = []
    for v in size_vars:
        try:
            out.append(int(get_scalar_constant_value(v)))
        except (NotScalarConstantError, TypeError, ValueError):
            out.append(None)
    return tuple(out)


def _static_int(var: Any) -> int | None:
    """The int value of a 0-d integer variable or Python int, when known statically (else None)."""
    from pytensor.tensor.basic import get_scalar_constant_value
    from pytensor.tensor.exceptions import NotScalarConstantError

    if isinstance(var, bool | np.bool_):
        return None
    if isinstance(var, int | np.integer):
        return int(var)
    try:
        value = get_scalar_constant_value(var)
    except (NotScalarConstantError, TypeError, ValueError):
        return None
    return int(value) if np.asarray(value).dtype.kind in "iu" else None


def import_func_from_string(func_string: str) -> Any:
    """The function named by a dotted path such as ``"scipy.special.erf"`` (None if missing).

    A bare name is looked up in NumPy.
    """
    import importlib

    if "." not in func_string:
        return getattr(np, func_string, None)
    parts = func_string.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            obj = getattr(obj, name, None)
            if obj is None:
                return None
        return obj
    return None


def faster_ndindex(shape: Sequence[int]) -> Iterable[tuple[int, ...]]:
    """All index tuples of an array of ``shape``, in C order (like ``np.ndindex``)."""
    return product(*(range(s) for s in shape))
