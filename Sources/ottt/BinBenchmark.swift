import Foundation
import DVSEvents
import EventBinning

/// `ottt bench bin`: binning rate of synthetic events into 10 frames at 128×128, against the peers in ANCHORS.md.
struct BinBenchmark: Command {
    static let name = "bin"
    static let abstract = "Binning rate: events to 10 frames at 128×128 (M events/s, ratios to tonic, numpy, C)."
    static let usage = """
    usage: ottt bench bin [--events N] [--runs R] [--json]

    Bins N synthetic events (default 10,000,000; uniform pixels and polarities, time-sorted) into 10 count frames
    at 128×128, by event count (the OTTT preset), by time, and through the streaming binner in chunks of 65,536
    (Δt = a tenth of the span), after checking each against a plain reference loop or the offline windows.
    "stream" times the binner alone on chunks cut before the clock starts (as a reader hands over the chunk it
    decoded into); "stream+copy" also copies every chunk out of the big buffer first, which is a reader's work.
    Prints the best of R runs (default 5) in millions of events per second of this thread's CPU time (the wall time
    is shown beside it; on a quiet machine they agree) and the ratio to each peer of
    ANCHORS.md (tonic ToFrame 23, numpy bincount 117, a plain C loop 560). Build with -c release for figures.

    Example:
      ottt bench bin --events 20000000
    """

    static let peers: [(name: String, rate: Double)] = [("tonic", 23), ("numpy", 117), ("C loop", 560)]

    let events: Int
    let runs: Int
    let json: Bool

    init(arguments: Arguments) throws {
        var a = arguments
        events = try a.positiveInt("events", default: 10_000_000)
        runs = try a.positiveInt("runs", default: 5)
        json = a.flag("json")
        try a.finish()
    }

    func run() throws {
        let sensor = SensorSize.dvs128
        try check(sensor: sensor)
        let buffer = BinBenchmark.synthetic(events, sensor: sensor, seed: 42)
        let span = buffer.t.last! - buffer.t.first!
        let chunk = 65_536
        let chunks = stride(from: 0, to: buffer.count, by: chunk).map { i in
            let piece = EventBuffer(capacity: chunk)
            piece.append(contentsOf: buffer, range: i..<min(buffer.count, i + chunk))
            return piece
        }
        let cases: [(label: String, run: () -> Int)] = [
            ("count", { EventBinner(sensor: sensor, slicing: .eventCount(frames: 10)).frames(of: buffer).report.binned }),
            ("time", { EventBinner(sensor: sensor, slicing: .timeBins(frames: 10)).frames(of: buffer).report.binned }),
            ("stream", { BinBenchmark.stream(chunks, sensor: sensor, binWidth: span / 10 + 1).events }),
            ("stream+copy", { BinBenchmark.stream(buffer, sensor: sensor, binWidth: span / 10 + 1, chunk: chunk).events }),
        ]
        for c in cases {
            var best = Double.infinity, bestWall = Double.infinity
            var binned = 0
            for _ in 0..<runs {
                let start = DispatchTime.now().uptimeNanoseconds, cpu = BinBenchmark.threadCPUSeconds()
                binned = c.run()
                best = min(best, BinBenchmark.threadCPUSeconds() - cpu)
                bestWall = min(bestWall, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            guard binned == events else { throw CommandFailure("bin: \(binned) of \(events) events binned by \(c.label)") }
            let rate = Double(events) / best / 1e6
            let ratios = BinBenchmark.peers.map { String(format: "%@ ×%.1f", $0.name, rate / $0.rate) }
            if json {
                let peers = BinBenchmark.peers.map { "\"\($0.name)\": \(String(format: "%.2f", rate / $0.rate))" }
                print("{\"benchmark\": \"bin\", \"split\": \"\(c.label)\", \"events\": \(events), \"frames\": 10, "
                      + "\"size\": 128, \"best_cpu_seconds\": \(best), \"best_wall_seconds\": \(bestWall), "
                      + "\"mevents_per_s\": \(String(format: "%.1f", rate)), "
                      + "\"ratios\": {\(peers.joined(separator: ", "))}}")
            } else {
                print(String(format: "bin by %@: %d events → 10×2×128×128 in %.2f ms CPU (%.2f ms wall): %.0f M events/s (%@)",
                             c.label, events, best * 1e3, bestWall * 1e3, rate, ratios.joined(separator: ", ")))
            }
        }
    }

    /// CPU time of the calling thread: on a shared machine it counts only the time this benchmark ran.
    static func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
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
    func check(sensor: SensorSize) throws {
        let sample = BinBenchmark.synthetic(10_007, sensor: sensor, seed: 7)
        let t = sample.t, t0 = t.first!, dt = (t.last! - t0) / 10
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
            guard got == expected else { throw CommandFailure("bin: \(slicing) disagrees with the reference loop") }
        }
        let offline = EventBinner(sensor: sensor, slicing: .window(duration: dt)).frames(of: sample).frames
        var streamed: [Float] = []
        let binner = StreamingBinner(sensor: sensor, binWidth: dt)
        binner.push(sample) { streamed += $0.values }
        binner.finish { streamed += $0.values }
        guard streamed == offline.values else { throw CommandFailure("bin: streaming disagrees with offline windows") }
    }

    /// `n` time-sorted events with uniform pixels and polarities, 0–3 µs apart.
    static func synthetic(_ n: Int, sensor: SensorSize, seed: UInt64) -> EventBuffer {
        let buffer = EventBuffer(capacity: n)
        var state = seed
        buffer.appendUnsafe(maxCount: n) { t, x, y, p in
            var now: Int64 = 0
            for i in 0..<n {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let r = state >> 16
                now += Int64(r & 3)
                t[i] = now
                x[i] = UInt16((r >> 2) % UInt64(sensor.width))
                y[i] = UInt16((r >> 10) % UInt64(sensor.height))
                p[i] = UInt8((r >> 20) & 1)
            }
            return n
        }
        return buffer
    }
}
