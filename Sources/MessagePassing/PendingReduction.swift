internal import CMPI
internal import CMPIShim

/// A reduction started by `Communicator.startSumInPlace`: its buffer holds the sum after `wait()`.
///
/// Open MPI moves a nonblocking collective forward only inside MPI calls (there is no progress thread), so a
/// caller that computes between starting and waiting should call `poll()` now and then (between layers) for the
/// transfer to overlap the computation.
public final class PendingReduction {
    private var requests: [MPI_Request?]

    init(requests: [MPI_Request?]) { self.requests = requests }

    /// Whether the reduction has completed (and `wait()` would return at once).
    public var isComplete: Bool { requests.isEmpty }

    /// Lets MPI progress the reduction; returns whether it has completed.
    @discardableResult
    public func poll() throws(MPIError) -> Bool {
        guard !requests.isEmpty else { return true }
        var flag: Int32 = 0
        let count = Int32(requests.count)
        let code = requests.withUnsafeMutableBufferPointer { MPI_Testall(count, $0.baseAddress, &flag, nil) }
        try check(code, "MPI_Testall")
        if flag != 0 { requests = [] }
        return flag != 0
    }

    /// Blocks until the reduction has completed. Calling it again returns at once.
    public func wait() throws(MPIError) {
        guard !requests.isEmpty else { return }
        let count = Int32(requests.count)
        let code = requests.withUnsafeMutableBufferPointer { MPI_Waitall(count, $0.baseAddress, nil) }
        try check(code, "MPI_Waitall")
        requests = []
    }
}
