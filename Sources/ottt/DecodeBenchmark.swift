import DVSEvents
import EventFormats
import Foundation

/// `ottt bench decode`: decode rate of every writable format, on files our writers make, against the peers in
/// ANCHORS.md.
struct DecodeBenchmark: Command {
    static let name = "decode"
    static let abstract = "Decode rate per file format (M events/s, one thread, ratios to the best peer)."
    static let usage = """
    usage: ottt bench decode [--events N] [--runs R] [--formats LIST] [--keep DIR] [--json]
           ottt bench decode --files PATH,PATH… [--runs R] [--json]

    Writes N synthetic events (default 5,000,000; uniform pixels and polarities, 0–3 µs apart) with our writer for
    every writable format (AEDAT 4.0 uncompressed, LZ4 and ZSTD; AEDAT 2.0 DVS128; EVT 2.0; EVT 3.0; CSV) into a
    temporary folder, checks that one decode gives back exactly what was written, then times decoding from the
    page cache on one thread and prints the best of R runs (default 5, by the thread's CPU time, so that a busy
    machine does not deflate the figure; wall time beside it) in millions of events per second with the
    ratio to the best peer of ANCHORS.md (dv-processing 97/43/45, numpy 179, expelliarmus 134/54). The sensor is
    128×128 for AEDAT (as the peers' files) and 1280×720 for the others. AEDAT 4.0 files hold 10,000 events per
    packet and use the default levels (LZ4 fast, ZSTD 3), as the file the peers were timed on. --formats takes a
    comma-separated subset of aedat4,aedat4-lz4,aedat4-zstd,aedat2,evt2,evt3,csv. --keep DIR writes the files
    into DIR and keeps them (to profile a reader on them). --files times existing files instead (format sniffed),
    to show that the rates hold on files our writers did not make. Build with -c release for figures.

    Example:
      ottt bench decode --events 5000000 --runs 5
    """

    /// One file to time: a format, its compression, the sensor the peers used, and the best peer's figure.
    struct Case {
        var label: String
        var name: String
        var format: EventFileFormat
        var compression: WriteOptions.Compression? = nil
        var sensor: SensorSize
        var peer: (name: String, rate: Double)?
    }

    /// Events per AEDAT 4 packet in the files timed: the peers' file (written by faery in 500 parts of 10,000) has
    /// as many, and Zstandard's and LZ4's per-frame costs depend on it.
    static let eventsPerPacket = 10_000

    static var cases: [Case] {
        let hd = SensorSize(width: 1280, height: 720)
        return EventFile.writableFormats.flatMap { format -> [Case] in
            switch format {
            case .aedat4:
                return [
                    Case(label: "AEDAT 4.0", name: "aedat4", format: .aedat4, compression: WriteOptions.Compression.none,
                         sensor: .dvs128, peer: ("dv-processing", 97)),
                    Case(label: "AEDAT 4.0 LZ4", name: "aedat4-lz4", format: .aedat4, compression: .lz4,
                         sensor: .dvs128, peer: ("dv-processing", 43)),
                    Case(label: "AEDAT 4.0 ZSTD", name: "aedat4-zstd", format: .aedat4, compression: .zstd,
                         sensor: .dvs128, peer: ("dv-processing", 45)),
                ]
            case .aedat2:
                return [Case(label: "AEDAT 2.0 DVS128", name: "aedat2", format: .aedat2, sensor: .dvs128,
                             peer: ("numpy", 179))]
            case .evt2:
                return [Case(label: "EVT 2.0", name: "evt2", format: .evt2, sensor: hd, peer: ("expelliarmus", 134))]
            case .evt3:
                return [Case(label: "EVT 3.0", name: "evt3", format: .evt3, sensor: hd, peer: ("expelliarmus", 54))]
            default:
                return [Case(label: format.displayName, name: format.rawValue, format: format, sensor: hd, peer: nil)]
            }
        }
    }

    let events: Int
    let runs: Int
    let json: Bool
    let keep: String?
    let files: [String]
    let selected: [Case]

    init(arguments: Arguments) throws {
        var a = arguments
        events = try a.positiveInt("events", default: 5_000_000)
        runs = try a.positiveInt("runs", default: 5)
        let all = DecodeBenchmark.cases
        if let list = try a.option("formats") {
            selected = try list.split(separator: ",").map { name in
                guard let c = all.first(where: { $0.name == name }) else {
                    throw UsageError("--formats: no case '\(name)' (have \(all.map(\.name).joined(separator: ",")))")
                }
                return c
            }
        } else {
            selected = all
        }
        keep = try a.option("keep")
        files = try a.option("files").map { $0.split(separator: ",").map(String.init) } ?? []
        json = a.flag("json")
        try a.finish()
    }

    func run() throws {
        guard files.isEmpty else {
            for path in files { try time(file: path) }
            return
        }
        let directory = keep.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("ottt-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(at: directory) } }
        let progress = isatty(2) != 0
        for c in selected {
            let source = BinBenchmark.synthetic(events, sensor: c.sensor, seed: 7)
            let path = directory.appendingPathComponent("events.\(c.name)").path
            if progress { printError("decode: writing \(events) events as \(c.label)…") }
            var options = WriteOptions()
            if let compression = c.compression { options.compression = compression }
            options.eventsPerPacket = DecodeBenchmark.eventsPerPacket
            let writer = try EventFile.create(path: path, format: c.format, sensor: c.sensor, options: options)
            try writer.write(source)
            try writer.finish()
            try check(path: path, format: c.format, against: source, label: c.label)
            let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
            let best = try best(path: path, format: c.format, label: c.label, events: events)
            report(c, events: events, bytes: bytes, best: best)
        }
    }

    /// The best of `runs` decodes of `path` by CPU time (and by wall time), each checked to give `events` events.
    func best(path: String, format: EventFileFormat?, label: String, events: Int) throws -> (cpu: Double, wall: Double) {
        var best = (cpu: Double.infinity, wall: Double.infinity)
        for _ in 0..<runs {
            let (wall0, cpu0) = (DecodeBenchmark.clock(CLOCK_MONOTONIC), DecodeBenchmark.clock(CLOCK_THREAD_CPUTIME_ID))
            let decoded = try DecodeBenchmark.decode(path: path, format: format)
            let (wall1, cpu1) = (DecodeBenchmark.clock(CLOCK_MONOTONIC), DecodeBenchmark.clock(CLOCK_THREAD_CPUTIME_ID))
            best = (min(best.cpu, cpu1 - cpu0), min(best.wall, wall1 - wall0))
            guard decoded == events else { throw CommandFailure("decode \(label): \(decoded) of \(events) events") }
        }
        return best
    }

    /// Times an existing file (`--files`): one decode counts its events, then the best of `runs`.
    func time(file path: String) throws {
        let format = try EventFile.sniff(path: path)
        let events = try DecodeBenchmark.decode(path: path, format: format)
        let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
        let label = (path as NSString).lastPathComponent
        let best = try best(path: path, format: format, label: label, events: events)
        report(Case(label: "\(label) (\(format.displayName))", name: label, format: format, sensor: .dvs128, peer: nil),
               events: events, bytes: bytes, best: best)
    }

    /// Seconds on `clock`.
    static func clock(_ clock: clockid_t) -> Double {
        var ts = timespec()
        clock_gettime(clock, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Reads a whole file chunk by chunk through the public reader, as a consumer would; returns the event count.
    static func decode(path: String, format: EventFileFormat?) throws -> Int {
        let reader = try EventFile.open(path: path, format: format)
        let chunk = EventBuffer(capacity: ReadOptions().chunkSize)
        var count = 0
        while try reader.read(into: chunk) { count += chunk.count }
        return count
    }

    /// One decode must give back exactly the written events before anything is timed.
    func check(path: String, format: EventFileFormat, against source: EventBuffer, label: String) throws {
        let reader = try EventFile.open(path: path, format: format)
        let chunk = EventBuffer()
        var i = 0
        while try reader.read(into: chunk) {
            for j in 0..<chunk.count {
                guard i + j < source.count,
                      chunk.t[j] == source.t[i + j], chunk.x[j] == source.x[i + j],
                      chunk.y[j] == source.y[i + j], chunk.p[j] == source.p[i + j] else {
                    let got = chunk[j], want = i + j < source.count ? "\(source[i + j])" : "no event"
                    throw CommandFailure("decode \(label): event \(i + j) reads back as \(got), written \(want)")
                }
            }
            i += chunk.count
        }
        guard i == source.count else { throw CommandFailure("decode \(label): \(i) of \(source.count) events read back") }
    }

    /// Rates use the decoding thread's CPU time, so that other processes on a shared machine do not deflate them;
    /// wall time is printed beside it (equal on an idle machine, as when the peers were measured).
    func report(_ c: Case, events: Int, bytes: Int64, best: (cpu: Double, wall: Double)) {
        let rate = Double(events) / best.cpu / 1e6
        let ratio = c.peer.map { rate / $0.rate }
        if json {
            let peer = c.peer.map { "\"\($0.name)\"" } ?? "null"
            let peerRate = c.peer.map { String(format: "%.0f", $0.rate) } ?? "null"
            let ratioText = ratio.map { String(format: "%.2f", $0) } ?? "null"
            print("{\"benchmark\": \"decode\", \"format\": \"\(c.name)\", \"events\": \(events), \"bytes\": \(bytes), "
                  + "\"best_cpu_seconds\": \(best.cpu), \"best_wall_seconds\": \(best.wall), "
                  + "\"mevents_per_s\": \(String(format: "%.1f", rate)), "
                  + "\"peer\": \(peer), \"peer_mevents_per_s\": \(peerRate), \"ratio\": \(ratioText)}")
        } else {
            let versus = c.peer.map { String(format: "%@ %.0f: ×%.2f", $0.name, $0.rate, rate / $0.rate) } ?? "no peer figure"
            print(String(format: "decode %@: %d events, %.1f MB, best of %d: %.1f ms CPU (%.1f ms wall): %.0f M events/s (%@)",
                         c.label, events, Double(bytes) / 1e6, runs, best.cpu * 1e3, best.wall * 1e3, rate, versus))
        }
    }
}
