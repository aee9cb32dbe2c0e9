internal import CMPI
internal import CMPIShim
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A group of ranks that reduce and broadcast together: MPI's world, or a single process that needs no MPI.
///
/// `Communicator.world()` initialises MPI once when the process was started by an MPI launcher (`Launch`) and
/// otherwise returns a communicator of one rank on which every collective is a no-op (a sum over one rank is the
/// value itself). Every MPI call made through it returns errors (`MPI_ERRORS_RETURN` on a duplicate of
/// `MPI_COMM_WORLD`), thrown as `MPIError`.
///
/// Threads: MPI is initialised as `MPI_THREAD_FUNNELED`: call a communicator from the thread that made it only.
/// Buffers passed to a collective must stay valid (and, for a pending reduction, untouched) until it completes.
public final class Communicator: @unchecked Sendable {
    /// This process's rank, 0..<size.
    public let rank: Int
    /// The number of ranks.
    public let size: Int
    /// The MPI communicator, or nil for a single process without MPI.
    let handle: MPI_Comm?

    /// A single process: rank 0 of 1, MPI untouched.
    public static let single = Communicator(rank: 0, size: 1, handle: nil)

    private init(rank: Int, size: Int, handle: MPI_Comm?) {
        self.rank = rank; self.size = size; self.handle = handle
    }

    /// Whether this is rank 0 (the one that prints, writes and checkpoints).
    public var isRoot: Bool { rank == 0 }

    /// Whether collectives go through MPI (false for `single`).
    public var usesMPI: Bool { handle != nil }

    private static let world = Mutex<Communicator?>(nil)

    /// The world: every rank of the job when started by an MPI launcher (MPI is initialised at the first call),
    /// otherwise `single`. Later calls return the same communicator.
    public static func world(launch: Launch = .current) throws(MPIError) -> Communicator {
        let made: Result<Communicator, MPIError> = world.withLock { existing in
            if let existing { return .success(existing) }
            guard case .launcher = launch else { existing = single; return .success(single) }
            do throws(MPIError) {
                let c = try initialiseWorld()
                existing = c
                return .success(c)
            } catch { return .failure(error) }
        }
        return try made.get()
    }

    private static func initialiseWorld() throws(MPIError) -> Communicator {
        var provided: Int32 = 0
        try check(MPI_Init_thread(nil, nil, Int32(MPI_THREAD_FUNNELED), &provided), "MPI_Init_thread")
        // Errors of the world's duplicate come back as codes; the world itself aborts (MPI's default), which
        // only matters for calls not made through this module.
        var comm: MPI_Comm? = nil
        try check(MPI_Comm_dup(ottt_mpi_comm_world(), &comm), "MPI_Comm_dup")
        try check(MPI_Comm_set_errhandler(comm, ottt_mpi_errors_return()), "MPI_Comm_set_errhandler")
        var rank: Int32 = 0, size: Int32 = 0
        try check(MPI_Comm_rank(comm, &rank), "MPI_Comm_rank")
        try check(MPI_Comm_size(comm, &size), "MPI_Comm_size")
        return Communicator(rank: Int(rank), size: Int(size), handle: comm)
    }

    /// Waits until every rank has called `barrier`.
    public func barrier() throws(MPIError) {
        guard let handle else { return }
        try check(MPI_Barrier(handle), "MPI_Barrier")
    }

    /// Replaces `buffer` on every rank by root's.
    public func broadcast(_ buffer: UnsafeMutableBufferPointer<Float>, from root: Int = 0) throws(MPIError) {
        try broadcast(UnsafeMutableRawBufferPointer(buffer), from: root)
    }

    /// Replaces `bytes` on every rank by root's; every rank passes the same count.
    public func broadcast(_ bytes: UnsafeMutableRawBufferPointer, from root: Int = 0) throws(MPIError) {
        checkRoot(root)
        guard let handle, let base = bytes.baseAddress, bytes.count > 0 else { return }
        try forChunks(bytes.count) { (offset, count) throws(MPIError) in
            try check(MPI_Bcast(base + offset, count, ottt_mpi_byte(), Int32(root), handle), "MPI_Bcast")
        }
    }

    /// Root's `bytes` on every rank, whatever the other ranks pass (the length travels first).
    public func broadcast(_ bytes: [UInt8], from root: Int = 0) throws(MPIError) -> [UInt8] {
        checkRoot(root)
        guard usesMPI else { return bytes }
        var length = [Int64(bytes.count)]
        try withMutableBytes(&length) { (b) throws(MPIError) in try broadcast(b, from: root) }
        var result = rank == root ? bytes : [UInt8](repeating: 0, count: Int(length[0]))
        try withMutableBytes(&result) { (b) throws(MPIError) in try broadcast(b, from: root) }
        return result
    }

    /// Replaces `buffer` on every rank by the elementwise sum over ranks (blocking).
    public func sumInPlace(_ buffer: UnsafeMutableBufferPointer<Float>) throws(MPIError) {
        guard let handle, let base = buffer.baseAddress, buffer.count > 0 else { return }
        try forChunks(buffer.count) { (offset, count) throws(MPIError) in
            try check(MPI_Allreduce(ottt_mpi_in_place(), base + offset, count, ottt_mpi_float(), ottt_mpi_sum(), handle),
                      "MPI_Allreduce")
        }
    }

    /// Starts replacing `buffer` by the elementwise sum over ranks and returns at once; the sum is there after
    /// `wait()` on the result. Every rank starts the same reductions in the same order.
    public func startSumInPlace(_ buffer: UnsafeMutableBufferPointer<Float>) throws(MPIError) -> PendingReduction {
        guard let handle, let base = buffer.baseAddress, buffer.count > 0 else { return PendingReduction(requests: []) }
        var requests: [MPI_Request?] = []
        try forChunks(buffer.count) { (offset, count) throws(MPIError) in
            var request: MPI_Request? = ottt_mpi_request_null()
            try check(MPI_Iallreduce(ottt_mpi_in_place(), base + offset, count, ottt_mpi_float(), ottt_mpi_sum(),
                                     handle, &request), "MPI_Iallreduce")
            requests.append(request)
        }
        return PendingReduction(requests: requests)
    }

    /// The elementwise sum of `values` over ranks (counts for sharded validation).
    public func sum(_ values: [Int64]) throws(MPIError) -> [Int64] {
        try reduce(values, ottt_mpi_int64(), ottt_mpi_sum(), "MPI_Allreduce(sum)")
    }

    /// The elementwise sum of `values` over ranks (losses for the report; the order of additions is MPI's).
    public func sum(_ values: [Double]) throws(MPIError) -> [Double] {
        try reduce(values, ottt_mpi_double(), ottt_mpi_sum(), "MPI_Allreduce(sum)")
    }

    /// The elementwise maximum of `values` over ranks.
    public func maximum(_ values: [Double]) throws(MPIError) -> [Double] {
        try reduce(values, ottt_mpi_double(), ottt_mpi_max(), "MPI_Allreduce(max)")
    }

    /// The elementwise minimum of `values` over ranks.
    public func minimum(_ values: [Double]) throws(MPIError) -> [Double] {
        try reduce(values, ottt_mpi_double(), ottt_mpi_min(), "MPI_Allreduce(min)")
    }

    private func reduce<T>(_ values: [T], _ type: MPI_Datatype?, _ op: MPI_Op?, _ name: String) throws(MPIError) -> [T] {
        guard let handle, !values.isEmpty else { return values }
        var result = values
        let count = Int32(values.count)
        try withMutableBytes(&result) { (b) throws(MPIError) in
            try check(MPI_Allreduce(ottt_mpi_in_place(), b.baseAddress, count, type, op, handle), name)
        }
        return result
    }

    /// Stops every rank of the job with `code` (MPI_Abort); a single process exits with `code`. Print the reason
    /// first: Open MPI adds only its own notice.
    public func abort(code: Int32 = 1) -> Never {
        if let handle { _ = MPI_Abort(handle, code) }
        exit(code)
    }

    /// Ends MPI in this process after a run that completed on every rank (MPI_Finalize). A process that exits
    /// without it makes the launcher stop the job, which is what a failing rank should do.
    public func finalize() throws(MPIError) {
        guard usesMPI else { return }
        var done: Int32 = 0
        try check(MPI_Finalized(&done), "MPI_Finalized")
        if done == 0 { try check(MPI_Finalize(), "MPI_Finalize") }
    }

    private func checkRoot(_ root: Int) {
        precondition(root >= 0 && root < size, "root \(root) outside ranks 0..<\(size)")
    }

    /// Calls `body(offset, count)` over 0..<n in parts that fit MPI's Int32 counts.
    private func forChunks<E: Error>(_ n: Int, _ body: (Int, Int32) throws(E) -> Void) throws(E) {
        let most = Int(Int32.max)
        var offset = 0
        while offset < n {
            let count = min(most, n - offset)
            try body(offset, Int32(count))
            offset += count
        }
    }
}
