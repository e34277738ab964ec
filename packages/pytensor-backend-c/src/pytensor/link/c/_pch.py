"""A precompiled header of what every generated module includes (layer: pytensor-backend-c).

Parsing ``Python.h``, NumPy's ``arrayobject.h`` and libc's math headers is
about a third of the compiler's work on a small module. With gcc, those
headers are compiled once per toolchain into ``<cache>/pch-<key>/pyt_pch.h.gch``
and every module is compiled with ``-include <that dir>/pyt_pch.h`` (gcc reads the
``.gch`` instead of the text when the flags match, and the text otherwise, so
the result never depends on the precompiled file). The key hashes the
toolchain's identity, the header text and the size and mtime of the Python and
NumPy headers, so an upgrade never reuses a stale file. Other compilers, or
``PYTENSOR_C_PCH=0``, compile without it.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from pytensor.link.c.build import Toolchain

__all__ = ["PCH_HEADER", "discard", "pch_flags"]

_log = logging.getLogger("pytensor.link.c")

#: The headers every module includes (``_support.module_prelude``, cffi's frame, BLAS kernels).
#: Python.h comes first, as Python requires.
PCH_HEADER = "".join(
    f"#include <{h}>\n"
    for h in (
        "Python.h",
        "numpy/arrayobject.h",
        "math.h",
        "complex.h",
        "string.h",
        "stdint.h",
        "limits.h",
        "stddef.h",
        "stdlib.h",
    )
)

#: Headers whose change must invalidate the precompiled file (beyond the toolchain identity).
_STAMPED = ("Python.h", "patchlevel.h", "pyconfig.h")
_STAMPED_NUMPY = ("_numpyconfig.h", "numpyconfig.h", "__multiarray_api.h", "ndarraytypes.h")


def _is_gcc(tc: Toolchain) -> bool:
    text = tc.version.lower()
    return "clang" not in text and ("gcc" in text or "free software foundation" in text)


def _key(tc: Toolchain) -> str:
    h = hashlib.sha256(tc.identity().encode())
    h.update(PCH_HEADER.encode())
    py_inc, np_inc = (flag[2:] for flag in tc.includes)
    paths = [Path(py_inc, n) for n in _STAMPED] + [Path(np_inc, "numpy", n) for n in _STAMPED_NUMPY]
    for p in paths:
        try:
            st = p.stat()
            h.update(f"{p} {st.st_size} {st.st_mtime_ns}\n".encode())
        except OSError:
            h.update(f"{p} missing\n".encode())
    return h.hexdigest()[:24]


def _compile_flags(tc: Toolchain) -> list[str]:
    return [*tc.extra_args, *(f for f in tc.flags if f != "-shared"), *tc.includes]


def _build(tc: Toolchain, root: Path, entry: Path) -> bool:
    tmp = Path(tempfile.mkdtemp(prefix="tmp-pch-", dir=root))
    try:
        header = tmp / "pyt_pch.h"
        header.write_text(PCH_HEADER)
        cmd = [tc.cc, *_compile_flags(tc), "-x", "c-header", str(header), "-o", f"{header}.gch"]
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
        if res.returncode != 0:
            _log.info("no precompiled header: %s", (res.stderr or res.stdout)[-2000:])
            return False
        if entry.exists():  # partial (we hold the lock): replace it
            shutil.rmtree(entry, ignore_errors=True)
        os.replace(tmp, entry)
        return True
    except (OSError, subprocess.TimeoutExpired) as exc:
        _log.info("no precompiled header: %s", exc)
        return False
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def pch_flags(tc: Toolchain, root: Path) -> list[str]:
    """Compiler flags that use the precompiled header (built now if missing), or [].

    ``root`` is the (user-owned) cache directory; the header is built under a lock.
    Checked on every call (a few ``stat``), since the cache may be cleared meanwhile.
    """
    if os.environ.get("PYTENSOR_C_PCH", "1") == "0" or not _is_gcc(tc):
        return []
    from pytensor.link.c.cache import _locked

    entry = root / f"pch-{_key(tc)}"
    gch = entry / "pyt_pch.h.gch"
    if not gch.is_file():
        with _locked(root / f"{entry.name}.lock"):
            if not (gch.is_file() or _build(tc, root, entry)):
                return []
    if gch.stat().st_uid != os.getuid():
        return []
    # An absolute path: gcc then looks for the .gch beside it, never in the working directory.
    return ["-include", str(entry / "pyt_pch.h")]


def discard(flags: list[str]) -> None:
    """Remove the precompiled header named by ``flags`` (from :func:`pch_flags`); it is
    rebuilt by the next compile."""
    if len(flags) == 2 and flags[0] == "-include":
        entry = Path(flags[1]).parent
        with contextlib.suppress(OSError):
            (entry / "pyt_pch.h.gch").unlink()
