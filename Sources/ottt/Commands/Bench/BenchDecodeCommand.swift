import Benchmarks
import Foundation

/// `ottt bench decode`: decode rate of every writable format, on files our writers make.
struct BenchDecodeCommand: Command {
    static let name = "decode"
    static let abstract = "Decode rate per file format (M events/s, one thread, from the page cache)."
    static let usage = """
    usage: ottt bench decode [--events N] [--runs R] [--formats LIST] [--keep DIR] [--json]
           ottt bench decode --peers [--rounds K] [--peer-tool PATH] [--events N] [--runs R] [--formats LIST] [--json]
           ottt bench decode --files PATH,PATH… [--runs R] [--json]

    Writes N synthetic events (default 5,000,000; uniform pixels and polarities, 0–3 µs apart) with our writer for
    every writable format (AEDAT 4.0 uncompressed, LZ4 and ZSTD; AEDAT 2.0 DVS128; EVT 2.0; EVT 3.0; CSV) into a
    temporary folder, checks that one decode gives back exactly what was written, then times decoding from the
    page cache on one thread and prints the best of R runs (default 5, by the thread's CPU time, so that a busy
    machine does not deflate the figure; wall time beside it) in millions of events per second. The sensor is
    128×128 for AEDAT (as DVS128 recordings) and 1280×720 for the others. AEDAT 4.0 files hold 10,000 events per
    packet and use the default levels (LZ4 fast, ZSTD 3). --formats takes a comma-separated subset of
    aedat4,aedat4-lz4,aedat4-zstd,aedat2,evt2,evt3,csv. --keep DIR writes the files into DIR and keeps them (to
    profile a reader on them). --files times existing files instead (format sniffed), to show that the rates hold
    on files our writers did not make. Build with -c release for figures.

    --peers times the peers on exactly the files written, through tools/peer-decode (which names them, one per
    format but CSV, and makes their Python venv), alternating with ours for K rounds (default 2), and prints both
    figures and the ratio per pair: reading on one thread (thread CPU); AEDAT 4.0 reading with a second thread
    (ours: the read-ahead thread; the slower thread's CPU, wall beside); AEDAT 4.0 writing (process CPU). Where
    the tool skips (no python, no venv, a package missing), one line says why and only ours are printed.
    --peer-tool names the tool (default: tools/peer-decode of the checkout the executable was built in, or of the
    current folder).

    Example:
      ottt bench decode --events 5000000 --runs 5
      ottt bench decode --peers --rounds 2
    """

    var options = DecodeBenchmark.Options()
    let json: Bool
    /// Rounds of the side-by-side comparison, or nil without `--peers`.
    var rounds: Int?
    var tool = PeerTool(path: PeerTool.find())

    init(arguments: Arguments) throws {
        var a = arguments
        options.events = try a.positiveInt("events", default: options.events)
        options.runs = try a.positiveInt("runs", default: options.runs)
        if let list = try a.option("formats") {
            options.cases = try list.split(separator: ",").map { name in
                guard let c = DecodeCase.named(String(name)) else {
                    throw UsageError("--formats: no case '\(name)' (have \(DecodeCase.all.map(\.name).joined(separator: ",")))")
                }
                return c
            }
        }
        options.keep = try a.option("keep")
        options.files = try a.option("files").map { $0.split(separator: ",").map(String.init) } ?? []
        json = a.flag("json")
        let rounds = try a.positiveInt("rounds", default: 2)
        if let path = try a.option("peer-tool") { tool.path = path }
        if a.flag("peers") {
            guard options.files.isEmpty else { throw UsageError("--peers times the files it writes: not with --files") }
            self.rounds = rounds
        }
        try a.finish()
    }

    func run() throws {
        let progress = isatty(STDERR_FILENO) != 0
        if let rounds {
            try PeerComparison.run(options, rounds: rounds, tool: tool, progress: { if progress { printError($0) } },
                                   skipped: { printError("bench decode: peers skipped, ours only: \($0)") }) { r in
                try BenchOutput.print(r, json: json, line: r.line)
            }
            return
        }
        try DecodeBenchmark.run(options, progress: { if progress { printError($0) } }) { r in
            try BenchOutput.print(r, json: json, line: r.line)
        }
    }
}
