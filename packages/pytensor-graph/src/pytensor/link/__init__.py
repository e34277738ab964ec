"""Backends: the Backend protocol, the backend registry and the Python reference backend (layer: pytensor-graph).

Backend distributions add subpackages (``pytensor.link.numba``, ...), so this
package extends its ``__path__``.
"""

from pkgutil import extend_path

__path__ = extend_path(__path__, __name__)

__all__: list[str] = []
