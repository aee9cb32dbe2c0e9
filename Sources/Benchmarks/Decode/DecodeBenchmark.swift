import DVSEvents
import EventFormats
import Foundation

/// The decode rate of every writable format, on files our writers make (or on given files), one thread, from the
/// page cache.
public enum DecodeBenchmark {
    public struct Options: Sendable {
        /// Events written per file.
        public var events = 5_000_000
        /// Decodes per file; the best is kept.
        public var runs = 5
        /// The formats written and timed.
        public var cases = DecodeCase.all
        /// A folder to write the files into and keep (nil: a temporary folder, removed after).
        public var keep: String?
        /// Existing files to time instead of written ones (format sniffed).
        public var files: [String] = []
        public init() {}
    }

    /// Events per AEDAT 4 packet in the files written: recordings split in parts of 10,000 events have as many,
    /// and Zstandard's and LZ4's per-frame costs depend on it.
    public static let eventsPerPacket = 10_000

    /// One file's figure.
    public struct Result: Codable, Equatable, Sendable {
        public var benchmark = "decode"
        /// The case's name, or the file's name with `--files`.
        public var format: String
        public var label: String
        public var events: Int
        public var bytes: Int64
        public var runs: Int
        public var bestCPUSeconds: Double
        public var bestWallSeconds: Double
        public var meventsPerSecond: Double

        enum CodingKeys: String, CodingKey {
            case benchmark, format, label, events, bytes, runs
            case bestCPUSeconds = "best_cpu_seconds", bestWallSeconds = "best_wall_seconds"
            case meventsPerSecond = "mevents_per_s"
        }

        /// Rates use the decoding thread's CPU time, so that other processes on a shared machine do not deflate
        /// them; wall time is beside it (equal on an idle machine).
        public var line: String {
            String(format: "decode %@: %d events, %.1f MB, best of %d: %.1f ms CPU (%.1f ms wall): %.0f M events/s",
                   label, events, Double(bytes) / 1e6, runs, bestCPUSeconds * 1e3, bestWallSeconds * 1e3,
                   meventsPerSecond)
        }
    }

    /// Writes, checks and times every case (or times every file of `options.files`), handing each figure to
    /// `report`; `progress` gets a line before each file is written.
    public static func run(_ options: Options, progress: (String) -> Void = { _ in },
                           report: (Result) throws -> Void) throws {
        guard options.files.isEmpty else {
            for path in options.files { try report(try time(file: path, runs: options.runs)) }
            return
        }
        try withFolder(options) { directory in
            for c in options.cases {
                let path = try write(c, events: options.events, into: directory, progress: progress)
                let best = try best(path: path, format: c.format, label: c.label, events: options.events,
                                    runs: options.runs)
                try report(Result(format: c.name, label: c.label, events: options.events, bytes: size(of: path),
                                  runs: options.runs, bestCPUSeconds: best.cpu, bestWallSeconds: best.wall,
                                  meventsPerSecond: Double(options.events) / best.cpu / 1e6))
            }
        }
    }

    /// Runs `body` with the folder the files go into: `options.keep`, or a temporary one removed after.
    static func withFolder(_ options: Options, _ body: (URL) throws -> Void) throws {
        let directory = options.keep.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("ottt-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { if options.keep == nil { try? FileManager.default.removeItem(at: directory) } }
        try body(directory)
    }

    /// Writes `events` synthetic events as case `c` into `directory` (AEDAT 4.0 in packets of `eventsPerPacket`),
    /// checks that one decode gives them back, and returns the file's path.
    static func write(_ c: DecodeCase, events: Int, into directory: URL, progress: (String) -> Void) throws -> String {
        let source = SyntheticEvents.uniform(events, sensor: c.sensor, seed: 7)
        let path = directory.appendingPathComponent("events.\(c.name)").path
        progress("decode: writing \(events) events as \(c.label)…")
        var writeOptions = WriteOptions()
        if let compression = c.compression { writeOptions.compression = compression }
        writeOptions.eventsPerPacket = eventsPerPacket
        let writer = try EventFile.create(path: path, format: c.format, sensor: c.sensor, options: writeOptions)
        try writer.write(source)
        try writer.finish()
        try check(path: path, format: c.format, against: source, label: c.label)
        return path
    }

    /// Times an existing file: one decode counts its events, then the best of `runs`.
    static func time(file path: String, runs: Int) throws -> Result {
        let format = try EventFile.sniff(path: path)
        let events = try decode(path: path, format: format)
        let name = (path as NSString).lastPathComponent
        let best = try best(path: path, format: format, label: name, events: events, runs: runs)
        return Result(format: name, label: "\(name) (\(format.displayName))", events: events, bytes: size(of: path),
                      runs: runs, bestCPUSeconds: best.cpu, bestWallSeconds: best.wall,
                      meventsPerSecond: Double(events) / best.cpu / 1e6)
    }

    /// The size of the file at `path`, following symbolic links (a link's own size is not the data's).
    static func size(of path: String) -> Int64 {
        let target = (path as NSString).resolvingSymlinksInPath
        return ((try? FileManager.default.attributesOfItem(atPath: target))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    /// The best of `runs` decodes of `path` by CPU time (and by wall time), each checked to give `events` events.
    static func best(path: String, format: EventFileFormat?, label: String, events: Int, runs: Int) throws
        -> (cpu: Double, wall: Double) {
        var best = (cpu: Double.infinity, wall: Double.infinity)
        for _ in 0..<runs {
            let (wall0, cpu0) = (Clocks.wall(), Clocks.threadCPU())
            let decoded = try decode(path: path, format: format)
            let (wall1, cpu1) = (Clocks.wall(), Clocks.threadCPU())
            best = (min(best.cpu, cpu1 - cpu0), min(best.wall, wall1 - wall0))
            guard decoded == events else { throw BenchmarkFailure("decode \(label): \(decoded) of \(events) events") }
        }
        return best
    }

    /// Reads a whole file chunk by chunk through the public reader, as a consumer would; returns the event count.
    static func decode(path: String, format: EventFileFormat?, readAhead: Bool = false) throws -> Int {
        var options = ReadOptions()
        options.readAhead = readAhead
        let reader = try EventFile.open(path: path, format: format, options: options)
        let chunk = EventBuffer(capacity: options.chunkSize)
        var count = 0
        while try reader.read(into: chunk) { count += chunk.count }
        return count
    }

    /// One decode must give back exactly the written events before anything is timed.
    static func check(path: String, format: EventFileFormat, against source: EventBuffer, label: String) throws {
        let reader = try EventFile.open(path: path, format: format)
        let chunk = EventBuffer()
        var i = 0
        while try reader.read(into: chunk) {
            for j in 0..<chunk.count {
                guard i + j < source.count,
                      chunk.t[j] == source.t[i + j], chunk.x[j] == source.x[i + j],
                      chunk.y[j] == source.y[i + j], chunk.p[j] == source.p[i + j] else {
                    let got = chunk[j], want = i + j < source.count ? "\(source[i + j])" : "no event"
                    throw BenchmarkFailure("decode \(label): event \(i + j) reads back as \(got), written \(want)")
                }
            }
            i += chunk.count
        }
        guard i == source.count else { throw BenchmarkFailure("decode \(label): \(i) of \(source.count) events read back") }
    }
}
