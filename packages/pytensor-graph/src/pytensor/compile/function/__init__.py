"""``pytensor.function``: compile symbolic graphs into callables (layer: pytensor-graph)."""

from __future__ import annotations

from pytensor.compile.function.pfunc import function, pfunc
from pytensor.compile.function.types import Function, FunctionMaker, UnusedInputError

__all__ = ["Function", "FunctionMaker", "UnusedInputError", "function", "pfunc"]
