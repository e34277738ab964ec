"""The on-disk cache of compiled C modules (layer: pytensor-backend-c).

Location: ``$PYTENSOR_CACHE_DIR/c`` if that variable is set, else
``$XDG_CACHE_HOME/pytensor/c``, else ``~/.cache/pytensor/c``; created with
mode 0o700. Each entry is a directory named by the module's key, the sha256
of the generated source and of the toolchain's identity (compiler path and
version, flags, Python ABI, NumPy C-API version, CPU features). It holds the
shared library, its C source and ``manifest.json`` (written last, with the
library's sha256, so a partial or corrupt entry is detected and rebuilt).

Builds take a per-key ``fcntl.flock`` lock, so concurrent processes build a
module once; a build happens in a temporary directory that is renamed into
place. An entry (or cache directory) owned by another user is never loaded:
the module is then built in a private temporary directory instead.
The ``pch-*`` directories hold the precompiled header of the modules (``_pch``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from pytensor.link.c.build import CompileError, Toolchain, compile_module, emit_c, load_module

__all__ = ["cache_dir", "clear_cache", "get_module", "list_entries", "module_key", "stats"]

_log = logging.getLogger("pytensor.link.c")

MANIFEST = "manifest.json"

#: Directories of the cache root that are not module entries: builds in progress and the
#: precompiled headers (``_pch``).
_NOT_ENTRIES = ("tmp-", "pch-")

#: Modules loaded in this process, by key.
_memo: dict[str, ModuleType] = {}

#: Counters of this process: modules compiled, loaded from disk, found in memory.
stats = {"builds": 0, "disk_hits": 0, "memo_hits": 0, "private_builds": 0}


def cache_dir() -> Path:
    """The directory of the C module cache (not created by this call)."""
    base = os.environ.get("PYTENSOR_CACHE_DIR")
    if base:
        return Path(base).expanduser() / "c"
    xdg = os.environ.get("XDG_CACHE_HOME")
    root = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return root / "pytensor" / "c"


def module_key(source: str, tc: Toolchain) -> str:
    """The cache key of a generated source compiled by ``tc``."""
    h = hashlib.sha256()
    h.update(source.encode("utf-8"))
    h.update(b"\0")
    h.update(tc.identity().encode("utf-8"))
    return h.hexdigest()


def _owned(path: Path) -> bool:
    return not hasattr(os, "getuid") or path.stat().st_uid == os.getuid()


def _ensure_root() -> Path | None:
    """The cache root, created private; None if it exists but belongs to someone else."""
    root = cache_dir()
    try:
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        _log.warning("C module cache %s cannot be created (%s); building privately", root, exc)
        return None
    if not _owned(root):
        _log.warning("C module cache %s is owned by another user; building privately", root)
        return None
    return root


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _load_entry(entry: Path, name: str) -> ModuleType | None:
    """Load a complete entry, or None if it is missing, partial, corrupt or not ours."""
    manifest = entry / MANIFEST
    try:
        if not _owned(entry) or not _owned(manifest):
            _log.warning("C cache entry %s is owned by another user: not loading it", entry)
            return None
        meta = json.loads(manifest.read_text())
        so = entry / meta["library"]
        if meta.get("module") != name or _sha256(so) != meta["sha256"] or not _owned(so):
            return None
        return load_module(name, so)
    except (OSError, ValueError, KeyError, ImportError):
        return None


def _build(entry_tmp: Path, name: str, source: str, tc: Toolchain, root: Path | None) -> None:
    """Build into ``entry_tmp``; ``root`` is the user's cache (None: a private build)."""
    from pytensor.link.c import _pch

    stats["builds"] += 1
    c_path = entry_tmp / f"{name}.c"
    so_path = entry_tmp / f"{name}{tc.ext_suffix}"
    emit_c(name, source, c_path)
    pch = _pch.pch_flags(tc, root) if root is not None else []
    try:
        compile_module(tc, c_path, so_path, pch)
    except CompileError:
        if not pch:
            raise
        # A damaged precompiled header is fatal to gcc: drop it and compile without.
        _log.warning("C compile failed with the precompiled header; retrying without it")
        _pch.discard(pch)
        compile_module(tc, c_path, so_path)
    meta = {
        "module": name,
        "library": so_path.name,
        "sha256": _sha256(so_path),
        "created": time.time(),
        "compiler": tc.cc,
        "source_chars": len(source),
    }
    (entry_tmp / MANIFEST).write_text(json.dumps(meta, indent=1))


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # not POSIX: builds are still atomic, only not deduplicated
        yield
        return
    with open(path, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _build_private(name: str, source: str, tc: Toolchain) -> ModuleType:
    stats["private_builds"] += 1
    tmp = Path(tempfile.mkdtemp(prefix="pytensor-c-"))
    _build(tmp, name, source, tc, None)
    return load_module(name, tmp / f"{name}{tc.ext_suffix}")


def get_module(source: str, tc: Toolchain) -> tuple[ModuleType, str]:
    """The loaded module for ``source`` (from memory, the disk cache, or built now) and its key."""
    key = module_key(source, tc)
    mod = _memo.get(key)
    if mod is not None:
        stats["memo_hits"] += 1
        return mod, key
    name = f"_pytensor_c_{key[:24]}"
    root = _ensure_root()
    if root is None:
        mod = _build_private(name, source, tc)
    else:
        entry = root / key
        mod = _load_entry(entry, name)
        if mod is not None:
            stats["disk_hits"] += 1
        else:
            with _locked(root / f"{key}.lock"):
                mod = _load_entry(entry, name)  # another process may have built it meanwhile
                if mod is None:
                    mod = _install(root, entry, name, source, tc)
    _memo[key] = mod
    return mod, key


def _install(root: Path, entry: Path, name: str, source: str, tc: Toolchain) -> ModuleType:
    if entry.exists() and not _owned(entry):
        return _build_private(name, source, tc)
    tmp = Path(tempfile.mkdtemp(prefix="tmp-", dir=root))
    try:
        _build(tmp, name, source, tc, root)
        if entry.exists():  # partial or corrupt: we hold the lock, so nobody is using it
            _log.info("rebuilding corrupt C cache entry %s", entry)
            shutil.rmtree(entry, ignore_errors=True)
        os.replace(tmp, entry)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    mod = _load_entry(entry, name)
    if mod is None:
        raise ImportError(f"the C module built in {entry} cannot be loaded")
    return mod


def list_entries() -> list[dict[str, Any]]:
    """One dict per cache entry: key, path, size in bytes, creation time, module name, status."""
    root = cache_dir()
    if not root.is_dir():
        return []
    out = []
    entries = (p for p in root.iterdir() if p.is_dir() and not p.name.startswith(_NOT_ENTRIES))
    for entry in sorted(entries):
        size = sum(f.stat().st_size for f in entry.iterdir() if f.is_file())
        info: dict[str, Any] = {"key": entry.name, "path": str(entry), "bytes": size}
        try:
            meta = json.loads((entry / MANIFEST).read_text())
            ok = _sha256(entry / meta["library"]) == meta["sha256"]
            info.update(module=meta["module"], created=meta["created"])
            info["status"] = "ok" if ok else "corrupt"
        except (OSError, ValueError, KeyError):
            info["status"] = "partial"
        out.append(info)
    return out


def clear_cache() -> int:
    """Remove every entry, lock and leftover temporary directory; return the entries removed."""
    root = cache_dir()
    if not root.is_dir():
        return 0
    n = 0
    for p in root.iterdir():
        if p.is_dir():
            n += not p.name.startswith(_NOT_ENTRIES)
            shutil.rmtree(p, ignore_errors=True)
        elif p.suffix == ".lock" or p.name.startswith("toolchain-"):
            p.unlink(missing_ok=True)
    return n
