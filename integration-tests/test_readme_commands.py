"""The README's two commands are what users and CI run: keep .ci/run in step with them."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _readme_commands() -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", (ROOT / "README.md").read_text(), re.DOTALL)
    return [block.strip() for block in blocks]


def test_first_command_sets_up_and_runs_the_demo():
    first = _readme_commands()[0]
    assert "pip install uv" in first
    assert first.endswith("examples/demo.py")
    assert (ROOT / "examples" / "demo.py").is_file()


def test_ci_runs_the_readme_test_command():
    second = _readme_commands()[1]
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert second in ci_lines, f".ci/run must run the README's test command: {second!r}"


def test_ci_script_is_strict_bash():
    text = (ROOT / ".ci" / "run").read_text()
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in text
