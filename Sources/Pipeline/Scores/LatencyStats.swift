/// Per-bin latencies over the last `capacity` bins, for p50/p99 shown live: fixed memory however long it runs.
public struct LatencyStats: Sendable {
    public let capacity: Int
    private var samples: [Double] = []
    private var next = 0
    /// Every sample ever added.
    public private(set) var total = 0
    public private(set) var maximum = 0.0

    public init(capacity: Int = 4096) {
        precondition(capacity > 0, "latency window \(capacity)")
        self.capacity = capacity
        samples.reserveCapacity(capacity)
    }

    public mutating func add(_ seconds: Double) {
        total += 1
        maximum = max(maximum, seconds)
        if samples.count < capacity { samples.append(seconds); return }
        samples[next] = seconds
        next = (next + 1) % capacity
    }

    /// The q-quantile (0…1) of the kept samples by the nearest-rank rule; nil when empty.
    public func quantile(_ q: Double) -> Double? {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        let rank = Int((q * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    public var p50: Double? { quantile(0.5) }
    public var p99: Double? { quantile(0.99) }
}
