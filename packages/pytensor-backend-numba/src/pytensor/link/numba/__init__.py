"""The numba backend (layer: pytensor-backend-numba).

A FunctionGraph becomes one generated module jitted by numba as one function,
with fused elementwise loops and an on-disk cache of compiled code. Select it
with ``Mode(linker="numba")`` or the ``"NUMBA"`` mode. Importing this package
does not import numba; linking a graph does.
"""

from pytensor.link.numba.linker import NumbaBackend, NumbaLinker, backend

__all__ = ["NumbaBackend", "NumbaLinker", "backend"]
