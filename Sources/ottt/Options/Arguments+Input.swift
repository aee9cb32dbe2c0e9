import Foundation
import DVSEvents
import EventFormats

/// How every command that reads a recording opens it (`info`, `convert`, `frames`, `replay`): `--format`,
/// `--sensor`, `--time-unit` and `--convention`, parsed here once; `-` as the path reads stdin.
extension Arguments {
    /// The help lines of `--sensor`, `--time-unit` and `--drop-backwards`, shown by each command that reads a recording.
    static let inputUsage = """
    --sensor WxH     the sensor of a file that does not state it (CSV; EVT without geometry), e.g. 346x260
                     (default: the file's, else inferred from the events: max x+1 × max y+1 rounded up to
                     DVS128, DAVIS240, DAVIS346, 640×480 or 1280×720 when one holds them)
    --time-unit U    the unit of a CSV file's time column: \(TimeUnit.allCases.map(\.rawValue).joined(separator: ", ")) (default us; ms and s take decimals)
    --drop-backwards AEDAT 1/2: drop records whose time goes backwards (not a 32-bit wrap) until time catches up,
                     so the stream stays in order; by default they are kept at their own times, as OTTT's loader
                     keeps every record. Either way `info` counts them in its warnings
    """

    /// The help line of a recording read from stdin.
    static let stdinUsage = """
    A file named - is stdin: CSV (t,x,y,p) or a format read front to back (\(EventFileFormat.allCases.filter(\.streamsThroughPipes).map(\.rawValue).joined(separator: ", "))),
    sniffed from its first bytes or named with --format
    """

    /// `--format F`, checked against the known formats.
    mutating func eventFileFormat(_ name: String = "format") throws -> EventFileFormat? {
        try option(name).map { s in
            guard let f = EventFileFormat(rawValue: s) else {
                throw UsageError("--\(name): no format '\(s)' (\(EventFileFormat.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return f
        }
    }

    /// `--sensor`, `--time-unit`, `--drop-backwards` and `--convention C` (AEDAT 1/2 DVS128 files) for a whole recording.
    mutating func readOptions() throws -> ReadOptions {
        var options = ReadOptions()
        options.dvs128Convention = try option("convention", default: .jAER) { DVS128Convention(rawValue: $0) }
        options.sensor = try option("sensor").map { text in
            guard let size = Self.sensorSize(text) else {
                throw UsageError("--sensor: a size like 346x260 (width x height, 1 to 65535 each), not '\(text)'")
            }
            return size
        }
        options.timeUnit = try option("time-unit").map { text in
            guard let unit = TimeUnit(rawValue: text == "µs" ? "us" : text) else {
                throw UsageError("--time-unit: one of \(TimeUnit.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
            }
            return unit
        } ?? .microseconds
        options.aedat2DropBackwards = flag("drop-backwards")
        options.stopAtDamage = true  // a crashed recording is read up to its damage; the warnings say where
        options.readAhead = true  // a whole recording on one reader: decompress on two cores
        return options
    }

    /// `346x260` or `346×260` as a sensor size; nil when it is not one.
    static func sensorSize(_ text: String) -> SensorSize? {
        let parts = text.lowercased().replacingOccurrences(of: "×", with: "x")
            .split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 2, let w = parts[0], let h = parts[1], (1...65_535).contains(w), (1...65_535).contains(h)
        else { return nil }
        return SensorSize(width: w, height: h)
    }
}
