import MessagePassing

/// Why data-parallel training cannot go on. Every rank throws the same case at the same point (the checks
/// reduce their verdict over all ranks first), so ranks stop together instead of waiting for each other.
public enum DataParallelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An MPI call failed.
    case mpi(MPIError)
    /// Some ranks built a network with other parameter names or shapes than rank 0's (different flags).
    case differentNetworks(ranks: Int, of: Int)
    /// Some ranks hold other settings than rank 0's (`what`: the training configuration, the optimizer state…).
    case differentSettings(what: String, ranks: Int, of: Int)
    /// Some ranks' weights differ from rank 0's: `ranks` of `of` differ; the checksums of rank 0 and this rank.
    case weightsDiverged(ranks: Int, of: Int, root: UInt64, local: UInt64)
    /// Some ranks' optimizer state (momenta, Adam's moments and step count) differs from rank 0's: `ranks` of
    /// `of` differ; the checksums of rank 0 and this rank.
    case optimizerStateDiffers(ranks: Int, of: Int, root: UInt64, local: UInt64)

    public var description: String {
        switch self {
        case .mpi(let e): "\(e)"
        case .differentNetworks(let n, let size):
            "\(n) of \(size) ranks built a network with other parameters than rank 0 (start every rank with the same flags)"
        case .differentSettings(let what, let n, let size):
            "\(n) of \(size) ranks hold another \(what) than rank 0 (start every rank with the same flags and files)"
        case .weightsDiverged(let n, let size, let root, let local):
            "weights diverged across ranks: \(n) of \(size) ranks differ from rank 0 (checksum \(hex(root)) on rank 0, "
                + "\(hex(local)) here)"
        case .optimizerStateDiffers(let n, let size, let root, let local):
            "optimizer state differs across ranks: \(n) of \(size) ranks differ from rank 0 (checksum \(hex(root)) on "
                + "rank 0, \(hex(local)) here; every rank must resume from the same checkpoint)"
        }
    }
}

/// 16 hex digits, zero-padded.
func hex(_ v: UInt64) -> String {
    let s = String(v, radix: 16)
    return String(repeating: "0", count: 16 - s.count) + s
}

/// Runs an MPI body, turning its error into `DataParallelError.mpi`.
func mpi<R>(_ body: () throws(MPIError) -> R) throws(DataParallelError) -> R {
    do throws(MPIError) { return try body() } catch { throw .mpi(error) }
}
