/// `ottt bench NAME`: measurements that are not tests (decode rates, binning rate, training speed, latency).
/// Every benchmark is listed once, in `Benchmarks.all`; each checks its own results before it times anything.
struct BenchCommand: Command {
    static let name = "bench"
    static let abstract = "Measure speed and memory (decode, binning, training, latency, soak)."
    static var usage: String {
        let lines = Benchmarks.all.map { "  \($0.name.padding(12))\($0.abstract)" }
        return """
        usage: ottt bench NAME [OPTIONS]      ottt bench NAME --help

        Benchmarks:
        \(lines.joined(separator: "\n"))

        Figures go to stdout (add --json for one JSON object per figure); progress to stderr.

        Example:
          ottt bench decode --events 5000000
        """
    }

    let benchmark: any Command

    /// `ottt bench NAME --help` shows that benchmark's usage; `ottt bench --help` the list.
    static func help(for arguments: Arguments) -> String {
        var a = arguments
        guard let name = a.positional(), let type = Benchmarks.all.first(where: { $0.name == name }) else { return usage }
        return type.usage
    }

    init(arguments: Arguments) throws {
        var a = arguments
        let name = try a.positional("a benchmark name")
        guard let type = Benchmarks.all.first(where: { $0.name == name }) else {
            throw UsageError("no benchmark '\(name)'")
        }
        benchmark = try type.init(arguments: a)
    }

    func run() throws { try benchmark.run() }
}

/// Every benchmark, in the order `ottt bench --help` lists them. A benchmark is a `Command` whose name is the word
/// after `ottt bench`.
enum Benchmarks {
    static var all: [any Command.Type] { [
        BinBenchmark.self,
        LatencyBenchmark.self,
        SoakBenchmark.self,
        CacheBenchmark.self,
        DecodeBenchmark.self,
        SynthBenchmark.self,
        USBDecodeBenchmark.self,
        TrainBenchmark.self,
        GemmBenchmark.self,
    ] }
}

extension String {
    /// Pads with spaces to at least `width` characters (for aligned help columns).
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
