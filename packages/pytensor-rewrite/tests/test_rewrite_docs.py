"""The examples of docs/rewrite.md and of the package's docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import pytensor.graph.rewriting as rewriting

DOCS_PAGE = Path(__file__).resolve().parents[3] / "docs" / "rewrite.md"


def _doctest_blocks(text: str) -> str:
    """The bodies of the ```{doctest} blocks of a MyST page, dedented, separated by blank lines."""
    blocks = re.findall(r"^( *)```\{doctest\}\n(.*?)^\1```", text, flags=re.S | re.M)
    out = []
    for indent, body in blocks:
        out.append("\n".join(line[len(indent) :] for line in body.splitlines()))
    return "\n\n".join(out)


@pytest.mark.skipif(not DOCS_PAGE.exists(), reason="the docs folder is not shipped with the sdist")
def test_docs_page_examples():
    source = _doctest_blocks(DOCS_PAGE.read_text())
    assert source.count(">>>") > 40
    test = doctest.DocTestParser().get_doctest(source, {}, "rewrite.md", str(DOCS_PAGE), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    try:
        runner.run(test)
    finally:
        from pytensor.graph.rewriting.db import optdb

        canon = optdb["canonicalize"]
        for rw in list(canon.__db__.get("docs_log1p", ())):
            for objs in canon.__db__.values():
                objs.pop(rw, None)
        canon.__db__.pop("docs_log1p", None)
        canon._names.pop("docs_log1p", None)
    assert runner.failures == 0


def _modules():
    return [m.name for m in pkgutil.iter_modules(rewriting.__path__)]


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples(name):
    module = importlib.import_module(f"pytensor.graph.rewriting.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


@pytest.mark.parametrize("name", _modules())
def test_public_modules_declare_all(name):
    module = importlib.import_module(f"pytensor.graph.rewriting.{name}")
    assert isinstance(module.__all__, list)
    for attr in module.__all__:
        assert getattr(module, attr, None) is not None, f"{name}.{attr}"
