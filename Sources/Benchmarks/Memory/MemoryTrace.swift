import Foundation

/// Resident memory sampled along a long run, keyed by stream time, and how much it grew once warmed up: what
/// `ottt bench soak` reports. Holds one sample per call of `add`, so the caller samples sparsely (every minute of
/// stream).
public struct MemoryTrace: Sendable {
    public struct Sample: Equatable, Sendable {
        /// Seconds of stream and of wall clock since the run began.
        public var stream: Double
        public var wall: Double
        public var memory: ResidentMemory

        public init(stream: Double, wall: Double, memory: ResidentMemory) {
            self.stream = stream
            self.wall = wall
            self.memory = memory
        }
    }

    /// Growth from the first sample at or after `warmUp` seconds of stream to the last sample.
    public struct Growth: Equatable, Sendable {
        public var from: Sample
        public var to: Sample
        public var bytes: Int { to.memory.resident - from.memory.resident }
        /// Growth of the anonymous part (heap, stacks), when both samples have it.
        public var anonymousBytes: Int? {
            guard let a = from.memory.anonymous, let b = to.memory.anonymous else { return nil }
            return b - a
        }
        /// Relative to the first sample, in percent.
        public var percent: Double { Double(bytes) / Double(max(from.memory.resident, 1)) * 100 }
        /// Bytes per hour of stream between the two samples (0 when they are the same sample).
        public var bytesPerStreamHour: Double {
            let hours = (to.stream - from.stream) / 3600
            return hours > 0 ? Double(bytes) / hours : 0
        }
    }

    public let warmUp: Double
    public private(set) var samples: [Sample] = []

    public init(warmUp: Double) {
        precondition(warmUp >= 0, "a warm-up of \(warmUp) s")
        self.warmUp = warmUp
    }

    public mutating func add(_ sample: Sample) {
        precondition(samples.last.map { $0.stream <= sample.stream } ?? true,
                     "memory samples out of stream order: \(sample.stream) s after \(samples.last!.stream) s")
        samples.append(sample)
    }

    /// The sample with the largest resident memory (the first of equals); nil before any sample.
    public var largest: Sample? {
        var best: Sample?
        for s in samples where best.map({ s.memory.resident > $0.memory.resident }) ?? true { best = s }
        return best
    }

    /// nil until a sample after the warm-up exists.
    public var growth: Growth? {
        guard let first = samples.first(where: { $0.stream >= warmUp }), let last = samples.last else { return nil }
        return Growth(from: first, to: last)
    }
}
