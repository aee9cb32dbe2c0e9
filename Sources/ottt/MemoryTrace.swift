import Foundation

/// The resident memory of a process as Linux reports it in /proc/PID/status: the resident set now (VmRSS), its
/// peak so far (VmHWM) and its anonymous part (RssAnon: heap and stacks, without the pages of mapped code), in bytes.
struct ResidentMemory: Equatable {
    var resident: Int
    var peak: Int
    /// nil on kernels before 4.5, which do not split the resident set.
    var anonymous: Int?

    /// Reads the `VmRSS:`, `VmHWM:` and `RssAnon:` lines (`VmRSS:     12345 kB`) of a status file's text; nil when
    /// VmRSS or VmHWM is missing or not a number of kB.
    init?(status text: String) {
        var rss: Int?, hwm: Int?, anon: Int?
        for line in text.split(separator: "\n") {
            if line.hasPrefix("VmRSS:") { rss = ResidentMemory.kilobytes(line) }
            else if line.hasPrefix("VmHWM:") { hwm = ResidentMemory.kilobytes(line) }
            else if line.hasPrefix("RssAnon:") { anon = ResidentMemory.kilobytes(line) }
        }
        guard let rss, let hwm else { return nil }
        self.init(resident: rss * 1024, peak: hwm * 1024, anonymous: anon.map { $0 * 1024 })
    }

    init(resident: Int, peak: Int, anonymous: Int? = nil) {
        self.resident = resident
        self.peak = peak
        self.anonymous = anonymous
    }

    /// This process now; nil where /proc is not mounted (not Linux).
    static func current() -> ResidentMemory? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        return ResidentMemory(status: text)
    }

    /// `VmRSS:     12345 kB` → 12345.
    private static func kilobytes(_ line: Substring) -> Int? {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard words.count == 3, words[2] == "kB" else { return nil }
        return Int(words[1])
    }
}

/// Resident memory sampled along a long run, keyed by stream time, and how much it grew once warmed up: what
/// `ottt bench soak` reports. Holds one sample per call of `add`, so the caller samples sparsely (every minute of
/// stream).
struct MemoryTrace {
    struct Sample: Equatable {
        /// Seconds of stream and of wall clock since the run began.
        var stream: Double
        var wall: Double
        var memory: ResidentMemory
    }

    /// Growth from the first sample at or after `warmUp` seconds of stream to the last sample.
    struct Growth: Equatable {
        var from: Sample
        var to: Sample
        var bytes: Int { to.memory.resident - from.memory.resident }
        /// Growth of the anonymous part (heap, stacks), when both samples have it.
        var anonymousBytes: Int? {
            guard let a = from.memory.anonymous, let b = to.memory.anonymous else { return nil }
            return b - a
        }
        /// Relative to the first sample, in percent.
        var percent: Double { Double(bytes) / Double(max(from.memory.resident, 1)) * 100 }
        /// Bytes per hour of stream between the two samples (0 when they are the same sample).
        var bytesPerStreamHour: Double {
            let hours = (to.stream - from.stream) / 3600
            return hours > 0 ? Double(bytes) / hours : 0
        }
    }

    let warmUp: Double
    private(set) var samples: [Sample] = []

    init(warmUp: Double) {
        precondition(warmUp >= 0, "a warm-up of \(warmUp) s")
        self.warmUp = warmUp
    }

    mutating func add(_ sample: Sample) {
        precondition(samples.last.map { $0.stream <= sample.stream } ?? true,
                     "memory samples out of stream order: \(sample.stream) s after \(samples.last!.stream) s")
        samples.append(sample)
    }

    /// nil until a sample after the warm-up exists.
    var growth: Growth? {
        guard let first = samples.first(where: { $0.stream >= warmUp }), let last = samples.last else { return nil }
        return Growth(from: first, to: last)
    }
}
