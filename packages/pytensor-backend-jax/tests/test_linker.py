"""The JAX linker: one jitted function per graph, float64 without a global flag, shared
variables, runtime checks and the JAX callable for interop."""

from __future__ import annotations

import jax
import numpy as np
import pytest

import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.compile.mode import Mode, get_mode
from pytensor.compile.sharedvalue import shared
from pytensor.link.jax import JAXLinker
from pytensor.link.jax.linker import JAXRunnerError


def test_float64_and_int64_without_flipping_the_global_flag(jax_mode):
    before = jax.config.jax_enable_x64
    x = pt.dvector("x")
    i = pt.lvector("i")
    f = function([x, i], [pt.exp(x) * 2, i * 3, x.sum()], mode=jax_mode)
    xv = np.array([0.1, 0.2, 0.3])
    ex, ei, es = f(xv, np.array([1, 2**40]))
    assert ex.dtype == np.float64 and ei.dtype == np.int64 and es.dtype == np.float64
    np.testing.assert_allclose(ex, np.exp(xv) * 2, rtol=1e-15)
    np.testing.assert_array_equal(ei, [3, 3 * 2**40])
    assert jax.config.jax_enable_x64 == before


def test_float32_graph_stays_float32(jax_mode):
    x = pt.fvector("x")
    out = function([x], pt.sqrt(x) + 1, mode=jax_mode)(np.array([4.0], dtype="float32"))
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, [3.0])


def test_outputs_are_numpy_arrays(jax_mode):
    x = pt.dmatrix("x")
    out = function([x], x.T, mode=jax_mode)(np.ones((2, 3)))
    assert type(out) is np.ndarray and out.shape == (3, 2)


def test_shared_variable_updates_are_written_back(jax_mode):
    w = shared(np.zeros(3), name="w")
    count = shared(np.asarray(0, dtype="int64"), name="count")
    x = pt.dvector("x")
    f = function([x], w.sum(), updates=[(w, w + x), (count, count + 1)], mode=jax_mode)
    f(np.ones(3))
    f(np.full(3, 2.0))
    value = w.get_value()
    assert isinstance(value, np.ndarray)
    np.testing.assert_array_equal(value, [3.0, 3.0, 3.0])
    assert int(count.get_value()) == 2
    # Other backends may update shared values in place: they must own writable memory.
    assert w.get_value(borrow=True).flags.writeable
    w.set_value(np.array([1.0, 2.0]))  # a new shape: JAX retraces
    assert f(np.zeros(2)) == 3.0


def test_shared_variable_of_a_type_jax_cannot_hold_fails_at_compile(jax_mode):
    from pytensor.compile.ops import DeepCopyOp

    state = shared({"a": 1}, name="state")
    with pytest.raises(JAXRunnerError, match="state"):
        function([], DeepCopyOp()(state), mode=jax_mode)


def test_scalar_type_inputs_are_converted(jax_mode):
    import pytensor.scalar as ps
    from pytensor.tensor.basic import tensor_from_scalar

    s = ps.float64("s")
    f = function([s], tensor_from_scalar(s) * 2, mode=jax_mode)
    assert f(1.5) == 3.0


def test_failed_assert_raises_its_exception_inside_jit(jax_mode):
    from pytensor.raise_op import Assert, CheckAndRaise

    x = pt.dvector("x")
    f = function([x], Assert("x must be positive")(x, pt.all(x > 0)), mode=jax_mode)
    np.testing.assert_array_equal(f(np.ones(2)), [1.0, 1.0])
    with pytest.raises(AssertionError, match="x must be positive"):
        f(-np.ones(2))
    g = function([x], CheckAndRaise(KeyError, "bad x")(x, pt.all(x < 5)), mode=jax_mode)
    with pytest.raises(KeyError, match="bad x"):
        g(np.full(2, 7.0))


def test_index_out_of_bounds_raises_indexerror_with_the_index(jax_mode):
    x = pt.dvector("x")
    i = pt.lscalar("i")
    v = pt.lvector("v")
    f = function([x, i], x[i * 2], mode=jax_mode)
    assert f(np.arange(5.0), 2) == 4.0
    with pytest.raises(IndexError, match="index 6 is out of bounds for axis 0 with size 5"):
        f(np.arange(5.0), 3)
    g = function([x, v], x[v], mode=jax_mode)
    with pytest.raises(IndexError, match="index -7 is out of bounds"):
        g(np.arange(5.0), np.array([0, -7]))


def test_runtime_broadcasting_raises_valueerror(jax_mode):
    x, y = pt.dvector("x"), pt.dvector("y")
    f = function([x, y], x + y, mode=jax_mode)
    with pytest.raises(ValueError, match="runtime broadcasting is not"):
        f(np.ones(3), np.ones(1))


def test_checks_can_be_turned_off():
    from pytensor.raise_op import Assert

    x = pt.dvector("x")
    out = Assert("x must be positive")(x, pt.all(x > 0))
    for mode in (Mode(JAXLinker(checks=False), None), get_mode("JAX_UNCHECKED")):
        f = function([x], out, mode=mode)
        np.testing.assert_array_equal(f(-np.ones(2)), [-1.0, -1.0])
        assert f.vm.checks is False


def test_jit_fn_composes_with_grad_and_vmap(jax_mode):
    import jax.numpy as jnp

    x = pt.dvector("x")
    f = function([x], (pt.sin(x) ** 2).sum(), mode=jax_mode)
    jit_fn = f.vm.jit_fn
    xv = np.array([0.1, 0.5, 1.0])
    with jax.enable_x64(True):
        grad = jax.grad(lambda v: jit_fn(v)[0])(jnp.asarray(xv))
        batched = jax.vmap(lambda v: jit_fn(v)[0])(jnp.asarray(np.stack([xv, 2 * xv])))
    np.testing.assert_allclose(np.asarray(grad), 2 * np.sin(xv) * np.cos(xv), rtol=1e-12)
    np.testing.assert_allclose(
        np.asarray(batched), [np.sum(np.sin(xv) ** 2), np.sum(np.sin(2 * xv) ** 2)], rtol=1e-12
    )
    assert grad.dtype == jnp.float64


def test_jax_mode_runs_rewritten_graphs():
    x = pt.dmatrix("x")
    f = function([x], pt.special.softmax(x, axis=-1), mode="JAX")
    xv = np.arange(6.0).reshape(2, 3)
    e = np.exp(xv - xv.max(axis=-1, keepdims=True))
    np.testing.assert_allclose(f(xv), e / e.sum(axis=-1, keepdims=True), rtol=1e-12)


def test_a_check_reports_two_runtime_values(jax_mode):
    from pytensor.tensor.linalg.decomposition.lu import PivotToPermutations

    p = pt.ivector("p")
    f = function([p], PivotToPermutations(inverse=False)(p), mode=jax_mode)
    np.testing.assert_array_equal(f(np.array([2, 2, 2], dtype="int32")), [1, 2, 0])
    with pytest.raises(IndexError, match="pivot 7 at position 1 is out of range for length 3"):
        f(np.array([0, 7, 2], dtype="int32"))


def test_checks_inside_a_mapped_inner_graph_are_raised(jax_mode):
    from pytensor.tensor._jacobian import indexed_map

    x = pt.dvector("x")
    (rows,) = indexed_map(lambda i: [x[i + 1] * 2], x.shape[0], [()], ["stack"])
    f = function([x], rows, mode=jax_mode)
    with pytest.raises(IndexError, match="out of bounds for axis 0 with size 3"):
        f(np.arange(3.0))


def test_a_mapped_inner_graph_with_index_dependent_shapes_is_unrolled(jax_mode):
    from pytensor.tensor._jacobian import indexed_map

    x = pt.dvector("x")
    (sq,) = indexed_map(lambda i: [x[: i + 1].sum() ** 2], x.shape[0], [()], ["stack"])
    f = function([x], sq, mode=jax_mode)
    np.testing.assert_allclose(f(np.array([1.0, 2.0, 3.0])), [1.0, 9.0, 36.0])


def test_a_failed_runtime_check_names_its_node_and_keeps_braces_in_messages(jax_mode):
    from pytensor.raise_op import Assert

    x = pt.dvector("x")
    f = function([x], Assert("x {bad} must be positive")(x, pt.all(x > 0)), mode=jax_mode)
    with pytest.raises(AssertionError) as info:
        f(-np.ones(2))
    assert str(info.value) == "x {bad} must be positive"
    assert any("on the jax backend" in note for note in info.value.__notes__)
