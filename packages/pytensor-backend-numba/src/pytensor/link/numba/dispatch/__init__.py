"""The numba dispatch modules (layer: pytensor-backend-numba).

``from pytensor.link.numba.dispatch import numba_funcify`` imports every dispatch
module (which registers its ``numba_funcify`` implementations, and imports
numba) before handing out the registry. Importing the package alone, or one of
its light helper modules, imports none of them: the warm-start loader
(:mod:`pytensor.link.numba.warm`) needs only ``_cython_symbols``.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["load_registrations", "numba_funcify"]

#: The modules whose import registers numba_funcify implementations.
REGISTRATION_MODULES = (
    "advanced_subtensor",
    "compile_ops",
    "dot",
    "elemwise",
    "extra_ops",
    "jacobian",
    "linalg",
    "ofg",
    "raise_op",
    "scalar",
    "scalar_math",
    "shape",
    "sort",
    "subtensor",
    "tensor_basic",
    "vecmath",
)


def load_registrations() -> None:
    """Import every registration module (idempotent and cheap after the first call)."""
    for name in REGISTRATION_MODULES:
        importlib.import_module(f"{__name__}.{name}")


def __getattr__(name: str) -> Any:
    if name == "numba_funcify":
        load_registrations()
        from pytensor.link.numba.dispatch.basic import numba_funcify

        globals()["numba_funcify"] = numba_funcify  # later lookups skip this hook
        return numba_funcify
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
