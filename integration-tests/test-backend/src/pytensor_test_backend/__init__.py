"""A test-only backend plugin: runs graphs node by node with ``Op.perform``.

It exists to prove that a third-party distribution can add a backend through the
``pytensor.backends`` entry-point group without touching PyTensor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pytensor.link.backend import Backend

__all__ = ["PerformBackend", "backend", "calls"]

#: How many times a function linked by this backend has been called.
calls = 0


class PerformBackend(Backend):
    """Evaluate each Apply node in topological order with its Op's ``perform``."""

    name = "testpy"
    priority = -10  # never the default backend
    required_tags: tuple[str, ...] = ()
    excluded_tags: tuple[str, ...] = ()
    extra = None

    def is_available(self) -> tuple[bool, str]:
        return True, ""

    def link(self, fgraph: Any, **options: Any) -> Callable[..., list]:
        nodes = fgraph.toposort()
        inputs, outputs = list(fgraph.inputs), list(fgraph.outputs)

        def run(*values: Any) -> list:
            global calls
            calls += 1
            storage = dict(zip(inputs, values, strict=True))
            for node in nodes:
                for var in node.inputs:
                    if var not in storage:  # a constant
                        storage[var] = var.data
                out = [[None] for _ in node.outputs]
                node.op.perform(node, [storage[v] for v in node.inputs], out)
                storage.update((v, cell[0]) for v, cell in zip(node.outputs, out, strict=True))
            return [storage[v] if v in storage else v.data for v in outputs]

        return run


backend = PerformBackend()
