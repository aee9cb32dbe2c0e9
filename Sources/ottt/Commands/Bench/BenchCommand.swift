import Foundation

/// `ottt bench NAME`: measurements that are not tests (decode rates, binning rate, training speed, latency).
/// Every benchmark is listed once, in `BenchCommand.benchmarks`; each checks its own results before it times
/// anything (the measurements live in the Benchmarks module; these commands parse flags and print).
struct BenchCommand: Command {
    static let name = "bench"
    static let abstract = "Measure speed and memory (decode, binning, training, latency, soak)."
    static var usage: String {
        let lines = benchmarks.map { "  \($0.name.padding(12))\($0.abstract)" }
        return """
        usage: ottt bench NAME [OPTIONS]      ottt bench NAME --help

        Benchmarks:
        \(lines.joined(separator: "\n"))

        Figures go to stdout (add --json for one JSON object per figure); progress to stderr.

        Example:
          ottt bench decode --events 5000000
        """
    }

    /// Every benchmark, in the order `ottt bench --help` lists them. A benchmark is a `Command` whose name is the
    /// word after `ottt bench`.
    static var benchmarks: [any Command.Type] { [
        BenchBinCommand.self,
        BenchLatencyCommand.self,
        BenchSoakCommand.self,
        BenchCacheCommand.self,
        BenchDecodeCommand.self,
        BenchSynthCommand.self,
        BenchUSBDecodeCommand.self,
        BenchTrainCommand.self,
        BenchGemmCommand.self,
        BenchRulesCommand.self,
        BenchGradientsCommand.self,
        BenchLearnCommand.self,
        BenchScaleCommand.self,
    ] }

    let benchmark: any Command

    /// `ottt bench NAME --help` shows that benchmark's usage; `ottt bench --help` the list.
    static func help(for arguments: Arguments) -> String {
        var a = arguments
        guard let name = a.positional(), let type = benchmarks.first(where: { $0.name == name }) else { return usage }
        return type.usage
    }

    init(arguments: Arguments) throws {
        var a = arguments
        let name = try a.positional("a benchmark name")
        guard let type = BenchCommand.benchmarks.first(where: { $0.name == name }) else {
            throw UsageError("no benchmark '\(name)'")
        }
        benchmark = try type.init(arguments: a)
    }

    func run() throws { try benchmark.run() }
}

/// How the bench commands print a figure: one JSON object per line (`--json`), or the figure's line.
enum BenchOutput {
    /// One JSON object on one line, keys sorted.
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf",
                                                                      nan: "nan")
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Prints `value` as JSON or `line`, and pushes it out now (a pipe or log sees it before the next figure).
    static func print<T: Encodable>(_ value: T, json: Bool, line: @autoclosure () -> String) throws {
        Swift.print(json ? try BenchOutput.json(value) : line())
        fflush(nil)
    }
}

extension String {
    /// Pads with spaces to at least `width` characters (for aligned help columns).
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
