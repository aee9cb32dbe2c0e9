#if canImport(Glibc)
import Glibc
#endif

/// Running independent parts of a kernel on the machine's cores (two here). Callers guarantee that the parts write
/// disjoint memory; that is why the closures need not be `Sendable`.
///
/// The parts run on one pool of threads that the engine owns (`WorkerPool`), and large matrix products are split
/// over the same pool (`BLAS.gemm`), so no second pool competes for the cores.
public enum Parallel {
    /// The cores the engine's own loops split work over: the processors online.
    public static let cores = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))

    /// Calls `body(0) … body(parts − 1)` concurrently and returns when all are done (inline when parts is 1, and
    /// one after another when the pool is already busy: from inside a part, or from a second thread).
    public static func run(parts: Int, _ body: (Int) -> Void) {
        if parts <= 1 { body(0); return }
        withoutActuallyEscaping(body) { WorkerPool.shared.run(parts: parts, $0) }
    }

    /// Calls `body` on contiguous ranges that together cover 0..<count, one per core, concurrently when every part
    /// still holds at least `grain` items (waking a thread costs microseconds: small loops run inline). Range
    /// boundaries are multiples of `alignment` (16 floats = one cache line keeps parts from sharing lines).
    public static func forRanges(_ count: Int, grain: Int, alignment: Int = 1, _ body: (Range<Int>) -> Void) {
        let parts = min(cores, count / max(grain, 1))
        if parts <= 1 { body(0..<count); return }
        run(parts: parts) { p in
            let lo = p == 0 ? 0 : count * p / parts / alignment * alignment
            let hi = p == parts - 1 ? count : count * (p + 1) / parts / alignment * alignment
            if hi > lo { body(lo..<hi) }
        }
    }
}
