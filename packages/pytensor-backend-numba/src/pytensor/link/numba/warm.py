"""Warm start: a graph compiled in an earlier process is loaded without numba's compiler.

Layer: pytensor-backend-numba.

Loading code through numba's own cache needs numba's target context, whose set-up
imports every typing and lowering registry (and SciPy's linear algebra): about
0.2 s in each new process, before any machine code runs. The numba backend
therefore keeps a second, smaller cache for its top-level graphs:

- The key (:func:`warm_key`) is the exact structural hash of the FunctionGraph in
  the order it is compiled (Ops and their parameters, types, constants, wiring)
  plus the environment token of :mod:`pytensor.link.numba.cache` (numba, llvmlite,
  NumPy and Python versions, CPU, and this backend's sources). It is computed
  without building any kernel.
- The entry ``<cache dir>/warm/<k[:2]>/<k>.bin`` holds, for each argument
  signature compiled so far, the machine code numba produced (numba's own
  object-code serialisation), the name of its CPython wrapper, the constants of
  its environments and the external symbols it needs. A SHA-256 of the payload
  heads the file; an entry that fails the check or does not load is deleted and
  rebuilt.
- :class:`WarmDispatcher` (built by :func:`warm_dispatcher_class`) is a
  subclass of numba's C-level dispatcher: calls with a known signature go straight
  to the machine code, with numba's own argument typing and unboxing. A call with
  a new signature compiles the graph the normal way (numba's dispatcher and disk
  cache), adds the result, and records it in the entry.

The machine code is loaded into a JIT engine of this module's own (numba's
``JITCPUCodegen``), after binding the symbols numba's runtime and helpers export,
which is what numba's cache loading does too, minus the compiler set-up.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pytensor.graph.basic import Apply
    from pytensor.graph.fg import FunctionGraph

__all__ = [
    "WARM_FORMAT",
    "dispatcher_records",
    "load_entry",
    "save_entry",
    "warm_dispatcher_class",
    "warm_key",
]

#: Bumped whenever the entry layout changes.
WARM_FORMAT = b"pytensor-numba-warm-1\n"
_lock = threading.RLock()
#: The prefix of numba's environment globals in LLVM modules.
_ENV_PREFIX = "_ZN08NumbaEnv"
#: External symbols of this backend (see dispatch/_cython_symbols.py) start with it.
_SYMBOL_PREFIX = "pytensor_"


# ---------------------------------------------------------------------------
# The key
# ---------------------------------------------------------------------------
def warm_key(fgraph: FunctionGraph, nodes: list[Apply]) -> str | None:
    """The structural key of ``fgraph`` compiled in the order ``nodes``; None if some Op,
    Type or constant has no stable token (such graphs are compiled the normal way).

    Variable names are part of it: kernels quote them in their error messages.
    """
    from pytensor.graph.basic import Constant
    from pytensor.graph.hashing import UnhashableGraphError, stable_token
    from pytensor.link.numba.cache import environment_token

    h = hashlib.sha256()

    def feed(token: Any) -> None:
        h.update(repr(token).encode())
        h.update(b"\x00")

    # The BLAS choice changes the kernels (see dispatch/_blas_symbols.py) but not the graph.
    feed(("numba-warm", WARM_FORMAT, environment_token(), os.environ.get("PYTENSOR_NUMBA_BLAS")))
    ids: dict[Any, Any] = {}
    n_const = [0]
    try:
        for k, inp in enumerate(fgraph.inputs):
            ids[inp] = ("in", k)
            feed(("input", k, stable_token(inp.type), inp.name))

        def ref(var: Any) -> Any:
            got = ids.get(var)
            if got is None:
                if not isinstance(var, Constant):
                    raise UnhashableGraphError(f"{var} is neither an input nor computed")
                # Numbered: one constant used twice is one argument, two equal ones are two.
                n_const[0] += 1
                got = ids[var] = (
                    "const",
                    n_const[0],
                    stable_token(var.type),
                    stable_token(var.data),
                    var.name,
                )
            return got

        for j, node in enumerate(nodes):
            feed(("node", j, stable_token(node.op), tuple(ref(i) for i in node.inputs)))
            for k, out in enumerate(node.outputs):
                ids[out] = ("n", j, k)
                feed(("out", j, k, stable_token(out.type), out.name))
        feed(("outputs", tuple(ref(o) for o in fgraph.outputs)))
    except UnhashableGraphError:
        return None
    return h.hexdigest()


def _entry_path(key: str) -> Path:
    from pytensor.link.numba.cache import cache_dir

    return cache_dir() / "warm" / key[:2] / f"{key}.bin"


# ---------------------------------------------------------------------------
# Saving
# ---------------------------------------------------------------------------
def _environment_names(library: Any) -> set[str]:
    names: set[str] = set()
    for attr in ("_final_module", "_shared_module"):
        mod = getattr(library, attr, None)
        if mod is not None:
            names.update(gv.name for gv in mod.global_variables if gv.name.startswith(_ENV_PREFIX))
    return names


def _external_symbols(bitcode: bytes) -> list[str]:
    import llvmlite.binding as ll

    mod = ll.parse_bitcode(bitcode)
    found = {
        obj.name
        for group in (mod.functions, mod.global_variables)
        for obj in group
        if obj.is_declaration and obj.name.startswith(_SYMBOL_PREFIX)
    }
    return sorted(found)


def _record(libdata: Any, fndesc: Any, env: Any, argtypes: Any, referenced: Any) -> dict[str, Any]:
    return {
        "argtypes": tuple(argtypes),
        "library": libdata,
        "wrapper": fndesc.llvm_cpython_wrapper_name,
        "name": fndesc.qualname.split(".")[-1],
        "modname": fndesc.modname,
        "env": (env.env_name, list(env.consts)),
        "referenced": referenced,
        "symbols": _external_symbols(libdata[2][1]),
    }


def _reduce_compiled(cres: Any) -> dict[str, Any]:
    """The record of a CompileResult numba compiled in this process."""
    from numba.core.environment import lookup_environment

    library = cres.library
    libdata = library.serialize_using_object_code()
    env = cres.environment
    referenced = []
    for name in sorted(_environment_names(library) - {env.env_name}):
        other = lookup_environment(name)
        if other is not None:
            referenced.append((name, list(other.consts)))
    return _record(libdata, cres.fndesc, env, cres.signature.args, referenced)


def _reduce_numba_cached(dispatcher: Any, argtypes: tuple[Any, ...]) -> dict[str, Any]:
    """The record of an overload numba loaded from its own cache (whose object code numba
    does not keep after loading): read back from numba's cache file."""
    cache = dispatcher._cache
    key = cache._index_key(argtypes, dispatcher.targetctx.codegen())
    data = cache._cache_file.load(key)
    if data is None:
        raise LookupError("numba's cache no longer holds this signature")
    libdata, fndesc, env, signature, _objmode, _lifted, _ann, _reload, referenced = data
    pairs = [(e.env_name, list(e.consts)) for e in referenced]
    return _record(libdata, fndesc, env, signature.args, pairs)


def _reduce(dispatcher: Any, argtypes: tuple[Any, ...], cres: Any) -> dict[str, Any] | None:
    """What loading an overload of ``dispatcher`` needs, or None when it cannot be kept."""
    if cres.objectmode or cres.lifted or cres.reload_init:
        return None
    try:
        return _reduce_compiled(cres)
    except RuntimeError:  # loaded from numba's cache: its object code was consumed
        return _reduce_numba_cached(dispatcher, argtypes)


def dispatcher_records(dispatcher: Any) -> list[dict[str, Any]]:
    """The records of the overloads of numba's ``dispatcher`` that can be kept (best effort:
    a change in numba's internals gives none)."""
    try:
        records = (_reduce(dispatcher, a, c) for a, c in dispatcher.overloads.items())
        return [r for r in records if r is not None]
    except Exception:
        return []


def save_entry(key: str, records: list[dict[str, Any]]) -> bool:
    """Write the entry of ``key`` holding ``records``; False if it could not be written.

    Best effort: an unwritable cache directory or an unpicklable constant leaves
    no entry (the graph then loads through numba's own cache next time).
    """
    if not records:
        return False
    try:
        payload = pickle.dumps({"key": key, "overloads": records}, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        return False
    blob = WARM_FORMAT + hashlib.sha256(payload).digest() + payload
    path = _entry_path(key)
    tmp = path.with_name(f"{path.name}.tmp.{uuid.uuid4().hex[:12]}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(blob)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        return False
    return True


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------
def _read_entry(key: str) -> list[dict[str, Any]] | None:
    """The records of the entry of ``key``; None if absent; a corrupt entry is deleted."""
    path = _entry_path(key)
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    head = len(WARM_FORMAT)
    digest, payload = blob[head : head + 32], blob[head + 32 :]
    try:
        if blob[:head] != WARM_FORMAT or hashlib.sha256(payload).digest() != digest:
            raise ValueError("bad header or checksum")
        data = pickle.loads(payload)
        if data["key"] != key:
            raise ValueError("entry of another key")
        records: list[dict[str, Any]] = data["overloads"]
        return records
    except Exception:
        path.unlink(missing_ok=True)
        return None


@functools.cache
def _codegen() -> Any:
    """The JIT engine warm entries are loaded into, with numba's runtime symbols bound."""
    import llvmlite.binding as ll

    from numba.core import base, externals
    from numba.core.codegen import JITCPUCodegen
    from numba.core.runtime import _nrt_python

    # The same bindings numba's target context makes before it loads or compiles code:
    # its C helpers and exception classes, libm's math functions, the NRT's C API.
    base._load_global_helpers()
    externals.c_math_functions.install(None)  # the context is only used on 32-bit hosts
    for py_name, address in _nrt_python.c_helpers.items():
        ll.add_symbol(py_name if py_name.startswith("_") else f"NRT_{py_name}", address)
    return JITCPUCodegen("pytensor.numba.warm")


def _environment(name: str, consts: list[Any], modname: str) -> Any:
    from numba.core.environment import Environment, lookup_environment

    env = lookup_environment(name)
    if env is None:
        module = sys.modules.get(modname)
        env = Environment(module.__dict__ if module is not None else {"__name__": modname})
        env.consts[:] = consts
        env.env_name = name
        Environment._memo[name] = env
    return env


def _load_record(record: dict[str, Any]) -> Any:
    """The callable machine code of one record (numba's CPython wrapper of graph_fn)."""
    from numba import _dynfunc
    from numba.core.utils import _dynamic_modname, _dynamic_module
    from pytensor.link.numba.dispatch._cython_symbols import ensure_symbols

    sys.modules.setdefault(_dynamic_modname, _dynamic_module)
    ensure_symbols(record["symbols"])
    codegen = _codegen()
    library = codegen.unserialize_library(record["library"])
    address = library.get_pointer_to_function(record["wrapper"])
    if not address:
        raise ValueError(f"the cached library does not define {record['wrapper']}")
    modname = record["modname"]
    env = _environment(*record["env"], modname)
    others = [_environment(name, consts, modname) for name, consts in record["referenced"]]
    module = sys.modules.get(modname, _dynamic_module)
    doc = f"pytensor numba graph {record['name']} (loaded from the warm cache)"
    cfunc = _dynfunc.make_function(module, record["name"], doc, address, env, (library, *others))
    codegen.set_env(env.env_name, env)
    for other in others:
        codegen.set_env(other.env_name, other)
    return cfunc


def load_entry(key: str) -> list[tuple[dict[str, Any], Any]]:
    """``[(record, cfunc)]`` of the entry of ``key`` (empty when there is none or it does
    not load; an entry that does not load is deleted)."""
    records = _read_entry(key)
    if not records:
        return []
    try:
        with _lock:
            return [(r, _load_record(r)) for r in records]
    except Exception:
        _entry_path(key).unlink(missing_ok=True)
        return []


# ---------------------------------------------------------------------------
# The dispatcher
# ---------------------------------------------------------------------------
def _argument_type(val: Any) -> Any:
    """numba's type of an argument value (as numba's own dispatcher types it)."""
    from numba.core import errors, types
    from numba.core.typing.typeof import Purpose, typeof

    try:
        tp = typeof(val, Purpose.argument)
    except (errors.NumbaValueError, ValueError):
        tp = None
    return types.pyobject if tp is None else tp


class _WarmMethods:
    """The Python side of WarmDispatcher (see :func:`warm_dispatcher_class`)."""

    _fold_args = False
    _key: str | None
    _build_full: Callable[[], tuple[Any, Any]] | None
    _insert: Callable[..., None]  # of numba's C dispatcher

    def _setup(self, nargs: int, key: str | None, full: Callable[[], tuple[Any, Any]]) -> None:
        self._key = key
        self._build_full = full
        self._full: Any = None
        self.full_program: Any = None
        self._cfuncs: list[tuple[tuple[Any, ...], Any]] = []
        self._types_active_call: set[Any] = set()
        self._enable_sysmon = False
        self.stats = {"loaded": 0, "compiled": 0}
        # numba's C dispatcher reads __code__ when a profiler or tracer is active.
        ns: dict[str, Any] = {}
        exec(f"def graph_fn({', '.join(f'a{k}' for k in range(nargs))}): pass", ns)
        self.__code__ = ns["graph_fn"].__code__

    def _add(self, argtypes: tuple[Any, ...], cfunc: Any) -> None:
        self._insert([t._code for t in argtypes], cfunc, False)
        self._cfuncs.append((argtypes, cfunc))

    def load(self) -> None:
        """Add every signature of the warm entry."""
        if self._key is None:
            return
        for record, cfunc in load_entry(self._key):
            self._add(record["argtypes"], cfunc)
            self.stats["loaded"] += 1

    @property
    def full(self) -> Any:
        """The graph's ordinary numba dispatcher (built on first access)."""
        with _lock:
            if self._full is None:
                self._full, self.full_program = self._build_full()
                self._build_full = None  # releases the graph it closes over
            return self._full

    @property
    def signatures(self) -> list[tuple[Any, ...]]:
        """The argument types of every signature callable without compiling."""
        return [a for a, _ in self._cfuncs]

    def typeof_pyval(self, val: Any) -> Any:
        # Called by the C dispatcher for values its fast paths do not type.
        tp = _argument_type(val)
        self._types_active_call.add(tp)
        return tp

    def _compile_for_args(self, *args: Any, **kwargs: Any) -> Any:
        # Called by the C dispatcher for a signature it does not have; it calls the result.
        argtypes = tuple(self.typeof_pyval(a) for a in args)
        with _lock:
            full = self.full
            cfunc = full.compile(argtypes)
            self._add(argtypes, cfunc)
            self.stats["compiled"] += 1
            if self._key is not None:
                # Merge with the entry on disk (re-read: records hold machine code, which
                # is not kept in memory between compilations).
                records = {r["argtypes"]: r for r in _read_entry(self._key) or []}
                records.update((r["argtypes"], r) for r in dispatcher_records(full))
                save_entry(self._key, list(records.values()))
        return cfunc

    def _search_new_conversions(self, *args: Any) -> bool:
        return False

    def _explain_matching_error(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError(f"no compiled version of the graph for arguments {args!r}")

    def _explain_ambiguous(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError(f"ambiguous compiled versions of the graph for {args!r}")


@functools.cache
def warm_dispatcher_class() -> type:
    """The WarmDispatcher class (built on first use: it subclasses a numba extension type).

    ``WarmDispatcher(nargs, key, full)`` calls a graph's machine code by argument
    types, with numba's C-level typing and unboxing, and compiles new signatures.
    ``full()`` returns ``(dispatcher, program)`` of the graph's ordinary numba
    compilation (used only for a signature the warm entry does not have);
    ``full_program`` is that program once built. ``stats`` counts signatures
    ``loaded`` from the warm entry and ``compiled`` (or loaded through numba's
    cache) in this process.
    """
    from numba import _dispatcher
    from numba.core.typeconv.rules import default_type_manager

    class WarmDispatcher(_WarmMethods, _dispatcher.Dispatcher):  # type: ignore[misc, name-defined]
        def __init__(self, nargs: int, key: str | None, full: Callable[[], Any]) -> None:
            argnames = tuple(f"a{k}" for k in range(nargs))
            # tm, argct, fold_args, argnames, defargs, can_fallback, has_stararg, exact match
            _dispatcher.Dispatcher.__init__(
                self, default_type_manager.get_pointer(), nargs, False, argnames, (), False,
                False, True,
            )  # fmt: skip
            self._setup(nargs, key, full)

    return WarmDispatcher
