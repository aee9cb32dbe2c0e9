import DVSEvents
import EventBinning
import Foundation

/// The binning rate of synthetic events into 10 frames at 128×128: by event count, by time, through the streaming
/// binner on ready-made chunks, and through it on chunks copied out of one big buffer first (a reader's work).
public enum BinBenchmark {
    public struct Options: Sendable {
        /// Events binned per run.
        public var events = 10_000_000
        /// Runs per case; the best is kept.
        public var runs = 5
        public init() {}
    }

    /// One case's figure (`--json` prints it as is).
    public struct Result: Codable, Equatable, Sendable {
        public var benchmark = "bin"
        /// count, time, stream or stream+copy.
        public var split: String
        public var events: Int
        public var frames = 10
        public var size = 128
        public var bestCPUSeconds: Double
        public var bestWallSeconds: Double
        public var meventsPerSecond: Double

        enum CodingKeys: String, CodingKey {
            case benchmark, split, events, frames, size
            case bestCPUSeconds = "best_cpu_seconds", bestWallSeconds = "best_wall_seconds"
            case meventsPerSecond = "mevents_per_s"
        }

        public var line: String {
            String(format: "bin by %@: %d events → 10×2×128×128 in %.2f ms CPU (%.2f ms wall): %.0f M events/s",
                   split, events, bestCPUSeconds * 1e3, bestWallSeconds * 1e3, meventsPerSecond)
        }
    }

    /// Checks every binning against a reference, then times each case and hands its figure to `report`.
    public static func run(_ options: Options, report: (Result) throws -> Void) throws {
        let sensor = SensorSize.dvs128
        try check(sensor: sensor)
        let events = options.events
        let buffer = SyntheticEvents.uniform(events, sensor: sensor, seed: 42)
        let span = (buffer.t.last ?? 0) - (buffer.t.first ?? 0)
        let chunk = 65_536
        let chunks = stride(from: 0, to: buffer.count, by: chunk).map { i in
            let piece = EventBuffer(capacity: chunk)
            piece.append(contentsOf: buffer, range: i..<min(buffer.count, i + chunk))
            return piece
        }
        let cases: [(label: String, run: () -> Int)] = [
            ("count", { EventBinner(sensor: sensor, slicing: .eventCount(frames: 10)).frames(of: buffer).report.binned }),
            ("time", { EventBinner(sensor: sensor, slicing: .timeBins(frames: 10)).frames(of: buffer).report.binned }),
            ("stream", { stream(chunks, sensor: sensor, binWidth: span / 10 + 1).events }),
            ("stream+copy", { stream(buffer, sensor: sensor, binWidth: span / 10 + 1, chunk: chunk).events }),
        ]
        for c in cases {
            var best = Double.infinity, bestWall = Double.infinity
            var binned = 0
            for _ in 0..<options.runs {
                let start = Clocks.wall(), cpu = Clocks.threadCPU()
                binned = c.run()
                best = min(best, Clocks.threadCPU() - cpu)
                bestWall = min(bestWall, Clocks.wall() - start)
            }
            guard binned == events else { throw BenchmarkFailure("bin: \(binned) of \(events) events binned by \(c.label)") }
            try report(Result(split: c.label, events: events, bestCPUSeconds: best, bestWallSeconds: bestWall,
                          meventsPerSecond: Double(events) / best / 1e6))
        }
    }

    /// Streams ready-made `chunks` through a StreamingBinner; returns the events counted in the emitted frames and
    /// the number of frames.
    static func stream(_ chunks: [EventBuffer], sensor: SensorSize, binWidth: Int64) -> (events: Int, frames: Int) {
        let binner = StreamingBinner(sensor: sensor, binWidth: binWidth)
        var landed = 0, frames = 0
        for piece in chunks { binner.push(piece) { landed += $0.events; frames += 1 } }
        binner.finish { landed += $0.events; frames += 1 }
        return (landed, frames)
    }

    /// Streams `buffer` through a StreamingBinner in chunks copied into one reused buffer first (the copy a reader
    /// makes when it decodes into its chunk); returns the events counted in the emitted frames and the frames.
    static func stream(_ buffer: EventBuffer, sensor: SensorSize, binWidth: Int64, chunk: Int)
        -> (events: Int, frames: Int) {
        let binner = StreamingBinner(sensor: sensor, binWidth: binWidth)
        let piece = EventBuffer(capacity: chunk)
        var landed = 0, frames = 0
        var i = 0
        while i < buffer.count {
            piece.removeAll()
            piece.append(contentsOf: buffer, range: i..<min(buffer.count, i + chunk))
            binner.push(piece) { landed += $0.events; frames += 1 }
            i += chunk
        }
        binner.finish { landed += $0.events; frames += 1 }
        return (landed, frames)
    }

    /// Both slicings agree with a plain loop, and the streaming binner with offline windows, on a small sample
    /// before anything is timed.
    static func check(sensor: SensorSize) throws {
        let sample = SyntheticEvents.uniform(10_007, sensor: sensor, seed: 7)
        let t = sample.t, t0 = t[0], dt = (t[t.count - 1] - t0) / 10
        let slicings: [(FrameSlicing, (Int) -> Int)] = [
            (.eventCount(frames: 10), { i in min(i / (sample.count / 10), 9) }),
            (.timeBins(frames: 10), { i in min(Int((t[i] - t0) / dt), 9) }),
        ]
        for (slicing, frameOf) in slicings {
            var expected = [Float](repeating: 0, count: 10 * 2 * sensor.pixelCount)
            for i in 0..<sample.count {
                let e = sample[i]
                expected[((frameOf(i) * 2 + Int(e.p)) * sensor.height + Int(e.y)) * sensor.width + Int(e.x)] += 1
            }
            let got = EventBinner(sensor: sensor, slicing: slicing).frames(of: sample).frames.values
            guard got == expected else { throw BenchmarkFailure("bin: \(slicing) disagrees with the reference loop") }
        }
        let offline = EventBinner(sensor: sensor, slicing: .window(duration: dt)).frames(of: sample).frames
        var streamed: [Float] = []
        let binner = StreamingBinner(sensor: sensor, binWidth: dt)
        binner.push(sample) { streamed += $0.values }
        binner.finish { streamed += $0.values }
        guard streamed == offline.values else { throw BenchmarkFailure("bin: streaming disagrees with offline windows") }
    }
}
