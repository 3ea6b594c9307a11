// Shim for the HDF5 C library (serial build, Debian package libhdf5-dev).
//
// HDF5's type ids and flags are macros that expand to global variables behind a
// call to H5open(); Swift cannot import them, so each one is exposed here through
// a static inline accessor. Nothing else lives in this header.
#ifndef IONICS_CHDF5_SHIM_H
#define IONICS_CHDF5_SHIM_H

#include <hdf5.h>
#include <hdf5_hl.h>

static inline hid_t ionics_h5t_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t ionics_h5t_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t ionics_h5t_ieee_f64le(void) { return H5T_IEEE_F64LE; }
static inline hid_t ionics_h5t_std_i64le(void) { return H5T_STD_I64LE; }
static inline hid_t ionics_h5t_c_s1(void) { return H5T_C_S1; }
static inline size_t ionics_h5t_variable(void) { return H5T_VARIABLE; }

static inline unsigned ionics_h5f_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline unsigned ionics_h5f_acc_excl(void) { return H5F_ACC_EXCL; }
static inline unsigned ionics_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned ionics_h5f_acc_rdwr(void) { return H5F_ACC_RDWR; }

static inline hid_t ionics_h5p_default(void) { return H5P_DEFAULT; }
static inline hid_t ionics_h5p_dataset_create(void) { return H5P_DATASET_CREATE; }
static inline hid_t ionics_h5p_file_access(void) { return H5P_FILE_ACCESS; }
static inline hid_t ionics_h5p_link_create(void) { return H5P_LINK_CREATE; }

static inline hid_t ionics_h5s_all(void) { return H5S_ALL; }
static inline hsize_t ionics_h5s_unlimited(void) { return H5S_UNLIMITED; }
static inline hid_t ionics_h5e_default(void) { return H5E_DEFAULT; }

#endif
