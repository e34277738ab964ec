# mypy: disable-error-code="no-untyped-call,no-untyped-def,misc"
"""Cheaper boxing of the arrays a compiled graph returns (layer: pytensor-backend-numba).

numba turns each array a jitted function returns into a NumPy array by calling
``NRT_adapt_ndarray_to_python_acqref``, passing it the Python type to create,
which numba's boxing code unpickles on every call (a call into Python: about
0.15 us per returned array, most of the cost of calling a small graph).

A top-level ``graph_fn`` instead returns its arrays through :func:`as_returned`,
which re-types them as :class:`ReturnedArray` (same data model, no copy); the
boxing of that type reads ``numpy.ndarray`` and the dtype from the function's
environment constants (a list lookup) and makes the same runtime call. The
resulting arrays are the ones numba would return: same data, flags, base and
ownership. Importing this module imports numba.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from llvmlite import ir

from numba.core import cgutils, types
from numba.core.extending import box, intrinsic, models, register_model
from numba.core.imputils import impl_ret_borrowed
from numba.np import numpy_support

__all__ = ["ReturnedArray", "as_returned"]


class ReturnedArray(types.Array):
    """An array returned by a graph function: an ``Array`` with its own boxing."""

    def __init__(
        self,
        dtype: Any,
        ndim: int,
        layout: str,
        readonly: bool = False,
        name: str | None = None,
        aligned: bool = True,
    ) -> None:
        if name is None:
            kind = "readonly returned array" if readonly else "returned array"
            name = f"{kind}({dtype}, {ndim}d, {layout})"
        super().__init__(dtype, ndim, layout, readonly=readonly, name=name, aligned=aligned)


register_model(ReturnedArray)(models.ArrayModel)


@box(ReturnedArray)
def _box_returned(typ, val, c):
    i32 = ir.IntType(32)
    dtype = c.env_manager.read_const(c.env_manager.add_const(numpy_support.as_dtype(typ.dtype)))
    pytype = c.env_manager.read_const(c.env_manager.add_const(np.ndarray))
    fnty = ir.FunctionType(c.pyapi.pyobj, [c.pyapi.voidptr, c.pyapi.pyobj, i32, i32, c.pyapi.pyobj])
    fn = cgutils.get_or_insert_function(
        c.builder.module, fnty, "NRT_adapt_ndarray_to_python_acqref"
    )
    aryptr = cgutils.alloca_once_value(c.builder, val)
    args = [
        c.builder.bitcast(aryptr, c.pyapi.voidptr),
        pytype,
        ir.Constant(i32, typ.ndim),
        ir.Constant(i32, int(typ.mutable)),
        dtype,
    ]
    obj = c.builder.call(fn, args)
    # The new Python array holds its own reference (acquired by the call): drop ours.
    c.context.nrt.decref(c.builder, typ, val)
    return obj


@intrinsic
def as_returned(typingctx, x):
    """``x`` re-typed as :class:`ReturnedArray` when it is an array; other values unchanged."""
    if isinstance(x, types.Array) and not isinstance(x, ReturnedArray):
        ret = ReturnedArray(x.dtype, x.ndim, x.layout, readonly=not x.mutable, aligned=x.aligned)
    else:
        ret = x

    def codegen(context, builder, sig, args):
        # Arrays of both types share one data model: only the type changes.
        return impl_ret_borrowed(context, builder, sig.return_type, args[0])

    return ret(x), codegen
