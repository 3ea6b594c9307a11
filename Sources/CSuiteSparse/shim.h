// Shim for SuiteSparse's KLU and UMFPACK (Debian libsuitesparse-dev, headers in
// /usr/include/suitesparse, no pkg-config file: the module map names the libraries).
#ifndef IONICS_CSUITESPARSE_SHIM_H
#define IONICS_CSUITESPARSE_SHIM_H

#include <suitesparse/klu.h>
#include <suitesparse/umfpack.h>

#endif
