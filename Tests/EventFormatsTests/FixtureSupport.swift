import DVSEvents
@testable import EventFormats
import Foundation
import TestSupport

/// Reading the shared fixtures' companions: `.summary.json`, `.first1000.csv` and the `written/` event lists.
enum Fixture {
    /// The summary of a recording, as JSON.
    static func summary(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: SharedMaterial.recording(name + ".summary.json")))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

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

    /// The statistics `decode_fixtures.py` computes (`stats`), for comparison with a summary.
    static func stats(_ b: EventBuffer) -> [String: Int64] {
        let t = Array(b.t)
        var decreases: Int64 = 0
        for i in 1..<max(1, t.count) where t[i] < t[i - 1] { decreases += 1 }
        let on = Int64(b.p.filter { $0 == 1 }.count)
        return [
            "events": Int64(b.count), "t_first": t.first!, "t_last": t.last!, "t_min": t.min()!, "t_max": t.max()!,
            "t_decreases": decreases,
            "x_min": Int64(b.x.min()!), "x_max": Int64(b.x.max()!), "y_min": Int64(b.y.min()!),
            "y_max": Int64(b.y.max()!), "p_on_count": on, "p_off_count": Int64(b.count) - on,
        ]
    }

    /// The fixtures' digests of the four columns.
    static func digests(_ b: EventBuffer) -> [String: String] {
        ["t": SHA256.columnDigest(b.t), "x": SHA256.columnDigest(b.x), "y": SHA256.columnDigest(b.y),
         "p": SHA256.columnDigest(b.p)]
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
