"""The numba Backend and Linker: a FunctionGraph becomes one jitted function (layer: pytensor-backend-numba).

``NumbaBackend.link`` asks ``numba_funcify`` for each node's kernel, generates
one module whose ``graph_fn`` calls the kernels in topological order
(:mod:`pytensor.link.numba.codegen`), jits it as a single numba function and
caches it on disk (:mod:`pytensor.link.numba.cache`) and in the process
(graphs with the same key share the compiled function; kernels with the same
key are shared between graphs).

numba is imported only when a graph is linked, not when this module is.
"""

from __future__ import annotations

import importlib.util
import threading
import warnings
from typing import TYPE_CHECKING, Any

from pytensor.link.backend import Backend, BackendError, Linker, MissingImplementationError, Runner

if TYPE_CHECKING:
    from pytensor.graph.basic import Apply
    from pytensor.graph.fg import FunctionGraph

__all__ = ["NumbaBackend", "NumbaLinker", "backend", "compile_graph_function", "link_cached"]

_lock = threading.RLock()
#: kernel key -> numba dispatcher, shared by every graph of the process.
_kernels: dict[str, Any] = {}
#: graph key -> (jitted graph_fn, GraphProgram), for graphs linked before in this process.
_graphs: dict[str, Any] = {}
#: warm key -> WarmDispatcher, for top-level graphs linked before in this process.
_warm: dict[str, Any] = {}
#: Op classes already warned about under the perform fallback.
_warned_fallback: set[type] = set()


def _numba_version_ok() -> tuple[bool, str]:
    try:
        importlib.util.find_spec("numba")
    except (ImportError, ValueError) as exc:  # pragma: no cover - broken installs
        return False, f"numba cannot be found: {exc}"
    if importlib.util.find_spec("numba") is None:
        return False, 'numba is not installed: pip install "pytensor[numba]"'
    return True, ""


def _kernel_for(node: Apply, fallback: bool) -> tuple[Any, str | None]:
    """(numba dispatcher, key) for ``node``, from the kernel memo when its key was seen."""
    from pytensor.link.numba.dispatch import numba_funcify
    from pytensor.link.numba.dispatch.basic import numba_njit

    try:
        impl, key = numba_funcify(node.op, node)
    except MissingImplementationError:
        if not fallback:
            raise
        from pytensor.link.numba._fallback import perform_kernel

        if type(node.op) not in _warned_fallback:
            _warned_fallback.add(type(node.op))
            warnings.warn(
                f"The numba backend runs {node.op} (Op class {type(node.op).__name__}) through its "
                "Python perform method (fallback_to_perform=True); it will be slow",
                UserWarning,
                stacklevel=5,
            )
        impl, key = perform_kernel(node), None
    if key is not None:
        with _lock:
            got = _kernels.get(key)
            if got is not None:
                return got, key
    disp = impl if hasattr(impl, "py_func") else numba_njit(impl)
    if key is not None:
        with _lock:
            disp = _kernels.setdefault(key, disp)
    return disp, key


#: Above this many lines, graph_fn inlines only small kernels, then none: numba's compile
#: time grows faster than linearly with the size of one function.
FLAT_MAX_LINES = 1500
SMALL_KERNEL_LINES = 40


def _flatten(source: str, kernel_names: list[str], namespace: dict[str, Any]) -> str:
    """Inline the kernels called by exactly one node into graph_fn (one numba compilation
    instead of one per kernel); kernels several nodes share stay shared calls."""
    from collections import Counter

    from pytensor.link.numba.dispatch._inline import inline_calls, source_of

    uses = Counter(kernel_names)
    once = {name for name, n in uses.items() if n == 1}
    small = {n for n in once if (source_of(namespace[n]) or "").count("\n") <= SMALL_KERNEL_LINES}
    for only in (once, small):
        if not only:
            continue
        trial = dict(namespace)
        flat = inline_calls(source, trial, only=only)
        if flat.count("\n") <= FLAT_MAX_LINES:
            namespace.update(trial)
            return flat
    return source


def _exec_module(source: str, path: Any, kernels: dict[str, Any]) -> Any:
    """Execute the graph module (from its cache file when ``path`` is given); return graph_fn."""
    import numpy as np

    namespace: dict[str, Any] = {"np": np, **kernels}
    filename = str(path) if path is not None else "<pytensor numba graph>"
    exec(compile(source, filename, "exec"), namespace)
    return namespace["graph_fn"]


def compile_graph_function(
    fgraph: FunctionGraph,
    fallback_to_perform: bool = False,
    cache: bool = True,
    top_level: bool = False,
) -> tuple[Any, Any]:
    """Jit ``fgraph`` as one numba function.

    Returns ``(dispatcher, program)``: ``dispatcher(*inputs, *constants)``
    where ``program.const_args`` are the constants (see
    :class:`pytensor.link.numba.codegen.GraphProgram`). Other numba_funcify
    implementations (OpFromGraph, inner graphs) can call this on an inner
    fgraph and use ``dispatcher`` inside their own kernel. ``top_level``: the
    function is only called from Python, so its returned arrays use the
    cheaper boxing of :mod:`pytensor.link.numba.dispatch._boxing`.
    """
    from pytensor.link.numba import cache as disk
    from pytensor.link.numba.codegen import graph_source
    from pytensor.link.numba.dispatch.basic import numba_njit

    nodes = fgraph.toposort()
    kernel_names: list[str] = []
    globals_: dict[str, Any] = {}
    keys: list[str] = []
    by_key: dict[str, str] = {}
    cacheable = True
    for node in nodes:
        disp, key = _kernel_for(node, fallback_to_perform)
        if key is None:
            cacheable = False
            name = f"f{len(globals_)}"
        elif key in by_key:
            kernel_names.append(by_key[key])
            continue
        else:
            name = by_key[key] = f"f{len(globals_)}"
            keys.append(key)
        globals_[name] = disp
        kernel_names.append(name)
    if top_level:
        from pytensor.link.numba.dispatch._boxing import as_returned

        globals_["_returned"] = as_returned
    program = graph_source(fgraph, nodes, kernel_names, "_returned" if top_level else None)
    gkey = disk.graph_key(program.source, keys) if cacheable else None
    if gkey is not None:
        with _lock:
            got = _graphs.get(gkey)
        if got is not None:
            return got[0], program
    source = _flatten(program.source, kernel_names, globals_)
    path = disk.write_module(gkey, source) if (gkey is not None and cache) else None
    fn = _exec_module(source, path, globals_)
    dispatcher = numba_njit(fn)
    if path is not None:
        disk.enable_numba_cache(dispatcher)
    if gkey is not None:
        with _lock:
            dispatcher = _graphs.setdefault(gkey, (dispatcher, program))[0]
    return dispatcher, program


def link_cached(fgraph: FunctionGraph) -> tuple[Any, Any]:
    """``(dispatcher, program)`` for a top-level graph, through the warm cache.

    The dispatcher is a :class:`~pytensor.link.numba.warm` WarmDispatcher that
    already holds the machine code of every signature compiled for this graph
    in an earlier process; other signatures go through
    :func:`compile_graph_function`. It is a Python-level callable only (numba
    code cannot call it); inner graphs use :func:`compile_graph_function`.
    """
    from pytensor.link.numba import warm
    from pytensor.link.numba.codegen import graph_source

    nodes = fgraph.toposort()
    key = warm.warm_key(fgraph, nodes)
    if key is None:
        return compile_graph_function(fgraph, False, True, top_level=True)
    # The argument and return layout (the kernel names are placeholders).
    program = graph_source(fgraph, nodes, [f"f{k}" for k in range(len(nodes))])
    with _lock:
        got = _warm.get(key)
    if got is not None:
        return got, got.full_program or program
    nargs = len(fgraph.inputs) + len(program.const_args)
    disp = warm.warm_dispatcher_class()(
        nargs, key, lambda: compile_graph_function(fgraph, False, True, top_level=True)
    )
    disp.load()
    if not disp.signatures:
        # Nothing cached: build the kernels now, so that an Op without a numba
        # implementation fails when the function is compiled, not when it is called.
        _ = disp.full
    with _lock:
        disp = _warm.setdefault(key, disp)
    return disp, disp.full_program or program


class NumbaBackend(Backend):
    """Compiles a whole graph into one numba function, with fused elementwise loops.

    Linker options (``Mode(linker=NumbaLinker(option=...))``):

    fallback_to_perform
        Run an Op that has no numba implementation through its Python
        ``perform`` (inside ``numba.objmode``), warning once per Op class.
        Default False: such an Op raises MissingImplementationError.
    cache
        Use the on-disk cache (default True; see :mod:`pytensor.link.numba.cache`).
    """

    name = "numba"
    priority = 30  # the default backend whenever it is installed (DESIGN.md §3)
    extra = "numba"

    def is_available(self) -> tuple[bool, str]:
        # Cheap on purpose (the registry asks on every default-mode lookup): numba
        # itself is imported when a graph is linked, and a broken install fails there.
        return _numba_version_ok()

    def link(
        self,
        fgraph: FunctionGraph,
        fallback_to_perform: bool = False,
        cache: bool = True,
        **options: Any,
    ) -> Runner:
        ok, reason = self.is_available()
        if not ok:
            raise BackendError(f"The numba backend is not available: {reason}")
        if cache and not fallback_to_perform:
            dispatcher, program = link_cached(fgraph)
        else:
            dispatcher, program = compile_graph_function(
                fgraph, fallback_to_perform, cache, top_level=True
            )
        from pytensor.link.numba.runner import make_runner

        return make_runner(fgraph, dispatcher, program)

    def make_linker(self, **options: Any) -> Linker:
        return NumbaLinker(self, **options)

    def op_status(self, op_class: type) -> str:
        from pytensor.link.numba.dispatch import numba_funcify

        impl = numba_funcify.dispatch(op_class)
        return "missing" if impl is numba_funcify.dispatch(object) else "native"


class NumbaLinker(Linker):
    """The Linker of the numba backend (``mode.linker`` of the NUMBA mode).

    Examples
    --------
    >>> from pytensor.compile.mode import Mode
    >>> from pytensor.link.numba import NumbaLinker
    >>> Mode(linker=NumbaLinker(fallback_to_perform=True), optimizer=None).linker
    NumbaLinker('numba', fallback_to_perform=True)
    """

    def __init__(self, backend_: Backend | None = None, **options: Any) -> None:
        super().__init__(backend_ if backend_ is not None else backend, **options)


backend = NumbaBackend()
