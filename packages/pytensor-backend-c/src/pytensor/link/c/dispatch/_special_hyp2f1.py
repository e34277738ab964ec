"""The C kernel of ``Hyp2F1`` calls SciPy's own hyp2f1 (layer: pytensor-backend-c).

``scipy.special.cython_special`` exports the double version of ``hyp2f1`` as a
PyCapsule (a Cython fused specialisation, ``__pyx_fuse_1hyp2f1`` in SciPy 1.x);
its address is looked up on the first element a compiled module computes (the
module's static pointer then holds it), the way ``_blas_lib`` hands BLAS routines
to the Dot kernels. No SciPy library is named when a module is linked, and SciPy
is imported only by modules whose graph uses Hyp2F1. The values are then exactly
SciPy's: its float32 loop also computes in double.
"""

from __future__ import annotations

import functools

__all__ = ["HYP2F1", "SIGNATURE", "hyp2f1_pointer"]

#: The C signature (the capsule's name) of the exported function this kernel calls.
SIGNATURE = "double (double, double, double, double, int __pyx_skip_dispatch)"


@functools.cache
def hyp2f1_pointer() -> tuple[int, str]:
    """(address of SciPy's double ``hyp2f1``, "") or (0, the reason it cannot be found).

    Never raises: the generated C turns a failure into an error of the Op. Called
    from C (once per compiled module); cached for the process.
    """
    import ctypes

    try:
        from scipy.special import cython_special
    except ImportError as exc:
        return 0, f"scipy.special.cython_special cannot be imported ({exc})"
    get_name = ctypes.pythonapi.PyCapsule_GetName
    get_name.restype, get_name.argtypes = ctypes.c_char_p, [ctypes.py_object]
    get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
    get_pointer.restype, get_pointer.argtypes = ctypes.c_void_p, [ctypes.py_object, ctypes.c_char_p]
    # The fused-type index in the key is a Cython detail: match on the signature instead.
    for key, capsule in getattr(cython_special, "__pyx_capi__", {}).items():
        if not key.endswith("hyp2f1"):
            continue
        name = get_name(capsule)
        if name is not None and name.decode() == SIGNATURE:
            return int(get_pointer(capsule, name) or 0), ""
    return 0, f"scipy.special.cython_special exports no hyp2f1 of signature {SIGNATURE!r}"


#: C support: ``pt_sf_hyp2f1(a, b, c, z)``. Needs ``_support.SCALAR_ERROR`` before it.
#: The first call takes the GIL (large loops run without it) to ask Python for the
#: address; a failure is reported through the scalar error channel (a ValueError after
#: the loop, elements NaN) and the lookup is not retried by that module.
HYP2F1 = r"""
#ifndef PT_SF_HYP2F1
#define PT_SF_HYP2F1
typedef double (*pt_sf_hyp2f1_fn)(double, double, double, double, int);
static pt_sf_hyp2f1_fn pt_sf_hyp2f1_ptr;
static char pt_sf_hyp2f1_msg[400];  /* non-empty once the lookup failed: not retried */

static pt_sf_hyp2f1_fn pt_sf_hyp2f1_load(void)
{
    void *p = NULL;
    const char *why = NULL;
    if (pt_sf_hyp2f1_msg[0] != '\0') {
        pyt_scalar_error = pt_sf_hyp2f1_msg;
        return NULL;
    }
    /* Large loops release the GIL: take it back for the lookup (a no-op when held). */
    PyGILState_STATE gil = PyGILState_Ensure();
    PyObject *m = PyImport_ImportModule("pytensor.link.c.dispatch._special_hyp2f1");
    PyObject *r = m != NULL ? PyObject_CallMethod(m, "hyp2f1_pointer", NULL) : NULL;
    Py_XDECREF(m);
    if (r != NULL && PyTuple_Check(r) && PyTuple_GET_SIZE(r) == 2) {
        p = PyLong_AsVoidPtr(PyTuple_GET_ITEM(r, 0));
        if (p == NULL && PyUnicode_Check(PyTuple_GET_ITEM(r, 1)))
            why = PyUnicode_AsUTF8(PyTuple_GET_ITEM(r, 1));
    }
    if (p == NULL) {
        snprintf(pt_sf_hyp2f1_msg, sizeof pt_sf_hyp2f1_msg,
                 "hyp2f1: the C backend cannot find SciPy's hyp2f1: %s",
                 why != NULL ? why : "pytensor.link.c.dispatch._special_hyp2f1 failed");
        PyErr_Clear();
        pyt_scalar_error = pt_sf_hyp2f1_msg;
    }
    Py_XDECREF(r);
    PyGILState_Release(gil);
    pt_sf_hyp2f1_ptr = (pt_sf_hyp2f1_fn)p;
    return pt_sf_hyp2f1_ptr;
}

static double pt_sf_hyp2f1(double a, double b, double c, double z)
{
    pt_sf_hyp2f1_fn f = pt_sf_hyp2f1_ptr;
    if (f == NULL && (f = pt_sf_hyp2f1_load()) == NULL) return NAN;
    return f(a, b, c, z, 0);
}
#endif
"""
