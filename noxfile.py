"""Developer and CI tasks for the PyTensor monorepo.

``nox`` runs the default sessions (lint, typecheck, tests, integration, nocompiler, layering,
docs); ``nox -l`` lists them all. Every session builds its own virtual
environment with uv, so what a session can import is exactly what it installed.
"""

from __future__ import annotations

import os
import shutil
import sys
import tomllib
from pathlib import Path

import nox
from nox.command import CommandFailed

try:  # the uv that nox itself uses (pip install uv puts it beside nox)
    from uv import find_uv_bin

    UV = find_uv_bin()
except ImportError:
    UV = shutil.which("uv") or "uv"

nox.options.default_venv_backend = "uv"
nox.options.error_on_external_run = True
nox.options.sessions = [
    "lint",
    "typecheck",
    "tests",
    "integration",
    "nocompiler",
    "layering",
    "docs",
]

ROOT = Path(__file__).resolve().parent
PACKAGES = ROOT / "packages"
VERSION = (ROOT / "VERSION").read_text().strip()
PYPROJECT = str(ROOT / "pyproject.toml")

# Bottom-up, so installing in this order never needs anything not yet listed.
DISTRIBUTIONS = [
    "pytensor-graph",
    "pytensor-rewrite",
    "pytensor-tensor",
    "pytensor-backend-numba",
    "pytensor-backend-c",
    "pytensor-backend-jax",
    "pytensor-dims",
    "pytensor",
]
# Distributions that may not have unit tests yet: for these only, pytest's
# "no tests collected" (exit code 5) passes. Remove a name once it has tests.
SKELETONS: set[str] = set()
# Distributions whose sources mypy checks (see [tool.mypy] for strictness).
TYPED = ["pytensor-graph", "pytensor-rewrite"]
# Pinned (as in uv.lock): strict mode's unused-ignore and Any checks shift between
# releases, so a new mypy is adopted deliberately, not by the next CI run.
MYPY = "mypy==2.4.1"
TEST_REQUIREMENTS = ["pytest>=8", "hypothesis>=6"]
DOCS_REQUIREMENTS = ["sphinx>=7.3", "pydata-sphinx-theme>=0.15", "myst-parser>=3"]
TEST_BACKEND = "integration-tests/test-backend"


def _internal_requirements(dist: str) -> list[str]:
    """Return ``dist`` and every internal distribution it needs, bottom-up."""
    with open(PACKAGES / dist / "pyproject.toml", "rb") as f:
        requirements = tomllib.load(f)["project"].get("dependencies", [])
    direct = {r.split("==")[0].strip() for r in requirements} & set(DISTRIBUTIONS)
    needed = {dist}
    for name in direct:
        needed.update(_internal_requirements(name))
    return [name for name in DISTRIBUTIONS if name in needed]


def _editable(dists: list[str]) -> list[str]:
    args = []
    for dist in dists:
        args += ["-e", f"packages/{dist}"]
    return args


def _pytest(session: nox.Session, *args: str, **kwargs) -> None:
    # One pytest configuration (the root pyproject) for every distribution.
    session.run("pytest", "-c", PYPROJECT, "--rootdir", str(ROOT), *args, **kwargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check, ruff format --check and the lockstep-version check."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("python", "scripts/sync_version.py", "--check")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy over the graph and rewrite layers (strictness is set in [tool.mypy])."""
    session.install(MYPY, *_editable(TYPED))
    # One mypy run over several src/ roots that share the `pytensor` namespace.
    roots = [f"packages/{dist}/src" for dist in TYPED]
    files = [root for root in roots if any(Path(root).rglob("*.py"))]
    env = {"MYPYPATH": os.pathsep.join(roots)}
    session.run("mypy", "--config-file", PYPROJECT, *files, *session.posargs, env=env)


@nox.session
@nox.parametrize("dist", DISTRIBUTIONS, ids=DISTRIBUTIONS)
def tests(session: nox.Session, dist: str) -> None:
    """Unit tests of one distribution, with only it and its dependencies installed."""
    session.install(*TEST_REQUIREMENTS, *_editable(_internal_requirements(dist)))
    codes = [0, 5] if dist in SKELETONS else [0]
    _pytest(session, f"packages/{dist}/tests", *session.posargs, success_codes=codes)
    # Docstring examples run with their own module's globals. importlib mode with
    # namespace packages gives modules their real names (pytensor.graph.basic, ...).
    doctests = ["--doctest-modules", "--import-mode=importlib"]
    doctests += ["-o", "consider_namespace_packages=true", f"packages/{dist}/src"]
    _pytest(session, *doctests, success_codes=[0, 5])  # 5: no examples yet


#: The integration suite in two halves of similar length, run side by side (CI has two
#: cores; numba's and gcc's compilers each use one).
INTEGRATION_SHARDS = (
    ["integration-tests/test_conformance_numba.py", "integration-tests/test_conformance_py.py"],
    [
        "integration-tests",
        "--ignore=integration-tests/benchmarks",
        "--ignore=integration-tests/test_conformance_numba.py",
        "--ignore=integration-tests/test_conformance_py.py",
    ],
)


@nox.session
def integration(session: nox.Session) -> None:
    """Cross-package tests on the whole workspace plus the test-only backend plugin."""
    session.install(*TEST_REQUIREMENTS, *_editable(DISTRIBUTIONS), "-e", TEST_BACKEND)
    if session.posargs:
        _pytest(
            session, "integration-tests", "--ignore=integration-tests/benchmarks", *session.posargs
        )
        return
    _pytest_side_by_side(session, INTEGRATION_SHARDS)


def _pytest_side_by_side(session: nox.Session, shards: tuple[list[str], ...]) -> None:
    """Run one pytest process per shard at once; print each log whole, fail if any failed."""
    import subprocess
    import tempfile

    env = {**os.environ, **{k: v for k, v in session.env.items() if v is not None}}
    env["PATH"] = os.pathsep.join([session.bin, env.get("PATH", "")])
    env["VIRTUAL_ENV"] = str(Path(session.bin).parent)
    python = str(Path(session.bin) / "python")
    runs = []
    for shard in shards:
        log = tempfile.TemporaryFile(mode="w+")
        cmd = [python, "-m", "pytest", "-c", PYPROJECT, "--rootdir", str(ROOT), *shard]
        session.log(" ".join(cmd[1:]))
        runs.append((subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env), log))
    failed = []
    for k, (proc, log) in enumerate(runs):
        code = proc.wait()
        log.seek(0)
        print(log.read(), flush=True)
        if code != 0:
            failed.append(k)
    if failed:
        session.error(f"pytest failed in shard(s) {failed} of the integration suite")


@nox.session
def nocompiler(session: nox.Session) -> None:
    """The Python-backend suite with ``CC`` pointing at nothing: the C backend must report
    itself unavailable, and everything else must work (the compiler is optional)."""
    session.install(*TEST_REQUIREMENTS, *_editable(DISTRIBUTIONS))
    env = {"CC": "/nonexistent/bin/cc"}
    tests = [
        "integration-tests/test_no_compiler.py",
        "integration-tests/test_conformance_py.py",
        # The compiled backends that need no C compiler, on the bad-input cases.
        "integration-tests/test_conformance_numba.py",
        "integration-tests/test_conformance_jax.py",
    ]
    _pytest(
        session, *tests, "-k", "not Test or NoRewrites or error_case", *session.posargs, env=env
    )


@nox.session
def layering(session: nox.Session) -> None:
    """Each wheel alone in a fresh environment runs its smoke test; then import-linter."""
    tmp = Path(session.create_tmp()).resolve()
    wheels = tmp / "wheels"
    shutil.rmtree(wheels, ignore_errors=True)
    session.run(UV, "build", "--all-packages", "--wheel", "-o", str(wheels), "-q", external=True)
    failed = []
    for dist in DISTRIBUTIONS:
        python = _fresh_venv(session, tmp / "venvs" / dist, wheels, [f"{dist}=={VERSION}"])
        script = ROOT / "integration-tests" / "layering" / f"smoke_{dist.replace('-', '_')}.py"
        # The script's own folder is the only repository path on sys.path.
        with session.chdir(tmp):
            try:
                session.run(python, str(script), VERSION, external=True)
            except CommandFailed:
                failed.append(dist)  # keep going: one report for every distribution
    everything = [f"{dist}=={VERSION}" for dist in DISTRIBUTIONS] + ["import-linter>=2.1"]
    python = _fresh_venv(session, tmp / "venvs" / "all", wheels, everything)
    # Plain wheels merge the `pytensor` namespace into one folder; grimp needs that.
    lint_imports = str(Path(python).with_name("lint-imports"))
    env = {"PYTHONPATH": str(ROOT / "scripts")}
    session.run(lint_imports, "--config", PYPROJECT, external=True, env=env)
    if failed:
        session.error(f"smoke tests failed for: {', '.join(failed)}")


def _fresh_venv(session: nox.Session, where: Path, wheels: Path, requirements: list[str]) -> str:
    """Create an empty venv at ``where`` and install ``requirements`` into it."""
    shutil.rmtree(where, ignore_errors=True)
    session.run(UV, "venv", "-q", "--python", sys.executable, str(where), external=True)
    python = str(where / ("Scripts/python.exe" if os.name == "nt" else "bin/python"))
    # Internal distributions come only from the wheels just built (no PyPI
    # release has this version); third-party ones come from the index.
    install = ["pip", "install", "-q", "--python", python, "--find-links", str(wheels)]
    # uv caches a local wheel by its file name; the version does not change between
    # builds, so make it re-read the wheels just built.
    install += [arg for dist in DISTRIBUTIONS for arg in ("--refresh-package", dist)]
    session.run(UV, *install, *requirements, external=True)
    return python


@nox.session
def build(session: nox.Session) -> None:
    """Wheels and sdists of all distributions into dist/."""
    shutil.rmtree(ROOT / "dist", ignore_errors=True)
    session.run(UV, "build", "--all-packages", "-o", str(ROOT / "dist"), external=True)


@nox.session
def docs(session: nox.Session) -> None:
    """Sphinx HTML (warnings are errors) and the documentation's doctests."""
    session.install(*DOCS_REQUIREMENTS, *_editable(DISTRIBUTIONS))
    out = ROOT / "docs" / "_build"
    shutil.rmtree(out, ignore_errors=True)
    session.run("sphinx-build", "-W", "--keep-going", "-b", "html", "docs", str(out / "html"))
    session.run("sphinx-build", "-W", "--keep-going", "-b", "doctest", "docs", str(out / "doctest"))


@nox.session
def bench(session: nox.Session) -> None:
    """pytest-benchmark suites (not in the default run; they report, never fail on time)."""
    session.install(*TEST_REQUIREMENTS, "pytest-benchmark>=4", *_editable(DISTRIBUTIONS))
    # Exit code 5 (nothing collected) is fine while the suites are being written.
    args = ["integration-tests/benchmarks", "-p", "no:cacheprovider", *session.posargs]
    _pytest(session, *args, success_codes=[0, 5])


@nox.session
def demo(session: nox.Session) -> None:
    """Run examples/demo.py on the workspace."""
    session.install(*_editable(DISTRIBUTIONS))
    session.run("python", "examples/demo.py")
