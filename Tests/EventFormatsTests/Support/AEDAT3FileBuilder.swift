import Foundation

/// Builds AEDAT 3.1 files byte by byte for tests (cAER's layout, docs/FORMATS.md §1.2).
struct AEDAT3FileBuilder {
    var bytes: [UInt8]

    init(source: String = "DVS128", endLine: Bool = true) {
        var header = "#!AER-DAT3.1\r\n#Format: RAW\r\n#Source 1: \(source)\r\n#Start-Time: 2017-06-15 10:44:33 (TZ+0200)\r\n"
        if endLine { header += "#!END-HEADER\r\n" }
        bytes = Array(header.utf8)
    }

    private mutating func i16(_ v: Int16) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    private mutating func i32(_ v: Int32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    private mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }

    /// A packet header; `capacity` defaults to the number of events.
    mutating func header(type: Int16, size: Int32 = 8, overflow: Int32 = 0, number: Int32, capacity: Int32? = nil) {
        i16(type); i16(1); i32(size); i32(4); i32(overflow); i32(capacity ?? number); i32(number); i32(number)
    }

    /// A polarity packet: (x, y, on, valid, ts) per event, plus `spare` unused slots of capacity.
    mutating func polarity(_ events: [(x: UInt32, y: UInt32, on: Bool, valid: Bool, ts: Int32)], overflow: Int32 = 0, spare: Int = 0) {
        header(type: 1, overflow: overflow, number: Int32(events.count), capacity: Int32(events.count + spare))
        for e in events {
            u32(e.x << 17 | e.y << 2 | (e.on ? 2 : 0) | (e.valid ? 1 : 0))
            i32(e.ts)
        }
        bytes += [UInt8](repeating: 0xAB, count: 8 * spare)
    }

    /// A special-event packet with one event of `kind` (0 TIMESTAMP_WRAP, 1 TIMESTAMP_RESET).
    mutating func special(kind: UInt32, ts: Int32 = 0) {
        header(type: 0, number: 1)
        u32(kind << 1 | 1)
        i32(ts)
    }

    /// A packet of another type with `count` events of `size` bytes (frames, IMU).
    mutating func other(type: Int16, size: Int32, count: Int32) {
        header(type: type, size: size, number: count)
        bytes += [UInt8](repeating: 0x5A, count: Int(size) * Int(count))
    }

    func write(to dir: URL, name: String = "x.aedat") throws -> String {
        let path = dir.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}
