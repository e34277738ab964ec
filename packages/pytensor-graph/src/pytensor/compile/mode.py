"""Compilation modes: a backend plus a rewriter, and the registry of named modes (layer: pytensor-graph).

This layer knows no rewrites. The rewrite layer registers the global rewrite
database (``optdb``) through the ``pytensor.extensions`` entry points, and
higher layers and backends register named modes (FAST_RUN, NUMBA, ...).
Named rewrite queries ("fast_run", "fast_compile", ...) resolve against that
database; with no rewrite layer installed they resolve to no rewrites.
"""

from __future__ import annotations

import importlib.metadata
import warnings
from collections.abc import Callable, Sequence
from typing import Any

from pytensor.configdefaults import config
from pytensor.link.backend import Backend, Linker
from pytensor.link.registry import default_backend, get_backend

__all__ = [
    "FAST_COMPILE",
    "FAST_RUN",
    "PY",
    "Mode",
    "NoRewrites",
    "get_default_mode",
    "get_mode",
    "load_extensions",
    "predefined_modes",
    "predefined_optimizers",
    "register_mode",
    "register_optdb",
]

EXTENSION_GROUP = "pytensor.extensions"

#: Named rewrite queries: name -> tags to include (None: no rewriting).
predefined_optimizers: dict[str | None, tuple[str, ...] | None] = {
    None: None,
    "None": None,
    "merge": ("merge",),
    "fast_compile": ("fast_compile",),
    "fast_run": ("fast_run",),
    "o1": ("fast_compile",),
    "o2": ("fast_run",),
    "o3": ("fast_run",),
    "o4": ("fast_run",),
    "unsafe": ("fast_run", "unsafe"),
}

_state: dict[str, Any] = {"optdb": None, "make_query": None, "loaded": False}

predefined_modes: dict[str, Mode] = {}


def load_extensions() -> None:
    """Run every ``pytensor.extensions`` entry point once (they register rewrites and modes)."""
    if _state["loaded"]:
        return
    _state["loaded"] = True
    for ep in importlib.metadata.entry_points(group=EXTENSION_GROUP):
        try:
            ep.load()()
        except Exception as exc:
            warnings.warn(
                f"PyTensor extension {ep.name!r} ({ep.value}) failed to load: {type(exc).__name__}: {exc}",
                RuntimeWarning,
                stacklevel=2,
            )


def register_optdb(optdb: Any, make_query: Callable[..., Any]) -> None:
    """Install the global rewrite database; called by the rewrite layer's extension."""
    _state["optdb"] = optdb
    _state["make_query"] = make_query


def _optdb() -> Any:
    load_extensions()
    return _state["optdb"]


class NoRewrites:
    """The rewriter of a mode that does not rewrite."""

    def rewrite(self, fgraph: Any, *args: Any, **kwargs: Any) -> None:
        return None

    def __repr__(self) -> str:
        return "NoRewrites()"


class Mode:
    """How to compile a graph: which backend runs it and which rewrites prepare it.

    Parameters
    ----------
    linker
        A backend name (``"py"``, ``"numba"``, ...), a Backend, a Linker, or
        None for the best available backend. Resolved when first needed, so a
        Mode naming an uninstalled backend can be built but not used.
    optimizer
        A named rewrite query (``"fast_run"``, ``"fast_compile"``, ``"merge"``,
        None for no rewriting, ``"default"`` for ``config.optimizer``), or any
        object with a ``rewrite(fgraph)`` method, or a rewrite-database query.
    backend, rewriter
        Aliases of ``linker`` and ``optimizer``.

    Examples
    --------
    >>> from pytensor.compile.mode import Mode
    >>> Mode(linker="py", optimizer=None)
    Mode(linker=py, optimizer=None)
    """

    def __init__(
        self,
        linker: str | Backend | Linker | None = None,
        optimizer: Any = "default",
        db: Any = None,
        *,
        backend: str | Backend | Linker | None = None,
        rewriter: Any = None,
        include: Sequence[str] = (),
        exclude: Sequence[str] = (),
        require: Sequence[str] = (),
    ) -> None:
        if backend is not None:
            linker = backend
        if rewriter is not None:
            optimizer = rewriter
        if optimizer == "default":
            optimizer = config.optimizer
        if isinstance(optimizer, str) and optimizer not in predefined_optimizers:
            raise ValueError(
                f"Unknown optimizer {optimizer!r}; use one of "
                f"{', '.join(repr(k) for k in predefined_optimizers if k is not None)}, None, "
                "or an object with a rewrite(fgraph) method"
            )
        self._linker_spec = linker
        self._linker: Linker | None = linker if isinstance(linker, Linker) else None
        self.provided_optimizer = optimizer
        self._db = db
        self._include = tuple(include)
        self._exclude = tuple(exclude)
        self._require = tuple(require)
        self._rewriter_cache: Any = None

    # -- backend ------------------------------------------------------------
    def _auto_backend(self) -> bool:
        return self._linker_spec is None or self._linker_spec == "auto"

    @property
    def linker(self) -> Linker:
        """The Linker (backend and options) of this mode, resolved on first use.

        A mode without a backend follows ``config.linker``/``config.backend``
        (and the best available backend for "auto") at each use, so
        ``config.change_flags(backend=...)`` applies to modes built earlier.
        """
        if self._auto_backend():
            name = config.linker if config.linker != "auto" else config.backend
            backend = default_backend() if name == "auto" else get_backend(name)
            if self._linker is None or self._linker.backend is not backend:
                self._linker = backend.make_linker()
                self._rewriter_cache = None  # the rewrites depend on the backend's tags
            return self._linker
        if self._linker is None:
            spec = self._linker_spec
            if isinstance(spec, Backend):
                self._linker = spec.make_linker()
            elif isinstance(spec, str):
                options = getattr(self, "_linker_options", {})
                self._linker = get_backend(spec.lower()).make_linker(**options)
            else:
                raise TypeError(
                    f"Mode linker must be a backend name, Backend or Linker, got {spec!r}"
                )
        return self._linker

    @property
    def backend(self) -> Backend:
        return self.linker.backend

    # -- rewrites -----------------------------------------------------------
    def _tags(self) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] | None:
        opt = self.provided_optimizer
        if not isinstance(opt, str | type(None)):
            return None
        base = predefined_optimizers[opt]
        if base is None and not self._include:
            return ((), (), ())
        include = tuple(base or ()) + self._include
        return include, self._exclude, self._require

    @property
    def optimizer(self) -> Any:
        """The rewriter: an object with ``rewrite(fgraph)``."""
        if self._auto_backend():
            self.linker  # noqa: B018 - drops a cached rewriter made for another backend
        if self._rewriter_cache is not None:
            return self._rewriter_cache
        opt = self.provided_optimizer
        tags = self._tags()
        if tags is None:
            if hasattr(opt, "rewrite"):
                rewriter = opt
            else:  # a database query object
                db = self._db or _optdb()
                if db is None:
                    raise ValueError(
                        "A rewrite query needs the rewrite layer: pip install pytensor-rewrite"
                    )
                rewriter = db.query(opt)
        elif not tags[0]:
            rewriter = NoRewrites()
        else:
            db = self._db or _optdb()
            if db is None:
                rewriter = NoRewrites()
            else:
                include, exclude, require = tags
                linker = self.linker
                exclude = exclude + tuple(t for t in linker.excluded_tags if t not in exclude)
                require = require + tuple(t for t in linker.required_tags if t not in require)
                rewriter = db.query(
                    _state["make_query"](include=include, exclude=exclude, require=require)
                )
        self._rewriter_cache = rewriter
        return rewriter

    def _with(
        self, include: Sequence[str] = (), exclude: Sequence[str] = (), require: Sequence[str] = ()
    ) -> Mode:
        if self._tags() is None:
            raise TypeError(
                f"{self}: including/excluding/requiring need a named rewrite query, "
                f"not the rewriter object {self.provided_optimizer!r}"
            )
        new = Mode(
            self._linker
            if self._linker is not None and not self._auto_backend()
            else self._linker_spec,
            self.provided_optimizer,
            self._db,
            include=self._include + tuple(include),
            exclude=self._exclude + tuple(exclude),
            require=self._require + tuple(require),
        )
        return new

    def including(self, *tags: str) -> Mode:
        """A copy of this mode that also runs rewrites tagged with any of ``tags``."""
        return self._with(include=tags)

    def excluding(self, *tags: str) -> Mode:
        """A copy of this mode without the rewrites tagged with any of ``tags``."""
        return self._with(exclude=tags)

    def requiring(self, *tags: str) -> Mode:
        """A copy of this mode keeping only rewrites that have all of ``tags``."""
        return self._with(require=tags)

    def clone(
        self, link_kwargs: dict[str, Any] | None = None, optimizer: Any = "", **kwargs: Any
    ) -> Mode:
        """A copy, optionally with linker options or another rewriter."""
        linker: Any = self.linker
        if link_kwargs:
            linker = linker.clone(**link_kwargs)
        opt = self.provided_optimizer if optimizer == "" else optimizer
        return Mode(
            linker,
            opt,
            self._db,
            include=self._include,
            exclude=self._exclude,
            require=self._require,
        )

    def __str__(self) -> str:
        spec = self._linker_spec
        name = spec.name if isinstance(spec, Backend | Linker) else spec
        extra = ""
        if self._include:
            extra += f", include={list(self._include)}"
        if self._exclude:
            extra += f", exclude={list(self._exclude)}"
        if self._require:
            extra += f", require={list(self._require)}"
        opt = self.provided_optimizer
        opt_text = opt if isinstance(opt, str | type(None)) else repr(opt)
        return f"Mode(linker={name or 'auto'}, optimizer={opt_text}{extra})"

    __repr__ = __str__

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Mode)
            and self._linker_spec == other._linker_spec
            and self.provided_optimizer == other.provided_optimizer
            and (self._include, self._exclude, self._require)
            == (other._include, other._exclude, other._require)
        )

    def __hash__(self) -> int:
        return hash(
            (str(self._linker_spec), str(self.provided_optimizer), self._include, self._exclude)
        )

    def __getstate__(self) -> dict[str, Any]:
        d = self.__dict__.copy()
        d["_rewriter_cache"] = None
        spec = d["_linker_spec"]
        if isinstance(spec, Backend | Linker):
            d["_linker_spec"] = spec.name
            # Linker options (e.g. JAXLinker(checks=False)) survive pickling by value.
            d["_linker_options"] = dict(getattr(spec, "options", {}))
        d["_linker"] = None
        return d


def register_mode(name: str, mode: Mode, replace: bool = False) -> None:
    """Register ``mode`` under ``name`` (upper-case names are conventional)."""
    if name in predefined_modes and not replace:
        raise ValueError(f"Mode {name!r} is already registered")
    predefined_modes[name] = mode


FAST_RUN = Mode(None, "fast_run")
FAST_COMPILE = Mode("py", "fast_compile")
PY = Mode("py", "fast_run")
register_mode("FAST_RUN", FAST_RUN)
register_mode("FAST_COMPILE", FAST_COMPILE)
register_mode("PY", PY)


def get_mode(orig_string: str | Mode | None) -> Mode:
    """The Mode for a name, a Mode (returned as is) or None (the default mode)."""
    if orig_string is None:
        return get_default_mode()
    if isinstance(orig_string, Mode):
        return orig_string
    if not isinstance(orig_string, str):
        raise TypeError(f"get_mode expects a Mode, a mode name or None, got {orig_string!r}")
    load_extensions()
    mode = predefined_modes.get(orig_string) or predefined_modes.get(orig_string.upper())
    if mode is None:
        raise ValueError(
            f"Unknown mode {orig_string!r}; registered modes: {', '.join(sorted(predefined_modes))}. "
            'Backend modes appear when their backend is installed, e.g. pip install "pytensor[numba]"'
        )
    extra = [t for t in config.optimizer_including.split(":") if t]
    drop = [t for t in config.optimizer_excluding.split(":") if t]
    need = [t for t in config.optimizer_requiring.split(":") if t]
    if extra or drop or need:
        mode = mode._with(include=extra, exclude=drop, require=need)
    return mode


def get_default_mode() -> Mode:
    """The mode named by ``config.mode``."""
    return get_mode(config.mode)


def __getattr__(name: str) -> Any:
    # optdb and the modes of higher layers and backends (NUMBA, JAX, ...) are
    # registered by extensions; look them up on first access. Dunder lookups (the import
    # system asks for ``__path__`` on ``from ... import``) must not load the extensions:
    # that would import higher layers while they are still being imported.
    if name.startswith("__"):
        raise AttributeError(f"module 'pytensor.compile.mode' has no attribute {name!r}")
    load_extensions()
    if name == "optdb":
        db = _state["optdb"]
        if db is None:
            raise AttributeError(
                "optdb is provided by the rewrite layer: pip install pytensor-rewrite"
            )
        return db
    if name in predefined_modes:
        return predefined_modes[name]
    raise AttributeError(f"module 'pytensor.compile.mode' has no attribute {name!r}")
