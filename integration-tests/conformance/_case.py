"""The ``Case`` record of the conformance suite and helpers to write cases tersely."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["ANY_VALUES", "Case", "data", "fn", "graph", "inputs_like", "ints"]

#: ``expected`` may return this for an output whose values are unspecified
#: (``empty``): only its shape and dtype are compared.
ANY_VALUES = object()


@dataclass(frozen=True)
class Case:
    """One graph, its input values and its expected outputs.

    Attributes
    ----------
    name
        Unique, ``"<function or Op>/<variant>"``.
    build
        Takes no arguments, returns ``(inputs, outputs)``: the symbolic inputs
        (in the order of ``values``) and one output variable or a list of them.
    values
        The input values. Each run gets fresh copies, and the suite checks
        that the backend left them unchanged.
    expected
        Computes the expected output(s) from the input values with NumPy or
        SciPy only, never with pytensor. A single array or a tuple/list of
        arrays (one per output); an entry may be :data:`ANY_VALUES`.
    rtol, atol
        Tolerances for float outputs (default: by output dtype, see
        ``BackendConformance.tolerance``).
    """

    name: str
    build: Callable[[], tuple[list[Any], Any]]
    values: tuple[Any, ...]
    expected: Callable[..., Any]
    rtol: float | None = None
    atol: float | None = None
    tags: frozenset[str] = field(default_factory=frozenset)

    def fresh_values(self) -> list[Any]:
        return [np.copy(v) if isinstance(v, np.ndarray) else v for v in self.values]


def data(
    shape: Sequence[int] | int = (), dtype: str = "float64", domain: str = "real", seed: int = 0
) -> np.ndarray:
    """Deterministic values of ``shape`` and ``dtype`` in ``domain``.

    Domains: ``real`` (about -3..3), ``pos`` (0.2..4), ``unit`` (-0.9..0.9),
    ``prob`` (0.05..0.95), ``ge1`` (1..5), ``neg`` (-4..-0.1), ``small``
    (0..3, integers for integer dtypes), ``nonzero`` (real, away from 0).
    """
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    rng = np.random.default_rng(1000 * seed + 17 * len(shape) + int(np.prod(shape) if shape else 1))
    low, high = {
        "real": (-3.0, 3.0),
        "pos": (0.2, 4.0),
        "unit": (-0.9, 0.9),
        "prob": (0.05, 0.95),
        "ge1": (1.0, 5.0),
        "neg": (-4.0, -0.1),
        "small": (0.0, 3.0),
        "nonzero": (0.5, 3.0),
    }[domain]
    kind = np.dtype(dtype).kind
    if kind == "b":
        return rng.random(shape) > 0.5
    if kind in "iu":
        lo = 0 if kind == "u" else int(np.floor(low))
        values = rng.integers(
            max(lo, int(np.ceil(low)) if domain != "real" else lo), int(high) + 1, size=shape
        )
        if domain == "nonzero":
            values = np.where(values == 0, 1, values)
            if kind == "i":
                values = values * rng.choice([-1, 1], size=shape)
        return values.astype(dtype)
    values = rng.uniform(low, high, size=shape)
    if domain == "nonzero":
        values = values * rng.choice([-1.0, 1.0], size=shape)
    if kind == "c":
        values = values + 1j * rng.uniform(low, high, size=shape)
    return np.asarray(values, dtype=dtype)


def ints(*values: Any, dtype: str = "int64") -> np.ndarray:
    """An integer array (or 0-d array for one value)."""
    return np.asarray(values[0] if len(values) == 1 else values, dtype=dtype)


def inputs_like(values: Sequence[Any], static: bool = False) -> list[Any]:
    """Symbolic inputs matching ``values``: their dtypes, and their shapes when ``static``.

    With ``static=False`` every length is unknown, except 0-d values.
    """
    import pytensor.tensor as pt

    out = []
    for k, v in enumerate(values):
        arr = np.asarray(v)
        shape = arr.shape if static else (None,) * arr.ndim
        out.append(pt.tensor(f"i{k}", dtype=arr.dtype.name, shape=shape))
    return out


def fn(path: str) -> Callable[..., Any]:
    """The pytensor function at ``path`` (``"exp"``, ``"special.betaln"``), looked up when called.

    Looking it up late keeps one missing function from breaking the collection of every case.
    """

    def call(*args: Any, **kwargs: Any) -> Any:
        import importlib

        module, _, name = ("pytensor.tensor." + path).rpartition(".")
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = path
    return call


def graph(
    name: str,
    f: Callable[..., Any],
    values: Sequence[Any],
    expected: Callable[..., Any],
    static: bool = False,
    **kw: Any,
) -> Case:
    """A case whose graph is ``f(*inputs)``, the inputs made by :func:`inputs_like` from ``values``."""
    frozen = tuple(values)

    def build() -> tuple[list[Any], Any]:
        ins = inputs_like(frozen, static=static)
        return ins, f(*ins)

    return Case(name, build, frozen, expected, **kw)
