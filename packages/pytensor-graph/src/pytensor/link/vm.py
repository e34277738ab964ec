"""``VMLinker``: PyTensor's name for the linker of the Python reference backend (layer: pytensor-graph)."""

from __future__ import annotations

from typing import Any

from pytensor.link.python import PythonLinker, backend

__all__ = ["VMLinker"]


class VMLinker(PythonLinker):
    """The Python backend's linker under PyTensor's name.

    PyTensor's options ``allow_gc`` and ``lazy`` are honoured (``lazy`` is
    automatic here: graphs with lazy Ops are always evaluated on demand);
    ``use_cloop``, ``callback`` and ``c_thunks`` are accepted and have no
    effect, since this backend runs ``perform`` in Python.
    """

    def __init__(
        self,
        allow_gc: bool | None = None,
        use_cloop: bool = False,
        callback: Any = None,
        callback_input: Any = None,
        lazy: bool | None = None,
        schedule: Any = None,
        c_thunks: bool | None = None,
        allow_partial_eval: bool | None = None,
    ) -> None:
        options = {} if allow_gc is None else {"allow_gc": allow_gc}
        super().__init__(backend, **options)
