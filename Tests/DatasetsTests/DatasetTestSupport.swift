import Foundation
import DVSEvents
import EventFormats

/// Writes `events` to `path` in `format` with our writers.
func writeEvents(_ events: EventBuffer, to path: String, format: EventFileFormat = .aedat2,
                 sensor: SensorSize = .dvs128) throws {
    let writer = try EventFile.create(path: path, format: format, sensor: sensor)
    try writer.write(events)
    try writer.finish()
}

/// Reproducible time-sorted events on `sensor`.
func syntheticEvents(_ n: Int, sensor: SensorSize = .dvs128, seed: UInt64, start: Int64 = 1_000) -> EventBuffer {
    var state = seed
    let b = EventBuffer(capacity: max(1, n))
    var t = start
    for _ in 0..<n {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        let r = state >> 16
        t += Int64(r % 50)
        b.append(t: t, x: UInt16((r >> 8) % UInt64(sensor.width)), y: UInt16((r >> 20) % UInt64(sensor.height)),
                 p: UInt8((r >> 30) & 1))
    }
    return b
}

/// Creates an empty file (layout tests only list names).
func touch(_ path: String) {
    _ = FileManager.default.createFile(atPath: path, contents: Data())
}

func makeDirectory(_ path: String) throws {
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
}

/// Where two value arrays differ: nil when equal, else the count and the first index (keeps failures short).
func firstDifference(_ a: [Float], _ b: [Float]) -> String? {
    guard a.count == b.count else { return "\(a.count) values vs \(b.count)" }
    let diff = a.indices.filter { a[$0] != b[$0] }
    return diff.first.map { "\(diff.count) values differ, first at \($0): \(a[$0]) vs \(b[$0])" }
}

/// A minimal AEDAT 3.1 file as DVS128 Gesture ships them (we have no AEDAT 3.1 writer): the cAER header, then one
/// polarity packet (type 1, 8-byte events: valid bit 0, polarity bit 1, y bits 16–2, x bits 31–17, then an int32
/// timestamp). Timestamps must be below 2³¹ µs.
func writeAEDAT31(_ events: EventBuffer, to path: String) throws {
    var bytes = Array("#!AER-DAT3.1\r\n#Format: RAW\r\n#Source 0: DVS128\r\n#Start-Time: 2017-01-01\r\n#!END-HEADER\r\n".utf8)
    func le<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    let n = Int32(events.count)
    le(Int16(1)); le(Int16(0)); le(Int32(8)); le(Int32(4)); le(Int32(0)); le(n); le(n); le(n)
    for e in events.events {
        le(UInt32(e.x) << 17 | UInt32(e.y) << 2 | (e.on ? 2 : 0) | 1)
        le(Int32(e.t))
    }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}
