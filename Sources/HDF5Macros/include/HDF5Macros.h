// The HDF5 type and flag names that are C macros (calls to H5open() and casts) Swift cannot import, as functions.
#ifndef OTTT_HDF5_MACROS_H
#define OTTT_HDF5_MACROS_H
#include <hdf5.h>

hid_t ottt_h5p_default(void);
hid_t ottt_h5s_all(void);
unsigned ottt_h5f_acc_trunc(void);
unsigned ottt_h5f_acc_rdonly(void);
hid_t ottt_h5p_dataset_create(void);
hid_t ottt_h5t_native_float(void);
hid_t ottt_h5t_native_int64(void);
hid_t ottt_h5t_ieee_f32le(void);
hid_t ottt_h5t_std_i64le(void);
hid_t ottt_h5t_c_s1(void);
size_t ottt_h5t_variable(void);
/// Silences HDF5's own error printing to stderr (errors are reported through return codes and typed Swift errors).
void ottt_h5_silence_errors(void);

#endif
