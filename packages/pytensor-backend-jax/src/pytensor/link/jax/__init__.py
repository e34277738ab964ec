"""The JAX backend: the whole graph becomes one ``jax.jit`` function (layer: pytensor-backend-jax).

Importing this package does not import JAX; it is imported when a graph is linked
(``pytensor.link.jax.linker``) or when the dispatch registry is imported
(``pytensor.link.jax.dispatch``).
"""

from __future__ import annotations

import importlib.util
from typing import Any

from pytensor.link.backend import Backend, Linker, Runner

__all__ = ["JAXBackend", "JAXLinker", "backend"]


class JAXBackend(Backend):
    """Runs a graph as one function compiled by ``jax.jit``.

    Never the default backend (priority -5): select it with ``Mode(linker="jax")`` or the
    modes ``"JAX"`` and ``"JAX_UNCHECKED"``.

    Link options
    ------------
    checks
        Keep runtime checks (Assert/CheckAndRaise conditions, index bounds) inside the
        compiled function and raise their exceptions after a call (default True). With
        ``checks=False`` they are dropped, for speed.
    """

    name = "jax"
    priority = -5
    extra = "jax"
    #: JAX (XLA) fuses on its own and has no in-place updates.
    excluded_tags = ("fusion", "inplace")

    def is_available(self) -> tuple[bool, str]:
        if importlib.util.find_spec("jax") is None:
            return False, 'jax is not installed: pip install "pytensor[jax]"'
        return True, ""

    def link(self, fgraph: Any, checks: bool = True, **options: Any) -> Runner:
        from pytensor.link.jax.linker import link_fgraph

        runner: Runner = link_fgraph(fgraph, checks=checks, **options)
        return runner

    def make_linker(self, **options: Any) -> Linker:
        return JAXLinker(self, **options)

    def op_status(self, op_class: type) -> str:
        from pytensor.link.jax.dispatch import op_status

        return op_status(op_class)


class JAXLinker(Linker):
    """The Linker of the JAX backend; ``JAXLinker(checks=False)`` drops runtime checks."""

    def __init__(self, backend_: Backend | None = None, **options: Any) -> None:
        if backend_ is not None and not isinstance(backend_, Backend):
            raise TypeError(f"JAXLinker: expected a Backend, got {backend_!r}")
        super().__init__(backend_ if backend_ is not None else backend, **options)


backend = JAXBackend()
