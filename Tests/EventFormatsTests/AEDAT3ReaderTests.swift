import DVSEvents
import EventFormats
import Foundation
import Testing
import TestSupport

@Suite("AEDAT 3.1 reader on hand-built files")
struct AEDAT3ReaderTests {
    @Test("polarity packets: fields, valid bit, unused capacity, other packet types skipped and counted")
    func polarityAndSkips() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var b = AEDAT3FileBuilder()
        b.polarity([(0, 0, true, true, 10), (127, 5, false, true, 20), (3, 4, true, false, 25), (1, 127, false, true, 30)],
                   spare: 2)
        b.other(type: 2, size: 40, count: 3)
        b.other(type: 3, size: 36, count: 2)
        b.polarity([(9, 9, true, true, 40)])
        let reader = try #require(try EventFile.open(path: b.write(to: dir)) as? AEDAT3Reader)
        #expect(reader.info.sensor == .dvs128)
        #expect(reader.info["source"] == "DVS128")
        let decoded = try DecodedColumns(reading: reader)
        #expect(decoded == DecodedColumns(t: [10, 20, 30, 40], x: [0, 127, 1, 9], y: [0, 5, 127, 9], p: [1, 0, 0, 1]))
        let w = reader.warnings
        #expect(w.contains { $0.message.contains("invalid") && $0.count == 1 })
        #expect(w.contains { $0.message == "frame events skipped" && $0.count == 3 })
        #expect(w.contains { $0.message == "IMU6 events skipped" && $0.count == 2 })
    }

    @Test("timestamp overflow counters give 64-bit time; a reset continues from the last event")
    func overflowAndReset() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var b = AEDAT3FileBuilder()
        b.polarity([(1, 1, true, true, Int32.max - 5)])
        b.special(kind: 0)
        b.polarity([(2, 2, true, true, 7)], overflow: 1)
        b.special(kind: 1)
        b.polarity([(3, 3, false, true, 4)])
        let reader = try AEDAT3Reader(path: b.write(to: dir))
        let t = try DecodedColumns(reading: reader).t
        let afterWrap: Int64 = (1 << 31) | 7
        #expect(t == [Int64(Int32.max - 5), afterWrap, afterWrap + 4])
        #expect(reader.warnings.contains { $0.message.contains("reset") })
    }

    @Test("events outside the sensor and going backwards are skipped and counted")
    func badEventsCounted() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var b = AEDAT3FileBuilder()
        b.polarity([(1, 1, true, true, 100), (200, 1, true, true, 110), (2, 2, true, true, 90), (3, 3, true, true, 120)])
        let reader = try AEDAT3Reader(path: b.write(to: dir))
        #expect(try DecodedColumns(reading: reader).t == [100, 120])
        #expect(reader.warnings.contains { $0.message.contains("outside") && $0.count == 1 })
        #expect(reader.warnings.contains { $0.message.contains("backwards") && $0.count == 1 })
    }

    @Test("a packet header claiming more than the file holds is a truncation error naming the offset")
    func truncatedPayload() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var b = AEDAT3FileBuilder()
        let headerEnd = b.bytes.count
        b.polarity([(1, 1, true, true, 100), (2, 2, true, true, 110)])
        b.bytes.removeLast(5)
        let reader = try AEDAT3Reader(path: b.write(to: dir))
        let error = #expect(throws: EventFormatError.self) { _ = try reader.readAll() }
        #expect(error?.kind == .truncated)
        #expect(error?.offset == Int64(headerEnd + 28))
    }
}
