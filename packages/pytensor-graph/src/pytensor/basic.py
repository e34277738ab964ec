"""``pytensor.basic``: PyTensor's path of ``as_symbolic`` and its converter registry (layer: pytensor-graph)."""

from __future__ import annotations

from pytensor.graph.basic import _as_symbolic, as_symbolic

__all__ = ["_as_symbolic", "as_symbolic"]
