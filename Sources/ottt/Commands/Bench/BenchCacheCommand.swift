import Benchmarks

/// `ottt bench cache`: reading frames from the memory-mapped frame cache against making them from events.
struct BenchCacheCommand: Command {
    static let name = "cache"
    static let abstract = "Frame cache: samples/s read from the cache vs binned and resized from events."
    static let usage = """
    usage: ottt bench cache [--samples N] [--events E] [--json]

    Makes N samples (default 500) of E synthetic DVS128 events each (default 200,000, about a CIFAR10-DVS recording)
    into the OTTT paper preset (10 frames by count, paper resize to 48×48), writes them to a frame cache in a
    temporary folder, checks every cached sample against the direct result, then reports samples per second made
    from events and read from the cache (decoded to Float32), and what an epoch of 10,000 samples costs each way.

    Example:
      ottt bench cache --samples 1000
    """

    var options = CacheBenchmark.Options()
    let json: Bool

    init(arguments: Arguments) throws {
        var a = arguments
        options.samples = try a.positiveInt("samples", default: options.samples)
        options.events = try a.positiveInt("events", default: options.events)
        json = a.flag("json")
        try a.finish()
    }

    func run() throws {
        let r = try CacheBenchmark.run(options)
        try BenchOutput.print(r, json: json, line: r.line)
    }
}
