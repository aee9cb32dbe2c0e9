import InputLimits
import Benchmarks

/// `ottt bench bin`: binning rate of synthetic events into 10 frames at 128×128.
struct BenchBinCommand: Command {
    static let name = "bin"
    static let abstract = "Binning rate: events to 10 frames at 128×128 (M events/s, by count, time and streaming)."
    static let usage = """
    usage: ottt bench bin [--events N] [--runs R] [--json]

    Bins N synthetic events (default 10,000,000; uniform pixels and polarities, time-sorted) into 10 count frames
    at 128×128, by event count (the OTTT preset), by time, and through the streaming binner in chunks of 65,536
    (Δt = a tenth of the span), after checking each against a plain reference loop or the offline windows.
    "stream" times the binner alone on chunks cut before the clock starts (as a reader hands over the chunk it
    decoded into); "stream+copy" also copies every chunk out of the big buffer first, which is a reader's work.
    Prints the best of R runs (default 5) in millions of events per second of this thread's CPU time (the wall time
    is shown beside it; on a quiet machine they agree). Build with -c release for figures.

    Example:
      ottt bench bin --events 20000000
    """

    var options = BinBenchmark.Options()
    let json: Bool

    init(arguments: Arguments) throws {
        var a = arguments
        options.events = try a.positiveInt("events", default: options.events)
        // The events are held in memory (13 bytes each): bounded like any frames' input.
        do {
            try Limits.current.check(.frameBytes, Limits.product([options.events, FramesCommand.eventBytes]),
                                     "--events \(options.events)")
        } catch { throw UsageError("\(error)") }
        options.runs = try a.positiveInt("runs", default: options.runs)
        json = a.flag("json")
        try a.finish()
    }

    func run() throws {
        try BinBenchmark.run(options) { r in try BenchOutput.print(r, json: json, line: r.line) }
    }
}
