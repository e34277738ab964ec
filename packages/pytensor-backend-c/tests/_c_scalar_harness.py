"""Test helper: compile scalar C kernels into elementwise loops (one shared library for
many kernels) and run them on NumPy arrays, independently of the C backend's linker."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import cffi
import numpy as np

import pytensor.link.c.dispatch.scalar  # noqa: F401 (registers the kernels)
import pytensor.scalar as ps
from pytensor.link.c.dispatch._scalar_c import CTYPES
from pytensor.link.c.dispatch._support import SCALAR_ERROR
from pytensor.link.c.dispatch.basic import c_funcify
from pytensor.scalar.basic import array_function

__all__ = ["KernelSet", "reference"]

_PRELUDE = """
typedef unsigned char npy_bool;
typedef signed char npy_int8;
typedef short npy_int16;
typedef int npy_int32;
typedef long long npy_int64;
typedef unsigned char npy_uint8;
typedef unsigned short npy_uint16;
typedef unsigned int npy_uint32;
typedef unsigned long long npy_uint64;
typedef float npy_float32;
typedef double npy_float64;
/* The scalar error channel (_support.SCALAR_ERROR) without Python: run() reads it. */
static _Thread_local const char *pyt_scalar_error;
const char *pyt_take_error(void)
{
    const char *msg = pyt_scalar_error;
    pyt_scalar_error = 0;
    return msg;
}
"""


def _flags() -> tuple[str, ...]:
    """The C backend's optimisation flags (vectorised libm calls included)."""
    try:
        from pytensor.link.c.build import OPT_FLAGS
    except ImportError:
        OPT_FLAGS = ("-O3", "-fno-math-errno", "-fno-trapping-math", "-fopenmp-simd")
    # PT_C_TEST_LIBMVEC=1: vectorised libm calls through glibc's libmvec (see _scalar_c).
    vector_math = ("-DPT_C_USE_LIBMVEC",) if os.environ.get("PT_C_TEST_LIBMVEC") else ()
    extra = tuple(os.environ.get("PT_C_TEST_CFLAGS", "").split())
    return ("-std=gnu11", *OPT_FLAGS, *vector_math, *extra)


def make_node(op: Any, dtypes: Sequence[str], constants: dict[int, Any] | None = None) -> Any:
    """``op`` applied to scalar variables of ``dtypes`` (or constants at given positions)."""
    inputs: list[Any] = []
    for k, d in enumerate(dtypes):
        if constants and k in constants:
            inputs.append(ps.constant(np.asarray(constants[k], dtype=d)[()]))
        else:
            inputs.append(ps.get_scalar_type(d)())
    return op.make_node(*inputs)


def reference(node: Any, arrays: Sequence[np.ndarray]) -> np.ndarray:
    """What ``Elemwise.perform`` computes for ``node``'s scalar Op on these arrays."""
    out = node.outputs[0].type.dtype
    with np.errstate(all="ignore"):
        res = array_function(node.op, (out,))(*arrays)
    return np.asarray(res, dtype=out)


class KernelSet:
    """Kernels of many scalar nodes compiled into one shared library.

    ``add(node)`` registers a node (returns its loop name or None when ``c_funcify``
    gives no kernel); ``compile()`` builds; ``run(name, arrays)`` evaluates (and
    raises the ValueError a kernel reported through the scalar error channel).
    """

    def __init__(self) -> None:
        self.support: list[str] = []
        self.loops: list[str] = []
        self.nodes: dict[str, Any] = {}

    def add(self, node: Any) -> str | None:
        impl = c_funcify(node.op, node)
        if impl is None:
            return None
        name = f"loop{len(self.loops)}"
        ins = [i.type.dtype for i in node.inputs]
        out = node.outputs[0].type.dtype
        args = [f"(({CTYPES[d]} *)ins[{k}])[i]" for k, d in enumerate(ins)]
        expr = impl.expr.format(*args)
        for s in impl.support:
            if s not in self.support and s != SCALAR_ERROR:
                self.support.append(s)
        self.loops.append(
            f"void {name}(void **ins, void *out, long n)\n{{\n"
            "    #pragma omp simd\n"
            f"    for (long i = 0; i < n; i++) (({CTYPES[out]} *)out)[i] = {expr};\n}}\n"
        )
        self.nodes[name] = node
        return name

    def compile(self) -> None:
        source = _PRELUDE + "\n".join(self.support) + "\n" + "\n".join(self.loops)
        flags = [*_flags(), *(["-lmvec"] if os.environ.get("PT_C_TEST_LIBMVEC") else [])]
        digest = hashlib.sha256((source + repr(flags)).encode()).hexdigest()[:16]
        cache = Path(tempfile.gettempdir()) / f"pt_c_scalar_tests_{os.getuid()}"
        cache.mkdir(exist_ok=True, mode=0o700)
        lib = cache / f"k_{digest}.so"
        if not lib.exists():
            src = cache / f"k_{digest}.c"
            src.write_text(source)
            cc = os.environ.get("CC") or shutil.which("cc") or "gcc"
            tmp = cache / f"k_{digest}.{os.getpid()}.so"
            subprocess.run(
                [
                    cc,
                    *flags,
                    "-shared",
                    "-fPIC",
                    "-Wall",
                    "-Werror",
                    "-o",
                    str(tmp),
                    str(src),
                    "-lm",
                ],
                check=True,
                capture_output=True,
                text=True,
            )
            tmp.replace(lib)
        self.ffi = cffi.FFI()
        self.ffi.cdef(
            "const char *pyt_take_error(void);"
            + "".join(f"void {n}(void **ins, void *out, long n);" for n in self.nodes)
        )
        self.lib = self.ffi.dlopen(str(lib))

    def run(self, name: str, arrays: Sequence[np.ndarray]) -> np.ndarray:
        node = self.nodes[name]
        arrays = [
            np.ascontiguousarray(a, dtype=i.type.dtype)
            for a, i in zip(arrays, node.inputs, strict=True)
        ]
        n = max(a.size for a in arrays) if arrays else 1
        arrays = [np.ascontiguousarray(np.broadcast_to(a, (n,))) for a in arrays]
        out = np.empty(n, dtype=node.outputs[0].type.dtype)
        ptrs = self.ffi.new(
            "void *[]", [self.ffi.from_buffer(a) for a in arrays] or [self.ffi.NULL]
        )
        getattr(self.lib, name)(ptrs, self.ffi.from_buffer(out), n)
        error = self.lib.pyt_take_error()
        if error != self.ffi.NULL:
            raise ValueError(self.ffi.string(error).decode())
        return out
