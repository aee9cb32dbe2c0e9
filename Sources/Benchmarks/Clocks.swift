import Foundation

/// The clocks benchmarks read: wall time, the calling thread's CPU time (on a shared machine it counts only the
/// time this thread ran) and the whole process's CPU time.
public enum Clocks {
    /// Seconds on `clock` (CLOCK_MONOTONIC, CLOCK_THREAD_CPUTIME_ID, …).
    public static func seconds(_ clock: clockid_t) -> Double {
        var ts = timespec()
        clock_gettime(clock, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Monotonic wall time, in seconds.
    public static func wall() -> Double { seconds(CLOCK_MONOTONIC) }

    /// CPU time of the calling thread, in seconds.
    public static func threadCPU() -> Double { seconds(CLOCK_THREAD_CPUTIME_ID) }

    /// User and system CPU time of the process so far, in seconds.
    public static func processCPU() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
