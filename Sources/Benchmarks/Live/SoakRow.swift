import Foundation
import Pipeline

/// One sampled row of the soak benchmark: memory against stream time, with the pipeline's counters.
public struct SoakRow: Sendable {
    public var sample: MemoryTrace.Sample
    public var events: Int
    public var status: PipelineStatus
    public var steps: Int
    /// Sampled while the pipeline runs (false: the row after it, shown but not part of the trace).
    public var running: Bool

    public static let header = "   stream      wall  RSS MiB  peak MiB  anon MiB        events       bins      steps  dropped   merged  blocked   acc"

    public var line: String {
        let acc = status.metrics?.rollingAccuracy.map { String(format: "%5.1f%%", $0 * 100) } ?? "    -"
        let anon = sample.memory.anonymous.map { String(format: "%.2f", mebibytes($0)) } ?? "-"
        return leftPadded(clockText(sample.stream), 9) + " " + leftPadded(clockText(sample.wall), 9)
            + String(format: " %8.2f %9.2f ", mebibytes(sample.memory.resident), mebibytes(sample.memory.peak))
            + leftPadded(anon, 9)
            + String(format: " %13d %10d %10d %8d %8d %8d %@", events, status.frames.received, steps,
                     status.frames.dropped, status.frames.merged, status.frames.blocked, acc)
            + (running ? "" : "  (end)")
    }

    /// The `--json` object of a row.
    public struct Line: Codable, Equatable, Sendable {
        public var benchmark = "soak"
        public var streamSeconds: Double, wallSeconds: Double
        public var rssMiB: Double, peakMiB: Double, anonMiB: Double?
        public var events: Int, bins: Int, steps: Int, dropped: Int, merged: Int, blocked: Int
        public var running: Bool

        enum CodingKeys: String, CodingKey {
            case benchmark, events, bins, steps, dropped, merged, blocked, running
            case streamSeconds = "stream_s", wallSeconds = "wall_s", rssMiB = "rss_mib", peakMiB = "peak_mib"
            case anonMiB = "anon_mib"
        }
    }

    public var json: Line {
        Line(streamSeconds: sample.stream, wallSeconds: sample.wall, rssMiB: mebibytes(sample.memory.resident),
             peakMiB: mebibytes(sample.memory.peak), anonMiB: sample.memory.anonymous.map(mebibytes), events: events,
             bins: status.frames.received, steps: steps, dropped: status.frames.dropped, merged: status.frames.merged,
             blocked: status.frames.blocked, running: running)
    }
}

/// The end of a soak run: the trace, the memory after the run, and the prequential score.
public struct SoakSummary: Sendable {
    public var trace: MemoryTrace
    public var end: MemoryTrace.Sample
    /// Stream seconds run and steps taken.
    public var streamSeconds: Double
    public var steps: Int
    public var status: PipelineStatus

    /// The `--json` summary object.
    public struct Line: Codable, Equatable, Sendable {
        public var summary = true
        public var streamSeconds: Double
        public var steps: Int
        public var peakMiB: Double, endMiB: Double
        public var fromMiB: Double?, toMiB: Double?, growthMiB: Double?, growthPercent: Double?
        public var growthMiBPerStreamHour: Double?, anonGrowthMiB: Double?
        public var prequentialAccuracy: Double?

        enum CodingKeys: String, CodingKey {
            case summary, steps
            case streamSeconds = "stream_s", peakMiB = "peak_mib", endMiB = "end_mib", fromMiB = "from_mib"
            case toMiB = "to_mib", growthMiB = "growth_mib", growthPercent = "growth_percent"
            case growthMiBPerStreamHour = "growth_mib_per_stream_hour", anonGrowthMiB = "anon_growth_mib"
            case prequentialAccuracy = "prequential_accuracy"
        }
    }

    public var json: Line {
        let g = trace.growth
        return Line(streamSeconds: streamSeconds, steps: steps, peakMiB: mebibytes(end.memory.peak),
                    endMiB: mebibytes(end.memory.resident), fromMiB: g.map { mebibytes($0.from.memory.resident) },
                    toMiB: g.map { mebibytes($0.to.memory.resident) }, growthMiB: g.map { mebibytes($0.bytes) },
                    growthPercent: g?.percent, growthMiBPerStreamHour: g.map { $0.bytesPerStreamHour / 1_048_576 },
                    anonGrowthMiB: g?.anonymousBytes.map(mebibytes), prequentialAccuracy: status.metrics?.accuracy)
    }

    /// The growth line, and the prequential score when there is one.
    public var lines: [String] {
        var lines = [SoakSummary.growthText(trace.growth, warmUp: trace.warmUp)
                     + String(format: "; after the run %.2f MiB", mebibytes(end.memory.resident))]
        if let m = status.metrics, let acc = m.accuracy {
            lines.append(String(format: "prequential accuracy %.1f%% over %d labelled bins (last %d: %.1f%%); step p50 %.2f ms p99 %.2f ms",
                                acc * 100, m.scored, min(m.window, m.scored), (m.rollingAccuracy ?? 0) * 100,
                                (status.latencyP50 ?? 0) * 1e3, (status.latencyP99 ?? 0) * 1e3))
        }
        return lines
    }

    /// "RSS growth after 0:01:00 of warm-up: 27.70 → 27.92 MiB, +0.22 MiB (+0.79 %) over 0:56:00 of stream (…)".
    public static func growthText(_ growth: MemoryTrace.Growth?, warmUp: Double) -> String {
        guard let g = growth else { return "no sample after the \(clockText(warmUp)) warm-up: run longer than --warm-up" }
        return String(format: "RSS growth after %@ of warm-up: %.2f → %.2f MiB, %+.2f MiB (%+.2f %%) over %@ of stream "
                      + "(%+.2f MiB per stream hour); peak %.2f MiB",
                      clockText(warmUp), mebibytes(g.from.memory.resident), mebibytes(g.to.memory.resident),
                      mebibytes(g.bytes), g.percent, clockText(g.to.stream - g.from.stream),
                      g.bytesPerStreamHour / 1_048_576, mebibytes(g.to.memory.peak))
            + (g.anonymousBytes.map { String(format: "; anonymous (heap, stacks) %+.2f MiB", mebibytes($0)) } ?? "")
    }
}

func mebibytes(_ bytes: Int) -> Double { Double(bytes) / 1_048_576 }

/// 3725.4 → "1:02:05".
public func clockText(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    return String(format: "%d:%02d:%02d", s / 3600, s % 3600 / 60, s % 60)
}

func leftPadded(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
}
