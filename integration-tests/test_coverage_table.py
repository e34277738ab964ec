"""The backend coverage table (docs/backends/coverage.md) is generated, not a guess (DESIGN.md §5).

``scripts/backend_coverage.py --check`` regenerates the table from every
installed backend's ``op_status`` and compares it with the committed page.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "backend_coverage.py"
PAGE = ROOT / "docs" / "backends" / "coverage.md"
COMMAND = "python scripts/backend_coverage.py"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    # A fresh process: the registry of this one may hold test-only backends.
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_coverage_table_is_current() -> None:
    result = _run("--check")
    assert result.returncode == 0, (
        f"docs/backends/coverage.md does not match the installed backends; run `{COMMAND}` "
        f"from the repository root and commit the result.\n{result.stdout}{result.stderr}"
    )


def test_coverage_table_lists_every_required_op_class() -> None:
    from conformance.base import required_op_classes

    # The committed page; test_coverage_table_is_current checks that it is what the script makes.
    page = PAGE.read_text()
    missing = sorted(
        c.__qualname__ for c in required_op_classes() if f"| `{c.__qualname__}` |" not in page
    )
    assert not missing, f"Op classes without a row in the coverage table: {missing}"
    assert "| `OpFromGraph` |" in page
    # Every cell is a status this page explains; the py backend runs every Op's perform.
    header = next(line for line in page.splitlines() if line.startswith("| Op class |"))
    backends = [c.strip() for c in header.strip("|").split("|")][3:]
    assert "py" in backends and "testpy" not in backends, backends
    for line in page.splitlines():
        if line.startswith("| `"):
            cells = [c.strip() for c in line.strip("|").split("|")][3:]
            assert len(cells) == len(backends), line
            assert set(cells) <= {"native", "perform", "missing"}, line
            assert cells[backends.index("py")] == "native", line
