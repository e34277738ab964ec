"""The on-disk module cache: keys, private directory, ownership, locking, corrupt entries, CLI."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pytensor.link.c import build, cache

pytestmark = pytest.mark.c


def _source(tag: str) -> str:
    """A minimal module source with a distinct cache key per ``tag``."""
    lit = json.dumps(tag)  # ASCII tags only: a valid C literal
    return f"""
#include <Python.h>
#include <numpy/arrayobject.h>
static PyObject *pyt_run(PyObject *self, PyObject *const *args, Py_ssize_t n) {{
    return PyUnicode_FromString({lit});
}}
static PyMethodDef pyt_def = {{"run", (PyCFunction)(void (*)(void))pyt_run, METH_FASTCALL, NULL}};
int pyt_make_runner(void *ctx, void *sink) {{
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject *f = PyCFunction_New(&pyt_def, (PyObject *)ctx);
    int s = f == NULL ? -1 : PyList_Append((PyObject *)sink, f);
    Py_XDECREF(f);
    PyGILState_Release(g);
    return s;
}}
"""


@pytest.fixture
def cache_root(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTENSOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "_memo", {})
    return tmp_path / "cache" / "c"


def _run(module) -> str:
    return build.make_runner(module, ())()


def test_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PYTENSOR_CACHE_DIR", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "c"
    monkeypatch.delenv("PYTENSOR_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "pytensor" / "c"


def test_key_depends_on_source_and_toolchain():
    tc = build.toolchain()
    k1, k2 = cache.module_key("a", tc), cache.module_key("b", tc)
    assert k1 != k2 and len(k1) == 64
    ident = tc.identity()
    assert tc.cc in ident and tc.version.splitlines()[0] in ident
    assert "-O3" in ident and tc.ext_suffix in ident and "numpy-capi" in ident


def test_build_installs_a_private_entry_with_a_manifest(cache_root):
    tc = build.toolchain()
    mod, key = cache.get_module(_source("install"), tc)
    assert _run(mod) == "install"
    assert stat.S_IMODE(cache_root.stat().st_mode) == 0o700
    entry = cache_root / key
    meta = json.loads((entry / "manifest.json").read_text())
    assert meta["module"] == mod.__name__
    assert (entry / meta["library"]).is_file()
    assert not [p for p in cache_root.iterdir() if p.name.startswith("tmp-")]
    # A second lookup in this process is served from memory.
    before = dict(cache.stats)
    assert cache.get_module(_source("install"), tc)[0] is mod
    assert cache.stats["memo_hits"] == before["memo_hits"] + 1


@pytest.mark.parametrize("damage", ["truncate", "no-manifest", "garbage-manifest"])
def test_corrupt_or_partial_entries_are_rebuilt(cache_root, damage):
    tc = build.toolchain()
    src = _source(f"corrupt-{damage}")
    mod, key = cache.get_module(src, tc)
    entry = cache_root / key
    meta = json.loads((entry / "manifest.json").read_text())
    so = entry / meta["library"]
    if damage == "truncate":
        # A new file (inode): the library loaded above stays mapped and intact.
        part = so.with_suffix(".part")
        part.write_bytes(so.read_bytes()[:100])
        os.replace(part, so)
    elif damage == "no-manifest":
        (entry / "manifest.json").unlink()
    else:
        (entry / "manifest.json").write_text("{not json")
    cache._memo.clear()
    builds = cache.stats["builds"]
    mod2, _ = cache.get_module(src, tc)
    assert cache.stats["builds"] == builds + 1
    assert _run(mod2) == f"corrupt-{damage}"
    meta2 = json.loads((entry / "manifest.json").read_text())
    assert cache._sha256(entry / meta2["library"]) == meta2["sha256"]


def test_entries_owned_by_another_user_are_not_loaded(cache_root, monkeypatch):
    tc = build.toolchain()
    src = _source("foreign")
    mod, key = cache.get_module(src, tc)
    cache._memo.clear()
    real_uid = os.getuid()
    monkeypatch.setattr(cache, "_owned", lambda p: not str(p).startswith(str(cache_root / key)))
    private = cache.stats["private_builds"]
    mod2, _ = cache.get_module(src, tc)
    assert cache.stats["private_builds"] == private + 1
    assert _run(mod2) == "foreign"
    assert os.getuid() == real_uid


def test_a_cache_dir_owned_by_another_user_is_not_used(cache_root, monkeypatch):
    tc = build.toolchain()
    cache_root.mkdir(parents=True)
    monkeypatch.setattr(cache, "_owned", lambda p: False)
    private = cache.stats["private_builds"]
    mod, _ = cache.get_module(_source("foreign-root"), tc)
    assert cache.stats["private_builds"] == private + 1
    assert _run(mod) == "foreign-root"
    assert list(cache_root.iterdir()) == []


def test_concurrent_processes_build_a_module_once(tmp_path):
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_cache import _source
        from pytensor.link.c import build, cache
        mod, key = cache.get_module(_source("concurrent"), build.toolchain())
        print(cache.stats["builds"], build.make_runner(mod, ())())
        """
    )
    env = {**os.environ, "PYTENSOR_CACHE_DIR": str(tmp_path / "shared")}
    procs = [
        subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    outs = [p.communicate(timeout=300)[0].split() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert sorted(int(o[0]) for o in outs) == [0, 0, 0, 1]
    assert all(o[1] == "concurrent" for o in outs)


def test_cli_lists_and_clears(tmp_path):
    env = {**os.environ, "PYTENSOR_CACHE_DIR": str(tmp_path / "cli")}
    here = str(Path(__file__).parent)
    code = (
        f"import sys; sys.path.insert(0, {here!r}); from test_cache import _source; "
        "from pytensor.link.c import build, cache; "
        "cache.get_module(_source('cli'), build.toolchain())"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    cli = [sys.executable, "-m", "pytensor.link.c", "cache"]
    out = subprocess.run([*cli, "list"], env=env, capture_output=True, text=True, check=True)
    assert "1 modules" in out.stdout and " ok" in out.stdout
    out = subprocess.run([*cli, "dir"], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(tmp_path / "cli" / "c")
    out = subprocess.run([*cli, "clear"], env=env, capture_output=True, text=True, check=True)
    assert "removed 1 modules" in out.stdout
    out = subprocess.run([*cli, "list"], env=env, capture_output=True, text=True, check=True)
    assert "0 modules" in out.stdout


def test_compiler_errors_are_reported_with_diagnostics(cache_root):
    with pytest.raises(build.CompileError, match="the C compiler failed"):
        cache.get_module("this is not C;\n" + _source("bad"), build.toolchain())


def _gcc() -> bool:
    from pytensor.link.c import _pch

    return _pch._is_gcc(build.toolchain())


@pytest.mark.skipif(not _gcc(), reason="precompiled headers are used with gcc only")
def test_modules_share_a_precompiled_header(cache_root):
    mod, _ = cache.get_module(_source("pch one"), build.toolchain())
    assert _run(mod) == "pch one"
    (pch,) = cache_root.glob("pch-*/pyt_pch.h.gch")
    assert stat.S_IMODE(pch.parent.stat().st_mode) == 0o700
    mtime = pch.stat().st_mtime_ns
    mod, _ = cache.get_module(_source("pch two"), build.toolchain())
    assert _run(mod) == "pch two"
    assert pch.stat().st_mtime_ns == mtime  # built once
    assert all(not e["key"].startswith("pch-") for e in cache.list_entries())
    assert len(cache.list_entries()) == 2
    assert cache.clear_cache() == 2
    assert not list(cache_root.glob("pch-*"))


@pytest.mark.skipif(not _gcc(), reason="precompiled headers are used with gcc only")
def test_a_damaged_precompiled_header_is_replaced(cache_root):
    cache.get_module(_source("pch three"), build.toolchain())
    (pch,) = cache_root.glob("pch-*/pyt_pch.h.gch")
    pch.write_bytes(pch.read_bytes()[: pch.stat().st_size // 2])  # gcc: fatal error
    mod, _ = cache.get_module(_source("pch four"), build.toolchain())
    assert _run(mod) == "pch four"
    mod, _ = cache.get_module(_source("pch five"), build.toolchain())  # rebuilds it
    assert _run(mod) == "pch five"
    (pch,) = cache_root.glob("pch-*/pyt_pch.h.gch")
    assert pch.read_bytes()[:4] == b"gpch"


def test_precompiled_header_can_be_turned_off(cache_root, monkeypatch):
    monkeypatch.setenv("PYTENSOR_C_PCH", "0")
    mod, _ = cache.get_module(_source("pch six"), build.toolchain())
    assert _run(mod) == "pch six"
    assert not list(cache_root.glob("pch-*"))
