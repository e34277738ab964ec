"""C loop generators shared by Elemwise, CAReduce and ElemwiseReduce kernels
(layer: pytensor-backend-c).

A kernel iterates over the broadcast shape of its inputs (checked at run time
with ``Elemwise.perform``'s error), evaluates a scalar program per element and
either stores its results (:func:`elemwise_kernel`) or folds one result into an
accumulator array (:func:`reduce_kernel`). Contiguous inputs take a flat 1-d
loop marked ``#pragma omp simd``; other layouts a strided loop nest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pytensor.link.c.dispatch._support import SCALAR_ERROR, c_string_literal, c_type, npy_type

__all__ = ["LoopInput", "Reduction", "ScalarProgram", "elemwise_kernel", "reduce_kernel"]


@dataclass(frozen=True)
class LoopInput:
    """One input of a loop kernel: its dtype and static shape."""

    dtype: str
    shape: tuple[int | None, ...]

    @property
    def scalar_like(self) -> bool:
        """Statically of size 1: loaded once, outside the loop."""
        return all(s == 1 for s in self.shape)


@dataclass(frozen=True)
class ScalarProgram:
    """C statements reading ``x0..x{n-1}`` and declaring ``y0..y{m-1}`` (of the output C types)."""

    lines: tuple[str, ...]
    support: tuple[str, ...]
    key: str

    @property
    def can_fail(self) -> bool:
        """Whether a scalar function may report an error (see ``_support.SCALAR_ERROR``)."""
        return SCALAR_ERROR in self.support

    def check(self, indent: str = "    ") -> list[str]:
        """Lines raising the error reported during the loop (after the GIL is held again)."""
        return [f"{indent}if (pyt_raise_scalar_error() < 0) goto done;"] if self.can_fail else []


@dataclass(frozen=True)
class Reduction:
    """How a reduction folds ``y0`` into its accumulator ``r`` (of ``acc_dtype``)."""

    acc_dtype: str
    out_dtype: str
    axes: tuple[int, ...]
    #: C expression of the initial accumulator value.
    init: str
    #: C statement updating ``r`` with ``v`` (both of the accumulator's C type).
    combine: str
    #: ``#pragma omp simd`` clause for the local-accumulator loop ("" if none is exact).
    simd_clause: str
    #: The ValueError text prefix for an empty reduction (None: the op has an identity).
    empty_error: str | None
    #: C expression converting the element ``y0`` to the accumulator type ({acc} = its C type).
    convert: str = "({acc})y0"


#: Loops over many elements run without the GIL (they touch only array memory and
#: call pure C functions), so other Python threads can run meanwhile.
_RELEASE_GIL = "    PyThreadState *pyt_ts = size >= 32768 ? PyEval_SaveThread() : NULL;"
_ACQUIRE_GIL = "    if (pyt_ts != NULL) PyEval_RestoreThread(pyt_ts);"


def _head(name: str, opname: str, ins: Sequence[LoopInput], nd: int) -> list[str]:
    """Kernel opening: convert inputs, compute and check the broadcast shape ``shape``."""
    n = len(ins)
    statics = ", ".join(c_string_literal(_shape_text(i.shape)) for i in ins) or "NULL"
    lines = [
        f"static int {name}(PyObject **inputs, PyObject **outputs) {{",
        f"    static const char *const op = {c_string_literal(opname)};",
        f"    static const char *const statics[] = {{{statics}}};",
        "    (void)statics;",
        f"    PyArrayObject *a[{n + 1}] = {{NULL}};",
        f"    npy_intp shape[{nd + 1}] = {{1}};",
        "    npy_intp size = 1;",
        "    int status = -1;",
    ]
    for k, i in enumerate(ins):
        lines.append(
            f"    a[{k}] = pyt_as_array(inputs[{k}], {npy_type(i.dtype)}, {nd}, op, {k});"
            f" if (a[{k}] == NULL) goto done;"
        )
    for d in range(nd):
        lines.append(f"    shape[{d}] = 1;")
        cands = [k for k, i in enumerate(ins) if i.shape[d] != 1]
        if cands:
            first = cands[0]
            lines.append(f"    shape[{d}] = PyArray_DIM(a[{first}], {d});")
            for k in cands[1:]:
                lines.append(
                    f"    if (PyArray_DIM(a[{k}], {d}) != shape[{d}]) {{"
                    f" pyt_broadcast_error(op, a, {first}, {k}, {d}, statics); goto done; }}"
                )
        lines.append(f"    size *= shape[{d}];")
    return lines


def _shape_text(shape: tuple[int | None, ...]) -> str:
    return repr(tuple(shape))


def _load(k: int, i: LoopInput, ptr: str) -> str:
    t = c_type(i.dtype)
    return f"const {t} x{k} = *(const {t} *)({ptr});"


def _nest(
    nd: int,
    inner: list[str],
    pointers: list[str],
    pragma: str,
    around: tuple[list[str], list[str]] = ([], []),
) -> list[str]:
    """A loop nest over ``shape``; ``pointers`` name byte pointers ``P`` with strides ``st_P[d]``.

    In the body, ``q_P`` points at the current element of ``P``; ``around`` are
    lines before and after the innermost loop (where ``o_P`` is its start).
    """
    if nd == 0:
        return [f"{{ char *q_{p} = b_{p};" for p in pointers] + inner + ["}" * len(pointers)]
    lines = []
    idx = [f"j{d}" for d in range(nd)]
    for d in range(nd - 1):
        lines.append(f"for (npy_intp j{d} = 0; j{d} < shape[{d}]; j{d}++) {{")
    last = nd - 1
    for p in pointers:
        offs = " + ".join(f"{idx[d]} * st_{p}[{d}]" for d in range(nd - 1)) or "0"
        lines.append(f"char *o_{p} = b_{p} + {offs};")
    lines.extend(around[0])
    if pragma:
        lines.append(pragma)
    lines.append(f"for (npy_intp j{last} = 0; j{last} < shape[{last}]; j{last}++) {{")
    for p in pointers:
        lines.append(f"char *q_{p} = o_{p} + j{last} * st_{p}[{last}];")
    lines.extend(inner)
    lines.append("}")
    lines.extend(around[1])
    lines.extend("}" for _ in range(nd - 1))
    return lines


def _strides(p: str, arr: str, nd: int) -> list[str]:
    """Byte strides of ``arr`` over ``shape`` (0 along broadcast dimensions)."""
    lines = [f"char *b_{p} = (char *)PyArray_DATA({arr});", f"npy_intp st_{p}[{nd + 1}] = {{0}};"]
    for d in range(nd):
        lines.append(
            f"st_{p}[{d}] = PyArray_DIM({arr}, {d}) == 1 ? 0 : PyArray_STRIDE({arr}, {d});"
        )
    return lines


def elemwise_kernel(
    name: str,
    opname: str,
    ins: Sequence[LoopInput],
    out_dtypes: Sequence[str],
    prog: ScalarProgram,
    inplace: dict[int, int],
) -> str:
    """The C kernel of an elementwise node (outputs C-contiguous, or written over an input)."""
    nd = max((len(i.shape) for i in ins), default=0)
    lines = _head(name, opname, ins, nd)
    m = len(out_dtypes)
    lines.append(f"    PyArrayObject *o[{m}] = {{NULL}};")
    for j, dt in enumerate(out_dtypes):
        if j in inplace:
            lines.append(f"    o[{j}] = a[{inplace[j]}]; Py_INCREF(o[{j}]);")
        else:
            lines.append(
                f"    o[{j}] = (PyArrayObject *)PyArray_EMPTY({nd}, shape, {npy_type(dt)}, 0);"
                f" if (o[{j}] == NULL) goto done;"
            )
    stores = [
        f"*({c_type(dt)} *)(q_o{j}) = y{j};" for j, dt in enumerate(out_dtypes)
    ]  # the element pointers are named per path below
    flat_ok = " && ".join(
        ["1"]
        + [
            f"PyArray_IS_C_CONTIGUOUS(a[{k}]) && PyArray_SIZE(a[{k}]) == size"
            for k, i in enumerate(ins)
            if not i.scalar_like
        ]
        + [f"PyArray_IS_C_CONTIGUOUS(o[{j}])" for j in range(m)]
    )
    lines.append(_RELEASE_GIL)
    lines.append(f"    if ({flat_ok}) {{")
    body: list[str] = []
    for k, i in enumerate(ins):
        t = c_type(i.dtype)
        if i.scalar_like:
            body.append(_load(k, i, f"PyArray_DATA(a[{k}])"))
        else:
            # An input overwritten in place shares memory with an output: no restrict.
            rq = "" if k in inplace.values() else "restrict "
            body.append(f"const {t} *{rq}p{k} = (const {t} *)PyArray_DATA(a[{k}]);")
    for j, dt in enumerate(out_dtypes):
        rq = "" if j in inplace else "restrict "
        body.append(f"{c_type(dt)} *{rq}r{j} = ({c_type(dt)} *)PyArray_DATA(o[{j}]);")
    body.append("#pragma omp simd")
    body.append("for (npy_intp i = 0; i < size; i++) {")
    for k, i in enumerate(ins):
        if not i.scalar_like:
            body.append(f"const {c_type(i.dtype)} x{k} = p{k}[i];")
    body.extend(prog.lines)
    body.extend(f"r{j}[i] = y{j};" for j in range(m))
    body.append("}")
    lines.extend("        " + ln for ln in body)
    lines.append("    } else {")
    body = []
    ptrs = [f"i{k}" for k in range(len(ins))] + [f"o{j}" for j in range(m)]
    for k in range(len(ins)):
        body.extend(_strides(f"i{k}", f"a[{k}]", nd))
    for j in range(m):
        body.extend(_strides(f"o{j}", f"o[{j}]", nd))
    inner = [_load(k, i, f"q_i{k}") for k, i in enumerate(ins)]
    inner.extend(prog.lines)
    inner.extend(stores)
    body.extend(_nest(nd, inner, ptrs, ""))
    lines.extend("        " + ln for ln in body)
    lines.append("    }")
    lines.append(_ACQUIRE_GIL)
    lines.extend(prog.check())
    for j in range(m):
        lines.append(f"    outputs[{j}] = (PyObject *)o[{j}]; o[{j}] = NULL;")
    lines.append("    status = 0;")
    lines.append("done:")
    lines.append(f"    for (int k = 0; k < {len(ins) + 1}; k++) Py_XDECREF(a[k]);")
    lines.append(f"    for (int k = 0; k < {m}; k++) Py_XDECREF(o[k]);")
    lines.append("    return status;")
    lines.append("}")
    return "\n".join(lines) + "\n"


def reduce_kernel(
    name: str,
    opname: str,
    ins: Sequence[LoopInput],
    prog: ScalarProgram,
    red: Reduction,
) -> str:
    """The C kernel of ``reduce(program(*inputs))``: ``y0`` of each element is folded into
    the accumulator of its output position; the result is cast to ``red.out_dtype``."""
    nd = max((len(i.shape) for i in ins), default=0)
    axes = set(red.axes)
    kept = [d for d in range(nd) if d not in axes]
    at = c_type(red.acc_dtype)
    lines = _head(name, opname, ins, nd)
    lines.append("    PyArrayObject *acc = NULL;")
    lines.append(f"    npy_intp oshape[{len(kept) + 1}] = {{0}};")
    for j, d in enumerate(kept):
        lines.append(f"    oshape[{j}] = shape[{d}];")
    if red.empty_error is not None and axes:
        empty = " || ".join(f"shape[{d}] == 0" for d in sorted(axes))
        lines.append(f"    if (size == 0 && ({empty})) {{")
        lines.append("        PyObject *s = PyTuple_New(" + str(nd) + ");")
        lines.append("        if (s == NULL) goto done;")
        for d in range(nd):
            lines.append(f"        PyTuple_SET_ITEM(s, {d}, PyLong_FromSsize_t(shape[{d}]));")
        msg = c_string_literal(red.empty_error)
        lines.append(
            f'        PyErr_Format(PyExc_ValueError, "%s: cannot reduce an empty dimension '
            f'(shape %R): the operation has no identity", {msg}, s);'
        )
        lines.append("        Py_DECREF(s); goto done;")
        lines.append("    }")
    lines.append(
        f"    acc = (PyArrayObject *)PyArray_EMPTY({len(kept)}, oshape, {npy_type(red.acc_dtype)}, 0);"
    )
    lines.append("    if (acc == NULL) goto done;")
    lines.append("    {")
    lines.append(f"        {at} *ap = ({at} *)PyArray_DATA(acc);")
    lines.append("        npy_intp asize = PyArray_SIZE(acc);")
    lines.append(f"        for (npy_intp i = 0; i < asize; i++) ap[i] = {red.init};")
    lines.append("    }")
    body = _reduce_body(ins, prog, red, nd, kept)
    lines.append(_RELEASE_GIL)
    lines.extend("    " + ln for ln in body)
    lines.append(_ACQUIRE_GIL)
    lines.extend(prog.check())
    lines.append("    status = 0;")
    if red.out_dtype == red.acc_dtype:
        lines.append("    outputs[0] = (PyObject *)acc; acc = NULL;")
    else:
        lines.append(
            f"    outputs[0] = PyArray_CastToType(acc, PyArray_DescrFromType({npy_type(red.out_dtype)}), 0);"
        )
        lines.append("    if (outputs[0] == NULL) status = -1;")
    lines.append("done:")
    lines.append(f"    for (int k = 0; k < {len(ins) + 1}; k++) Py_XDECREF(a[k]);")
    lines.append("    Py_XDECREF(acc);")
    lines.append("    return status;")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _reduce_body(
    ins: Sequence[LoopInput], prog: ScalarProgram, red: Reduction, nd: int, kept: list[int]
) -> list[str]:
    at = c_type(red.acc_dtype)
    conv = red.convert.format(acc=at)
    fold = [f"{{ {at} v = {conv}; {red.combine} }}"]
    flat_ok = " && ".join(
        ["PyArray_SIZE(acc) == 1"]
        + [
            f"PyArray_IS_C_CONTIGUOUS(a[{k}]) && PyArray_SIZE(a[{k}]) == size"
            for k, i in enumerate(ins)
            if not i.scalar_like
        ]
    )
    lines = [f"if ({flat_ok}) {{"]
    body = []
    for k, i in enumerate(ins):
        t = c_type(i.dtype)
        if i.scalar_like:
            body.append(_load(k, i, f"PyArray_DATA(a[{k}])"))
        else:
            body.append(f"const {t} *restrict p{k} = (const {t} *)PyArray_DATA(a[{k}]);")
    body.append(f"{at} r = *({at} *)PyArray_DATA(acc);")
    if red.simd_clause:
        body.append(f"#pragma omp simd {red.simd_clause}")
    body.append("for (npy_intp i = 0; i < size; i++) {")
    body.extend(
        f"const {c_type(i.dtype)} x{k} = p{k}[i];" for k, i in enumerate(ins) if not i.scalar_like
    )
    body.extend(prog.lines)
    body.extend(fold)
    body.append("}")
    body.append(f"*({at} *)PyArray_DATA(acc) = r;")
    lines.extend("    " + ln for ln in body)
    lines.append("} else {")
    body = []
    ptrs = [f"i{k}" for k in range(len(ins))] + ["acc"]
    for k in range(len(ins)):
        body.extend(_strides(f"i{k}", f"a[{k}]", nd))
    body.append("char *b_acc = (char *)PyArray_DATA(acc);")
    body.append(f"npy_intp st_acc[{nd + 1}] = {{0}};")
    for j, d in enumerate(kept):
        body.append(f"st_acc[{d}] = PyArray_DIM(acc, {j}) == 1 ? 0 : PyArray_STRIDE(acc, {j});")
    inner = [_load(k, i, f"q_i{k}") for k, i in enumerate(ins)]
    inner.extend(prog.lines)
    if nd and nd - 1 in red.axes:
        # The innermost dimension is reduced: fold it into a local accumulator.
        inner.extend(fold)
        around = ([f"{at} r = *({at} *)o_acc;"], [f"*({at} *)o_acc = r;"])
        pragma = f"#pragma omp simd {red.simd_clause}" if red.simd_clause else ""
        body.extend(_nest(nd, inner, ptrs, pragma, around))
    else:
        inner.append(f"{at} r = *({at} *)q_acc;")
        inner.extend(fold)
        inner.append(f"*({at} *)q_acc = r;")
        body.extend(_nest(nd, inner, ptrs, "#pragma omp simd" if nd else ""))
    lines.extend("    " + ln for ln in body)
    lines.append("}")
    return lines
