/* The batch kernel's lookups for every row, compiled (see engine/kernel.py, Kernel.run_rows).
 *
 * NumPy does the same work as about ten whole-array passes (takes, additions, the
 * temporaries between them); here a block of rows goes through the five table lookups
 * while it is in the processor's cache, with the GIL released so chunks run in
 * parallel. Every index is clipped to its table as numpy.take(mode="clip") clips it,
 * so both paths give the same ids on any input (tests compare them). Buffers are
 * int32, C-contiguous.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

#define N_BUFFERS 10
/* rows per block: a block's ids stay in the processor's cache between passes */
#define BLOCK 65536

static inline Py_ssize_t clip(Py_ssize_t i, Py_ssize_t n) {
    return i < 0 ? 0 : (i >= n ? n - 1 : i);
}

static int get_int32(PyObject *obj, Py_buffer *view, int writable, const char *name) {
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj, view, flags) < 0) {
        return -1;
    }
    if (view->itemsize != 4 || view->format == NULL ||
        (strcmp(view->format, "i") != 0 && strcmp(view->format, "=i") != 0 &&
         strcmp(view->format, "<i") != 0)) {
        PyErr_Format(PyExc_TypeError, "%s must be an int32 array", name);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

/* screen(origin, destination, n_destinations, pairs, day, day_lo, day_table, code,
 *        code_table, situation, stride, answers, out) -> None
 *
 * Per row r:
 *   places = pairs[clip(origin[r] * n_destinations + destination[r])]
 *   epoch  = day_table[clip(day[r] - day_lo)]
 *   row    = situation[clip(epoch + places)]
 *   out[r] = answers[clip(row * stride + code_table[clip(code[r])])]
 */
static PyObject *screen(PyObject *self, PyObject *args) {
    PyObject *objs[N_BUFFERS];
    long long n_dest, day_lo, stride;
    static const char *names[N_BUFFERS] = {
        "origin", "destination", "pairs", "day", "day_table", "code",
        "code_table", "situation", "answers", "out"};
    Py_buffer v[N_BUFFERS];
    int got = 0;
    if (!PyArg_ParseTuple(args, "OOLOOLOOOOLOO", &objs[0], &objs[1], &n_dest, &objs[2], &objs[3],
                          &day_lo, &objs[4], &objs[5], &objs[6], &objs[7], &stride, &objs[8], &objs[9])) {
        return NULL;
    }
    for (; got < N_BUFFERS; got++) {
        if (get_int32(objs[got], &v[got], got == 9, names[got]) < 0) {
            goto fail;
        }
    }
    Py_ssize_t n = v[0].len / 4;
    if (v[1].len / 4 != n || v[3].len / 4 != n || v[5].len / 4 != n || v[9].len / 4 != n) {
        PyErr_SetString(PyExc_ValueError, "origin, destination, day, code and out differ in length");
        goto fail;
    }
    if (n > 0 && (v[2].len == 0 || v[4].len == 0 || v[6].len == 0 || v[7].len == 0 || v[8].len == 0)) {
        PyErr_SetString(PyExc_ValueError, "a lookup table is empty");
        goto fail;
    }
    {
        const int32_t *origin = v[0].buf, *dest = v[1].buf, *pairs = v[2].buf, *day = v[3].buf;
        const int32_t *day_table = v[4].buf, *code = v[5].buf, *code_table = v[6].buf;
        const int32_t *situation = v[7].buf, *answers = v[8].buf;
        int32_t *out = v[9].buf;
        const Py_ssize_t n_pairs = v[2].len / 4, n_days = v[4].len / 4, n_codes = v[6].len / 4;
        const Py_ssize_t n_cells = v[7].len / 4, n_answers = v[8].len / 4;
        Py_BEGIN_ALLOW_THREADS
        /* one lookup per pass over a block of rows: the loads of a pass do not depend on
         * each other, so the processor keeps many cache misses in flight, where a row's
         * chain of lookups would wait for each miss in turn (measured: twice as fast) */
        for (Py_ssize_t lo = 0; lo < n; lo += BLOCK) {
            const Py_ssize_t hi = n - lo < BLOCK ? n : lo + BLOCK;
            for (Py_ssize_t r = lo; r < hi; r++) {
                Py_ssize_t p = pairs[clip((Py_ssize_t)origin[r] * n_dest + dest[r], n_pairs)];
                out[r] = (int32_t)clip(day_table[clip((Py_ssize_t)day[r] - day_lo, n_days)] + p, n_cells);
            }
            for (Py_ssize_t r = lo; r < hi; r++) {
                out[r] = situation[out[r]];
            }
            for (Py_ssize_t r = lo; r < hi; r++) {
                const Py_ssize_t at = (Py_ssize_t)out[r] * stride + code_table[clip(code[r], n_codes)];
                out[r] = (int32_t)clip(at, n_answers);
            }
            for (Py_ssize_t r = lo; r < hi; r++) {
                out[r] = answers[out[r]];
            }
        }
        Py_END_ALLOW_THREADS
    }
    for (int i = 0; i < got; i++) {
        PyBuffer_Release(&v[i]);
    }
    Py_RETURN_NONE;
fail:
    for (int i = 0; i < got; i++) {
        PyBuffer_Release(&v[i]);
    }
    return NULL;
}

/* tally(ids, table, counts) -> None: counts[table[ids[r]]] += 1 for every row whose id
 * is within the table (int32 ids and table, int64 counts). */
static PyObject *tally(PyObject *self, PyObject *args) {
    PyObject *a, *b, *c;
    Py_buffer ids, table, counts;
    if (!PyArg_ParseTuple(args, "OOO", &a, &b, &c)) {
        return NULL;
    }
    if (get_int32(a, &ids, 0, "ids") < 0) {
        return NULL;
    }
    if (get_int32(b, &table, 0, "table") < 0) {
        PyBuffer_Release(&ids);
        return NULL;
    }
    if (PyObject_GetBuffer(c, &counts, PyBUF_C_CONTIGUOUS | PyBUF_WRITABLE) < 0 || counts.itemsize != 8) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_TypeError, "counts must be an int64 array");
            PyBuffer_Release(&counts);
        }
        PyBuffer_Release(&ids);
        PyBuffer_Release(&table);
        return NULL;
    }
    const int32_t *id = ids.buf, *of = table.buf;
    int64_t *count = counts.buf;
    const Py_ssize_t n = ids.len / 4, n_table = table.len / 4, n_counts = counts.len / 8;
    int bad = 0;
    /* rows counted per id first (few ids, spread: increments rarely wait on each other,
     * as they would on a handful of class counters), then ids summed into classes */
    int64_t *per_id = PyMem_RawCalloc(n_table > 0 ? (size_t)n_table : 1, sizeof(int64_t));
    if (per_id == NULL) {
        PyBuffer_Release(&ids);
        PyBuffer_Release(&table);
        PyBuffer_Release(&counts);
        return PyErr_NoMemory();
    }
    Py_BEGIN_ALLOW_THREADS
    uint32_t outside = 0;
    for (Py_ssize_t r = 0; r < n; r++) {
        const uint32_t i = (uint32_t)id[r];
        outside |= i >= (uint64_t)n_table;  /* a negative id is a large unsigned one */
        per_id[i < (uint64_t)n_table ? i : 0]++;
    }
    for (Py_ssize_t i = 0; i < n_table && !outside; i++) {
        if (per_id[i] && (of[i] < 0 || of[i] >= n_counts)) {
            outside = 1;
        }
    }
    if (!outside) {
        for (Py_ssize_t i = 0; i < n_table; i++) {
            if (per_id[i]) {
                count[of[i]] += per_id[i];
            }
        }
    }
    bad = outside != 0 || (n > 0 && n_table == 0);
    Py_END_ALLOW_THREADS
    PyMem_RawFree(per_id);
    PyBuffer_Release(&ids);
    PyBuffer_Release(&table);
    PyBuffer_Release(&counts);
    if (bad) {
        PyErr_SetString(PyExc_IndexError, "an id is outside the table");
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"screen", screen, METH_VARARGS, "The kernel's lookups for every row, in one pass."},
    {"tally", tally, METH_VARARGS, "Counts per class of the ids, through a table id -> class."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_lookups", NULL, -1, methods};

PyMODINIT_FUNC PyInit__lookups(void) { return PyModule_Create(&module); }
