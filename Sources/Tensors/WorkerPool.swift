import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `cores − 1` threads that wait for parts of a job, the calling thread being the last worker.
///
/// A job is published in one atomic word, `state` = epoch · 2³² + parts · 2¹⁶ + parts claimed so far; a worker
/// claims a part by compare-and-swap on that word, so it can never run a part of a job other than the one it saw.
/// Between jobs a worker spins briefly (a time step of a small network holds several jobs a few microseconds apart),
/// then yields, then sleeps on a condition variable; publishing a job wakes sleepers only when there are any. The
/// caller runs parts too, then waits for the others' by spinning and yielding.
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool(threads: Parallel.cores - 1)

    /// Checks of `state` before a waiting worker starts yielding (about 10 µs), and yields before it sleeps (about
    /// 100 µs on an idle machine; on a busy one each yield lets another process run).
    static let spins = 5_000, yields = 100

    private let state = Atomic<Int>(0)
    /// Parts of the current job not yet finished.
    private let unfinished = Atomic<Int>(0)
    /// Whether a job is being run (a second caller runs its parts inline instead).
    private let busy = Atomic<Bool>(false)
    private let sleepers = Atomic<Int>(0)
    /// The current job and its loop (a pointer into the caller's frame, valid until `run` returns), written before
    /// the job's epoch is published and read only by a worker holding a claim.
    nonisolated(unsafe) private var job = Parallel.Job(count: 0, parts: 0, alignment: 1)
    nonisolated(unsafe) private var loop: UnsafeRawPointer? = nil
    nonisolated(unsafe) private var loopType: any RangeLoop.Type = NoLoop.self
    private struct NoLoop: RangeLoop { func callAsFunction(_ range: Range<Int>) {} }
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    private init(threads: Int) {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
        for _ in 0..<threads {
            let context = Unmanaged.passRetained(self).toOpaque()
            var thread = pthread_t()
            let result = pthread_create(&thread, nil, { context in
                Unmanaged<WorkerPool>.fromOpaque(context!).takeRetainedValue().work()
            }, context)
            precondition(result == 0, "pthread_create failed with \(result)")
            pthread_detach(thread)
        }
    }

    private static let partBits = 16, partMask = (1 << 16) - 1

    /// Runs every part of `job` on `loop`, a `type` value, and returns when all are done.
    func run(_ job: Parallel.Job, loop: UnsafeRawPointer, type: any RangeLoop.Type) {
        let parts = job.parts
        precondition(parts > 0 && parts <= WorkerPool.partMask, "\(parts) parts")
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            for p in 0..<parts { job.run(part: p, of: loop, type: type) }
            return
        }
        self.job = job
        self.loop = loop
        loopType = type
        unfinished.store(parts, ordering: .relaxed)
        // The epoch is read back from the published word (as the workers read it), so that its wrap past 2³¹ jobs
        // changes nothing.
        let published = ((state.load(ordering: .relaxed) >> 32) &+ 1) << 32 | parts << WorkerPool.partBits
        let epoch = published >> 32
        state.store(published, ordering: .sequentiallyConsistent)
        if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
            pthread_mutex_lock(mutex); pthread_cond_broadcast(wake); pthread_mutex_unlock(mutex)
        }
        runParts(epoch: epoch)
        var waited = 0
        while unfinished.load(ordering: .acquiring) > 0 {
            waited += 1
            if waited > WorkerPool.spins { sched_yield() }
        }
        self.loop = nil
        busy.store(false, ordering: .releasing)
    }

    /// Claims and runs parts of job `epoch` until none is left.
    private func runParts(epoch: Int) {
        while true {
            let s = state.load(ordering: .acquiring)
            let parts = (s >> WorkerPool.partBits) & WorkerPool.partMask, claimed = s & WorkerPool.partMask
            guard s >> 32 == epoch && claimed < parts else { return }
            guard state.compareExchange(expected: s, desired: s + 1, ordering: .acquiringAndReleasing).exchanged
            else { continue }
            job.run(part: claimed, of: loop!, type: loopType)
            unfinished.subtract(1, ordering: .releasing)
        }
    }

    private func work() -> Never {
        var seen = 0
        while true {
            var epoch = state.load(ordering: .acquiring) >> 32
            var waited = 0
            while epoch == seen {
                waited += 1
                if waited > WorkerPool.spins + WorkerPool.yields {
                    pthread_mutex_lock(mutex)
                    sleepers.add(1, ordering: .sequentiallyConsistent)
                    while state.load(ordering: .sequentiallyConsistent) >> 32 == seen { pthread_cond_wait(wake, mutex) }
                    sleepers.subtract(1, ordering: .relaxed)
                    pthread_mutex_unlock(mutex)
                    waited = 0
                } else if waited > WorkerPool.spins {
                    sched_yield()
                }
                epoch = state.load(ordering: .acquiring) >> 32
            }
            seen = epoch
            runParts(epoch: epoch)
        }
    }
}
