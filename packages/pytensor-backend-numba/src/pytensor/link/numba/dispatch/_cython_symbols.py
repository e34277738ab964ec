"""LLVM symbols for SciPy's Cython-exported C functions (layer: pytensor-backend-numba).

The numba kernels call LAPACK (``scipy.linalg.cython_lapack``) and the special
functions (``scipy.special.cython_special``) through symbols named
``pytensor_cython_<lapack|special>_<function>``, bound to the functions' addresses
with ``llvmlite.binding.add_symbol``. Compiled code refers to the name only, so it
can be cached on disk; but a process that loads such code must bind the symbols
first (an unbound one crashes the process). Every ``numba_funcify`` that uses a
kernel binds its symbol when it is called, and the linker calls ``numba_funcify``
for every node before it loads a cached graph, so the symbols are bound in time;
a loader that skips ``numba_funcify`` must record :func:`registered_symbols` with
the cache entry (or list the ``pytensor_``-prefixed undefined symbols of the cached
library) and call :func:`ensure_symbols` first.

This module is the one registry of every ``pytensor_*`` symbol the backend binds:
:func:`ensure_symbols` also binds the BLAS symbols of ``_blas_symbols``
(``pytensor_blas<bits>_<routine>``), without importing SciPy when they come from
NumPy's bundled OpenBLAS.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["add_symbol", "cython_symbol", "ensure_symbols", "registered_symbols"]

_MODULES = {
    "lapack": "scipy.linalg.cython_lapack",
    "special": "scipy.special.cython_special",
}
_PREFIX = "pytensor_cython_"
_registered: set[str] = set()


def add_symbol(symbol: str, address: int) -> None:
    """Bind LLVM symbol ``symbol`` to ``address`` and record it (no-op when bound already)."""
    if symbol in _registered:
        return
    if not address:
        raise ImportError(f"cannot bind {symbol!r}: the function's address is NULL")
    import llvmlite.binding as llvm

    llvm.add_symbol(symbol, address)
    _registered.add(symbol)


def cython_symbol(module: str, function: str) -> str:
    """Bind (once) and return the symbol of ``function`` of SciPy's Cython ``module``
    (``"lapack"`` or ``"special"``), e.g. ``cython_symbol("lapack", "dgetrf")``."""
    symbol = f"{_PREFIX}{module}_{function}"
    if symbol not in _registered:
        from numba.core.extending import get_cython_function_address

        add_symbol(symbol, get_cython_function_address(_MODULES[module], function))
    return symbol


def registered_symbols() -> frozenset[str]:
    """The symbols bound so far in this process."""
    return frozenset(_registered)


def ensure_symbols(symbols: Iterable[str]) -> None:
    """Bind ``symbols`` (names from :func:`registered_symbols`) before loading code using them.

    Any ``pytensor_*`` name the backend produces is accepted: SciPy Cython kernels
    (``pytensor_cython_<module>_<function>``) and BLAS routines
    (``pytensor_blas<bits>_<routine>``). Raises ValueError for any other name.
    """
    for symbol in symbols:
        if symbol in _registered:
            continue
        if symbol.startswith("pytensor_blas"):
            from pytensor.link.numba.dispatch._blas_symbols import bind_symbol

            bind_symbol(symbol)
            continue
        module, _, function = symbol.removeprefix(_PREFIX).partition("_")
        if not symbol.startswith(_PREFIX) or module not in _MODULES or not function:
            raise ValueError(f"not a pytensor cython symbol: {symbol!r}")
        cython_symbol(module, function)
