import Foundation
import InputLimits
import MessagePassing
import Tensors

/// `ottt train`'s side of a run on many ranks (`mpirun -np N ottt train …`): joining the MPI job, sharing the
/// cores, stopping every rank on the first failure and saying so in one line. A run without a launcher is one
/// rank and none of this changes it.
struct TrainingRanks {
    let communicator: Communicator

    /// Joins the job (MPI is initialised only when a launcher started this process); with more ranks on this
    /// machine than cores, each rank's engine gets cores/ranks threads (at least one; OpenBLAS already uses one),
    /// because Open MPI busy-polls and oversubscribed ranks would steal each other's cores.
    static func join() throws -> TrainingRanks {
        let c: Communicator
        do { c = try Communicator.world() } catch { throw CommandFailure("cannot join the MPI job: \(error)") }
        guard c.usesMPI else { return TrainingRanks(communicator: c) }
        let local = ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_LOCAL_SIZE"].flatMap(Int.init) ?? c.size
        if local > 1 { Parallel.setWidth(max(1, Parallel.cores / local)) }
        installTerminationLine(rank: c.rank, size: c.size)
        return TrainingRanks(communicator: c)
    }

    var isRoot: Bool { communicator.isRoot }

    /// Runs `body`; on one rank of many, a failure prints one line naming the rank and stops every rank
    /// (MPI_Abort) instead of leaving the others waiting in a collective, and a normal end finalises MPI.
    func run(_ body: () throws -> Void) throws {
        guard communicator.usesMPI else { return try body() }
        do {
            try body()
            try communicator.finalize()
        } catch {
            let code: Int32 = error is UsageError ? 64 : (error as? CommandFailure)?.exitCode ?? 1
            printError("ottt train: rank \(communicator.rank) of \(communicator.size): \(error)")
            communicator.abort(code: code)
        }
    }

    /// On SIGTERM (what mpirun sends the other ranks when one dies, or a scheduler on cancelling the job), one
    /// line on stderr and exit 143 at once: the checkpoint on disk is the last complete one (written atomically).
    private static func installTerminationLine(rank: Int, size: Int) {
        terminationLine = Array("ottt train: rank \(rank) of \(size) stopped by the launcher (another rank failed or the job was cancelled); the last checkpoint is intact\n".utf8)
        signal(SIGTERM) { _ in
            PartialFiles.removeRegistered()                                 // a checkpoint being written
            terminationLine.withUnsafeBytes { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
            _exit(143)
        }
    }
}

/// The line the SIGTERM handler writes (made before the handler is installed; the handler only reads it).
nonisolated(unsafe) private var terminationLine: [UInt8] = []
