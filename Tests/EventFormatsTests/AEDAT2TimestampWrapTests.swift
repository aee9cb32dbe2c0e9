import DVSEvents
import EventFormats
import Foundation
import Testing
import TestSupport

@Suite("AEDAT 2.0 32-bit timestamps become 64-bit time")
struct AEDAT2TimestampWrapTests {
    /// An AEDAT 2.0 DVS128 file with these raw (address, timestamp) records.
    static func file(_ records: [(UInt32, UInt32)], in dir: URL, header: String = "#!AER-DAT2.0\r\n# AEChip: DVS128\r\n") throws -> String {
        var bytes = Array(header.utf8)
        for (a, t) in records {
            withUnsafeBytes(of: a.bigEndian) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: t.bigEndian) { bytes.append(contentsOf: $0) }
        }
        let path = dir.appendingPathComponent("w.aedat").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("a wrap of the 32-bit counter adds 2^32 µs, twice")
    func wrapsTwice() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try Self.file([(0, 0xFFFF_FF00), (0, 0xFFFF_FFFF), (0, 5), (0, 0x8000_0000), (0, 0xFFFF_FFF0), (0, 3)], in: dir)
        let reader = try AEDAT2Reader(path: path)
        let t = try DecodedColumns(reading: reader).t
        let wrap: Int64 = 1 << 32
        let expected: [Int64] = [0xFFFF_FF00, 0xFFFF_FFFF, wrap + 5, wrap + 0x8000_0000, wrap + 0xFFFF_FFF0, 2 * wrap + 3]
        #expect(t == expected)
        #expect(reader.warnings.contains { $0.message.contains("wraps") && $0.count == 2 })
    }

    @Test("writing times beyond 2^32 µs and reading them back gives the same 64-bit times")
    func writerAcrossWrap() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("x.aedat").path
        let events = syntheticEvents(count: 3000, sensor: .dvs128, start: (1 << 32) - 30_000, maxStep: 100)
        try write(events, with: AEDAT2Writer(path: path, sensor: .dvs128))
        let decoded = try DecodedColumns(reading: AEDAT2Reader(path: path))
        // The first event's time is known only modulo 2^32; differences are kept exactly.
        #expect(decoded.t.map { $0 - decoded.t[0] } == events.map { $0.t - events[0].t })
        #expect(decoded.t.last! >= 1 << 32)
    }

    @Test("a timestamp going backwards (not a wrap) is kept at its own time and counted; LF headers work too")
    func backwardsKept() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try Self.file([(0, 100), (0, 200), (0, 150), (0, 160), (0, 300), (0x8000, 400)], in: dir,
                                 header: "#!AER-DAT2.0\n# AEChip: DVS128\n")
        let reader = try AEDAT2Reader(path: path)
        #expect(try DecodedColumns(reading: reader).t == [100, 200, 150, 160, 300])   // every record, as OTTT's loader
        #expect(reader.warnings.contains { $0.message.contains("backwards") && $0.message.contains("kept") && $0.count == 1 })
        #expect(reader.warnings.contains { $0.message.contains("special") && $0.count == 1 })
        #expect(reader.info["header"]?.contains("LF") == true)
    }

    @Test("with aedat2DropBackwards, records are skipped until time catches up, and counted")
    func backwardsDropped() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try Self.file([(0, 100), (0, 200), (0, 150), (0, 160), (0, 300)], in: dir,
                                 header: "#!AER-DAT2.0\n# AEChip: DVS128\n")
        var options = ReadOptions()
        options.aedat2DropBackwards = true
        let reader = try AEDAT2Reader(path: path, options: options)
        #expect(try DecodedColumns(reading: reader).t == [100, 200, 300])
        #expect(reader.warnings.contains { $0.message.contains("skipped") && $0.count == 2 })
    }
}
