#include "HDF5Macros.h"

hid_t ottt_h5p_default(void) { return H5P_DEFAULT; }
hid_t ottt_h5s_all(void) { return H5S_ALL; }
unsigned ottt_h5f_acc_trunc(void) { return H5F_ACC_TRUNC; }
unsigned ottt_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
hid_t ottt_h5p_dataset_create(void) { return H5P_DATASET_CREATE; }
hid_t ottt_h5t_native_float(void) { return H5T_NATIVE_FLOAT; }
hid_t ottt_h5t_native_int64(void) { return H5T_NATIVE_INT64; }
hid_t ottt_h5t_ieee_f32le(void) { return H5T_IEEE_F32LE; }
hid_t ottt_h5t_std_i64le(void) { return H5T_STD_I64LE; }
hid_t ottt_h5t_c_s1(void) { return H5T_C_S1; }
size_t ottt_h5t_variable(void) { return H5T_VARIABLE; }
void ottt_h5_silence_errors(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
