"""Entry point of the numba backend in ``pytensor.extensions`` (layer: pytensor-backend-numba).

Registers the ``"NUMBA"`` mode: the numba backend with the ``fast_run`` rewrites.
It does not import numba.
"""

from __future__ import annotations

__all__ = ["register"]


def register() -> None:
    from pytensor.compile.mode import Mode, predefined_modes, register_mode

    if "NUMBA" not in predefined_modes:
        register_mode("NUMBA", Mode("numba", "fast_run"))
