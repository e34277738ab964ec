"""The numba dispatch registry: one ``numba_funcify`` per Op class (layer: pytensor-backend-numba).

Contract (every ``numba_funcify_<OpClass>`` follows it):

``numba_funcify(op, node, **kwargs) -> (impl, key)``

``impl``
    A Python function numba compiles in nopython mode (a plain function, which
    the linker jits, or an existing numba dispatcher). It takes the node's input
    values positionally and returns the single output, or a tuple of outputs
    when the node has several. For a scalar Op (``pytensor.scalar``), ``node``
    is a scalar Apply and ``impl`` maps scalar values to scalar value(s) of
    exactly the output dtype(s); the Elemwise loops call it per element.
``key``
    A string identifying the generated code exactly (the Op's stable token plus
    whatever of the node's types the code depends on), used by the on-disk and
    in-process kernel caches; ``None`` when the implementation cannot be cached.

Raise :class:`pytensor.link.backend.MissingImplementationError` (or let the
default below do it) for an Op this backend cannot run.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import singledispatch
from typing import Any

from pytensor.link.backend import MissingImplementationError

__all__ = ["NumbaImpl", "numba_funcify"]

#: What a ``numba_funcify`` implementation returns.
NumbaImpl = tuple[Callable[..., Any], str | None]


@singledispatch
def numba_funcify(op: Any, node: Any = None, **kwargs: Any) -> NumbaImpl:
    """Return ``(impl, key)`` for ``node`` (see the module docstring)."""
    raise MissingImplementationError("numba", node, "no numba_funcify registered for it")
