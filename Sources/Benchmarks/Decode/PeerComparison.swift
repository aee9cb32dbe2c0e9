import DVSEvents
import EventFormats
import Foundation

/// `bench decode --peers`: ours and the peers (tools/peer-decode) timed on exactly the same files, alternating,
/// round after round, each pair's figures side by side with their ratio.
public enum PeerComparison {
    /// What a pair compares, and by which clock.
    public enum Measure: String, Encodable, Sendable, CaseIterable {
        /// Decoding; the decoding thread's CPU time.
        case oneThread = "reading, one thread (thread CPU)"
        /// Decoding with a second thread (ours: `ReadOptions.readAhead`; dv-processing reads ahead on a thread of
        /// its own); the slower thread's CPU time (the process's CPU less the calling thread's, or the calling
        /// thread's, whichever is larger: what the run would take on two free cores), wall time beside it.
        case twoThreads = "reading, two threads (slower thread's CPU)"
        /// AEDAT 4.0 writing (ours: AEDAT4Writer; dv-processing's MonoCameraWriter); the process's CPU time.
        case writing = "writing (process CPU)"
    }

    /// One side-by-side figure: ours and a peer's on the same file, in the same round.
    public struct Ratio: Encodable, Equatable, Sendable {
        public var benchmark = "decode-peers"
        public var round: Int
        public var measure: Measure
        /// The case's label ("AEDAT 4.0 ZSTD").
        public var label: String
        /// M events/s, ours and the peer's (nil: no peer figure, `note` says why).
        public var ours: Double
        public var peer: String
        public var peerRate: Double?
        /// Wall-clock rates beside the two-thread figures.
        public var oursWall: Double?
        public var peerWall: Double?
        public var note: String?

        public var ratio: Double? { peerRate.map { $0 > 0 ? ours / $0 : .infinity } }

        enum CodingKeys: String, CodingKey {
            case benchmark, round, measure, label, ours, peer, note
            case peerRate = "peer_mevents_per_s", oursWall = "ours_wall_mevents_per_s"
            case peerWall = "peer_wall_mevents_per_s", ratioValue = "ratio"
        }

        public init(round: Int, measure: Measure, label: String, ours: Double, peer: String, peerRate: Double?,
                    oursWall: Double? = nil, peerWall: Double? = nil, note: String? = nil) {
            (self.round, self.measure, self.label, self.ours, self.peer) = (round, measure, label, ours, peer)
            (self.peerRate, self.oursWall, self.peerWall, self.note) = (peerRate, oursWall, peerWall, note)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(benchmark, forKey: .benchmark)
            try c.encode(round, forKey: .round)
            try c.encode(measure, forKey: .measure)
            try c.encode(label, forKey: .label)
            try c.encode(ours, forKey: .ours)
            try c.encode(peer, forKey: .peer)
            try c.encodeIfPresent(peerRate, forKey: .peerRate)
            try c.encodeIfPresent(oursWall, forKey: .oursWall)
            try c.encodeIfPresent(peerWall, forKey: .peerWall)
            try c.encodeIfPresent(note, forKey: .note)
            try c.encodeIfPresent(ratio, forKey: .ratioValue)
        }

        /// "round 1, reading, one thread (thread CPU): AEDAT 4.0 LZ4: ottt 150 M events/s, dv-processing 2.0.4
        /// 100 M events/s: ×1.50".
        public var line: String {
            var s = String(format: "round %d, %@: %@: ottt %.0f M events/s, ", round, measure.rawValue, label, ours)
            if let peerRate, let ratio {
                s += String(format: "%@ %.0f M events/s: ×%.2f", peer, peerRate, ratio)
            } else {
                s += "\(peer): \(note ?? "no figure")"
            }
            if let oursWall {
                s += String(format: " (wall: ottt %.0f", oursWall)
                s += peerWall.map { String(format: ", %@ %.0f)", peer, $0) } ?? ")"
            }
            return s
        }
    }

    /// Ours, one round: per case and measure, M events/s (and wall M events/s for two threads).
    struct Ours {
        var rates: [String: (rate: Double, wall: Double?)] = [:]
        static func key(_ c: DecodeCase, _ m: Measure) -> String { "\(c.name) \(m)" }
    }

    /// Writes and checks every case, then `rounds` times: ours on every file, then the peers on the same files.
    /// `skipped` gets the one line saying why the peers were not timed (then only ours are reported).
    public static func run(_ options: DecodeBenchmark.Options, rounds: Int, tool: PeerTool,
                           progress: (String) -> Void = { _ in }, skipped: (String) -> Void,
                           report: (Ratio) throws -> Void) throws {
        try DecodeBenchmark.withFolder(options) { directory in
            var files: [(c: DecodeCase, path: String)] = []
            for c in options.cases {
                files.append((c, try DecodeBenchmark.write(c, events: options.events, into: directory,
                                                           progress: progress)))
            }
            var peersSkipped = false
            for round in 1...max(1, rounds) {
                progress("decode --peers: round \(round) of \(rounds), ours…")
                let ours = try timeOurs(files, events: options.events, runs: options.runs, scratch: directory)
                var figures: [PeerTool.Figure] = []
                if !peersSkipped {
                    progress("decode --peers: round \(round) of \(rounds), the peers…")
                    switch tool.run(peerCases(files), runs: options.runs) {
                    case .figures(let f): figures = f
                    case .skipped(let why):
                        peersSkipped = true
                        skipped(why)
                    }
                }
                for r in ratios(round: round, files: files, ours: ours, figures: figures, events: options.events) {
                    try report(r)
                }
            }
        }
    }

    /// The peer cases for the files: each read, and each AEDAT 4.0 file written again by the peer.
    static func peerCases(_ files: [(c: DecodeCase, path: String)]) -> [(peerCase: String, file: String)] {
        files.compactMap { f in f.c.peerCase.map { ($0, f.path) } }
            + files.compactMap { f in f.c.peerWriteCase.map { ($0, f.path) } }
    }

    /// Pairs ours with the peers' figures (matched by peer case and file) into ratios; a case without a peer
    /// figure keeps ours with a note.
    static func ratios(round: Int, files: [(c: DecodeCase, path: String)], ours: Ours, figures: [PeerTool.Figure],
                       events: Int) -> [Ratio] {
        var rows: [Ratio] = []
        for measure in Measure.allCases {
            for f in files {
                guard let mine = ours.rates[Ours.key(f.c, measure)],
                      let peerCase = measure == .writing ? f.c.peerWriteCase : f.c.peerCase else { continue }
                let figure = figures.first { $0.case == peerCase && $0.file == f.path }
                var row = Ratio(round: round, measure: measure, label: f.c.label, ours: mine.rate,
                                peer: figure?.name ?? f.c.peerName, peerRate: nil, oursWall: mine.wall)
                if let figure, figure.note == nil {
                    row.peerRate = peerRate(figure, measure: measure)
                    if measure == .twoThreads { row.peerWall = figure.wallSeconds.map { rate(figure.events, $0) } }
                } else {
                    row.note = figure?.note ?? "not timed"
                }
                rows.append(row)
            }
        }
        return rows
    }

    /// A peer's rate by the measure's clock (nil when its line lacks that clock).
    static func peerRate(_ f: PeerTool.Figure, measure: Measure) -> Double? {
        guard let thread = f.bestThreadCPUSeconds else { return nil }
        switch measure {
        case .oneThread: return rate(f.events, thread)
        case .twoThreads: return f.processCPUSeconds.map { rate(f.events, slower(thread: thread, process: $0)) }
        case .writing: return f.processCPUSeconds.map { rate(f.events, $0) }
        }
    }

    /// The slower of two threads: the calling thread's CPU, or the rest of the process's.
    static func slower(thread: Double, process: Double) -> Double { max(thread, process - thread) }

    static func rate(_ events: Int?, _ seconds: Double) -> Double {
        Double(events ?? 0) / max(seconds, 1e-9) / 1e6
    }

    /// Ours on every file: one thread; two threads (compressed) and writing for AEDAT 4.0.
    static func timeOurs(_ files: [(c: DecodeCase, path: String)], events: Int, runs: Int, scratch: URL) throws
        -> Ours {
        var ours = Ours()
        for f in files {
            let one = try DecodeBenchmark.best(path: f.path, format: f.c.format, label: f.c.label, events: events,
                                               runs: runs)
            ours.rates[Ours.key(f.c, .oneThread)] = (rate(events, one.cpu), nil)
            guard f.c.format == .aedat4 else { continue }
            if f.c.compression != WriteOptions.Compression.none {  // uncompressed files are read on one thread
                let two = try bestTwoThreads(f, events: events, runs: runs)
                ours.rates[Ours.key(f.c, .twoThreads)] = (rate(events, two.slower), rate(events, two.wall))
            }
            let write = try bestWrite(f, runs: runs, scratch: scratch)
            ours.rates[Ours.key(f.c, .writing)] = (rate(events, write), nil)
        }
        return ours
    }

    /// The best of `runs` decodes with the read-ahead thread, by the slower thread's CPU (and by wall time).
    static func bestTwoThreads(_ f: (c: DecodeCase, path: String), events: Int, runs: Int) throws
        -> (slower: Double, wall: Double) {
        var best = (slower: Double.infinity, wall: Double.infinity)
        for _ in 0..<runs {
            let (w0, t0, p0) = (Clocks.wall(), Clocks.threadCPU(), Clocks.processCPU())
            let n = try DecodeBenchmark.decode(path: f.path, format: f.c.format, readAhead: true)
            let (w1, t1, p1) = (Clocks.wall(), Clocks.threadCPU(), Clocks.processCPU())
            guard n == events else { throw BenchmarkFailure("decode \(f.c.label), two threads: \(n) of \(events) events") }
            best = (min(best.slower, slower(thread: t1 - t0, process: p1 - p0)), min(best.wall, w1 - w0))
        }
        return best
    }

    /// The best of `runs` writes of the file's events (read once, untimed) with its compression, by process CPU.
    static func bestWrite(_ f: (c: DecodeCase, path: String), runs: Int, scratch: URL) throws -> Double {
        let reader = try EventFile.open(path: f.path, format: f.c.format)
        var chunks: [EventBuffer] = []
        while true {
            let chunk = EventBuffer()
            guard try reader.read(into: chunk) else { break }
            chunks.append(chunk)
        }
        var options = WriteOptions()
        if let compression = f.c.compression { options.compression = compression }
        options.eventsPerPacket = DecodeBenchmark.eventsPerPacket
        let out = scratch.appendingPathComponent("written.aedat4").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        var best = Double.infinity
        for _ in 0..<runs {
            let p0 = Clocks.processCPU()
            let writer = try EventFile.create(path: out, format: .aedat4, sensor: reader.info.sensor, options: options)
            for chunk in chunks { try writer.write(chunk) }
            try writer.finish()
            best = min(best, Clocks.processCPU() - p0)
        }
        return best
    }
}
