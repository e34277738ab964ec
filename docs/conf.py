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
# Members are what each module lists in __all__; a name re-exported by several
# modules is documented once (the API pages exclude it elsewhere).
autodoc_default_options = {"members": True, "show-inheritance": True}

# The `{doctest}` blocks of the pages are tested here. Docstring examples are
# not: they assume their module's globals, so each distribution's `tests`
# session runs them with pytest --doctest-modules instead.
doctest_test_doctest_blocks = ""
doctest_global_setup = "import numpy as np"

html_theme = "pydata_sphinx_theme"
html_title = f"PyTensor {release}"
html_theme_options = {"navigation_with_keys": False}
