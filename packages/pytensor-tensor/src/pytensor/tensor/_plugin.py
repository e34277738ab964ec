"""Entry point of the tensor layer in ``pytensor.extensions`` (layer: pytensor-tensor).

Importing ``pytensor.tensor`` registers the tensor shared-variable
constructor (and, as they are added, the tensor rewrites and modes), so that
``pytensor.shared(array)`` and ``pytensor.function`` see them even when user
code never imported ``pytensor.tensor`` itself.
"""

from __future__ import annotations

__all__ = ["register"]


def register() -> None:
    import pytensor.tensor  # noqa: F401
