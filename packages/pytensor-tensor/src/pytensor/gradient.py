"""Automatic differentiation: pullback (reverse mode), pushforward (forward mode) and helpers
(layer: pytensor-tensor).

An Op provides its derivative with ``pullback(inputs, outputs, cotangents)``
(the vector-Jacobian product), and optionally ``pushforward(inputs, outputs,
tangents)``; without the latter, forward mode is derived from the pullback
(the double-pullback trick). ``grad``, ``pullback``, ``pushforward``,
``jacobian`` and ``hessian`` are built on these two methods only.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from pytensor.configdefaults import config
from pytensor.graph.basic import Apply, Constant, Variable
from pytensor.graph.traversal import io_toposort
from pytensor.graph.type import Type

__all__ = [
    "DisconnectedInputError",
    "DisconnectedType",
    "GradientError",
    "NullType",
    "NullTypeGradError",
    "Lop",
    "Rop",
    "disconnected_grad",
    "disconnected_type",
    "grad",
    "grad_clip",
    "grad_not_implemented",
    "grad_scale",
    "grad_undefined",
    "hessian",
    "hessian_vector_product",
    "jacobian",
    "pullback",
    "pushforward",
    "subgraph_grad",
    "value_and_grad",
    "verify_grad",
    "verify_pushforward",
    "zero_grad",
]


class DisconnectedInputError(ValueError):
    """A variable we differentiate with respect to does not influence the cost."""


class NullTypeGradError(TypeError):
    """A gradient that does not exist (a NullType) was requested."""


class GradientError(Exception):
    """verify_grad found an analytic gradient that disagrees with finite differences."""

    def __init__(
        self,
        arg: int,
        val1: Any,
        val2: Any,
        abs_err: Any,
        rel_err: Any,
        abs_tol: float,
        rel_tol: float,
    ) -> None:
        self.arg, self.val1, self.val2 = arg, val1, val2
        self.abs_err, self.rel_err, self.abs_tol, self.rel_tol = abs_err, rel_err, abs_tol, rel_tol
        super().__init__(
            f"The gradient of argument {arg} disagrees with finite differences: max abs error "
            f"{np.max(abs_err):.3g} (tolerance {abs_tol}), max rel error {np.max(rel_err):.3g} (tolerance {rel_tol})\n"
            f"analytic: {val1}\nnumeric: {val2}"
        )


class DisconnectedType(Type):
    """The type of a gradient term saying 'this input does not influence that output'."""

    __props__ = ()

    def filter(self, data: Any, strict: bool = False, allow_downcast: bool | None = None) -> Any:
        raise AssertionError(
            "A DisconnectedType variable has no value; it only marks a missing dependency"
        )

    def __str__(self) -> str:
        return "DisconnectedType"


class NullType(Type):
    """The type of a gradient that does not exist; ``why_null`` says why."""

    __props__ = ("why_null",)

    def __init__(self, why_null: str = "(no explanation given)") -> None:
        self.why_null = why_null

    def filter(self, data: Any, strict: bool = False, allow_downcast: bool | None = None) -> Any:
        raise ValueError(f"No values may be assigned to a NullType: {self.why_null}")

    def __str__(self) -> str:
        return "NullType"


DisconnectedType.variable_type = Variable  # type: ignore[assignment]
DisconnectedType.constant_type = Constant  # type: ignore[assignment]
NullType.variable_type = Variable  # type: ignore[assignment]
NullType.constant_type = Constant  # type: ignore[assignment]
disconnected_type = DisconnectedType()


def grad_undefined(op: Any, x_pos: int, x: Any, comment: str = "") -> Variable:
    """A NullType gradient for input ``x_pos`` of ``op``, whose gradient is mathematically undefined."""
    return NullType(
        f"The gradient of {op} with respect to its input {x_pos} ({x}) is undefined. {comment}".strip()
    )()


def grad_not_implemented(op: Any, x_pos: int, x: Any, comment: str = "") -> Variable:
    """A NullType gradient for input ``x_pos`` of ``op``, whose gradient is not implemented."""
    return NullType(
        f"The gradient of {op} with respect to its input {x_pos} ({x}) is not implemented. {comment}".strip()
    )()


def _is_tensor(v: Any) -> bool:
    from pytensor.tensor.type import TensorType

    return isinstance(getattr(v, "type", None), TensorType)


def _is_float(v: Variable) -> bool:
    return getattr(v.type, "dtype", "").startswith(("float", "complex"))


def _zeros_like(v: Variable, dtype: str | None = None) -> Variable:
    from pytensor.tensor.basic import zeros_like

    return zeros_like(v, dtype=dtype)  # type: ignore[no-any-return]


def _sum_terms(terms: list[Variable]) -> Variable:
    if len(terms) == 1:
        return terms[0]
    from pytensor.tensor.math import add

    return add(*terms)  # type: ignore[no-any-return]


def _as_list(x: Any) -> tuple[list[Any], bool]:
    if isinstance(x, list | tuple):
        return list(x), True
    return [x], False


def _check_wrt(wrt: Sequence[Any], outputs: Sequence[Variable]) -> None:
    for k, w in enumerate(wrt):
        if not isinstance(w, Variable):
            raise TypeError(f"grad: wrt[{k}] is not a Variable: {w!r}")
        if isinstance(w, Constant):
            raise TypeError(
                f"grad: cannot differentiate with respect to the constant {w} (wrt[{k}])"
            )


def _depends_on(order: Sequence[Apply], wrt: set[Variable]) -> set[Variable]:
    """Variables that depend on some ``wrt`` variable (the wrt variables included)."""
    dep = set(wrt)
    for node in order:
        if any(i in dep for i in node.inputs):
            dep.update(node.outputs)
    return dep


def _check_cotangent(var: Variable, g: Any, where: str, convert_only: bool = False) -> Variable:
    """``g`` as a gradient term for ``var``: a tensor of its ndim and compatible static shape,
    cast to its float dtype. Errors name ``var``."""
    if isinstance(getattr(g, "type", None), NullType | DisconnectedType):
        return g  # type: ignore[no-any-return]
    if not _is_tensor(var):
        return g  # type: ignore[no-any-return]
    from pytensor.tensor.basic import as_tensor_variable, cast

    try:
        g = as_tensor_variable(g)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{where}: the gradient term for {var} (type {var.type}) is not a tensor: {g!r} ({exc})"
        ) from None
    if convert_only:
        return g  # type: ignore[no-any-return]
    if g.type.ndim != var.type.ndim:
        raise ValueError(
            f"{where}: the gradient term for {var} (type {var.type}) has {g.type.ndim} dimensions "
            f"(type {g.type}), expected {var.type.ndim}"
        )
    if any(
        a is not None and b is not None and a != b
        for a, b in zip(var.type.shape, g.type.shape, strict=True)
    ):
        raise ValueError(
            f"{where}: the gradient term for {var} has static shape {g.type.shape}, but {var} has "
            f"static shape {var.type.shape}"
        )
    if g.type.dtype.startswith("complex") and not var.type.dtype.startswith("complex"):
        raise TypeError(
            f"{where}: the gradient term for the real variable {var} (type {var.type}) is complex "
            f"(type {g.type})"
        )
    if _is_float(var) and g.type.dtype != var.type.dtype:
        g = cast(g, var.type.dtype)
    return g  # type: ignore[no-any-return]


def _output_cotangents(node: Apply, terms: dict[Variable, list[Variable]]) -> tuple[list[Any], Any]:
    """The summed cotangent of each output of ``node`` (zeros where none), and a NullType one if any."""
    out_cots: list[Any] = []
    null = None
    for o in node.outputs:
        t = terms.get(o)
        if t is None:
            if _is_tensor(o):
                out_cots.append(_zeros_like(o, None if _is_float(o) else config.floatX))
            else:
                out_cots.append(disconnected_type())
            continue
        nulls = [x for x in t if isinstance(x.type, NullType)]
        g = nulls[0] if nulls else _sum_terms(t)
        if nulls:
            null = g
        out_cots.append(g)
    return out_cots, null


def _input_grads(node: Apply, out_cots: list[Any], null: Any) -> list[Any] | None:
    """The pullback of ``node`` (None when its outputs are all discrete: zero gradient)."""
    if null is not None:
        return [null] * len(node.inputs)
    tensor_outs = [o for o in node.outputs if _is_tensor(o)]
    if len(tensor_outs) == len(node.outputs) and not any(_is_float(o) for o in tensor_outs):
        return None
    try:
        in_grads = list(node.op.pullback(list(node.inputs), list(node.outputs), out_cots))
    except NotImplementedError as exc:
        return [grad_not_implemented(node.op, k, i, str(exc)) for k, i in enumerate(node.inputs)]
    if len(in_grads) != len(node.inputs):
        raise ValueError(
            f"{node.op}.pullback returned {len(in_grads)} gradients for {len(node.inputs)} inputs"
        )
    return in_grads


def _mark_zero(
    node: Apply,
    live: Sequence[Variable],
    dep: set[Variable],
    blocked: set[Variable],
    zero: set[Variable],
) -> None:
    """Inputs of ``node`` connected to its ``live`` outputs get a zero gradient (unless they get more)."""
    connected = node.op.connection_pattern(node)
    live_idx = [j for j, o in enumerate(node.outputs) if o in live]
    for k, inp in enumerate(node.inputs):
        if inp in dep and inp not in blocked and any(connected[k][j] for j in live_idx):
            zero.add(inp)


def _accumulate(
    node: Apply,
    in_grads: list[Any],
    dep: set[Variable],
    blocked: set[Variable],
    terms: dict[Variable, list[Variable]],
    zero: set[Variable],
) -> None:
    connected = node.op.connection_pattern(node)
    for k, (inp, g) in enumerate(zip(node.inputs, in_grads, strict=True)):
        if inp not in dep or inp in blocked or g is None or not any(connected[k]):
            continue
        if isinstance(g.type, DisconnectedType):
            continue
        if _is_tensor(inp) and not _is_float(inp) and not isinstance(g.type, NullType):
            # Integer and boolean inputs have a zero gradient, but they are connected.
            zero.add(inp)
            continue
        terms.setdefault(inp, []).append(_check_cotangent(inp, g, f"{node.op}.pullback"))


def _backprop(
    outputs: Sequence[Variable],
    seeds: Sequence[Variable],
    wrt: Sequence[Variable],
    consider_constant: Sequence[Variable] = (),
) -> tuple[dict[Variable, Variable], set[Variable]]:
    """Reverse-mode accumulation: the cotangent of every variable between ``wrt`` and ``outputs``.

    Also returns the variables connected to the outputs only through discrete
    values (integer outputs, comparisons, argmax, ...): their gradient is zero,
    as in PyTensor, not disconnected.
    """
    blocked = set(consider_constant)
    order = io_toposort([], list(outputs))
    dep = _depends_on(order, set(wrt))
    terms: dict[Variable, list[Variable]] = {}
    zero: set[Variable] = set()
    for o, s in zip(outputs, seeds, strict=True):
        terms.setdefault(o, []).append(s)
    for node in reversed(order):
        live = [o for o in node.outputs if o in terms or o in zero]
        if not live or not any(i in dep and i not in blocked for i in node.inputs):
            continue
        in_grads = None
        if any(o in terms for o in node.outputs):
            in_grads = _input_grads(node, *_output_cotangents(node, terms))
        if in_grads is None:
            _mark_zero(node, live, dep, blocked, zero)
            continue
        _accumulate(node, in_grads, dep, blocked, terms, zero)
        _mark_zero(node, [o for o in node.outputs if o in zero], dep, blocked, zero)
    result = {}
    for v, t in terms.items():
        nulls = [x for x in t if isinstance(x.type, NullType)]
        result[v] = nulls[0] if nulls else _sum_terms(t)
    return result, zero


def _zero_grad_of(w: Variable) -> Any:
    if _is_tensor(w):
        return _zeros_like(w, None if _is_float(w) else config.floatX)
    return disconnected_type()


def _finish(
    wrt: Sequence[Variable],
    cots: dict[Variable, Variable],
    zero: set[Variable],
    disconnected_inputs: str,
    return_disconnected: str,
    null_gradients: str,
    what: str,
) -> list[Any]:
    out: list[Any] = []
    for k, w in enumerate(wrt):
        g = cots.get(w)
        if g is None and w in zero:
            g = _zero_grad_of(w)
        elif g is None:
            msg = (
                f"{what}: wrt[{k}] ({w}) is not part of the computational graph of the cost, "
                "or only through non-differentiable operations"
            )
            if disconnected_inputs == "raise":
                raise DisconnectedInputError(
                    msg + "; pass disconnected_inputs='ignore' or 'warn' to allow this"
                )
            if disconnected_inputs == "warn":
                warnings.warn(msg, stacklevel=3)
            elif disconnected_inputs != "ignore":
                raise ValueError(
                    f"disconnected_inputs must be 'raise', 'warn' or 'ignore', got {disconnected_inputs!r}"
                )
            if return_disconnected == "zero":
                g = _zero_grad_of(w)
            elif return_disconnected == "None":
                g = None
            elif return_disconnected == "Disconnected":
                g = disconnected_type()
            else:
                raise ValueError(
                    f"return_disconnected must be 'zero', 'None' or 'Disconnected', got {return_disconnected!r}"
                )
        elif isinstance(g.type, NullType) and null_gradients == "raise":
            raise NullTypeGradError(
                f"{what}: the gradient with respect to wrt[{k}] ({w}) does not exist: {g.type.why_null}"
            )
        elif _is_tensor(w) and not _is_float(w) and not isinstance(g.type, NullType):
            g = _zeros_like(w, config.floatX)
        out.append(g)
    return out


def grad(
    cost: Variable | None,
    wrt: Variable | Sequence[Variable],
    consider_constant: Sequence[Variable] | None = None,
    disconnected_inputs: str = "raise",
    add_names: bool = True,
    known_grads: Mapping[Variable, Variable] | None = None,
    return_disconnected: str = "zero",
    null_gradients: str = "raise",
) -> Any:
    """The gradient of a scalar ``cost`` with respect to ``wrt``.

    Parameters
    ----------
    cost
        A 0-d variable (or None when ``known_grads`` seeds the computation).
    wrt
        A variable or a list of variables; the result has the same form.
    consider_constant
        Variables treated as constants (no gradient flows through them).
    disconnected_inputs
        What to do when a wrt variable does not influence the cost: "raise",
        "warn" or "ignore".
    known_grads
        ``{variable: gradient}`` seeds added to the backpropagation.
    return_disconnected
        The result for disconnected variables: "zero", "None" or "Disconnected".
    null_gradients
        "raise" (default) or "return" when a gradient does not exist.

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> from pytensor.gradient import grad
    >>> x = pt.dscalar("x")
    >>> g = grad(x ** 3, x)
    >>> float(g.eval({x: 2.0}))
    12.0
    """
    wrt_list, is_list = _as_list(wrt)
    outputs: list[Variable] = []
    seeds: list[Variable] = []
    if cost is not None:
        if not isinstance(cost, Variable):
            raise TypeError(f"grad: the cost must be a Variable, got {cost!r}")
        if getattr(cost.type, "ndim", 0) != 0:
            raise TypeError(
                f"grad: the cost {cost} must be a scalar (0-d), got type {cost.type}; reduce it (e.g. .sum()) "
                "or use pullback / known_grads"
            )
        if not _is_float(cost):
            raise TypeError(
                f"grad: the cost {cost} has dtype {cost.type.dtype}; only float costs are differentiable"
            )
        from pytensor.tensor.basic import ones_like

        outputs.append(cost)
        seeds.append(ones_like(cost))
    elif not known_grads:
        raise ValueError("grad: give a cost, or known_grads to start from")
    for v, g in (known_grads or {}).items():
        outputs.append(v)
        seeds.append(_check_cotangent(v, g, "grad(known_grads)"))
    _check_wrt(wrt_list, outputs)
    cots, zero = _backprop(outputs, seeds, wrt_list, consider_constant or ())
    result = _finish(
        wrt_list, cots, zero, disconnected_inputs, return_disconnected, null_gradients, "grad"
    )
    if add_names and cost is not None and cost.name:
        for w, g in zip(wrt_list, result, strict=True):
            if isinstance(g, Variable) and g.name is None and w.name:
                g.name = f"(d{cost.name}/d{w.name})"
    return result if is_list else result[0]


def pullback(
    f: Variable | Sequence[Variable],
    wrt: Variable | Sequence[Variable],
    cotangents: Variable | Sequence[Variable],
    consider_constant: Sequence[Variable] | None = None,
    disconnected_inputs: str = "raise",
    return_disconnected: str = "zero",
) -> Any:
    """Vector-Jacobian product: ``sum_i cotangents[i] . d f[i] / d wrt``.

    ``cotangents`` has one entry per output in ``f``, each of that output's
    type. The result has the form of ``wrt`` (a variable or a list).
    """
    fs, _ = _as_list(f)
    wrt_list, is_list = _as_list(wrt)
    cts, _ = _as_list(cotangents)
    if len(cts) != len(fs):
        raise ValueError(f"pullback: {len(fs)} outputs but {len(cts)} cotangents")
    checked = []
    for k, (o, c) in enumerate(zip(fs, cts, strict=True)):
        where = f"pullback (cotangent {k})"
        if _is_tensor(o):
            c = _check_cotangent(o, c, where, convert_only=True)
            if c.type.ndim != o.type.ndim:
                raise TypeError(
                    f"{where}: {c} (type {c.type}) does not fit output {o} of type {o.type}"
                )
        checked.append(_check_cotangent(o, c, where))
    _check_wrt(wrt_list, fs)
    cots, zero = _backprop(fs, checked, wrt_list, consider_constant or ())
    result = _finish(
        wrt_list, cots, zero, disconnected_inputs, return_disconnected, "raise", "pullback"
    )
    return result if is_list else result[0]


def _node_pushforward(node: Apply, tangents: list[Any]) -> list[Any]:
    """Tangents of a node's outputs: the Op's own pushforward, else the double-pullback trick."""
    own = getattr(node.op, "pushforward", None)
    if own is not None:
        try:
            return list(own(list(node.inputs), list(node.outputs), tangents))
        except NotImplementedError:
            pass
    # J t = d/du <J^T u, t>: pull back a dummy cotangent u, dot with t, and pull back again wrt u.
    us = [o.type() for o in node.outputs]
    vjp = node.op.pullback(list(node.inputs), list(node.outputs), us)
    from pytensor.tensor.math import sum as pt_sum

    total = None
    for g, t in zip(vjp, tangents, strict=True):
        if t is None or g is None or isinstance(g.type, DisconnectedType | NullType):
            continue
        term = pt_sum(g * t)
        total = term if total is None else total + term
    if total is None:
        return [None] * len(node.outputs)
    jvps = [grad(total, u, disconnected_inputs="ignore") for u in us]
    # A pullback is linear in its cotangents, so the result does not depend on
    # the dummy cotangents, which only lend their shapes: zeros stand in (a
    # non-linear gradient modifier such as grad_clip then sees a zero cotangent).
    from pytensor.graph.replace import graph_replace

    stand_ins = {
        u: _zeros_like(o) if _is_tensor(o) else o for u, o in zip(us, node.outputs, strict=True)
    }
    return list(graph_replace(jvps, stand_ins, strict=False))


def pushforward(
    f: Variable | Sequence[Variable],
    wrt: Variable | Sequence[Variable],
    tangents: Variable | Sequence[Variable],
) -> Any:
    """Jacobian-vector product: ``sum_j d f / d wrt[j] . tangents[j]``, in forward mode.

    The result has the form of ``f``.
    """
    fs, f_is_list = _as_list(f)
    wrt_list, _ = _as_list(wrt)
    ts, _ = _as_list(tangents)
    if len(ts) != len(wrt_list):
        raise ValueError(f"pushforward: {len(wrt_list)} wrt variables but {len(ts)} tangents")
    _check_wrt(wrt_list, fs)
    tan: dict[Variable, Any] = {}
    for k, (w, t) in enumerate(zip(wrt_list, ts, strict=True)):
        if _is_tensor(w):
            t = _check_cotangent(w, t, f"pushforward (tangent {k})", convert_only=True)
            if t.type.ndim != w.type.ndim:
                raise TypeError(
                    f"pushforward: tangent {k} has type {t.type}, which does not fit {w} of type {w.type}"
                )
            t = _check_cotangent(w, t, f"pushforward (tangent {k})")
        tan[w] = t
    for node in io_toposort(wrt_list, fs):
        ins = [tan.get(i) for i in node.inputs]
        if all(t is None for t in ins):
            continue
        if all(not _is_float(o) for o in node.outputs):
            continue
        filled = [
            t if t is not None else (_zeros_like(i) if _is_tensor(i) and _is_float(i) else None)
            for t, i in zip(ins, node.inputs, strict=True)
        ]
        for o, t in zip(node.outputs, _node_pushforward(node, filled), strict=True):
            if t is not None and not isinstance(t.type, DisconnectedType | NullType):
                tan[o] = _check_cotangent(o, t, f"{node.op} pushforward")
    out = []
    for o in fs:
        t = tan.get(o)
        out.append(t if t is not None else _zeros_like(o))
    return out if f_is_list else out[0]


def Lop(f: Any, wrt: Any, eval_points: Any, **kwargs: Any) -> Any:
    """Deprecated name of :func:`pullback`."""
    warnings.warn("Lop is deprecated; use pytensor.gradient.pullback", FutureWarning, stacklevel=2)
    return pullback(f, wrt, eval_points, **kwargs)


def Rop(f: Any, wrt: Any, eval_points: Any, **kwargs: Any) -> Any:
    """Deprecated name of :func:`pushforward`."""
    warnings.warn(
        "Rop is deprecated; use pytensor.gradient.pushforward", FutureWarning, stacklevel=2
    )
    return pushforward(f, wrt, eval_points)


def value_and_grad(
    cost: Variable, wrt: Variable | Sequence[Variable], **kwargs: Any
) -> tuple[Variable, Any]:
    """The cost and its gradient, sharing all common work.

    The gradient graph reuses the forward graph's nodes, so compiling both
    outputs together computes the forward pass once.
    """
    return cost, grad(cost, wrt, **kwargs)


from pytensor._gradient_extra import (  # noqa: E402
    disconnected_grad,
    grad_clip,
    grad_scale,
    hessian,
    hessian_vector_product,
    jacobian,
    subgraph_grad,
    verify_grad,
    verify_pushforward,
    zero_grad,
)


def _ofg_pullback(
    inputs: list[Variable], outputs: list[Variable], cotangents: list[Any]
) -> list[Any]:
    return list(
        pullback(
            outputs,
            inputs,
            cotangents,
            disconnected_inputs="ignore",
            return_disconnected="Disconnected",
        )
    )


def _ofg_pushforward(
    inputs: list[Variable], outputs: list[Variable], tangents: list[Any]
) -> list[Any]:
    return list(pushforward(outputs, inputs, tangents))


# OpFromGraph (graph layer) differentiates its inner graph through this layer.
from pytensor.compile.builders import register_default_derivatives  # noqa: E402

register_default_derivatives(pullback=_ofg_pullback, pushforward=_ofg_pushforward)
