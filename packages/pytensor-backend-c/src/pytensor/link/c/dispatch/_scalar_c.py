"""Shared machinery of the scalar C kernels: C types, casts and the builder that
wraps a function body into a :class:`CScalarImpl` (layer: pytensor-backend-c).

Every scalar kernel is a ``static inline`` support function named
``pt_s_<op>_<input dtypes>__<output dtype>``; the expression calls it, so each
input expression is evaluated exactly once whatever the body does with it.
Inputs arrive as ``x0``, ``x1``, ... of the inputs' C types; the body returns a
value of the output's C type.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pytensor.link.c.dispatch.basic import CScalarImpl

__all__ = [
    "COMPLEX_DTYPES",
    "CTYPES",
    "FLOAT_DTYPES",
    "INT_DTYPES",
    "MATH_INCLUDE",
    "UINT_DTYPES",
    "as_float",
    "build",
    "cast",
    "cfloat",
    "flit",
    "in_dtypes",
    "libm",
    "out_dtype",
    "supported",
    "unsigned_of",
]

CTYPES = {
    "bool": "npy_bool",
    "int8": "npy_int8",
    "int16": "npy_int16",
    "int32": "npy_int32",
    "int64": "npy_int64",
    "uint8": "npy_uint8",
    "uint16": "npy_uint16",
    "uint32": "npy_uint32",
    "uint64": "npy_uint64",
    "float32": "npy_float32",
    "float64": "npy_float64",
    "complex64": "float _Complex",
    "complex128": "double _Complex",
}
COMPLEX_DTYPES = ("complex64", "complex128")
INT_DTYPES = ("int8", "int16", "int32", "int64")
UINT_DTYPES = ("uint8", "uint16", "uint32", "uint64")
FLOAT_DTYPES = ("float32", "float64")
_SHORT = {
    "bool": "b",
    "int8": "i8",
    "int16": "i16",
    "int32": "i32",
    "int64": "i64",
    "uint8": "u8",
    "uint16": "u16",
    "uint32": "u32",
    "uint64": "u64",
    "float32": "f32",
    "float64": "f64",
    "complex64": "c64",
    "complex128": "c128",
}

_VECTOR_MATH_BASIC = ("exp", "log", "sin", "cos", "pow")
_VECTOR_MATH_235 = (
    "acos",
    "acosh",
    "asin",
    "asinh",
    "atan",
    "atan2",
    "atanh",
    "cosh",
    "erf",
    "erfc",
    "exp2",
    "expm1",
    "hypot",
    "log10",
    "log1p",
    "log2",
    "sinh",
    "tan",
    "tanh",
)


def _simd_decls(names: tuple[str, ...]) -> str:
    lines = []
    for name in names:
        binary = name in ("pow", "atan2", "hypot")
        for t, suffix in (("double", ""), ("float", "f")):
            params = f"{t}, {t}" if binary else t
            lines.append(f"#pragma omp declare simd notinbranch\n{t} {name}{suffix}({params});")
    return "\n".join(lines) + "\n"


#: <math.h>, plus -- when the build defines PT_C_USE_LIBMVEC (and links -lmvec) --
#: declarations that let gcc call glibc's vector math library (libmvec) from loops
#: marked ``#pragma omp simd`` (glibc only declares them itself under -ffast-math).
#: libmvec functions are accurate to 4 ulp; the extended set needs glibc >= 2.35.
MATH_INCLUDE = (
    "#include <math.h>\n#include <float.h>\n"
    "#ifndef M_PI\n#define M_PI 3.14159265358979323846\n#endif\n"
    "#ifndef M_SQRT1_2\n#define M_SQRT1_2 0.70710678118654752440\n#endif\n"
    "#if defined(PT_C_USE_LIBMVEC) && defined(__x86_64__) && defined(__GLIBC__) \\\n"
    "    && !defined(__FAST_MATH__)\n"
    + _simd_decls(_VECTOR_MATH_BASIC)
    + "#if __GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 35)\n"
    + _simd_decls(_VECTOR_MATH_235)
    + "#endif\n#endif\n"
)


def in_dtypes(node: Any) -> list[str]:
    return [i.type.dtype for i in node.inputs]


def out_dtype(node: Any) -> str:
    return str(node.outputs[0].type.dtype)


def supported(node: Any) -> bool:
    """Whether every input and output dtype has a C kernel here (no float16, no complex)."""
    return all(
        v.type.dtype in CTYPES and v.type.dtype not in COMPLEX_DTYPES
        for v in (*node.inputs, *node.outputs)
    )


def unsigned_of(dtype: str) -> str:
    """The unsigned C type of the same width (wrap-around arithmetic without C's UB)."""
    return CTYPES["u" + dtype] if dtype in INT_DTYPES else CTYPES[dtype]


def cfloat(dtype: str) -> str:
    return CTYPES[dtype]


def libm(name: str, dtype: str) -> str:
    """The libm function ``name`` in the precision of ``dtype`` (``expf`` for float32)."""
    return name + "f" if dtype == "float32" else name


def flit(value: str, dtype: str) -> str:
    """A floating literal of ``dtype`` (``0.5f`` for float32)."""
    return f"(({CTYPES[dtype]}){value})" if dtype == "float32" else f"({value})"


def as_float(dtype: str) -> bool:
    return dtype in FLOAT_DTYPES


def cast(expr: str, src: str, dst: str) -> str:
    """``expr`` (of dtype ``src``) converted to ``dst`` as NumPy's ``astype`` does.

    Floats go to narrow integers through int32 and to uint32/uint64 through
    int64, reproducing x86 NumPy's wrap-around for out-of-range values instead
    of C's undefined behaviour.
    """
    if src == dst:
        return expr
    if dst == "bool":
        return f"((npy_bool)(({expr}) != 0))"
    if src in FLOAT_DTYPES and dst in ("int8", "int16", "uint8", "uint16"):
        return f"(({CTYPES[dst]})(npy_int32)({expr}))"
    if src in FLOAT_DTYPES and dst == "uint32":
        return f"((npy_uint32)(npy_int64)({expr}))"
    if src in FLOAT_DTYPES and dst == "uint64":
        return f"pt_s_f2u64_{_SHORT[src]}({expr})"
    return f"(({CTYPES[dst]})({expr}))"


def _f2u64(src: str) -> str:
    t = CTYPES[src]
    return (
        f"static inline npy_uint64 pt_s_f2u64_{_SHORT[src]}({t} x)\n{{\n"
        "    /* NumPy on x86: values from 2**63 on go through x - 2**63; the rest,\n"
        "       NaN and negatives included, through int64 (two's complement). */\n"
        f"    if (x >= ({t})9223372036854775808.0)\n"
        f"        return ((npy_uint64)(npy_int64)(x - ({t})9223372036854775808.0))"
        " ^ 0x8000000000000000ULL;\n"
        "    return (npy_uint64)(npy_int64)x;\n}\n"
    )


def _token(op: Any) -> str:
    from pytensor.graph.hashing import stable_token

    try:
        return repr(stable_token(op))
    except TypeError:
        return repr(op)


def build(
    op: Any,
    node: Any,
    name: str,
    body: str,
    *,
    dtypes: Sequence[str] | None = None,
    extra: Sequence[str] = (),
) -> CScalarImpl:
    """Wrap ``body`` (C statements using ``x0``, ``x1``, ...) into a support function.

    ``dtypes`` overrides the input dtypes (defaults to the node's); ``extra`` are
    support snippets the body needs (emitted before it).
    """
    ins = list(dtypes) if dtypes is not None else in_dtypes(node)
    out = out_dtype(node)
    sig = "_".join(_SHORT[d] for d in ins)
    fname = f"pt_s_{name}_{sig}__{_SHORT[out]}"
    params = ", ".join(f"{CTYPES[d]} x{k}" for k, d in enumerate(ins)) or "void"
    support = f"static inline {CTYPES[out]} {fname}({params})\n{{\n{body}\n}}\n"
    conv = [_f2u64(d) for d in FLOAT_DTYPES if f"pt_s_f2u64_{_SHORT[d]}(" in body]
    args = ", ".join(f"{{{k}}}" for k in range(len(ins)))
    key = f"{type(op).__name__}:{_token(op)}:{','.join(ins)}->{out}"
    return CScalarImpl(
        expr=f"{fname}({args})",
        key=key,
        support=(MATH_INCLUDE, *conv, *extra, support),
    )
