import Foundation

/// Wall-clock time for pacing, lag and latency, injectable so that tests run without sleeping.
public protocol PipelineClock: Sendable {
    /// Seconds on a monotonic clock.
    func now() -> Double
    /// Returns once `now() >= deadline` (at once when the deadline has passed).
    func sleep(until deadline: Double)
}

/// The machine's monotonic clock.
public struct SystemClock: PipelineClock {
    public init() {}

    public func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    public func sleep(until deadline: Double) {
        let wait = deadline - now()
        guard wait > 0 else { return }
        var request = timespec(tv_sec: Int(wait), tv_nsec: Int((wait - Double(Int(wait))) * 1e9))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}
