"""Array views numba lacks: reorder, add and drop dimensions without copying (layer: pytensor-backend-numba).

numba's ``reshape`` refuses non-contiguous arrays and its ``as_strided`` may
claim a layout the result does not have, so DimShuffle builds its view with
an intrinsic: same data and owner, shape and strides picked from the input.
The result's layout is the input's when the kept dimensions stay in order
(length-1 dimensions do not affect contiguity), otherwise ``"A"``.
"""

from __future__ import annotations

import functools
from typing import Any

from numba import types
from numba.core import cgutils
from numba.core.imputils import impl_ret_borrowed
from numba.extending import intrinsic
from numba.np.arrayobj import make_array, populate_array

__all__ = ["advise_hugepages", "dimshuffle_view"]


def _out_layout(layout: str, new_order: tuple[Any, ...]) -> str:
    kept = [o for o in new_order if o != "x"]
    if kept == sorted(kept) and layout in "CF":
        return layout
    return "A"


@functools.cache
def dimshuffle_view(new_order: tuple[Any, ...]) -> Any:
    """An intrinsic ``view(x)`` returning ``x`` dimshuffled by ``new_order`` (as DimShuffle)."""
    order = tuple(new_order)

    @intrinsic
    def view(typingctx: Any, x: Any) -> Any:
        if not isinstance(x, types.Array):
            return None
        out_t = types.Array(
            x.dtype, len(order), _out_layout(x.layout, order), readonly=not x.mutable
        )

        def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
            (value,) = args
            arr = make_array(x)(context, builder, value)
            shapes = cgutils.unpack_tuple(builder, arr.shape, x.ndim)
            strides = cgutils.unpack_tuple(builder, arr.strides, x.ndim)
            one = context.get_constant(types.intp, 1)
            zero = context.get_constant(types.intp, 0)
            new_shapes = [one if o == "x" else shapes[o] for o in order]
            new_strides = [zero if o == "x" else strides[o] for o in order]
            out = make_array(out_t)(context, builder)
            populate_array(
                out,
                data=arr.data,
                shape=cgutils.pack_array(
                    builder, new_shapes, ty=context.get_value_type(types.intp)
                ),
                strides=cgutils.pack_array(
                    builder, new_strides, ty=context.get_value_type(types.intp)
                ),
                itemsize=arr.itemsize,
                meminfo=arr.meminfo,
                parent=arr.parent,
            )
            return impl_ret_borrowed(context, builder, out_t, out._getvalue())

        return out_t(x), codegen

    return view


#: Arrays at least this large are advised to use transparent huge pages (as NumPy does).
HUGEPAGE_MIN_BYTES = 1 << 22
_MADV_HUGEPAGE = 14


@intrinsic
def advise_hugepages(typingctx: Any, arr: Any) -> Any:
    """``madvise(MADV_HUGEPAGE)`` a fresh large array before its pages are touched (Linux).

    NumPy does this for its large allocations; without it, filling a large
    result costs one page fault per 4 KiB and fused loops lose to NumPy.
    """
    import sys

    from llvmlite import ir

    if not isinstance(arr, types.Array):
        return None

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        if not sys.platform.startswith("linux"):
            return context.get_dummy_value()
        a = make_array(arr)(context, builder, args[0])
        i64 = ir.IntType(64)
        start = builder.ptrtoint(a.data, i64)
        nbytes = builder.mul(a.nitems, a.itemsize)
        fnty = ir.FunctionType(ir.IntType(32), [ir.IntType(8).as_pointer(), i64, ir.IntType(32)])
        madvise = cgutils.get_or_insert_function(builder.module, fnty, "madvise")
        big = builder.icmp_signed(">=", nbytes, ir.Constant(i64, HUGEPAGE_MIN_BYTES))
        with builder.if_then(big, likely=False):
            page = ir.Constant(i64, 4095)
            aligned = builder.and_(builder.add(start, page), ir.Constant(i64, ~4095))
            length = builder.sub(builder.add(start, nbytes), aligned)
            ptr = builder.inttoptr(aligned, ir.IntType(8).as_pointer())
            builder.call(madvise, [ptr, length, ir.Constant(ir.IntType(32), _MADV_HUGEPAGE)])
        return context.get_dummy_value()

    return types.none(arr), codegen
