import DVSEvents
import EventFormats
import Foundation
import Testing
import TestSupport

@Suite("AEDAT 1.0/2.0 bad input and the DAVIS layout")
final class AEDAT2BadInputTests {
    let dir: URL

    init() throws { dir = try SharedMaterial.temporaryDirectory() }
    deinit { try? FileManager.default.removeItem(at: dir) }

    func save(_ bytes: [UInt8], _ name: String = "bad.aedat") throws -> String {
        let path = dir.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func records(_ r: [(UInt32, UInt32)]) -> [UInt8] {
        var out: [UInt8] = []
        for (a, t) in r {
            withUnsafeBytes(of: a.bigEndian) { out.append(contentsOf: $0) }
            withUnsafeBytes(of: t.bigEndian) { out.append(contentsOf: $0) }
        }
        return out
    }

    @Test("a file cut inside a record keeps the whole records and warns about the tail")
    func truncatedRecord() throws {
        let bytes = Array("#!AER-DAT2.0\r\n".utf8) + records([(2, 10), (4, 20)]).dropLast(3)
        let reader = try AEDAT2Reader(path: try save(bytes))
        #expect(try reader.readAll().count == 1)
        #expect(reader.warnings.contains { $0.message.contains("5 trailing bytes") })
    }

    @Test("an unknown version line is a header error")
    func wrongVersion() throws {
        let error = #expect(throws: EventFormatError.self) {
            _ = try AEDAT2Reader(path: try save(Array("#!AER-DAT9.0\r\n".utf8) + records([(0, 1)])))
        }
        #expect(error?.kind == .badHeader)
        #expect(error?.offset == 0)
    }

    @Test("AEDAT 1.0: 6-byte records, no version line")
    func version1() throws {
        var bytes = Array("# some jAER 1.0 file\n".utf8)
        for (a, t) in [(UInt16(0x0102), UInt32(5)), (UInt16(0x0304), UInt32(9))] {
            withUnsafeBytes(of: a.bigEndian) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: t.bigEndian) { bytes.append(contentsOf: $0) }
        }
        var options = ReadOptions()
        options.dvs128Convention = .raw
        let reader = try #require(try EventFile.open(path: try save(bytes, "old.aedat"), options: options) as? AEDAT2Reader)
        #expect(reader.format == .aedat1)
        #expect(try DecodedColumns(reading: reader) == DecodedColumns(t: [5, 9], x: [1, 2], y: [1, 3], p: [0, 0]))
    }

    @Test("DAVIS layout from the chip name: DVS kept, APS/IMU/external skipped and counted, a 0x23 first byte is data")
    func davis() throws {
        func dvs(x: UInt32, y: UInt32, on: Bool) -> UInt32 { y << 22 | x << 12 | (on ? 1 << 11 : 0) }
        let data = records([
            (dvs(x: 140, y: 0x8C, on: true), 1),  // y = 0x8C puts 0x23 in the top byte
            (1 << 31 | 1 << 10, 2),               // APS signal read
            (1 << 31 | 3 << 10, 3),               // IMU
            (dvs(x: 5, y: 6, on: false) | 1 << 10, 4),  // external
            (dvs(x: 345, y: 259, on: false), 5),
            (dvs(x: 400, y: 1, on: true), 6),     // outside 346×260
        ])
        #expect(data[0] == 0x23)
        let header = Array("#!AER-DAT2.0\r\n# AEChip: eu.seebetter.ini.chips.davis.Davis346red\r\n".utf8)
        let reader = try AEDAT2Reader(path: try save(header + data))
        #expect(reader.info.sensor == .davis346)
        #expect(reader.info["address layout"] == "davis")
        #expect(try DecodedColumns(reading: reader) == DecodedColumns(t: [1, 5], x: [140, 345], y: [0x8C, 259], p: [1, 0]))
        for word in ["APS", "IMU", "special", "outside"] {
            #expect(reader.warnings.contains { $0.message.contains(word) && $0.count == 1 }, "\(word)")
        }
    }

    @Test("every truncation and byte flip of a real file ends in data or a typed error", .enabled(if: SharedMaterial.isAvailable, SharedMaterial.skipReason))
    func neverCrashes() throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: SharedMaterial.recording("dvs128_alex_walking_again.aedat"))).prefix(8000))
        var state: UInt64 = 7
        for i in 0..<120 {
            var damaged = Array(bytes.prefix(i * bytes.count / 120))
            state = state &* 6_364_136_223_846_793_005 &+ 1
            if !damaged.isEmpty { damaged[Int((state >> 33) % UInt64(damaged.count))] ^= 0x23 }
            for layout in AEDAT2Layout.allCases {
                var options = ReadOptions()
                options.aedat2Layout = layout
                do { _ = try AEDAT2Reader(path: try save(damaged, "f.aedat"), options: options).readAll() } catch is EventFormatError {}
            }
        }
    }
}
