#include "CMPIShim.h"

MPI_Comm ottt_mpi_comm_world(void) { return MPI_COMM_WORLD; }
MPI_Datatype ottt_mpi_float(void) { return MPI_FLOAT; }
MPI_Datatype ottt_mpi_double(void) { return MPI_DOUBLE; }
MPI_Datatype ottt_mpi_int64(void) { return MPI_INT64_T; }
MPI_Datatype ottt_mpi_byte(void) { return MPI_BYTE; }
MPI_Op ottt_mpi_sum(void) { return MPI_SUM; }
MPI_Op ottt_mpi_max(void) { return MPI_MAX; }
MPI_Op ottt_mpi_min(void) { return MPI_MIN; }
void *ottt_mpi_in_place(void) { return MPI_IN_PLACE; }
MPI_Request ottt_mpi_request_null(void) { return MPI_REQUEST_NULL; }
MPI_Status *ottt_mpi_status_ignore(void) { return MPI_STATUS_IGNORE; }
MPI_Errhandler ottt_mpi_errors_return(void) { return MPI_ERRORS_RETURN; }
int ottt_mpi_max_error_string(void) { return MPI_MAX_ERROR_STRING; }
int ottt_mpi_success(void) { return MPI_SUCCESS; }
