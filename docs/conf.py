"""Sphinx configuration for the PyTensor monorepo documentation (``nox -s docs``)."""

from __future__ import annotations

from pathlib import Path

project = "PyTensor"
author = "The PyTensor rebuild developers"
copyright = "the PyTensor rebuild developers"
release = (Path(__file__).resolve().parent.parent / "VERSION").read_text().strip()
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.napoleon",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]

# numpydoc-style docstrings, rendered by napoleon.
napoleon_google_docstring = False
napoleon_numpy_docstring = True
autodoc_member_order = "bysource"
autodoc_typehints = "description"
# Document what each module defines; names it re-exports are documented where defined.
autodoc_default_options = {"members": True, "show-inheritance": True, "ignore-module-all": True}

# Every `>>>` example in the pages and in docstrings is a doctest.
doctest_global_setup = "import numpy as np"

html_theme = "pydata_sphinx_theme"
html_title = f"PyTensor {release}"
html_theme_options = {"navigation_with_keys": False}
