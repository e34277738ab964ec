"""PyTensor: build symbolic tensor graphs, differentiate them, and compile them (meta-package).

``import pytensor`` is cheap: the user API below is imported on first use.
The package is spread over several distributions (pytensor-graph,
pytensor-rewrite, pytensor-tensor, the backends), so ``__path__`` is
extended first.
"""

from pkgutil import extend_path

__path__ = extend_path(__path__, __name__)

import importlib  # noqa: E402
from typing import Any  # noqa: E402

# name -> (module, attribute); resolved lazily by __getattr__.
_LAZY: dict[str, tuple[str, str]] = {
    "config": ("pytensor.configdefaults", "config"),
    "function": ("pytensor.compile.function", "function"),
    "shared": ("pytensor.compile.sharedvalue", "shared"),
    "In": ("pytensor.compile.io", "In"),
    "Out": ("pytensor.compile.io", "Out"),
    "Mode": ("pytensor.compile.mode", "Mode"),
    "get_mode": ("pytensor.compile.mode", "get_mode"),
    "OpFromGraph": ("pytensor.compile.builders", "OpFromGraph"),
    "dprint": ("pytensor.printing", "dprint"),
    "debugprint": ("pytensor.printing", "debugprint"),
    "clone_replace": ("pytensor.graph.replace", "clone_replace"),
    "graph_replace": ("pytensor.graph.replace", "graph_replace"),
    "vectorize_graph": ("pytensor.graph.replace", "vectorize_graph"),
    "grad": ("pytensor.gradient", "grad"),
}

_SUBMODULES = {"compile", "graph", "link", "printing", "configdefaults", "configparser"}

__all__ = sorted(_LAZY)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pytensor")
    except PackageNotFoundError:  # running from a source tree
        return "unknown"


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    if name in _SUBMODULES or not name.startswith("_"):
        try:
            return importlib.import_module(f"pytensor.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"pytensor.{name}":
                raise
    if name in _SUBMODULES:
        raise AttributeError(f"module 'pytensor' has no attribute {name!r}")
    if name == "__version__":
        value = _version()
        globals()[name] = value
        return value
    raise AttributeError(f"module 'pytensor' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY) | _SUBMODULES)
