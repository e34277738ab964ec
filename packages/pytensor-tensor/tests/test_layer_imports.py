"""The tensor tests run where only pytensor-tensor and its dependencies are installed, so they
must not use the names the meta-package adds to the top-level package (its ``function``,
``grad``, ...); this check makes that visible in the full workspace too."""

from __future__ import annotations

import re
from pathlib import Path

META_NAMES = ("function", "grad", "shared", "config", "dprint", "In", "Out", "Mode", "OpFromGraph")
PATTERN = re.compile(r"\bpytensor\.(" + "|".join(META_NAMES) + r")\b")


def test_tests_do_not_use_meta_package_names():
    offenders = []
    for path in sorted(Path(__file__).parent.glob("*.py")):
        if path.name == Path(__file__).name:
            continue
        for lineno, line in enumerate(path.read_text().splitlines(), 1):
            if PATTERN.search(line.split("#", 1)[0]):
                offenders.append(f"{path.name}:{lineno}: {line.strip()}")
    assert not offenders, "import these from their own layer instead:\n" + "\n".join(offenders)
