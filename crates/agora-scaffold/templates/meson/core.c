/* << module >>._core: the compiled part of << name >>. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* total(values, /) -> float: the sum of a sequence of floats. */
static PyObject *
total(PyObject *module, PyObject *values)
{
    PyObject *seq = PySequence_Fast(values, "total() expects a sequence of floats");
    if (seq == NULL) {
        return NULL;
    }
    double sum = 0.0;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    for (Py_ssize_t i = 0; i < n; i++) {
        double value = PyFloat_AsDouble(PySequence_Fast_GET_ITEM(seq, i));
        if (value == -1.0 && PyErr_Occurred()) {
            Py_DECREF(seq);
            return NULL;
        }
        sum += value;
    }
    Py_DECREF(seq);
    return PyFloat_FromDouble(sum);
}

static PyMethodDef core_methods[] = {
    {"total", total, METH_O, "total(values, /)\n--\n\nThe sum of a sequence of floats."},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot core_slots[] = {
#ifdef Py_GIL_DISABLED
    /* The module keeps no global state: it is safe without the GIL. */
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef core_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_core",
    .m_doc = "The compiled part of << name >>.",
    .m_size = 0,
    .m_methods = core_methods,
    .m_slots = core_slots,
};

PyMODINIT_FUNC
PyInit__core(void)
{
    return PyModuleDef_Init(&core_module);
}
