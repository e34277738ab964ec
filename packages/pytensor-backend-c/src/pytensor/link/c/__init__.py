"""The C backend (layer: pytensor-backend-c): a graph becomes one C extension module
built with cffi and the system C compiler.

Importing this package is cheap and never imports cffi nor runs the compiler;
:data:`backend` is the object registered in the ``pytensor.backends`` entry
point group, and ``Mode("c", "fast_run")`` is registered as the mode ``"C"``.
"""

from __future__ import annotations

from pytensor.link.c.linker import CBackend, CLinker, LinkInfo, backend, link_info

__all__ = ["CBackend", "CLinker", "LinkInfo", "backend", "link_info"]
