"""Einstein summation, ``einsum``, as a graph of existing Ops (layer: pytensor-tensor).

The subscripts are parsed (ellipsis, repeated indices, implicit output),
each operand is simplified on its own (diagonals for repeated indices,
early sums of indices no one else uses), then the operands are contracted
two at a time in the order of a contraction path, each step one ``Dot``,
``Matmul`` or broadcasting product (:func:`pytensor.tensor._products.contract_pair`).
No backend needs an einsum kernel. The path search lives in ``_einsum_path``.
"""

from __future__ import annotations

import string
from collections.abc import Hashable, Sequence
from typing import Any

from pytensor.tensor._einsum_path import contraction_path
from pytensor.tensor.basic import as_tensor_variable

__all__ = ["einsum"]

Label = Hashable


def _fail(subscripts: str, message: str) -> ValueError:
    return ValueError(f"einsum {subscripts!r}: {message}")


def _parse_term(
    subscripts: str, term: str, ndim: int | None, k: int | str
) -> tuple[list[str], int]:
    """The letters of one term and the position of its ellipsis (-1 when there is none)."""
    if term.count("...") > 1 or "." in term.replace("...", ""):
        raise _fail(subscripts, f"term {k} ({term!r}) has a stray '.' or more than one '...'")
    letters = term.replace("...", "")
    for c in letters:
        if c not in string.ascii_letters:
            raise _fail(subscripts, f"term {k} ({term!r}) has the invalid subscript {c!r}")
    where = term.find("...")
    if ndim is not None:
        if where < 0 and len(letters) != ndim:
            raise _fail(
                subscripts,
                f"operand {k} has {ndim} dimensions but its term {term!r} names {len(letters)}",
            )
        if where >= 0 and len(letters) > ndim:
            raise _fail(
                subscripts, f"operand {k} has {ndim} dimensions, fewer than its term {term!r} names"
            )
    return list(letters), where


def parse_subscripts(
    subscripts: str, ndims: Sequence[int]
) -> tuple[list[tuple[Label, ...]], tuple[Label, ...]]:
    """Labels of each operand's dimensions and of the output.

    Letters label themselves; the dimensions an ellipsis covers are labelled
    ``0, 1, ...`` aligned to the right across operands (they broadcast like
    NumPy's). The implicit output is the ellipsis dimensions, then the letters
    used exactly once, in alphabetical (ASCII) order.
    """
    spec = subscripts.replace(" ", "")
    if spec.count("->") > 1:
        raise _fail(subscripts, "more than one '->'")
    lhs, arrow, rhs = spec.partition("->")
    if "-" in lhs or ">" in lhs or "-" in rhs or ">" in rhs:
        raise _fail(subscripts, "'-' and '>' may only appear together, once")
    terms = lhs.split(",")
    if len(terms) != len(ndims):
        raise _fail(subscripts, f"{len(terms)} terms for {len(ndims)} operands")
    parsed = [
        _parse_term(subscripts, t, n, k) for k, (t, n) in enumerate(zip(terms, ndims, strict=True))
    ]
    n_ell = max(
        (n - len(letters) for (letters, where), n in zip(parsed, ndims, strict=True) if where >= 0),
        default=0,
    )
    labels: list[tuple[Label, ...]] = []
    for (letters, where), n in zip(parsed, ndims, strict=True):
        if where < 0:
            labels.append(tuple(letters))
            continue
        e = n - len(letters)
        ell = tuple(range(n_ell - e, n_ell))
        labels.append((*letters[:where], *ell, *letters[where:]))
    counts: dict[str, int] = {}
    for letters, _ in parsed:
        for c in letters:
            counts[c] = counts.get(c, 0) + 1
    if not arrow:
        output = (*range(n_ell), *sorted(c for c, n in counts.items() if n == 1))
        return labels, output
    out_letters, out_where = _parse_term(subscripts, rhs, None, "output")
    for c in out_letters:
        if out_letters.count(c) > 1:
            raise _fail(subscripts, f"the output names {c!r} more than once")
        if c not in counts:
            raise _fail(subscripts, f"the output names {c!r}, which no operand has")
    if out_where < 0 and n_ell:
        raise _fail(
            subscripts,
            "the operands have dimensions under '...' but the output has no '...' for them",
        )
    if out_where < 0:
        return labels, tuple(out_letters)
    output = (*out_letters[:out_where], *range(n_ell), *out_letters[out_where:])
    return labels, output


def _label_text(label: Label) -> str:
    return repr(label) if isinstance(label, str) else f"'...'[{label}]"


def _take_diagonals(
    x: Any, labels: tuple[Label, ...], subscripts: str, k: int
) -> tuple[Any, tuple]:
    """Replace each index repeated within one operand by the diagonal over its dimensions."""
    from pytensor.tensor._diag import diagonal
    from pytensor.tensor.shape import specify_shape

    labels = tuple(labels)
    while True:
        repeated = next((lab for lab in labels if labels.count(lab) > 1), None)
        if repeated is None:
            return x, labels
        p = labels.index(repeated)
        q = labels.index(repeated, p + 1)
        sp, sq = x.type.shape[p], x.type.shape[q]
        if sp is not None and sq is not None and sp != sq:
            raise _fail(
                subscripts,
                f"index {_label_text(repeated)} is repeated in operand {k} over dimensions of "
                f"lengths {sp} and {sq} (shape {x.type.shape})",
            )
        if sp is None or sq is None:  # checked when the values arrive
            spec: list[Any] = [None] * x.type.ndim
            spec[q] = x.shape[p]
            x = specify_shape(x, spec)
        x = diagonal(x, 0, p, q)
        labels = (*[lab for d, lab in enumerate(labels) if d not in (p, q)], repeated)


def _static_sizes(
    subscripts: str, operands: Sequence[Any], labels: Sequence[tuple[Label, ...]]
) -> dict[Label, int | None]:
    """The length of each label: a static length other than 1 if any operand has one, else None
    if some length is unknown, else 1 (a length 1 broadcasts). Raises on a static mismatch."""
    known: dict[Label, tuple[int, int]] = {}
    unknown: set[Label] = set()
    for k, (x, labs) in enumerate(zip(operands, labels, strict=True)):
        for lab, s in zip(labs, x.type.shape, strict=True):
            if s is None:
                unknown.add(lab)
            elif s != 1:
                if lab in known and known[lab][0] != s:
                    raise _fail(
                        subscripts,
                        f"index {_label_text(lab)} has length {known[lab][0]} in operand "
                        f"{known[lab][1]} and {s} in operand {k}",
                    )
                known.setdefault(lab, (s, k))
    every = {lab for labs in labels for lab in labs}
    return {
        lab: known[lab][0] if lab in known else (None if lab in unknown else 1) for lab in every
    }


def _drop_broadcast(
    x: Any, labels: tuple[Label, ...], others: Sequence[tuple[Any, tuple[Label, ...]]]
) -> tuple[Any, tuple[Label, ...]]:
    """Drop the static length-1 dimensions whose index another operand has with another length.

    Broadcasting makes ``x`` constant along them, so the other operand alone
    carries the index (and a contraction never meets lengths 1 and n).
    """
    longer: set[Label] = set()
    for y, labs in others:
        longer.update(lab for lab, s in zip(labs, y.type.shape, strict=True) if s != 1)
    keep = [d for d, lab in enumerate(labels) if not (x.type.shape[d] == 1 and lab in longer)]
    if len(keep) == len(labels):
        return x, labels
    return x.dimshuffle(keep), tuple(labels[d] for d in keep)


def _sum_unused(x: Any, labels: tuple[Label, ...], needed: set[Label], dtype: str) -> tuple:
    """Sum ``x`` over the labels not in ``needed``."""
    from pytensor.tensor.math import sum as pt_sum

    axes = tuple(d for d, lab in enumerate(labels) if lab not in needed)
    if not axes:
        return x, labels
    return pt_sum(x, axis=axes, dtype=dtype), tuple(lab for lab in labels if lab in needed)


def _work_dtype(operands: Sequence[Any]) -> tuple[str, str]:
    """(dtype the contraction runs in, dtype of the result): NumPy's for einsum."""
    from pytensor.scalar.basic import upcast

    dtype = upcast(*[x.dtype for x in operands])
    # Booleans multiply with AND and add with OR: count in integers, then test for nonzero.
    return ("int64", "bool") if dtype == "bool" else (dtype, dtype)


def einsum(subscripts: str, *operands: Any, optimize: Any = "optimal") -> Any:
    """Einstein summation over the operands, as ``numpy.einsum``.

    Parameters
    ----------
    subscripts
        ``"ij,jk->ik"`` style: one comma-separated term per operand, with an
        optional ``->`` and output term. An ellipsis ``...`` stands for the
        remaining (broadcast) dimensions; an index repeated within one term
        takes a diagonal (``"ii->i"``, ``"ii"`` is the trace); without ``->``
        the output is the ellipsis dimensions then the indices used once, in
        alphabetical order. Indices missing from the output are summed.
    *operands
        The tensors.
    optimize
        The order of the pairwise contractions: ``"optimal"`` (the default:
        exhaustive search, greedy beyond 8 operands), ``"greedy"`` (the pair
        with the smallest intermediate first), ``None``/``False`` (left to
        right), or an explicit path as ``numpy.einsum_path`` returns it
        (``["einsum_path", (0, 1), (0, 1)]``). The costs use static lengths;
        an unknown length counts as 8.

    Each contraction is one ``Dot``, ``Matmul`` or broadcasting product of
    transposed and reshaped operands, so no backend needs an einsum kernel.
    The dtype is NumPy's (bool operands give a bool result).

    Examples
    --------
    >>> import numpy as np, pytensor.tensor as pt
    >>> a, b = np.arange(6.0).reshape(2, 3), np.ones((3, 4))
    >>> pt.einsum("ij,jk->ik", a, b).eval()
    array([[ 3.,  3.,  3.,  3.],
           [12., 12., 12., 12.]])
    >>> pt.einsum("ii", np.eye(3)).eval()
    array(3.)
    >>> pt.einsum("...ij,...j->...i", np.ones((5, 2, 3)), np.ones(3)).type.shape
    (5, 2)
    """
    from pytensor.tensor.basic import cast

    if not isinstance(subscripts, str):
        raise TypeError(f"einsum: subscripts must be a string, got {type(subscripts).__name__}")
    if not operands:
        raise ValueError("einsum: at least one operand is needed")
    xs = [as_tensor_variable(x) for x in operands]
    labels, output = parse_subscripts(subscripts, [x.type.ndim for x in xs])
    work, result_dtype = _work_dtype(xs)
    xs = [x if x.dtype == work else cast(x, work) for x in xs]
    items = [
        _take_diagonals(x, labs, subscripts, k)
        for k, (x, labs) in enumerate(zip(xs, labels, strict=True))
    ]
    _static_sizes(subscripts, [x for x, _ in items], [lb for _, lb in items])
    items = [
        _drop_broadcast(x, labs, [it for j, it in enumerate(items) if j != k])
        for k, (x, labs) in enumerate(items)
    ]
    items = [
        _sum_unused(x, labs, _needed(items, k, output), work) for k, (x, labs) in enumerate(items)
    ]
    sizes = _static_sizes(subscripts, [x for x, _ in items], [lb for _, lb in items])
    path = contraction_path([lb for _, lb in items], output, sizes, optimize, subscripts)
    for step in path:
        picked = [items[i] for i in step]
        items = [it for i, it in enumerate(items) if i not in step]
        items.append(_contract_all(picked, items, output, work, subscripts))
    (x, labs), *rest = items
    assert not rest, "the contraction path left several operands"
    x, labs = _sum_unused(x, labs, set(output), work)
    out = x.dimshuffle([labs.index(lab) for lab in output]) if labs != output else x
    return out if out.dtype == result_dtype else cast(out, result_dtype)


def _needed(items: Sequence[tuple[Any, tuple]], k: int, output: tuple[Label, ...]) -> set[Label]:
    needed = set(output)
    for j, (_, labs) in enumerate(items):
        if j != k:
            needed.update(labs)
    return needed


def _contract_all(
    picked: list[tuple[Any, tuple]],
    rest: list[tuple[Any, tuple]],
    output: tuple[Label, ...],
    dtype: str,
    subscripts: str,
) -> tuple[Any, tuple]:
    """Contract the picked operands left to right into one, keeping what ``rest``/``output`` need."""
    from pytensor.tensor._products import contract_pair

    x, labs = picked[0]
    for k, (y, lb) in enumerate(picked[1:], start=1):
        keep = set(output)
        for _, other in [*picked[k + 1 :], *rest]:
            keep.update(other)
        x, labs = contract_pair(x, labs, y, lb, keep, what=f"einsum {subscripts!r}", hint=output)
        x, labs = _sum_unused(x, labs, keep, dtype)
    keep = set(output)
    for _, other in rest:
        keep.update(other)
    return _sum_unused(x, labs, keep, dtype)
