/// The expected efficiency of data-parallel training on N machines, from measured compute and a stated network:
/// a model, not a measurement (for `ottt bench scale`'s table).
///
/// Ring allreduce of n bytes over N ranks (Patarasuk & Yuan; what Open MPI and NCCL use for large messages):
/// 2(N−1) steps (reduce-scatter, then allgather), each sending n/N bytes to the next rank and paying the link's
/// latency α once:
///
///     t_comm(N) = 2(N−1) · α + 2(N−1)/N · n / β          β the bandwidth in bytes/s; t_comm(1) = 0
///
/// Weak scaling (the batch per rank fixed): one optimizer step takes t_compute + the part of t_comm not hidden
/// behind computation, and the efficiency is the share of compute in it:
///
///     exposed = max(0, t_comm − t_overlap),   efficiency = t_compute / (t_compute + exposed)
///
/// t_overlap is the computation the reduction can run under (the last step's backward of the earlier layers
/// when buckets start layer by layer; 0 for a reduction after the whole backward).
public struct ScalingProjection: Sendable, Equatable {
    /// Seconds of computation per optimizer step on one rank (forward and backward over T steps).
    public var computeSeconds: Double
    /// The bytes each allreduce sums (4 × the parameter count for float32 gradients).
    public var bytes: Double
    /// β, the link bandwidth in bytes per second.
    public var bandwidth: Double
    /// α, the latency of one message in seconds.
    public var latency: Double
    /// Seconds of computation that a reduction overlaps.
    public var overlapSeconds: Double

    public init(computeSeconds: Double, bytes: Double, bandwidth: Double, latency: Double = 20e-6,
                overlapSeconds: Double = 0) {
        precondition(computeSeconds > 0 && bytes >= 0 && bandwidth > 0 && latency >= 0 && overlapSeconds >= 0,
                     "projection of \(computeSeconds) s compute, \(bytes) B at \(bandwidth) B/s, \(latency) s latency")
        self.computeSeconds = computeSeconds; self.bytes = bytes; self.bandwidth = bandwidth
        self.latency = latency; self.overlapSeconds = overlapSeconds
    }

    /// Bytes per second of a link of `gigabits` Gb/s (10 Gb/s = 1.25 × 10⁹ B/s).
    public static func bandwidth(gigabitsPerSecond gigabits: Double) -> Double { gigabits * 1e9 / 8 }

    /// t_comm(N): one ring allreduce of `bytes` over `ranks` ranks.
    public func communicationSeconds(ranks: Int) -> Double {
        precondition(ranks > 0, "\(ranks) ranks")
        guard ranks > 1 else { return 0 }
        let n = Double(ranks)
        return 2 * (n - 1) * latency + 2 * (n - 1) / n * bytes / bandwidth
    }

    /// Seconds per optimizer step on `ranks` ranks.
    public func stepSeconds(ranks: Int) -> Double {
        computeSeconds + max(0, communicationSeconds(ranks: ranks) - overlapSeconds)
    }

    /// The weak-scaling efficiency on `ranks` ranks: the throughput on N ranks over N × one rank's.
    public func efficiency(ranks: Int) -> Double { computeSeconds / stepSeconds(ranks: ranks) }
}
