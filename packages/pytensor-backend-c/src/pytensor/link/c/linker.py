"""The C backend: ``CBackend.link`` turns a FunctionGraph into one compiled C module
and returns its driver (layer: pytensor-backend-c).

Importing this module is cheap: cffi, the dispatch registry and the compiler
are reached only when a graph is linked.
"""

from __future__ import annotations

import logging
import weakref
from dataclasses import dataclass
from typing import Any

from pytensor.graph.fg import FunctionGraph
from pytensor.link.backend import Backend, Linker, Runner

__all__ = ["CBackend", "CLinker", "LinkInfo", "backend", "link_info"]

_log = logging.getLogger("pytensor.link.c")


@dataclass(frozen=True)
class LinkInfo:
    """What ``CBackend.link`` built for a runner: for inspection and tests."""

    source: str
    key: str
    fallback_nodes: tuple[Any, ...]
    module_name: str


_infos: weakref.WeakKeyDictionary[Any, LinkInfo] = weakref.WeakKeyDictionary()


def link_info(runner: Any) -> LinkInfo:
    """The generated source, cache key and ``perform`` fallbacks behind a C runner.

    ``runner`` is what ``CBackend.link`` returned (``function(...).vm``).
    """
    return _infos[runner]


#: Op classes already reported as running through ``perform`` in this process.
_reported: set[type] = set()


def _annotator(nodes: list[Any]) -> Any:
    def on_error(exc: BaseException, k: int) -> None:
        node = nodes[k]
        inputs = ", ".join(f"{i} <{i.type}>" for i in node.inputs)
        exc.add_note(f"Raised while computing {node.op} applied to ({inputs}) on the c backend")

    return on_error


def _report(fallback_nodes: list[Any]) -> None:
    for node, reason in fallback_nodes:
        cls = type(node.op)
        if cls in _reported:
            continue
        _reported.add(cls)
        _log.warning(
            "c backend: %s (Op class %s.%s) runs through its Python perform method: %s",
            node.op,
            cls.__module__,
            cls.__qualname__,
            reason,
        )


class CBackend(Backend):
    """Runs a graph as one C extension module built with cffi and the system compiler.

    Nodes whose Op has no C implementation (``c_funcify`` returns None) run
    through their ``perform`` inside the same driver; each such Op class is
    reported once per process, at compile time, as a WARNING on the
    ``pytensor.link.c`` logger.
    """

    name = "c"
    priority = 20  # after numba, before the Python backend (DESIGN.md §3)
    extra = "c"

    def is_available(self) -> tuple[bool, str]:
        from pytensor.link.c.build import missing_requirements

        reason = missing_requirements()
        return (reason is None, reason or "")

    def link(self, fgraph: FunctionGraph, **options: Any) -> Runner:
        from pytensor.link.c import build, cache
        from pytensor.link.c._codegen import generate
        from pytensor.link.python import _check_perform

        nodes = fgraph.toposort()
        if any(getattr(n.op, "lazy", False) for n in nodes):
            from pytensor.link.python import backend as py_backend

            _log.warning("c backend: graph with lazy Ops runs on the py backend")
            return py_backend.link(fgraph, **options)
        gen = generate(fgraph, nodes)
        for node, _ in gen.fallback_nodes:
            _check_perform(node)
        _report(gen.fallback_nodes)
        module, key = cache.get_module(gen.source, build.toolchain())
        ctx = (gen.constants, gen.fallbacks, _annotator(gen.nodes))
        runner = build.make_runner(module, ctx)
        fallback = tuple(n for n, _ in gen.fallback_nodes)
        _infos[runner] = LinkInfo(gen.source, key, fallback, module.__name__)
        return runner

    def make_linker(self, **options: Any) -> Linker:
        return CLinker(self, **options)

    def op_status(self, op_class: type) -> str:
        from pytensor.graph.op import Op
        from pytensor.link.c.dispatch import op_class_status

        status = op_class_status(op_class)
        if status is not None:
            return status

        perform = getattr(op_class, "perform", None)
        return "perform" if perform is not None and perform is not Op.perform else "missing"


class CLinker(Linker):
    """The Linker of the C backend (``mode.linker`` of the C modes)."""

    def __init__(self, backend_: Backend | None = None, **options: Any) -> None:
        super().__init__(backend_ if backend_ is not None else backend, **options)


backend = CBackend()
