import DVSEvents
@testable import EventFormats
import Foundation
import TestSupport

/// Reading the shared fixtures' companions: `.summary.json`, `.first1000.csv` and the `written/` event lists.
enum Fixture {
    /// Rows of a `t,x,y,p` CSV file written by the fixture tools (header first), parsed independently of our
    /// CSV reader.
    static func events(csv path: String) throws -> [Event] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        precondition(bytes.starts(with: Array("t,x,y,p\n".utf8)), "\(path) does not start with t,x,y,p")
        var events: [Event] = []
        var fields: [Int64] = []
        var value: Int64 = 0
        for b in bytes.dropFirst(8) {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value * 10 + Int64(b - 48)
            case UInt8(ascii: ","): fields.append(value); value = 0
            case UInt8(ascii: "\n"):
                fields.append(value)
                events.append(Event(t: fields[0], x: UInt16(fields[1]), y: UInt16(fields[2]), on: fields[3] == 1))
                fields.removeAll(keepingCapacity: true)
                value = 0
            default: preconditionFailure("unexpected byte \(b) in \(path)")
            }
        }
        return events
    }

    /// Decodes a whole file through `EventFile.open` in deliberately odd-sized chunks, so that records and vector
    /// words straddle chunk ends.
    static func decode(_ path: String, format: EventFileFormat? = nil, chunkSize: Int = 4093,
                       sensor: SensorSize? = nil) throws -> (EventBuffer, any EventFileReader) {
        var options = ReadOptions()
        options.chunkSize = chunkSize
        options.sensor = sensor
        let reader = try EventFile.open(path: path, format: format, options: options)
        return (try reader.readAll(), reader)
    }

    /// The columns of `b` in the fixtures' shape (statistics and digests).
    static func columns(_ b: EventBuffer) -> DecodedColumns {
        DecodedColumns(t: Array(b.t), x: b.x.map(Int64.init), y: b.y.map(Int64.init), p: b.p.map(Int64.init))
    }

    /// A fresh path in a temporary directory.
    static func temporaryFile(_ name: String) throws -> String {
        try SharedMaterial.temporaryDirectory().appendingPathComponent(name).path
    }

    /// Writes `bytes` to a fresh temporary file and returns its path.
    static func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = try temporaryFile(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}
