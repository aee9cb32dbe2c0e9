/// How this process was started: alone, or as one rank of a job started by an MPI launcher.
///
/// A plain run never initialises MPI: Open MPI's singleton initialisation (MPI_Init without `mpirun`) starts a
/// helper daemon and costs a good fraction of a second, and a run that does not ask for ranks should not pay
/// for it or depend on MPI's run-time configuration. Launchers announce themselves through the environment:
/// Open MPI's `mpirun`/`mpiexec` set `OMPI_COMM_WORLD_SIZE`, PMIx launchers (Slurm's `srun --mpi=pmix`) set
/// `PMIX_RANK`, PMI-1/2 launchers set `PMI_RANK`.
public enum Launch: Sendable, Equatable {
    /// Not started by an MPI launcher: one process, MPI untouched.
    case single
    /// Started by an MPI launcher; `variable` is the environment variable that said so.
    case launcher(variable: String)

    /// The variables that mark a process started by an MPI launcher, in the order they are checked.
    public static let launcherVariables = ["OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"]

    /// How a process with `environment` was started.
    public static func detect(environment: [String: String]) -> Launch {
        for name in launcherVariables where environment[name] != nil { return .launcher(variable: name) }
        return .single
    }
}

#if canImport(Glibc)
import Glibc
#endif

extension Launch {
    /// How this process was started (from its environment).
    public static var current: Launch {
        var environment: [String: String] = [:]
        for name in launcherVariables {
            if let value = getenv(name) { environment[name] = String(cString: value) }
        }
        return detect(environment: environment)
    }
}
