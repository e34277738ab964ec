"""On-disk cache of compiled graphs for the numba backend (layer: pytensor-backend-numba).

Each cacheable graph gets one entry directory ``<cache dir>/<key>/`` holding the
generated module (``graph.py``) and numba's own cache files for it (index
``*.nbi`` and object code ``*.nbc``), so a new process that compiles the same
graph loads machine code instead of running LLVM.

The key is a SHA-256 over the generated module text, the keys of the node
kernels it calls, the numba, llvmlite, NumPy and Python versions, the host CPU
name and features, and a hash of this backend's source files (the kernels are
compiled into the cached code). Constants passed as arguments are not part of it.

The cache directory is, in order: ``$PYTENSOR_NUMBA_CACHE_DIR``;
``$PYTENSOR_CACHE_DIR/numba``; ``~/.cache/pytensor/numba``.

Writes are atomic (temporary file, then ``os.replace``), so processes that
compile the same graph at once cannot see half-written files; an entry whose
files cannot be read back (truncated, garbage, wrong version) is discarded and
rebuilt.
"""

from __future__ import annotations

import functools
import hashlib
import os
import platform
import shutil
import sys
import uuid
import warnings
from pathlib import Path
from typing import Any

__all__ = [
    "cache_dir",
    "clear_cache",
    "enable_numba_cache",
    "entry_dir",
    "graph_key",
    "write_module",
]

#: Bumped whenever the layout or the generated code changes incompatibly.
CACHE_FORMAT = "1"


def cache_dir() -> Path:
    """The root directory of the numba backend's disk cache (see the module docstring)."""
    env = os.environ.get("PYTENSOR_NUMBA_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("PYTENSOR_CACHE_DIR")
    if base:
        return Path(base) / "numba"
    return Path.home() / ".cache" / "pytensor" / "numba"


def clear_cache() -> None:
    """Delete every entry of the disk cache (the in-process memo is not affected)."""
    root = cache_dir()
    if root.is_dir():
        shutil.rmtree(root, ignore_errors=True)


@functools.cache
def environment_token() -> str:
    """Versions and CPU identity that make compiled code valid (part of every key)."""
    import llvmlite
    import llvmlite.binding as llvm
    import numpy

    import numba

    features = llvm.get_host_cpu_features().flatten()
    return "|".join(
        [
            CACHE_FORMAT,
            f"backend={_backend_source_hash()}",
            f"numba={numba.__version__}",
            f"llvmlite={llvmlite.__version__}",
            f"numpy={numpy.__version__}",
            f"python={sys.version}",
            f"machine={platform.machine()}",
            f"cpu={llvm.get_host_cpu_name()}",
            f"features={features}",
        ]
    )


def _backend_source_hash() -> str:
    """A hash of this backend's own source files: kernels called from a cached graph are
    compiled into it, so any change to them must change every key."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for f in sorted(root.rglob("*.py")):
        h.update(str(f.relative_to(root)).encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def graph_key(source: str, kernel_keys: list[str]) -> str:
    """The cache key of a generated graph module calling kernels with ``kernel_keys``."""
    h = hashlib.sha256()
    for part in (environment_token(), source, *kernel_keys):
        h.update(part.encode())
        h.update(b"\x00")
    return h.hexdigest()


def entry_dir(key: str) -> Path:
    return cache_dir() / key[:2] / key


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f"{path.name}.tmp.{uuid.uuid4().hex[:12]}")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_module(key: str, source: str) -> Path | None:
    """Make ``<entry>/graph.py`` hold ``source``; None when the cache directory is unusable.

    A file with other content (corrupt or foreign) is replaced, and numba's files
    next to it are removed, since they were built from something else.
    """
    d = entry_dir(key)
    path = d / "graph.py"
    try:
        d.mkdir(parents=True, exist_ok=True)
        try:
            if path.read_text(encoding="utf-8") == source:
                return path
        except (OSError, UnicodeDecodeError):
            pass
        for f in d.iterdir():
            if f.suffix in (".nbi", ".nbc"):
                f.unlink(missing_ok=True)
        _atomic_write(path, source)
    except OSError as exc:
        warnings.warn(
            f"pytensor numba cache: cannot write to {d} ({exc}); compiling without the disk cache",
            RuntimeWarning,
            stacklevel=3,
        )
        return None
    return path


def _cache_classes() -> tuple[type, type]:
    """numba cache classes that store the entry's files next to its ``graph.py``."""
    from numba.core import caching

    class EntryLocator(caching._CacheLocator):  # type: ignore[misc, name-defined]
        """Locates numba's files in the entry directory; stamped by the entry key."""

        def __init__(self, py_file: str) -> None:
            self._py_file = py_file
            self._dir = os.path.dirname(py_file)

        def get_cache_path(self) -> str:
            return self._dir

        def get_source_stamp(self) -> str:
            # The directory name is the content key, so it is a complete freshness stamp.
            return os.path.basename(self._dir)

        def get_disambiguator(self) -> str:
            return "g"

        @classmethod
        def from_function(cls, py_func: Any, py_file: str) -> Any:
            return cls(py_file)

    class EntryImpl(caching.CompileResultCacheImpl):  # type: ignore[misc, name-defined]
        _locator_classes = [EntryLocator]

    class EntryCache(caching.FunctionCache):  # type: ignore[misc, name-defined]
        """numba's function cache, but an unreadable entry is dropped instead of raising."""

        _impl_class = EntryImpl

        def load_overload(self, sig: Any, target_context: Any) -> Any:
            try:
                return super().load_overload(sig, target_context)
            except Exception:
                for f in Path(self._cache_path).iterdir():
                    if f.suffix in (".nbi", ".nbc"):
                        f.unlink(missing_ok=True)
                return None

    return EntryLocator, EntryCache


@functools.cache
def _entry_cache_class() -> type:
    return _cache_classes()[1]


def enable_numba_cache(dispatcher: Any) -> None:
    """Make ``dispatcher`` (whose function lives in an entry's graph.py) use the entry cache."""
    from pytensor.link.numba.dispatch.basic import dynamic_module_name

    dynamic_module_name()
    dispatcher._cache = _entry_cache_class()(dispatcher.py_func)
