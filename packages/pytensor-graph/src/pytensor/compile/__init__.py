"""Compilation of graphs into callables: function, modes, shared variables (layer: pytensor-graph)."""

from __future__ import annotations

from typing import Any

from pytensor.compile.builders import OpFromGraph
from pytensor.compile.function import function
from pytensor.compile.function.types import Function, FunctionMaker, UnusedInputError
from pytensor.compile.io import In, Out, SymbolicInput, SymbolicOutput
from pytensor.compile.mode import (
    FAST_COMPILE,
    FAST_RUN,
    PY,
    Mode,
    get_default_mode,
    get_mode,
    predefined_modes,
    register_mode,
)
from pytensor.compile.ops import (
    DeepCopyOp,
    FromFunctionOp,
    TypeCastingOp,
    ViewOp,
    as_op,
    deep_copy_op,
    view_op,
    wrap_py,
)
from pytensor.compile.profiling import ProfileStats
from pytensor.compile.sharedvalue import SharedVariable, shared, shared_constructor

__all__ = [
    "FAST_COMPILE",
    "FAST_RUN",
    "PY",
    "DeepCopyOp",
    "FromFunctionOp",
    "Function",
    "FunctionMaker",
    "In",
    "Mode",
    "OpFromGraph",
    "Out",
    "ProfileStats",
    "SharedVariable",
    "SymbolicInput",
    "SymbolicOutput",
    "TypeCastingOp",
    "UnusedInputError",
    "ViewOp",
    "as_op",
    "deep_copy_op",
    "function",
    "get_default_mode",
    "get_mode",
    "predefined_modes",
    "register_mode",
    "shared",
    "shared_constructor",
    "view_op",
    "wrap_py",
]


def __getattr__(name: str) -> Any:
    # ``optdb`` comes from the rewrite layer; see pytensor.compile.mode.
    if name == "optdb":
        from pytensor.compile import mode

        return mode.optdb
    raise AttributeError(f"module 'pytensor.compile' has no attribute {name!r}")
