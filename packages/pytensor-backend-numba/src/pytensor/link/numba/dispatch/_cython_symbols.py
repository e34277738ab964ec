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
the cache entry and call :func:`ensure_symbols` first.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["cython_symbol", "ensure_symbols", "registered_symbols"]

_MODULES = {
    "lapack": "scipy.linalg.cython_lapack",
    "special": "scipy.special.cython_special",
}
_PREFIX = "pytensor_cython_"
_registered: set[str] = set()


def cython_symbol(module: str, function: str) -> str:
    """Bind (once) and return the symbol of ``function`` of SciPy's Cython ``module``
    (``"lapack"`` or ``"special"``), e.g. ``cython_symbol("lapack", "dgetrf")``."""
    symbol = f"{_PREFIX}{module}_{function}"
    if symbol not in _registered:
        import llvmlite.binding as llvm

        from numba.core.extending import get_cython_function_address

        llvm.add_symbol(symbol, get_cython_function_address(_MODULES[module], function))
        _registered.add(symbol)
    return symbol


def registered_symbols() -> frozenset[str]:
    """The symbols bound so far in this process."""
    return frozenset(_registered)


def ensure_symbols(symbols: Iterable[str]) -> None:
    """Bind ``symbols`` (names from :func:`registered_symbols`) before loading code using them.

    Raises ValueError for a name this module did not produce.
    """
    for symbol in symbols:
        if symbol in _registered:
            continue
        module, _, function = symbol.removeprefix(_PREFIX).partition("_")
        if not symbol.startswith(_PREFIX) or module not in _MODULES or not function:
            raise ValueError(f"not a pytensor cython symbol: {symbol!r}")
        cython_symbol(module, function)
