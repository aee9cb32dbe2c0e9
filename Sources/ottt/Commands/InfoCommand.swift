import Foundation
import DVSEvents
import EventFormats

/// `ottt info FILE`: what a recording holds (format, sensor, streams, duration, events, rate, ON/OFF, warnings).
struct InfoCommand: Command {
    static let name = "info"
    static let abstract = "Describe a recording: format, sensor, streams, duration, events, rate, ON/OFF, warnings."
    static let usage = """
    usage: ottt info FILE [--format F] [--sensor WxH] [--time-unit U] [--convention C] [--drop-backwards] [--json]

    --format F       the file's format when sniffing cannot tell (\(EventFileFormat.allCases.map(\.rawValue).joined(separator: ", ")))
    \(Arguments.inputUsage)
    --convention C   DVS128 orientation/polarity of AEDAT 1/2 files: \(DVS128Convention.allCases.map(\.rawValue).joined(separator: ", ")) (default jaer)
    --json           one JSON object on stdout instead of aligned lines
    \(Arguments.stdinUsage)

    Example (after `ottt synth --task digits --samples 10 --stream --out data/stream`):
      ottt info data/stream/stream.aedat4
    """

    let path: String
    let format: EventFileFormat?
    let options: ReadOptions
    let json: Bool

    init(arguments: Arguments) throws {
        var a = arguments
        format = try a.eventFileFormat()
        options = try a.readOptions()
        json = a.flag("json")
        path = try a.positional("a FILE to describe")
        try a.finish()
    }

    /// Everything `info` shows, gathered by reading the whole file once.
    struct Report {
        var path: String
        var format: EventFileFormat
        var info: StreamInfo
        var statistics: EventStatistics
        var warnings: [EventFormatWarning]
    }

    func report() throws -> Report {
        let reader = try EventFile.open(path: path, format: format, options: options)
        var statistics = EventStatistics()
        let chunk = EventBuffer()
        while try reader.read(into: chunk) { statistics.add(chunk) }
        return Report(path: StandardStreams.name(ofInput: path), format: reader.format, info: reader.info, statistics: statistics,
                      warnings: reader.warnings)
    }

    func run() throws {
        let r = try report()
        print(json ? r.json : r.text)
    }
}

extension InfoCommand.Report {
    var text: String {
        let s = statistics
        var rows: [(String, String)] = [
            ("file", path), ("format", info.format),
            ("sensor", "\(info.sensor)" + (info["sensor source"]?.hasPrefix("inferred") == true ? " (inferred)" : "")),
        ]
        rows += info.properties.map { ($0.key, $0.value) }
        rows.append(("events", "\(s.events) (ON \(s.on), OFF \(s.off))"))
        if let first = s.firstT, let last = s.lastT {
            rows.append(("time", "\(first) … \(last) µs"))
            rows.append(("duration", String(format: "%.6f s", s.seconds)))
        }
        if let rate = s.rate { rows.append(("rate", String(format: "%.3f M events/s", rate / 1e6))) }
        rows.append(("warnings", warnings.isEmpty ? "none" : "\(warnings.count)"))
        let width = rows.map(\.0.count).max() ?? 0
        var lines = rows.map { $0.0.padding(width + 2) + $0.1 }
        lines += warnings.map { "  - \($0)" }
        return lines.joined(separator: "\n")
    }

    var json: String {
        let s = statistics
        var object: [String: Any] = [
            "file": path,
            "format": format.rawValue,
            "format_name": info.format,
            "sensor": ["width": info.sensor.width, "height": info.sensor.height],
            "properties": info.properties.map { ["key": $0.key, "value": $0.value] },
            "events": s.events, "on": s.on, "off": s.off,
            "duration_us": s.duration.map { $0 as Any } ?? s.seconds * 1e6,
            "warnings": warnings.map { w -> [String: Any] in
                var o: [String: Any] = ["message": w.message, "count": w.count]
                if let offset = w.offset { o["offset"] = offset }
                return o
            },
        ]
        if let first = s.firstT, let last = s.lastT {
            object["t_first_us"] = first
            object["t_last_us"] = last
        }
        if let rate = s.rate { object["events_per_s"] = rate }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
