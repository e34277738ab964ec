"""Conformance cases: shape Ops, layout changes and array construction."""

from __future__ import annotations

from typing import Any

import numpy as np

from conformance._case import ANY_VALUES, Case, data, fn, graph, ints

__all__ = ["CASES"]


def _shape_ops() -> list[Case]:
    return [
        graph("shape/matrix", lambda x: x.shape, [data((2, 3))], lambda x: np.asarray(x.shape)),
        graph("shape/empty", fn("shape"), [np.zeros((0, 4, 1))], lambda x: np.asarray(x.shape)),
        graph("shape/0d", fn("shape"), [np.float64(1.0)], lambda x: np.zeros(0, dtype="int64")),
        graph("Shape_i/second-dim", lambda x: x.shape[1], [data((2, 5))], lambda x: np.int64(5)),
        graph(
            "shape_i/function", lambda x: fn("shape_i")(x, 0), [data((3, 2))], lambda x: np.int64(3)
        ),
        graph("shape/size", lambda x: x.size, [data((3, 2))], lambda x: np.int64(6)),
        graph(
            "shape_tuple/matrix",
            lambda x: fn("stack")(list(fn("shape_tuple")(x))),
            [data((3, 2))],
            lambda x: np.asarray(x.shape),
        ),
        graph(
            "constant/times-input",
            lambda x: fn("constant")(np.arange(3.0)) * x,
            [data(3)],
            lambda x: np.arange(3.0) * x,
        ),
        graph(
            "specify_shape/full",
            lambda x: fn("specify_shape")(x, (2, 3)) * 2,
            [data((2, 3))],
            lambda x: x * 2,
        ),
        graph(
            "specify_shape/partial",
            lambda x: fn("specify_shape")(x, (None, 3)) + 1,
            [data((4, 3))],
            lambda x: x + 1,
        ),
        graph(
            "specify_shape/symbolic",
            lambda x, n: fn("specify_shape")(x, (n, None)),
            [data((2, 3)), ints(2)],
            lambda x, n: x,
        ),
        graph(
            "specify_broadcastable/axis0",
            lambda x, y: x + fn("specify_broadcastable")(y, 0),
            [data((3, 2)), data((1, 2), seed=1)],
            lambda x, y: x + y,
        ),
        graph(
            "reshape/constant",
            lambda x: fn("reshape")(x, (3, 2)),
            [data((2, 3))],
            lambda x: x.reshape(3, 2),
        ),
        graph(
            "reshape/minus-one",
            lambda x: x.reshape((-1, 2)),
            [data((2, 3, 2))],
            lambda x: x.reshape(-1, 2),
        ),
        graph(
            "reshape/symbolic",
            lambda x, s: fn("reshape")(x, s, ndim=2),
            [data((2, 6)), ints(4, 3)],
            lambda x, s: x.reshape(tuple(s)),
        ),
        graph(
            "reshape/to-0d", lambda x: fn("reshape")(x, ()), [data((1, 1))], lambda x: x.reshape(())
        ),
        graph(
            "reshape/empty",
            lambda x: fn("reshape")(x, (0, 5)),
            [np.zeros((5, 0))],
            lambda x: x.reshape(0, 5),
        ),
        graph(
            "reshape/int",
            lambda x: fn("reshape")(x, (-1,)),
            [data((2, 2), "int16")],
            lambda x: x.reshape(-1),
        ),
        graph("flatten/ndim1", fn("flatten"), [data((2, 3, 2))], lambda x: x.reshape(-1)),
        graph(
            "flatten/ndim2",
            lambda x: fn("flatten")(x, ndim=2),
            [data((2, 3, 2))],
            lambda x: x.reshape(2, -1),
        ),
        graph(
            "shape_padleft/two",
            lambda x: fn("shape_padleft")(x, 2),
            [data(3)],
            lambda x: x[None, None],
        ),
        graph(
            "shape_padright/one",
            lambda x: fn("shape_padright")(x),
            [data((2, 3))],
            lambda x: x[..., None],
        ),
        graph(
            "shape_padaxis/middle",
            lambda x: fn("shape_padaxis")(x, 1),
            [data((2, 3))],
            lambda x: x[:, None],
        ),
        graph("squeeze/all", fn("squeeze"), [data((1, 3, 1))], np.squeeze, static=True),
        graph(
            "squeeze/axis",
            lambda x: fn("squeeze")(x, axis=0),
            [data((1, 3))],
            lambda x: np.squeeze(x, 0),
            static=True,
        ),
        graph(
            "expand_dims/tuple",
            lambda x: fn("expand_dims")(x, (0, 2)),
            [data(3)],
            lambda x: np.expand_dims(x, (0, 2)),
        ),
        graph(
            "dimshuffle/transpose-expand",
            lambda x: x.dimshuffle(1, "x", 0),
            [data((2, 3))],
            lambda x: x.T[:, None, :],
        ),
        graph(
            "dimshuffle/drop",
            lambda x: x.dimshuffle(1),
            [data((1, 4))],
            lambda x: x[0],
            static=True,
        ),
        graph("transpose/default", fn("transpose"), [data((2, 3, 4))], np.transpose),
        graph(
            "transpose/axes",
            lambda x: fn("transpose")(x, (1, 2, 0)),
            [data((2, 3, 4))],
            lambda x: np.transpose(x, (1, 2, 0)),
        ),
        graph("T/matrix", lambda x: x.T, [data((2, 3))], lambda x: x.T),
        graph(
            "swapaxes/0-2",
            lambda x: fn("swapaxes")(x, 0, 2),
            [data((2, 3, 4))],
            lambda x: np.swapaxes(x, 0, 2),
        ),
        graph(
            "moveaxis/0-to-end",
            lambda x: fn("moveaxis")(x, 0, -1),
            [data((2, 3, 4))],
            lambda x: np.moveaxis(x, 0, -1),
        ),
        graph(
            "matrix_transpose/batched",
            fn("matrix_transpose"),
            [data((2, 3, 4))],
            lambda x: np.swapaxes(x, -1, -2),
        ),
        graph("atleast_2d/vector", lambda x: fn("atleast_2d")(x), [data(3)], np.atleast_2d),
        # PyTensor pads on the left (NumPy's atleast_3d puts a matrix's new axis last)
        graph(
            "atleast_3d/matrix", lambda x: fn("atleast_3d")(x), [data((2, 3))], lambda x: x[None]
        ),
        graph("atleast_1d/0d", lambda x: fn("atleast_1d")(x), [np.float64(2.0)], np.atleast_1d),
        graph(
            "atleast_Nd/n3", lambda x: fn("atleast_Nd")(x, n=3), [data(2)], lambda x: x[None, None]
        ),
        graph(
            "broadcast_to/row",
            lambda x: fn("broadcast_to")(x, (3, 4)),
            [data((1, 4))],
            lambda x: np.broadcast_to(x, (3, 4)),
            static=True,
        ),
        graph(
            "broadcast_to/symbolic",
            lambda x, n: fn("broadcast_to")(x, (n, 2)),
            [data(2), ints(3)],
            lambda x, n: np.broadcast_to(x, (int(n), 2)),
        ),
        graph(
            "broadcast_arrays/two",
            lambda x, y: fn("broadcast_arrays")(x, y),
            [data((3, 1)), data((1, 4))],
            lambda x, y: tuple(np.broadcast_arrays(x, y)),
            static=True,
        ),
        graph("tensor_copy/matrix", fn("tensor_copy"), [data((2, 2))], np.copy),
    ]


def _construction() -> list[Case]:
    return [
        graph(
            "alloc/scalar",
            lambda v, n: fn("alloc")(v, n, 3),
            [np.float64(1.5), ints(2)],
            lambda v, n: np.full((int(n), 3), v),
        ),
        graph(
            "alloc/row",
            lambda v: fn("alloc")(v, 4, 3),
            [data((1, 3))],
            lambda v: np.broadcast_to(v, (4, 3)),
            static=True,
        ),
        graph(
            "alloc/empty",
            lambda v: fn("alloc")(v, 0, 2),
            [np.float32(2.0)],
            lambda v: np.full((0, 2), v),
        ),
        graph(
            "zeros/symbolic",
            lambda n: fn("zeros")((n, 2)),
            [ints(3)],
            lambda n: np.zeros((int(n), 2)),
        ),
        graph(
            "ones/int",
            lambda n: fn("ones")((n,), dtype="int32"),
            [ints(4)],
            lambda n: np.ones(int(n), "int32"),
        ),
        graph(
            "full/constant",
            lambda v: fn("full")((2, 3), v),
            [np.float64(7.0)],
            lambda v: np.full((2, 3), v),
        ),
        graph("zeros_like/matrix", fn("zeros_like"), [data((2, 3), "int8")], np.zeros_like),
        graph(
            "ones_like/dtype",
            lambda x: fn("ones_like")(x, dtype="float32"),
            [data((2, 3))],
            lambda x: np.ones_like(x, dtype="float32"),
        ),
        graph(
            "full_like/value",
            lambda x: fn("full_like")(x, 3.0),
            [data(4)],
            lambda x: np.full_like(x, 3.0),
        ),
        graph("empty/shape-only", lambda n: fn("empty")((n, 3)), [ints(2)], lambda n: ANY_VALUES),
        graph("empty_like/shape-only", fn("empty_like"), [data((2, 2))], lambda x: ANY_VALUES),
        graph(
            "fill/second",
            lambda x, v: fn("fill")(x, v),
            [data((2, 3)), np.float64(5.0)],
            lambda x, v: np.full_like(x, v),
        ),
        graph(
            "second/elemwise",
            lambda x, v: fn("second")(x, v),
            [data(3), np.float64(-1.0)],
            lambda x, v: np.full_like(x, v),
        ),
        graph("arange/stop", lambda n: fn("arange")(n), [ints(5)], lambda n: np.arange(n)),
        graph(
            "arange/start-stop-step",
            lambda a, b, s: fn("arange")(a, b, s),
            [ints(2), ints(11), ints(3)],
            lambda a, b, s: np.arange(a, b, s),
        ),
        graph(
            "arange/negative-step",
            lambda a, b: fn("arange")(a, b, -2),
            [ints(5), ints(-3)],
            lambda a, b: np.arange(a, b, -2),
        ),
        graph(
            "arange/float",
            lambda a, b: fn("arange")(a, b, 0.5),
            [np.float64(0.0), np.float64(2.25)],
            lambda a, b: np.arange(a, b, 0.5),
        ),
        graph("arange/empty", lambda n: fn("arange")(n), [ints(0)], lambda n: np.arange(n)),
        graph(
            "linspace/num5",
            lambda a, b: fn("linspace")(a, b, 5),
            [np.float64(0.0), np.float64(1.0)],
            lambda a, b: np.linspace(a, b, 5),
        ),
        graph(
            "linspace/no-endpoint",
            lambda a, b: fn("linspace")(a, b, 4, endpoint=False),
            [np.float64(-1.0), np.float64(1.0)],
            lambda a, b: np.linspace(a, b, 4, endpoint=False),
        ),
        graph("eye/square", lambda n: fn("eye")(n), [ints(3)], lambda n: np.eye(int(n))),
        graph(
            "eye/rect-k",
            lambda n, m: fn("eye")(n, m, 1),
            [ints(3), ints(4)],
            lambda n, m: np.eye(int(n), int(m), 1),
        ),
        graph("identity_like/matrix", fn("identity_like"), [data((3, 3))], lambda x: np.eye(3)),
        graph("tri/k-1", lambda n: fn("tri")(n, 4, -1), [ints(3)], lambda n: np.tri(int(n), 4, -1)),
        graph("tril/matrix", fn("tril"), [data((3, 4))], np.tril),
        graph("triu/k1", lambda x: fn("triu")(x, 1), [data((4, 3))], lambda x: np.triu(x, 1)),
        graph("tril/batched", fn("tril"), [data((2, 3, 3))], np.tril),
        graph(
            "tril_indices/n4",
            lambda n: fn("tril_indices")(n),
            [ints(4)],
            lambda n: np.tril_indices(int(n)),
        ),
        graph(
            "triu_indices/k1",
            lambda n: fn("triu_indices")(n, 1, 5),
            [ints(3)],
            lambda n: np.triu_indices(int(n), 1, 5),
        ),
        graph(
            "triu_indices_from/k1",
            lambda x: fn("triu_indices_from")(x, 1),
            [data((3, 4))],
            lambda x: np.triu_indices_from(x, 1),
        ),
        graph(
            "tril_indices_from/matrix",
            lambda x: fn("tril_indices_from")(x),
            [data((3, 3))],
            lambda x: np.tril_indices_from(x),
        ),
        graph("diag/vector", fn("diag"), [data(3)], np.diag),
        graph("diag/vector-k", lambda v: fn("diag")(v, -1), [data(3)], lambda v: np.diag(v, -1)),
        graph("diag/matrix", fn("diag"), [data((3, 4))], np.diag),
        graph("diag/matrix-k", lambda x: fn("diag")(x, 2), [data((3, 4))], lambda x: np.diag(x, 2)),
        graph(
            "diagonal/3d",
            lambda x: fn("diagonal")(x, 0, 1, 2),
            [data((2, 3, 3))],
            lambda x: np.diagonal(x, 0, 1, 2),
        ),
        graph("trace/matrix", fn("trace"), [data((3, 3))], np.trace),
        graph(
            "alloc_diag/offset",
            lambda v: fn("alloc_diag")(v, 1),
            [data(3)],
            lambda v: np.diag(v, 1),
        ),
        graph(
            "make_vector/scalars",
            lambda a, b: fn("stack")([a, b, a]),
            [np.float64(1.0), np.float64(2.0)],
            lambda a, b: np.array([a, b, a]),
        ),
        graph(
            "as_tensor/list-of-variables",
            lambda a, b: fn("as_tensor_variable")([a, b]) * 2,
            [ints(3, dtype="int32"), ints(4, dtype="int32")],
            lambda a, b: np.array([a, b]) * 2,
        ),
        graph(
            "stacklists/nested",
            lambda a, b: fn("stacklists")([[a, b], [b, a]]),
            [np.float64(1.0), np.float64(2.0)],
            lambda a, b: np.array([[a, b], [b, a]]),
        ),
        Case(
            "mgrid/2d",
            lambda: ([], _grid("mgrid")[0:2, 0:3]),
            (),
            lambda: tuple(np.mgrid[0:2, 0:3]),
        ),
        Case(
            "ogrid/2d",
            lambda: ([], _grid("ogrid")[0:2, 1:4]),
            (),
            lambda: tuple(np.ogrid[0:2, 1:4]),
        ),
        graph(
            "tensor_from_scalar/roundtrip", _scalar_roundtrip, [np.float64(2.5)], lambda x: x * 3.0
        ),
        graph("scalar_from_tensor/int", _scalar_roundtrip, [np.int16(7)], lambda x: x * 3.0),
    ]


def _grid(name: str) -> Any:
    import pytensor.tensor as pt

    return getattr(pt, name)


def _scalar_roundtrip(x: Any) -> Any:
    import pytensor.tensor as pt

    s = pt.scalar_from_tensor(x)
    return pt.tensor_from_scalar(s * 3.0)


def _joining() -> list[Case]:
    two = [data((2, 3)), data((1, 3), seed=1)]
    return [
        graph(
            "concatenate/axis0",
            lambda a, b: fn("concatenate")([a, b]),
            two,
            lambda a, b: np.concatenate([a, b]),
        ),
        graph(
            "concatenate/axis1",
            lambda a, b: fn("concatenate")([a, b], axis=1),
            [data((2, 3)), data((2, 1))],
            lambda a, b: np.concatenate([a, b], axis=1),
        ),
        graph(
            "concatenate/empty-part",
            lambda a, b: fn("concatenate")([a, b]),
            [np.zeros((0, 3)), data((2, 3))],
            lambda a, b: np.concatenate([a, b]),
        ),
        graph(
            "concatenate/mixed-dtypes",
            lambda a, b: fn("concatenate")([a, b]),
            [data(2, "int8"), data(3, "float32")],
            lambda a, b: np.concatenate([a.astype("float32"), b]),
        ),
        graph(
            "join/symbolic-axis",
            lambda ax, a, b: fn("join")(ax, a, b),
            [ints(1), data((2, 2)), data((2, 3))],
            lambda ax, a, b: np.concatenate([a, b], axis=int(ax)),
        ),
        graph(
            "stack/axis0",
            lambda a, b: fn("stack")([a, b]),
            [data(3), data(3, seed=1)],
            lambda a, b: np.stack([a, b]),
        ),
        graph(
            "stack/axis-1",
            lambda a, b: fn("stack")([a, b], axis=-1),
            [data((2, 2)), data((2, 2), seed=1)],
            lambda a, b: np.stack([a, b], axis=-1),
        ),
        graph(
            "horizontal_stack/matrices",
            lambda a, b: fn("horizontal_stack")(a, b),
            [data((2, 1)), data((2, 2))],
            lambda a, b: np.hstack([a, b]),
        ),
        graph(
            "vertical_stack/matrices",
            lambda a, b: fn("vertical_stack")(a, b),
            [data((1, 2)), data((2, 2))],
            lambda a, b: np.vstack([a, b]),
        ),
        graph(
            "hstack/vectors",
            lambda a, b: fn("hstack")([a, b]),
            [data(2), data(3)],
            lambda a, b: np.hstack([a, b]),
        ),
        graph(
            "vstack/vectors",
            lambda a, b: fn("vstack")([a, b]),
            [data(3), data(3, seed=1)],
            lambda a, b: np.vstack([a, b]),
        ),
        graph(
            "dstack/matrices",
            lambda a, b: fn("dstack")([a, b]),
            [data((2, 2)), data((2, 2), seed=1)],
            lambda a, b: np.dstack([a, b]),
        ),
        graph(
            "split/three",
            lambda x: fn("split")(x, [1, 3, 2], 3),
            [data(6)],
            lambda x: tuple(np.split(x, [1, 4])),
        ),
        graph(
            "split/axis1-symbolic",
            lambda x, s: fn("split")(x, s, 2, axis=1),
            [data((2, 5)), ints(2, 3)],
            lambda x, s: tuple(np.split(x, [int(s[0])], axis=1)),
        ),
        graph(
            "split/empty-part", lambda x: fn("split")(x, [0, 4], 2), [data(4)], lambda x: (x[:0], x)
        ),
        graph(
            "tile/reps",
            lambda x: fn("tile")(x, (2, 3)),
            [data((2, 2))],
            lambda x: np.tile(x, (2, 3)),
        ),
        graph(
            "tile/more-reps",
            lambda x: fn("tile")(x, (2, 1, 2)),
            [data(3)],
            lambda x: np.tile(x, (2, 1, 2)),
        ),
        graph(
            "repeat/scalar",
            lambda x: fn("repeat")(x, 2, axis=0),
            [data((2, 3))],
            lambda x: np.repeat(x, 2, 0),
        ),
        graph(
            "repeat/vector",
            lambda x, r: fn("repeat")(x, r, axis=1),
            [data((2, 3)), ints(1, 0, 3)],
            lambda x, r: np.repeat(x, r, axis=1),
        ),
        graph(
            "repeat/flat", lambda x: fn("repeat")(x, 3), [data((2, 2))], lambda x: np.repeat(x, 3)
        ),
        graph("flip/all", fn("flip"), [data((2, 3))], np.flip),
        graph(
            "flip/axis", lambda x: fn("flip")(x, axis=1), [data((2, 3))], lambda x: np.flip(x, 1)
        ),
        graph("roll/flat", lambda x: fn("roll")(x, 2), [data((2, 3))], lambda x: np.roll(x, 2)),
        graph(
            "roll/axis-negative",
            lambda x: fn("roll")(x, -1, axis=0),
            [data((3, 2))],
            lambda x: np.roll(x, -1, 0),
        ),
        graph(
            "roll/symbolic-shift",
            lambda x, s: fn("roll")(x, s, axis=1),
            [data((2, 4)), ints(5)],
            lambda x, s: np.roll(x, int(s), axis=1),
        ),
        graph(
            "where/three-args",
            lambda c, a, b: fn("where")(c, a, b),
            [data((2, 3), "bool"), data((2, 3)), data(3)],
            np.where,
        ),
    ]


CASES: list[Case] = _shape_ops() + _construction() + _joining()
