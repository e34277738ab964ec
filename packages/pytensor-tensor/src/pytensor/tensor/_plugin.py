"""Entry point of the tensor layer in ``pytensor.extensions`` (layer: pytensor-tensor).

Importing ``pytensor.tensor`` registers the tensor shared-variable
constructor, and ``pytensor.tensor.rewriting`` the tensor rewrites, so that
``pytensor.shared(array)`` and ``pytensor.function`` see them even when user
code never imported ``pytensor.tensor`` itself.
"""

from __future__ import annotations

__all__ = ["register"]


def register() -> None:
    import pytensor.tensor  # noqa: F401
    import pytensor.tensor.rewriting  # noqa: F401 (registers the tensor rewrites into optdb)
