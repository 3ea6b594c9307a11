// Shim for LAPACKE (Debian liblapacke-dev; BLAS/LAPACK from libopenblas-dev).
//
// `lapack_int` is a macro in lapacke_config.h; it is re-exported as a typedef so
// Swift sees a named type. LAPACK_COL_MAJOR likewise.
#ifndef IONICS_CLAPACKE_SHIM_H
#define IONICS_CLAPACKE_SHIM_H

#include <lapacke.h>

typedef lapack_int ionics_lapack_int;
static inline int ionics_lapack_col_major(void) { return LAPACK_COL_MAJOR; }

// OpenBLAS's thread count (libopenblas-dev; declared here to avoid its cblas.h).
void openblas_set_num_threads(int num_threads);

#endif
