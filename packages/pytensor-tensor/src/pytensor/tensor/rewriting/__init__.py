"""The tensor rewrites (layer: pytensor-tensor): canonicalize, stabilize, specialize,
shape, fusion and inplace, registered into the global rewrite database ``optdb``.

Every public submodule of this package is imported here, so a new module of
rewrites is registered by existing; the tensor layer's ``pytensor.extensions``
entry point imports this package before the first compilation.
"""

from __future__ import annotations

import importlib
import pkgutil

__all__: list[str] = []

for _info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if not _info.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_info.name}")
