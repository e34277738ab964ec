"""Where the BLAS kernels of the C backend find their routines (layer: pytensor-backend-c).

A generated module calls :func:`blas_pointers` once, on the first Dot or
Matmul it runs, and keeps the addresses. First choice: the OpenBLAS that NumPy
wheels bundle (``numpy.libs/libscipy_openblas64_*.so`` and the like, already
loaded by NumPy, so this costs a ``dlopen`` of a loaded library and six
``dlsym``). Fallback, when NumPy has no bundled OpenBLAS (e.g. a conda or
distribution NumPy linked to a system BLAS): the function pointers SciPy
exports from ``scipy.linalg.cython_blas``, whose import costs ~0.2 s. Either
way no BLAS library is named when a module is linked.
"""

from __future__ import annotations

import functools
import glob
import os

__all__ = ["ROUTINES", "blas_pointers", "numpy_blas", "scipy_blas"]

#: The routines the kernels call, in the order of the addresses handed to C.
ROUTINES = ("dgemm", "sgemm", "dgemv", "sgemv", "ddot", "sdot")

#: (symbol prefix, suffix, integer bits) of the builds of scipy-openblas NumPy bundles:
#: ``scipy_openblas64`` (ILP64, NumPy >= 2 wheels) and ``scipy_openblas32``.
_SYMBOL_STYLES = (("scipy_", "_64_", 64), ("scipy_", "_", 32))


def _bundled_libraries() -> list[str]:
    import numpy as np

    pkg = os.path.dirname(np.__file__)
    patterns = (
        os.path.join(os.path.dirname(pkg), "numpy.libs", "libscipy_openblas*"),  # Linux, Windows
        os.path.join(pkg, ".dylibs", "libscipy_openblas*"),  # macOS
    )
    return sorted(p for pat in patterns for p in glob.glob(pat))


def numpy_blas() -> tuple[int, tuple[int, ...]] | None:
    """(integer width in bits, addresses of :data:`ROUTINES`) in NumPy's bundled OpenBLAS,
    or None when NumPy bundles none (or it lacks a routine)."""
    import ctypes

    for path in _bundled_libraries():
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix, suffix, bits in _SYMBOL_STYLES:
            try:
                funcs = [getattr(lib, f"{prefix}{name}{suffix}") for name in ROUTINES]
            except AttributeError:
                continue
            return bits, tuple(ctypes.cast(f, ctypes.c_void_p).value or 0 for f in funcs)
    return None


def scipy_blas() -> tuple[int, tuple[int, ...]]:
    """(32, addresses of :data:`ROUTINES`) from ``scipy.linalg.cython_blas``'s capsules.

    ImportError (naming what is missing) when SciPy is absent or lacks a routine.
    """
    import ctypes

    try:
        from scipy.linalg import cython_blas
    except ImportError as exc:
        raise ImportError(
            "the C backend's Dot/Matmul need BLAS: NumPy bundles none here and SciPy "
            f"cannot be imported ({exc}); install scipy"
        ) from None
    capi = cython_blas.__pyx_capi__
    get_name = ctypes.pythonapi.PyCapsule_GetName
    get_name.restype, get_name.argtypes = ctypes.c_char_p, [ctypes.py_object]
    get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
    get_pointer.restype, get_pointer.argtypes = ctypes.c_void_p, [ctypes.py_object, ctypes.c_char_p]
    addresses = []
    for name in ROUTINES:
        if name not in capi:
            raise ImportError(f"scipy.linalg.cython_blas exports no {name}")
        cap = capi[name]
        addresses.append(int(get_pointer(cap, get_name(cap)) or 0))
    return 32, tuple(addresses)


@functools.cache
def blas_pointers() -> tuple[int, tuple[int, ...]]:
    """(integer width, addresses of :data:`ROUTINES`): NumPy's bundled OpenBLAS, else SciPy's.

    Called by the generated modules (once each); cached for the process.
    """
    found = numpy_blas()
    return found if found is not None else scipy_blas()
