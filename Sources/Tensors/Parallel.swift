#if canImport(Glibc)
import Glibc
#endif

/// The body of a loop that the engine's cores share: called on disjoint ranges that together cover the loop's
/// items, concurrently. A kernel writes it as a struct holding the loop's pointers and constants: a value that
/// the pool's threads read through a pointer, so that handing it to them allocates nothing (a closure would need
/// a heap context to cross to another thread, once per loop). Ranges write disjoint memory; that is why the
/// bodies need not be `Sendable`.
public protocol RangeLoop {
    func callAsFunction(_ range: Range<Int>)
}

/// Running the parts of a kernel's loop on the machine's cores (two here).
///
/// The engine's kernels run their loops on one pool of threads that the engine owns (`WorkerPool`), and large
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

    /// Calls `loop` on contiguous ranges that together cover 0..<count, one per core, concurrently when every part
    /// still holds at least `grain` items (waking a thread costs microseconds: small loops run inline). Range
    /// boundaries are multiples of `alignment` (16 floats = one cache line keeps parts from sharing lines).
    public static func forRanges<Loop: RangeLoop>(_ count: Int, grain: Int, alignment: Int = 1, _ loop: Loop) {
        forRanges(count, parts: min(width, count / max(grain, 1)), alignment: alignment, loop)
    }

    /// Calls `loop` on `parts` contiguous ranges that together cover 0..<count, concurrently, with boundaries at
    /// multiples of `alignment` (empty ranges are skipped). Inline, one range after another, when parts is 1, the
    /// machine has one core, or the pool is already busy (from inside a part, or from a second thread).
    public static func forRanges<Loop: RangeLoop>(_ count: Int, parts: Int, alignment: Int = 1, _ loop: Loop) {
        if parts <= 1 { loop(0..<count); return }
        let job = Job(count: count, parts: parts, alignment: alignment)
        guard cores > 1 else { job.runInline(loop); return }
        withUnsafePointer(to: loop) { WorkerPool.shared.run(job, loop: UnsafeRawPointer($0), type: Loop.self) }
    }

    /// A loop of `count` items cut into `parts` ranges.
    struct Job {
        let count: Int, parts: Int, alignment: Int

        /// Part `p`'s range: boundaries at multiples of the alignment, the last part taking the rest.
        func range(_ p: Int) -> Range<Int> {
            let lo = p == 0 ? 0 : count * p / parts / alignment * alignment
            let hi = p == parts - 1 ? count : count * (p + 1) / parts / alignment * alignment
            return lo..<hi
        }

        func run(part p: Int, of loop: UnsafeRawPointer, type: any RangeLoop.Type) {
            let r = range(p)
            if !r.isEmpty { Job.call(type, loop, r) }
        }

        func runInline<Loop: RangeLoop>(_ loop: Loop) {
            for p in 0..<parts { let r = range(p); if !r.isEmpty { loop(r) } }
        }

        /// The loop's body, its type opened from the existential metatype (a call through a witness table).
        private static func call<Loop: RangeLoop>(_: Loop.Type, _ loop: UnsafeRawPointer, _ range: Range<Int>) {
            loop.assumingMemoryBound(to: Loop.self).pointee(range)
        }
    }
}
