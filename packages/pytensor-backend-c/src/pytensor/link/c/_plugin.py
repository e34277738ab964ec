"""Entry point of the C backend in ``pytensor.extensions``: registers the mode "C"
(layer: pytensor-backend-c). Cheap: imports neither cffi nor the dispatch registry."""

from __future__ import annotations

__all__ = ["register"]


def register() -> None:
    from pytensor.compile.mode import Mode, predefined_modes, register_mode

    if "C" not in predefined_modes:
        register_mode("C", Mode("c", "fast_run"))
