"""Entry point of the JAX backend in ``pytensor.extensions`` (layer: pytensor-backend-jax).

Registers the modes ``"JAX"`` (the ``fast_run`` rewrites, JAX's excluded tags, runtime
checks kept) and ``"JAX_UNCHECKED"`` (the same without runtime checks). Does not import JAX.
"""

from __future__ import annotations

__all__ = ["register"]


def register() -> None:
    from pytensor.compile.mode import Mode, predefined_modes, register_mode
    from pytensor.link.jax import JAXLinker

    if "JAX" not in predefined_modes:
        register_mode("JAX", Mode(JAXLinker(), "fast_run"))
    if "JAX_UNCHECKED" not in predefined_modes:
        register_mode("JAX_UNCHECKED", Mode(JAXLinker(checks=False), "fast_run"))
