# mypy: disable-error-code="no-untyped-call,no-untyped-def,call-overload"
"""Products of float/complex vectors and matrices calling BLAS by symbol name.

Layer: pytensor-backend-numba.

:func:`product_lines` and :func:`product_into_lines` generate the source of
``np.dot`` for 1-d and 2-d operands of one dtype among float32, float64, complex64
and complex128 (Dot, and each matrix of Matmul). The source calls the Fortran
BLAS ``?gemm``/``?gemv`` through numba intrinsics that emit a call to an LLVM
symbol named ``pytensor_blas<bits>_<routine>`` (see ``_blas_symbols``) with
``<bits>``-bit integer arguments. numba's ``np.dot`` is not used: its C helper
imports ``scipy.linalg`` on the first call of a new process, and typing and
compiling it took ~40% of a small graph's cold compile. The generated lines are
plain loops and calls, inlined into the graph function with everything else.

Layouts: a matrix whose memory is row-major or column-major with a leading
dimension BLAS accepts (C or F contiguous, transposes, row or column slices) is
passed as it is, with a transpose flag; any other matrix, and vectors whose stride
is not a positive multiple of the item size, are copied. The row-major product
C = A @ B is computed as the column-major product C^T = B^T @ A^T. Empty results
and empty contractions (result zeros) never reach BLAS (OpenBLAS returns early on
them without writing the output), and BLAS writes the output with beta = 0,
which it treats as "do not read", so garbage (NaN) in a fresh buffer cannot leak.

``c_contiguous(x)`` (Reshape) re-types a C-contiguous ``"A"`` array without a copy.
Importing this module imports numba (the dispatch modules import it lazily).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
from llvmlite import ir

from numba import types
from numba.core import cgutils
from numba.core.imputils import impl_ret_borrowed
from numba.extending import intrinsic, overload, register_jitable
from pytensor.link.numba.dispatch._blas_symbols import blas_symbol
from pytensor.link.numba.dispatch._op_utils import dtype_expr, indent

__all__ = ["bind_routines", "blas_env", "c_contiguous", "product_into_lines", "product_lines"]

_BLAS_PREFIX = {types.float32: "s", types.float64: "d", types.complex64: "c", types.complex128: "z"}
# Fortran character arguments, as byte codes (module-level ints are constants in numba).
_N, _T = ord("N"), ord("T")


def _retype(layout: str) -> Any:
    @intrinsic
    def as_layout(typingctx: Any, x: Any) -> Any:
        if not isinstance(x, types.Array):
            return None

        def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
            # Arrays of any layout share one data model: only the type changes.
            return impl_ret_borrowed(context, builder, sig.return_type, args[0])

        return x.copy(layout=layout)(x), codegen

    return as_layout


_as_c = _retype("C")
#: Re-typed as layout "A": a copy assigned to the same name then has the same type
#: (numba unifying the types of a redefined variable costs much compile time).
_as_any = _retype("A")


@intrinsic
def _copy_into(typingctx: Any, src: Any, dst: Any) -> Any:
    """``dst[...] = src`` for arrays of one shape and dtype: a loop nest emitted as LLVM,
    which costs no numba typing (a copy loop in the generated source costs ~0.05 s)."""
    if not (isinstance(src, types.Array) and isinstance(dst, types.Array)):
        return None
    if src.ndim != dst.ndim or src.dtype != dst.dtype:
        return None

    def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
        (sty, dty), nd = sig.args, sig.args[0].ndim
        s = context.make_array(sty)(context, builder, args[0])
        d = context.make_array(dty)(context, builder, args[1])
        shape = cgutils.unpack_tuple(builder, s.shape, nd)
        s_strides = cgutils.unpack_tuple(builder, s.strides, nd)
        d_strides = cgutils.unpack_tuple(builder, d.strides, nd)
        with cgutils.loop_nest(builder, shape, shape[0].type) as idx:
            src_ptr = cgutils.get_item_pointer2(
                context, builder, s.data, shape, s_strides, sty.layout, idx
            )
            dst_ptr = cgutils.get_item_pointer2(
                context, builder, d.data, shape, d_strides, dty.layout, idx
            )
            builder.store(builder.load(src_ptr), dst_ptr)
        return context.get_dummy_value()

    return types.none(src, dst), codegen


@intrinsic
def _zero(typingctx: Any, x: Any) -> Any:
    """Fills the C-contiguous array ``x`` with zero bytes (0 in every BLAS dtype)."""
    if not isinstance(x, types.Array):
        return None

    def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
        arr = context.make_array(sig.args[0])(context, builder, args[0])
        nbytes = builder.mul(arr.nitems, arr.itemsize)
        cgutils.memset(builder, arr.data, nbytes, 0)
        return context.get_dummy_value()

    return types.none(x), codegen


# ---------------------------------------------------------------------------
# The calls: every Fortran argument is a pointer, so scalars go through stack slots
# ---------------------------------------------------------------------------
def _blas_intrinsic(bits: int, routine: str, kinds: str) -> Any:
    """An intrinsic calling BLAS ``?<routine>`` of integer width ``bits``.

    ``kinds`` gives each argument's role: ``c`` a character (its byte code),
    ``i`` an integer, ``s`` a scalar of the arrays' dtype, ``a`` an array (its
    data pointer). The precision prefix comes from the first array's dtype.
    """
    int_type = types.int64 if bits == 64 else types.int32

    def typer(typingctx: Any, *args: Any) -> Any:
        arrays = [a for k, a in zip(kinds, args, strict=True) if k == "a"]
        dtype = arrays[0].dtype
        if dtype not in _BLAS_PREFIX or any(a.dtype != dtype for a in arrays):
            return None
        symbol = blas_symbol(bits, _BLAS_PREFIX[dtype] + routine)

        def codegen(context: Any, builder: Any, sig: Any, values: Any) -> Any:
            ptr_type = ir.IntType(8).as_pointer()
            ptrs = []
            for kind, ty, val in zip(kinds, sig.args, values, strict=True):
                if kind == "a":
                    ptr = context.make_array(ty)(context, builder, val).data
                else:
                    target = {"c": types.uint8, "i": int_type, "s": dtype}[kind]
                    cast = context.cast(builder, val, ty, target)
                    ptr = cgutils.alloca_once_value(builder, cast)
                ptrs.append(builder.bitcast(ptr, ptr_type))
            fnty = ir.FunctionType(ir.VoidType(), [ptr_type] * len(ptrs))
            builder.call(cgutils.get_or_insert_function(builder.module, fnty, symbol), ptrs)
            return context.get_dummy_value()

        return types.none(*args), codegen

    return typer


def _gemm_intrinsic(bits: int) -> Any:
    typer = _blas_intrinsic(bits, "gemm", "cciiisaiaisai")

    @intrinsic
    def gemm(typingctx, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc):  # noqa: ANN001, ANN202
        return typer(typingctx, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)

    return gemm


def _gemv_intrinsic(bits: int) -> Any:
    typer = _blas_intrinsic(bits, "gemv", "ciisaiaisai")

    @intrinsic
    def gemv(typingctx, t, m, n, alpha, a, lda, x, incx, beta, y, incy):  # noqa: ANN001, ANN202
        return typer(typingctx, t, m, n, alpha, a, lda, x, incx, beta, y, incy)

    return gemv


# ---------------------------------------------------------------------------
# Generated source of the products
# ---------------------------------------------------------------------------
@functools.cache
def blas_env(bits: int) -> dict[str, Any]:
    """Globals of the generated products: the ``?gemm``/``?gemv`` intrinsics of width
    ``bits`` and the layout helpers."""
    return {
        f"blas{bits}_gemm": _gemm_intrinsic(bits),
        f"blas{bits}_gemv": _gemv_intrinsic(bits),
        "blas_any": _as_any,
        "blas_copy": _copy_into,
        "blas_zero": _zero,
    }


def bind_routines(bits: int, dtype: str) -> None:
    """Bind the symbols of the routines the products of ``dtype`` call (before loading cached
    code that calls them: typing, which binds them too, is skipped then)."""
    prefix = {"float32": "s", "float64": "d", "complex64": "c", "complex128": "z"}[dtype]
    for routine in ("gemm", "gemv"):
        blas_symbol(bits, prefix + routine)


# The generated lines avoid short-circuit ``and``/``or`` (``&``/``|`` on booleans compile
# several times faster in numba) and redefinitions of a name with another type.
def _copy_lines(v: str, shape: str, dt: str) -> list[str]:
    """Lines replacing ``v`` (typed "A") by a C-contiguous copy of the same type."""
    return [f"{v}_t = np.empty({shape}, {dt})", f"blas_copy({v}, {v}_t)", f"{v} = blas_any({v}_t)"]


def _matrix_lines(v: str, dt: str, size: int) -> list[str]:
    """Lines making the matrix ``v`` (typed "A", both lengths >= 1) readable by BLAS:
    ``v_o`` is 1 when its memory is row-major, 2 when column-major, with leading
    dimension ``v_ld``; any other layout is copied. Strides of length-1 dimensions
    do not matter."""
    return [
        f"{v}_r, {v}_c = {v}.shape",
        f"{v}_s0, {v}_s1 = {v}.strides",
        f"{v}_e0, {v}_e1 = {v}_s0 // {size}, {v}_s1 // {size}",
        f"{v}_ok = ({v}_s0 % {size} == 0) & ({v}_s1 % {size} == 0)",
        f"if {v}_ok & (({v}_c == 1) | ({v}_e1 == 1)) & (({v}_r == 1) | ({v}_e0 >= {v}_c)):",
        f"    {v}_o = 1",
        f"    {v}_ld = {v}_e0 if {v}_r > 1 else {v}_c",
        f"elif {v}_ok & (({v}_r == 1) | ({v}_e0 == 1)) & (({v}_c == 1) | ({v}_e1 >= {v}_r)):",
        f"    {v}_o = 2",
        f"    {v}_ld = {v}_e1 if {v}_c > 1 else {v}_r",
        "else:",
        *indent(_copy_lines(v, f"({v}_r, {v}_c)", dt)),
        f"    {v}_o = 1",
        f"    {v}_ld = {v}_c",
    ]


def _vector_lines(v: str, dt: str, size: int, unit: bool) -> list[str]:
    """Lines making the vector ``v`` (typed "A", length >= 1) readable by BLAS with
    increment ``v_inc`` (copied when its stride is not a positive multiple of the item
    size, or not 1 item when ``unit``)."""
    ok = f"{v}_s == {size}" if unit else f"({v}_s > 0) & ({v}_s % {size} == 0)"
    return [
        f"{v}_s = {v}.strides[0]",
        f"if {v}.shape[0] == 1:",
        f"    {v}_inc = 1",
        f"elif {ok}:",
        f"    {v}_inc = {v}_s // {size}",
        "else:",
        *indent(_copy_lines(v, f"{v}.shape[0]", dt)),
        f"    {v}_inc = 1",
    ]


def _limit_lines(bits: int, values: list[str]) -> list[str]:
    """A 32-bit BLAS cannot represent lengths >= 2**31: raise rather than truncate."""
    if bits == 64:
        return []
    return [
        f"if max({', '.join(values)}) > 2147483647:",
        "    raise ValueError('Dot: a length exceeds the 32-bit integers of this BLAS')",
    ]


def product_lines(
    a: str, b: str, out: str, ndims: tuple[int, int], dtype: str, bits: int
) -> list[str]:
    """Source lines setting ``out`` to ``np.dot(a, b)`` for operands of ``ndims`` dimensions
    (1 or 2 each), already of ``dtype`` (a BLAS dtype), through the BLAS of width ``bits``.

    ``a`` and ``b`` are expressions; the lines bind the names ``a`` and ``b`` to them
    (and may rebind them to copies). The lines have no ``return``, so the kernel keeps
    one trailing return (it can be inlined into the graph function).
    """
    dt, size = dtype_expr(dtype), np.dtype(dtype).itemsize
    bind = [f"a = blas_any({a})", f"b = blas_any({b})"]
    if ndims == (2, 2):
        return [
            *bind,
            f"{out} = np.empty((a.shape[0], b.shape[1]), {dt})",
            *product_into_lines("a", "b", out, dtype, bits, bound=True),
        ]
    gemv = f"blas{bits}_gemv"
    if ndims == (1, 1):
        body = [
            *_vector_lines("a", dt, size, unit=False),
            *_vector_lines("b", dt, size, unit=True),
            *_limit_lines(bits, ["a.shape[0]", "a_inc"]),
            # b is a k x 1 column-major matrix: dot = b^T @ a.
            f"{gemv}({_T}, a.shape[0], 1, 1.0, b, a.shape[0], a, a_inc, 0.0, {out}, 1)",
        ]
        return [
            *bind,
            f"{out} = np.empty((), {dt})",
            "if a.shape[0] == 0:",
            f"    {out}[()] = 0",
            "else:",
            *indent(body),
        ]
    # Matrix-vector (x @ v) or vector-matrix (v @ x = x^T @ v); m is the output length.
    mat, vec = ("a", "b") if ndims == (2, 1) else ("b", "a")
    m, k = ("a.shape[0]", "a.shape[1]") if ndims == (2, 1) else ("b.shape[1]", "b.shape[0]")
    # Row-major memory holds mat^T column-major: a^T @ v takes 'T' and b^T @ v takes 'N'.
    row, col = (_T, _N) if ndims == (2, 1) else (_N, _T)
    args = f"1.0, {mat}, {mat}_ld, {vec}, {vec}_inc, 0.0, {out}, 1"
    body = [
        *_matrix_lines(mat, dt, size),
        *_vector_lines(vec, dt, size, unit=False),
        *_limit_lines(bits, [m, k, f"{mat}_ld", f"{vec}_inc"]),
        f"if {mat}_o == 1:",
        f"    {gemv}({row}, {mat}_c, {mat}_r, {args})",
        "else:",
        f"    {gemv}({col}, {mat}_r, {mat}_c, {args})",
    ]
    return [
        *bind,
        f"{out} = np.empty({m}, {dt})",
        f"if {k} == 0:",
        f"    blas_zero({out})",
        f"elif {m} > 0:",
        *indent(body),
    ]


def product_into_lines(
    a: str, b: str, out: str, dtype: str, bits: int, bound: bool = False
) -> list[str]:
    """Source lines writing the matrix product ``a @ b`` into the C-contiguous ``out``
    (``a``, ``b`` expressions of ``dtype``, bound to the names ``a`` and ``b`` unless
    ``bound`` says they are those names already, typed "A")."""
    dt, size = dtype_expr(dtype), np.dtype(dtype).itemsize
    bind = [] if bound else [f"a = blas_any({a})", f"b = blas_any({b})"]
    m, k, n = "a.shape[0]", "a.shape[1]", "b.shape[1]"
    call = (
        f"blas{bits}_gemm({_N} if b_o == 1 else {_T}, {_N} if a_o == 1 else {_T}, "
        f"{n}, {m}, {k}, 1.0, b, b_ld, a, a_ld, 0.0, {out}, {n})"
    )
    return [
        *bind,
        f"if {k} == 0:",
        f"    blas_zero({out})",
        f"elif ({m} > 0) & ({n} > 0):",
        *indent(_matrix_lines("a", dt, size)),
        *indent(_matrix_lines("b", dt, size)),
        *indent(_limit_lines(bits, [m, n, k, "a_ld", "b_ld"])),
        # Row-major out = a @ b is the column-major product out^T = b^T @ a^T.
        f"    {call}",
    ]


# ---------------------------------------------------------------------------
# Reshape's operand
# ---------------------------------------------------------------------------
@register_jitable
def _is_c(x):  # noqa: ANN001, ANN202
    expected = x.itemsize
    for d in range(x.ndim - 1, -1, -1):
        if x.shape[d] != 1 and x.strides[d] != expected:
            return False
        expected *= x.shape[d]
    return True


def c_contiguous(x):  # noqa: ANN001, ANN201
    """``x`` as a C-typed array: itself (re-typed) when its memory is C contiguous, else a copy.

    ``np.ascontiguousarray`` copies every array typed ``"A"``, even a contiguous one.
    """
    return np.ascontiguousarray(x)


@overload(c_contiguous)
def _c_contiguous(x):  # noqa: ANN001, ANN202
    if isinstance(x, types.Array) and x.layout == "C":
        return lambda x: x
    if isinstance(x, types.Array) and x.ndim > 0:

        def impl(x):  # noqa: ANN001, ANN202
            if _is_c(x):
                return _as_c(x)
            return np.ascontiguousarray(x)

        return impl
    return lambda x: np.ascontiguousarray(x)
