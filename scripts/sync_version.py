"""Keep every distribution's version and internal pins in lockstep with VERSION.

Run ``python scripts/sync_version.py`` to rewrite ``packages/*/pyproject.toml``
from the root ``VERSION`` file, or ``--check`` to only report mismatches
(exit status 1 if there are any). Importable: ``find_mismatches`` and ``sync``.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

__all__ = ["ROOT", "find_mismatches", "internal_names", "read_version", "sync"]

ROOT = Path(__file__).resolve().parent.parent

_VERSION_LINE = re.compile(r'^(version\s*=\s*")([^"]*)(")', re.MULTILINE)
_NAME_LINE = re.compile(r'^name\s*=\s*"([^"]+)"', re.MULTILINE)


def read_version(root: Path = ROOT) -> str:
    """Return the lockstep version from the root ``VERSION`` file."""
    return (root / "VERSION").read_text().strip()


def pyprojects(root: Path = ROOT) -> list[Path]:
    """Return the ``pyproject.toml`` of every distribution, sorted by folder."""
    return sorted((root / "packages").glob("*/pyproject.toml"))


def internal_names(root: Path = ROOT) -> list[str]:
    """Return the distribution names declared in ``packages/*/pyproject.toml``."""
    names = []
    for path in pyprojects(root):
        match = _NAME_LINE.search(path.read_text())
        if match:
            names.append(match.group(1))
    return names


def _pin_pattern(names: list[str]) -> re.Pattern[str]:
    # A quoted requirement on an internal distribution, e.g. "pytensor-graph==1.0".
    # The name must end at a specifier so "pytensor" does not match "pytensor-graph".
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf'"((?:{alternatives}))(\s*[=<>!~][^";\]]*)?"')


def _rewrite(text: str, version: str, names: list[str]) -> tuple[str, list[str]]:
    """Return ``text`` with lockstep pins and a list of what was wrong in it."""
    problems: list[str] = []

    def fix_version(match: re.Match[str]) -> str:
        if match.group(2) != version:
            problems.append(f"version is {match.group(2)!r}, expected {version!r}")
        return f"{match.group(1)}{version}{match.group(3)}"

    def fix_pin(match: re.Match[str]) -> str:
        name, spec = match.group(1), (match.group(2) or "").strip()
        if spec != f"=={version}":
            problems.append(f"{name} pinned as {spec or '(unpinned)'!r}, expected =={version}")
        return f'"{name}=={version}"'

    text = _VERSION_LINE.sub(fix_version, text, count=1)
    pin = _pin_pattern(names)
    lines = text.splitlines(keepends=True)
    in_tool_table = False
    for i, line in enumerate(lines):
        # Tool tables may name packages freely, and `name = "..."` is not a requirement.
        if line.startswith("["):
            in_tool_table = line.startswith("[tool.")
        if not in_tool_table and not _NAME_LINE.match(line):
            lines[i] = pin.sub(fix_pin, line)
    return "".join(lines), problems


def find_mismatches(root: Path = ROOT) -> dict[str, list[str]]:
    """Map each out-of-step ``pyproject.toml`` (relative path) to its problems."""
    version, names = read_version(root), internal_names(root)
    report = {}
    for path in pyprojects(root):
        _, problems = _rewrite(path.read_text(), version, names)
        if problems:
            report[str(path.relative_to(root))] = problems
    return report


def sync(root: Path = ROOT) -> list[Path]:
    """Rewrite every ``pyproject.toml`` to the lockstep version; return changed files."""
    version, names = read_version(root), internal_names(root)
    changed = []
    for path in pyprojects(root):
        old = path.read_text()
        new, _ = _rewrite(old, version, names)
        if new != old:
            path.write_text(new)
            changed.append(path)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report mismatches, change nothing")
    args = parser.parse_args(argv)
    if args.check:
        mismatches = find_mismatches()
        for path, problems in mismatches.items():
            for problem in problems:
                print(f"{path}: {problem}")
        return 1 if mismatches else 0
    for path in sync():
        print(f"updated {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
