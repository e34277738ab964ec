"""The C dispatch registry and every module registering C implementations into it
(layer: pytensor-backend-c).

Importing this package imports pytensor.tensor (the Ops being implemented) but
not cffi; registration modules mirror ``pytensor/tensor/<module>.py``.
"""

from __future__ import annotations

import importlib

from pytensor.link.c.dispatch.basic import (
    CImpl,
    CScalarImpl,
    c_funcify,
    op_class_status,
    set_op_class_status,
)

__all__ = ["CImpl", "CScalarImpl", "c_funcify", "op_class_status", "set_op_class_status"]

#: Registration modules, imported for their side effects. Optional ones are
#: written in parallel: a module that is not there yet is skipped.
_MODULES = (
    "elemwise",
    "ops",
    "scalar",
    "scalar_math",
    "tensor_basic",
    "shape",
    "subtensor",
    "blas",
    "extra_ops",
    "sort",
    "raise_op",
)

for _name in _MODULES:
    try:
        importlib.import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as _exc:
        if _exc.name != f"{__name__}.{_name}":
            raise
del _name
