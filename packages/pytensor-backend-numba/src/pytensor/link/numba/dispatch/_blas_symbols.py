"""Which BLAS the numba products call, bound to LLVM symbols (layer: pytensor-backend-numba).

The product kernels (``_blas_dot``) call the Fortran BLAS routines ``?gemm`` and
``?gemv`` through symbols named ``pytensor_blas<bits>_<routine>``, e.g.
``pytensor_blas64_dgemv``, where ``<bits>`` is the width of BLAS's integer
arguments: 64 for an ILP64 build, 32 for an LP64 one. Compiled code refers to the
name only, so machine code cached on disk stays valid in a new process once the
name is bound again (:func:`bind_symbol`, called through
``_cython_symbols.ensure_symbols``); the width in the name guarantees that code
compiled for one integer width is never bound to a library of the other.

Where the addresses come from:

1. the OpenBLAS that NumPy wheels bundle (``numpy.libs/libscipy_openblas64_*.so``
   on Linux, ``numpy/.dylibs`` on macOS), already loaded by NumPy, so finding it
   costs a ``dlopen`` of a loaded library and a ``dlsym`` per routine, and
   imports nothing;
2. else SciPy's ``scipy.linalg.cython_blas`` (LP64), whose import runs
   ``scipy/linalg/__init__.py`` (~0.1 s).

The environment variable ``PYTENSOR_NUMBA_BLAS`` overrides the choice for code
compiled from now on: ``numpy`` (NumPy's bundled OpenBLAS or an error), ``scipy``
(always SciPy's), or ``auto`` (the default, the order above). Code already compiled
keeps the library its symbol names imply.
"""

from __future__ import annotations

import functools
import os
from typing import Any

from pytensor.link.numba.dispatch import _cython_symbols

__all__ = ["ENV_VAR", "ROUTINES", "bind_symbol", "blas_bits", "blas_symbol", "is_blas_symbol"]

#: The environment variable choosing the BLAS of newly compiled code.
ENV_VAR = "PYTENSOR_NUMBA_BLAS"
#: The routines the kernels call (Fortran interface: every argument is a pointer).
ROUTINES = frozenset(p + r for p in "sdcz" for r in ("gemm", "gemv"))

_PREFIX = "pytensor_blas"
#: (symbol prefix, symbol suffix, integer bits) of the OpenBLAS builds NumPy bundles:
#: scipy-openblas64 (ILP64, NumPy >= 2 wheels), scipy-openblas32 (LP64), and the
#: ``openblas64_`` of NumPy 1.x wheels.
_STYLES = (("scipy_", "_64_", 64), ("scipy_", "_", 32), ("", "_64_", 64))


def _choice() -> str:
    value = os.environ.get(ENV_VAR, "auto").strip().lower() or "auto"
    if value not in ("auto", "numpy", "scipy"):
        raise ValueError(f"{ENV_VAR}={value!r}: expected 'auto', 'numpy' or 'scipy'")
    return value


@functools.cache
def _numpy_openblas() -> tuple[Any, str, str, int] | None:
    """(library, symbol prefix, suffix, bits) of NumPy's bundled OpenBLAS, or None."""
    import ctypes
    import glob

    import numpy as np

    pkg = os.path.dirname(np.__file__)
    patterns = (
        os.path.join(os.path.dirname(pkg), "numpy.libs", "lib*openblas*"),  # Linux wheels
        os.path.join(pkg, ".dylibs", "lib*openblas*"),  # macOS wheels
    )
    for path in sorted(p for pattern in patterns for p in glob.glob(pattern)):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix, suffix, bits in _STYLES:
            if all(hasattr(lib, f"{prefix}{name}{suffix}") for name in ROUTINES):
                return lib, prefix, suffix, bits
    return None


def blas_bits() -> int:
    """The integer width (64 or 32) of the BLAS that code compiled now calls.

    Cheap after the first call; imports ``scipy.linalg`` only on the SciPy path.
    """
    choice = _choice()
    found = None if choice == "scipy" else _numpy_openblas()
    if found is not None:
        return found[3]
    if choice == "numpy":
        raise ImportError(
            f"{ENV_VAR}=numpy, but NumPy bundles no OpenBLAS here (e.g. a NumPy linked to "
            "a system BLAS); unset it to use scipy.linalg.cython_blas"
        )
    _scipy_address("dgemm")  # fails here, with the reason, when SciPy is missing
    return 32


def _scipy_address(routine: str) -> int:
    try:
        from numba.core.extending import get_cython_function_address

        return int(get_cython_function_address("scipy.linalg.cython_blas", routine))
    except ImportError as exc:
        raise ImportError(
            "the numba backend's Dot/Matmul need BLAS: NumPy bundles no OpenBLAS here and "
            f"scipy.linalg.cython_blas cannot be imported ({exc}); install scipy"
        ) from None


def _address(bits: int, routine: str) -> int:
    """The address of ``routine`` in a BLAS whose integers have ``bits`` bits."""
    import ctypes

    found = None if (bits == 32 and _choice() == "scipy") else _numpy_openblas()
    if found is not None and found[3] == bits:
        lib, prefix, suffix, _ = found
        return ctypes.cast(getattr(lib, f"{prefix}{routine}{suffix}"), ctypes.c_void_p).value or 0
    if bits == 32:
        return _scipy_address(routine)
    raise ImportError(
        f"cannot bind {_PREFIX}{bits}_{routine}: code compiled against NumPy's ILP64 "
        "OpenBLAS, which this NumPy does not bundle"
    )


def is_blas_symbol(symbol: str) -> bool:
    """Whether ``symbol`` is a name :func:`blas_symbol` produces."""
    bits, _, routine = symbol.removeprefix(_PREFIX).partition("_")
    return symbol.startswith(_PREFIX) and bits in ("32", "64") and routine in ROUTINES


def bind_symbol(symbol: str) -> None:
    """Bind ``symbol`` (``pytensor_blas<bits>_<routine>``) to its routine, once.

    ValueError for a name this module does not produce; ImportError when no
    library of that integer width is available.
    """
    if symbol in _cython_symbols.registered_symbols():
        return
    if not is_blas_symbol(symbol):
        raise ValueError(
            f"not a pytensor BLAS symbol: {symbol!r} (expected {_PREFIX}<32|64>_<routine> "
            f"with routine in {sorted(ROUTINES)})"
        )
    bits, _, routine = symbol.removeprefix(_PREFIX).partition("_")
    _cython_symbols.add_symbol(symbol, _address(int(bits), routine))


def blas_symbol(bits: int, routine: str) -> str:
    """Bind (once) and return the symbol of BLAS ``routine`` (e.g. ``"dgemv"``) of width ``bits``."""
    symbol = f"{_PREFIX}{bits}_{routine}"
    bind_symbol(symbol)
    return symbol
