"""Softmax, log-softmax, logsumexp and logaddexp as ``OpFromGraph`` composites (layer: pytensor-tensor).

Each is a small graph of existing Ops (max, exp, sum, log) wrapped in one
node, so no backend needs a kernel for it, with its closed-form derivatives:
the pullback and pushforward are written from the node's output rather than
by differentiating the max-shifted inner graph. Public functions live in
:mod:`pytensor.tensor.special` (softmax, log_softmax) and
:mod:`pytensor.tensor.math` (logsumexp, logaddexp).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from pytensor.compile.builders import OpFromGraph
from pytensor.graph.basic import Variable

__all__ = ["LogAddExp", "LogSoftmax", "LogSumExp", "Softmax"]

_DISCRETE = ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")


def _m() -> Any:
    from pytensor.tensor import math as m

    return m


def as_float_input(x: Any, what: str) -> Any:
    """``x`` as a tensor, integers and booleans cast to the float they upgrade to; complex refused."""
    from pytensor.scalar.basic import get_scalar_type, upgrade_to_float
    from pytensor.tensor.basic import as_tensor_variable, cast

    x = as_tensor_variable(x)
    if x.dtype.startswith("complex"):
        raise TypeError(f"{what}: complex input {x} (type {x.type}) is not supported")
    if x.dtype in _DISCRETE:
        x = cast(x, upgrade_to_float(get_scalar_type(x.dtype))[0].dtype)
    return x


class _Composite(OpFromGraph):
    """An ``OpFromGraph`` built from its inputs' types by ``_graph``; never inlined by default.

    Subclasses name their parameters in ``params`` (not ``__props__``: the
    equality of an OpFromGraph compares inner graphs, which already encode
    the parameters; the parameters also go into the name, hence the hash).
    Building the same function on inputs of the same types gives equal Ops,
    so merging works.
    """

    params: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self,
        inputs: Sequence[Variable],
        outputs: Sequence[Variable],
        *,
        inline: bool = False,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        for p in self.params:
            setattr(self, p, kwargs.pop(p, None))
        label = type(self).__name__
        if self.params:
            label += "{" + ", ".join(f"{p}={getattr(self, p)}" for p in self.params) + "}"
        super().__init__(inputs, outputs, inline=inline, name=name or label, **kwargs)

    @classmethod
    def build(cls, *xs: Any, **params: Any) -> Any:
        """The Op for inputs of the types of ``xs`` (fresh inner inputs of the same types)."""
        inner = [x.type() for x in xs]
        return cls(inner, [cls._graph(*inner, **params)], **params)

    @staticmethod
    def _graph(*xs: Any, **params: Any) -> Any:
        raise NotImplementedError


def _reduce_axes(x: Any, axis: Any, what: str) -> tuple[int, ...]:
    axes = _m()._axes(what, x, axis)
    return tuple(range(x.type.ndim)) if axes is None else tuple(sorted(axes))


class Softmax(_Composite):
    """``exp(x) / sum(exp(x), axis)``, computed from ``x - max(x, axis)`` so it cannot overflow.

    Built by :func:`pytensor.tensor.special.softmax`. Pullback:
    ``s * (g - sum(g * s, axis))``.
    """

    params = ("axis",)
    axis: tuple[int, ...]

    @staticmethod
    def _graph(x: Any, axis: tuple[int, ...]) -> Any:  # type: ignore[override]
        m = _m()
        # An all -inf (or +inf) lane gives NaN, as 0/0 (SciPy agrees).
        e = m.exp(m.sub(x, m.max(x, axis=axis, keepdims=True)))
        return m.true_div(e, m.sum(e, axis=axis, keepdims=True))

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        m = _m()
        s, g = outputs[0], cotangents[0]
        return [m.mul(s, m.sub(g, m.sum(m.mul(g, s), axis=self.axis, keepdims=True)))]

    def pushforward(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], tangents: Sequence[Any]
    ) -> list[Any]:
        if tangents[0] is None:
            return [None]
        return self.pullback(inputs, outputs, tangents)  # the Jacobian is symmetric


class LogSoftmax(_Composite):
    """``x - logsumexp(x, axis)``, computed from ``x - max(x, axis)``.

    Built by :func:`pytensor.tensor.special.log_softmax`. Pullback:
    ``g - softmax(x) * sum(g, axis)``.
    """

    params = ("axis",)
    axis: tuple[int, ...]

    @staticmethod
    def _graph(x: Any, axis: tuple[int, ...]) -> Any:  # type: ignore[override]
        m = _m()
        shifted = m.sub(x, _safe_max(x, axis))
        return m.sub(shifted, m.log(m.sum(m.exp(shifted), axis=axis, keepdims=True)))

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        m = _m()
        g = cotangents[0]
        total = m.sum(g, axis=self.axis, keepdims=True)
        return [m.sub(g, m.mul(m.exp(outputs[0]), total))]

    def pushforward(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], tangents: Sequence[Any]
    ) -> list[Any]:
        m = _m()
        t = tangents[0]
        if t is None:
            return [None]
        return [m.sub(t, m.sum(m.mul(m.exp(outputs[0]), t), axis=self.axis, keepdims=True))]


def _safe_max(x: Any, axis: tuple[int, ...]) -> Any:
    """``max(x, axis)`` (kept dims) with infinite maxima replaced by 0, so ``inf - inf`` never appears."""
    m = _m()
    top = m.max(x, axis=axis, keepdims=True)
    return m._switch(m.isinf(top), m._const(0, top.dtype), top)


class LogSumExp(_Composite):
    """``log(sum(exp(x), axis))`` computed from ``x - max(x, axis)``, as ``scipy.special.logsumexp``.

    Built by :func:`pytensor.tensor.math.logsumexp`. An all -inf lane gives
    -inf. Pullback: ``g * exp(x - logsumexp(x))`` (the softmax).
    """

    params = ("axis", "keepdims")
    axis: tuple[int, ...]
    keepdims: bool

    @staticmethod
    def _graph(x: Any, axis: tuple[int, ...], keepdims: bool) -> Any:  # type: ignore[override]
        m = _m()
        top = _safe_max(x, axis)
        out = m.add(m.log(m.sum(m.exp(m.sub(x, top)), axis=axis, keepdims=True)), top)
        if keepdims:
            return out
        return out.dimshuffle([d for d in range(x.type.ndim) if d not in axis])

    def _kept(self, v: Any, x: Any) -> Any:
        """``v``, a reduction of ``x`` over ``self.axis``, with the reduced axes as length 1."""
        return v if self.keepdims else _m()._keep(x, v, self.axis, True)

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        m = _m()
        x = inputs[0]
        weights = m.exp(m.sub(x, self._kept(outputs[0], x)))
        return [m.mul(self._kept(cotangents[0], x), weights)]

    def pushforward(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], tangents: Sequence[Any]
    ) -> list[Any]:
        m = _m()
        x, t = inputs[0], tangents[0]
        if t is None:
            return [None]
        weights = m.exp(m.sub(x, self._kept(outputs[0], x)))
        return [m.sum(m.mul(t, weights), axis=self.axis, keepdims=self.keepdims)]


def _logaddexp2(a: Any, b: Any) -> Any:
    m = _m()
    hi = m.maximum(a, b)
    res = m.add(hi, m.log1p(m.exp(m.neg(m.abs(m.sub(a, b))))))
    # Equal infinities would give inf - inf = NaN above; a == b is exact there.
    log2 = m._const(np.log(2.0), res.dtype)
    return m._switch(m.eq(a, b), m.add(a, log2), res)


class LogAddExp(_Composite):
    """``log(exp(x0) + exp(x1) + ...)`` elementwise (with broadcasting), without overflow.

    Built by :func:`pytensor.tensor.math.logaddexp` for two or more float
    inputs. Pullback for input ``i``: ``g * exp(x_i - out)``, summed over the
    dimensions ``x_i`` was broadcast along.
    """

    @staticmethod
    def _graph(*xs: Any) -> Any:  # type: ignore[override]
        out = xs[0]
        for x in xs[1:]:
            out = _logaddexp2(out, x)
        return out

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        from pytensor.tensor._alloc import _sum_to_value

        m = _m()
        out, g = outputs[0], cotangents[0]
        return [_sum_to_value(m.mul(g, m.exp(m.sub(x, out))), x) for x in inputs]

    def pushforward(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], tangents: Sequence[Any]
    ) -> list[Any]:
        m = _m()
        terms = [
            m.mul(t, m.exp(m.sub(x, outputs[0])))
            for x, t in zip(inputs, tangents, strict=True)
            if t is not None
        ]
        if not terms:
            return [None]
        total = terms[0]
        for term in terms[1:]:
            total = m.add(total, term)
        # exp(x_i - out) already has the output's (broadcast) shape.
        return [total]


def softmax_of(x: Any, axis: Any, what: str) -> Any:
    x = as_float_input(x, what)
    return Softmax.build(x, axis=_reduce_axes(x, axis, what))(x)


def log_softmax_of(x: Any, axis: Any, what: str) -> Any:
    x = as_float_input(x, what)
    return LogSoftmax.build(x, axis=_reduce_axes(x, axis, what))(x)


def logsumexp_of(x: Any, axis: Any, keepdims: bool) -> Any:
    x = as_float_input(x, "logsumexp")
    axes = _reduce_axes(x, axis, "logsumexp")
    return LogSumExp.build(x, axis=axes, keepdims=bool(keepdims))(x)


def logaddexp_of(xs: Sequence[Any]) -> Any:
    from pytensor.scalar.basic import upcast
    from pytensor.tensor.basic import cast

    floats = [as_float_input(x, "logaddexp") for x in xs]
    dtype = upcast(*[f.dtype for f in floats])
    floats = [f if f.dtype == dtype else cast(f, dtype) for f in floats]
    return LogAddExp.build(*floats)(*floats)
