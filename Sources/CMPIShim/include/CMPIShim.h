// Open MPI's predefined handles are macros over the addresses of globals (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM,
// ...) or casts (MPI_IN_PLACE): Swift's importer cannot see them. These functions return them, once, here.
#ifndef CMPISHIM_H
#define CMPISHIM_H
#include <mpi.h>

MPI_Comm ottt_mpi_comm_world(void);
MPI_Datatype ottt_mpi_float(void);
MPI_Datatype ottt_mpi_double(void);
MPI_Datatype ottt_mpi_int64(void);
MPI_Datatype ottt_mpi_byte(void);
MPI_Op ottt_mpi_sum(void);
MPI_Op ottt_mpi_max(void);
MPI_Op ottt_mpi_min(void);
void *ottt_mpi_in_place(void);
MPI_Request ottt_mpi_request_null(void);
MPI_Status *ottt_mpi_status_ignore(void);
MPI_Errhandler ottt_mpi_errors_return(void);
int ottt_mpi_max_error_string(void);
int ottt_mpi_success(void);

#endif
