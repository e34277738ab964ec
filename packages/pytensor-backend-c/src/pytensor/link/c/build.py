"""Finding the C compiler and turning generated C into a loadable extension module
(layer: pytensor-backend-c).

cffi (API mode) writes the module frame with ``ffi.emit_c_code``; the system
compiler is invoked directly (setuptools is never needed), and the result is
loaded with :class:`importlib.machinery.ExtensionFileLoader`.

Compiler lookup: ``$CC`` if set (its first word; if it names nothing, there is
no compiler), else ``cc``, ``gcc``, ``clang`` on ``PATH``.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.machinery
import importlib.util
import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from pytensor.link.backend import BackendError

__all__ = [
    "CompileError",
    "Toolchain",
    "compile_module",
    "find_compiler",
    "load_module",
    "toolchain",
]

#: Compiler names tried on PATH when ``$CC`` is not set.
COMPILER_NAMES = ("cc", "gcc", "clang")

#: Optimisation flags. No -ffast-math: NaN and inf must behave as in NumPy.
#: -fno-math-errno and -fopenmp-simd let gcc vectorize libm calls in loops marked
#: ``#pragma omp simd`` through glibc's libmvec. -ffp-contract=off: gcc would otherwise
#: fuse a multiply and an add (even across the statements of a Composite) into one FMA,
#: rounding once where NumPy rounds twice.
OPT_FLAGS = (
    "-O3",
    "-fno-math-errno",
    "-fno-trapping-math",
    "-ffp-contract=off",
    "-fopenmp-simd",
    "-march=native",
)

BASE_FLAGS = (
    "-std=gnu11",
    "-fPIC",
    "-shared",
    "-fvisibility=hidden",
    "-D_CFFI_NO_LIMITED_API",
    "-DNPY_NO_DEPRECATED_API=NPY_1_7_API_VERSION",
    "-fwrapv",
)


class CompileError(BackendError):
    """The C compiler failed on a generated module; the message has its diagnostics."""


def find_compiler() -> tuple[str | None, list[str]]:
    """The C compiler's path (or None) and the list of what was looked for.

    Examples
    --------
    >>> path, looked_for = find_compiler()
    >>> isinstance(looked_for, list)
    True
    """
    cc = os.environ.get("CC")
    if cc is not None and cc.strip():
        first = shlex.split(cc)[0]
        found = shutil.which(first)
        return found, [f"$CC={cc}"]
    for name in COMPILER_NAMES:
        found = shutil.which(name)
        if found:
            return found, list(COMPILER_NAMES)
    return None, list(COMPILER_NAMES)


def _python_include() -> str:
    return sysconfig.get_paths()["include"]


def missing_requirements() -> str | None:
    """Why this machine cannot build C modules, or None if it can (cheap: nothing is run)."""
    path, looked_for = find_compiler()
    if path is None:
        return (
            f"no C compiler found (looked for: {', '.join(looked_for)}). Install one "
            "(e.g. `apt install gcc`, `conda install c-compiler`, Xcode command line tools) "
            "or set CC to its path"
        )
    if importlib.util.find_spec("cffi") is None:
        return 'cffi is not installed: pip install "pytensor[c]"'
    if not (Path(_python_include()) / "Python.h").exists():
        return (
            f"the Python development headers are missing (no Python.h in {_python_include()}); "
            "install them (e.g. `apt install python3-dev`)"
        )
    return None


class Toolchain:
    """The compiler, its flags and everything else a compiled module's identity depends on."""

    def __init__(self, cc: str) -> None:
        import numpy as np

        self.cc = cc
        self.extra_args = shlex.split(os.environ.get("CC", ""))[1:]
        self.version, self.libmvec = _probe(cc, self.extra_args)
        defines = ("-DPYT_LIBMVEC=1",) if self.libmvec else ()
        self.flags = (*BASE_FLAGS, *OPT_FLAGS, *defines)
        self.includes = (f"-I{_python_include()}", f"-I{np.get_include()}")
        self.libs = ("-lmvec", "-lm") if self.libmvec else ("-lm",)
        self.ext_suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
        self.abi = (
            f"{sys.implementation.cache_tag} {self.ext_suffix} numpy-capi-"
            f"{_numpy_capi_version()} cpu-{_cpu_token()}"
        )

    def identity(self) -> str:
        """Text that changes whenever a module built by this toolchain might differ."""
        return "\n".join(
            [self.cc, *self.extra_args, self.version, " ".join(self.flags), *self.libs, self.abi]
        )


def _run_text(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30, check=False)
    except OSError as exc:
        raise BackendError(f"cannot run the C compiler {cmd[0]!r}: {exc}") from None
    return (out.stdout or out.stderr).strip()


def _probe(cc: str, extra: list[str]) -> tuple[str, bool]:
    """The compiler's ``--version`` text and whether libmvec is linkable.

    Asking the compiler costs two processes (~25 ms); the answers are kept in
    the cache directory, keyed by the compiler file's path, size and mtime.
    """
    import json

    from pytensor.link.c.cache import cache_dir

    st = os.stat(cc)
    ident = json.dumps([os.path.realpath(cc), st.st_size, st.st_mtime_ns, extra])
    memo = cache_dir() / f"toolchain-{hashlib.sha256(ident.encode()).hexdigest()[:16]}.json"
    try:
        data = json.loads(memo.read_text())
        if data.get("ident") == ident and memo.stat().st_uid == os.getuid():
            return str(data["version"]), bool(data["libmvec"])
    except (OSError, ValueError, KeyError, AttributeError):
        pass
    version = _run_text([cc, *extra, "--version"])
    libmvec = sys.platform.startswith("linux") and _has_libmvec(cc)
    try:
        memo.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = memo.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"ident": ident, "version": version, "libmvec": libmvec}))
        os.replace(tmp, memo)
    except OSError:
        pass
    return version, libmvec


def _has_libmvec(cc: str) -> bool:
    found = _run_text([cc, "-print-file-name=libmvec.so"])
    return os.path.isabs(found) and os.path.exists(found)


def _numpy_capi_version() -> str:
    import numpy as np

    return ".".join(np.__version__.split(".")[:2])


@functools.cache
def _cpu_token() -> str:
    """-march=native code depends on the CPU: a short hash of its feature flags."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        import platform

        text = platform.machine() + platform.processor()
    flags = next((ln for ln in text.splitlines() if ln.startswith(("flags", "Features"))), text)
    return hashlib.sha256(flags.encode()).hexdigest()[:12]


_toolchain: Toolchain | None = None


def toolchain() -> Toolchain:
    """The process's Toolchain (the compiler is asked its version once per process)."""
    global _toolchain
    path, looked_for = find_compiler()
    if path is None:
        raise BackendError(missing_requirements() or "no C compiler found")
    if _toolchain is None or _toolchain.cc != path:
        _toolchain = Toolchain(path)
    return _toolchain


def emit_c(module_name: str, source: str, path: Path) -> None:
    """Write the complete C file of extension ``module_name`` (cffi API mode) to ``path``.

    The source must define ``int pyt_make_runner(void *ctx, void *sink)``.
    """
    import contextlib
    import io

    import cffi

    ffi = cffi.FFI()
    ffi.cdef("int pyt_make_runner(void *ctx, void *sink);")
    ffi.set_source(module_name, source)
    with contextlib.redirect_stdout(io.StringIO()):  # cffi prints "generating <path>"
        ffi.emit_c_code(str(path))


def compile_module(
    tc: Toolchain, c_path: Path, out_path: Path, extra_flags: Sequence[str] = ()
) -> None:
    """Compile ``c_path`` into the shared library ``out_path``; CompileError on failure.

    ``extra_flags`` come before the source (e.g. the precompiled header's ``-include``).
    """
    cmd = [
        tc.cc,
        *tc.extra_args,
        *tc.flags,
        *tc.includes,
        *extra_flags,
        str(c_path),
        "-o",
        str(out_path),
        *tc.libs,
    ]
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise CompileError(f"running the C compiler failed: {exc}") from None
    if res.returncode != 0:
        diag = (res.stderr or res.stdout)[-4000:]
        raise CompileError(
            f"the C compiler failed (exit {res.returncode}) on {c_path}:\n{diag}\n"
            f"command: {shlex.join(cmd)}"
        )


def load_module(module_name: str, so_path: Path) -> ModuleType:
    """Import the extension at ``so_path`` under ``module_name`` (not added to sys.modules)."""
    loader = importlib.machinery.ExtensionFileLoader(module_name, str(so_path))
    spec = importlib.util.spec_from_file_location(module_name, str(so_path), loader=loader)
    if spec is None:
        raise ImportError(f"cannot load {so_path}")
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def make_runner(module: Any, ctx: Any) -> Any:
    """The METH_FASTCALL driver of a loaded module, bound to ``ctx`` (a tuple kept alive by it)."""
    sink: list[Any] = []
    ffi, lib = module.ffi, module.lib
    status = lib.pyt_make_runner(ffi.cast("void *", id(ctx)), ffi.cast("void *", id(sink)))
    if status != 0 or len(sink) != 1:
        raise BackendError(f"initialising the C module {module.__name__} failed")
    return sink[0]
