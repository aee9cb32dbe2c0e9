import Benchmarks
import Foundation

/// `ottt bench decode`: decode rate of every writable format, on files our writers make.
struct BenchDecodeCommand: Command {
    static let name = "decode"
    static let abstract = "Decode rate per file format (M events/s, one thread, from the page cache)."
    static let usage = """
    usage: ottt bench decode [--events N] [--runs R] [--formats LIST] [--keep DIR] [--json]
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

    Example:
      ottt bench decode --events 5000000 --runs 5
    """

    var options = DecodeBenchmark.Options()
    let json: Bool

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
        try a.finish()
    }

    func run() throws {
        let progress = isatty(STDERR_FILENO) != 0
        try DecodeBenchmark.run(options, progress: { if progress { printError($0) } }) { r in
            try BenchOutput.print(r, json: json, line: r.line)
        }
    }
}
