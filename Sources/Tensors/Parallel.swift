#if canImport(Glibc)
import Glibc
#endif

/// Running independent parts of a kernel on the machine's cores (two here). Callers guarantee that the parts write
/// disjoint memory; that is why the closures need not be `Sendable`.
///
/// The engine's kernels run their parts on one pool of threads that the engine owns (`WorkerPool`), and large
/// matrix products are split over the same pool (`BLAS.gemm`), so no second pool competes with them for the cores.
public enum Parallel {
    /// The processors online.
    public static let cores = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))

    /// The most parts any loop or matrix product of the engine is split into: all cores by default; 1 keeps the
    /// engine on its calling thread (a small network beside a reader and a binner). Only the thread that runs the
    /// network sets it.
    nonisolated(unsafe) public private(set) static var width = cores

    public static func setWidth(_ n: Int) {
        precondition(n > 0, "\(n) threads")
        width = n
    }

    /// Calls `body(0) … body(parts − 1)` concurrently and returns when all are done (inline when parts is 1 or the
    /// machine has one core, and one after another when the pool is already busy: from inside a part, or from a
    /// second thread).
    public static func run(parts: Int, _ body: (Int) -> Void) {
        if parts <= 1 || cores == 1 {
            for p in 0..<parts { body(p) }
            return
        }
        withoutActuallyEscaping(body) { WorkerPool.shared.run(parts: parts, $0) }
    }

    /// Calls `body` on contiguous ranges that together cover 0..<count, one per core, concurrently when every part
    /// still holds at least `grain` items (waking a thread costs microseconds: small loops run inline). Range
    /// boundaries are multiples of `alignment` (16 floats = one cache line keeps parts from sharing lines).
    public static func forRanges(_ count: Int, grain: Int, alignment: Int = 1, _ body: (Range<Int>) -> Void) {
        forRanges(count, parts: min(width, count / max(grain, 1)), alignment: alignment, body)
    }

    /// Calls `body` on `parts` contiguous ranges that together cover 0..<count, concurrently, with boundaries at
    /// multiples of `alignment` (empty ranges are skipped).
    public static func forRanges(_ count: Int, parts: Int, alignment: Int = 1, _ body: (Range<Int>) -> Void) {
        if parts <= 1 { body(0..<count); return }
        run(parts: parts) { p in
            let lo = p == 0 ? 0 : count * p / parts / alignment * alignment
            let hi = p == parts - 1 ? count : count * (p + 1) / parts / alignment * alignment
            if hi > lo { body(lo..<hi) }
        }
    }
}
