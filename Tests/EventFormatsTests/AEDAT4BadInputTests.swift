import DVSEvents
import EventFormats
import Foundation
import Testing
import TestSupport

/// Broken AEDAT 4 files, made by damaging files our writer produced.
@Suite("AEDAT 4.0 bad input: typed errors or counted skips, never a crash")
final class AEDAT4BadInputTests {
    let dir: URL

    init() throws { dir = try SharedMaterial.temporaryDirectory() }
    deinit { try? FileManager.default.removeItem(at: dir) }

    /// A small valid file's bytes and its packet index.
    func validFile(_ compression: WriteOptions.Compression, sensor: SensorSize = .dvs128) throws -> ([UInt8], [AEDAT4PacketIndex]) {
        let path = dir.appendingPathComponent("valid-\(compression.rawValue).aedat4").path
        var options = WriteOptions()
        options.compression = compression
        options.eventsPerPacket = 500
        try write(syntheticEvents(count: 2000, sensor: sensor), with: AEDAT4Writer(path: path, sensor: sensor, options: options))
        let table = try #require(try AEDAT4Reader(path: path).dataTable())
        return (Array(try Data(contentsOf: URL(fileURLWithPath: path))), table)
    }

    func save(_ bytes: [UInt8], _ name: String = "bad.aedat4") throws -> String {
        let path = dir.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func readError(_ path: String) -> EventFormatError? {
        #expect(throws: EventFormatError.self) { _ = try AEDAT4Reader(path: path).readAll() }
    }

    func patch32(_ bytes: inout [UInt8], at: Int, _ v: UInt32) {
        for i in 0..<4 { bytes[at + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(i))) }
    }

    @Test("wrong magic")
    func wrongMagic() throws {
        var (bytes, _) = try validFile(.none)
        bytes[10] = UInt8(ascii: "3")
        let error = readError(try save(bytes))
        #expect(error?.kind == .badMagic)
        #expect(error?.offset == 0)
    }

    @Test("garbage and empty files")
    func garbage() throws {
        #expect(readError(try save(Array("not an event file at all, just text".utf8)))?.kind == .badMagic)
        #expect(readError(try save([]))?.kind == .truncated)
    }

    @Test("an IOHeader size beyond the file is refused before allocating")
    func hugeHeaderSize() throws {
        var (bytes, _) = try validFile(.none)
        patch32(&bytes, at: 14, 0xFFFF_FFF0)
        let error = readError(try save(bytes))
        #expect(error?.kind == .badHeader)
        #expect(error?.offset == 14)
    }

    @Test("a file cut inside a packet names the packet's offset", arguments: [WriteOptions.Compression.none, .lz4, .zstd])
    func truncated(compression: WriteOptions.Compression) throws {
        let (bytes, table) = try validFile(compression)
        let cut = Array(bytes.prefix(Int(table[2].byteOffset) + 10))
        let error = readError(try save(cut))
        #expect(error?.kind == .truncated)
        #expect(error?.offset == table[2].byteOffset)
        #expect(error.map { "\($0)".contains("bad.aedat4") } == true)
    }

    @Test("a broken compression frame is a badCompression error at the packet", arguments: [WriteOptions.Compression.lz4, .zstd])
    func brokenFrame(compression: WriteOptions.Compression) throws {
        var (bytes, table) = try validFile(compression)
        let body = Int(table[1].byteOffset)
        for i in 12..<Int(table[1].size) - 4 { bytes[body + i] ^= 0x5C }
        let error = readError(try save(bytes))
        #expect(error?.kind == .badCompression || error?.kind == .badPacket)
        #expect(error?.offset == table[1].byteOffset || error?.offset == table[1].byteOffset - 8)
        // A frame with the wrong magic.
        var (again, _) = try validFile(compression)
        again[body] ^= 0xFF
        #expect(readError(try save(again, "magic.aedat4"))?.kind == .badCompression)
    }

    @Test("an undeclared stream id names the declared ones")
    func undeclaredStream() throws {
        var (bytes, table) = try validFile(.none)
        patch32(&bytes, at: Int(table[1].byteOffset) - 8, 7)
        let error = readError(try save(bytes))
        #expect(error?.kind == .badPacket)
        #expect(error?.offset == table[1].byteOffset - 8)
        #expect(error?.expected.contains("declared: 0") == true)
        #expect(error?.found == "7")
    }

    @Test("a packet size beyond the cap or the file is refused before allocating")
    func hugePacketSize() throws {
        var (bytes, table) = try validFile(.none)
        patch32(&bytes, at: Int(table[0].byteOffset) - 4, 0x7FFF_FFFF)
        #expect(readError(try save(bytes))?.kind == .badPacket)
        var (other, _) = try validFile(.none)
        patch32(&other, at: Int(table[0].byteOffset) - 4, 0x0100_0000)
        #expect(readError(try save(other, "b.aedat4"))?.kind == .truncated)
    }

    @Test("events outside the declared sensor and going back in time are skipped and counted")
    func badEventsCounted() throws {
        var (bytes, table) = try validFile(.none)
        // Event 3 of packet 0 goes back in time; event 5 leaves the 128×128 sensor.
        let events = Int(table[0].byteOffset) + 32
        for i in 0..<8 { bytes[events + 3 * 16 + i] = 0 }
        bytes[events + 5 * 16 + 8] = 200
        let reader = try AEDAT4Reader(path: try save(bytes))
        #expect(try reader.readAll().count == 1998)
        #expect(reader.warnings.contains { $0.message.contains("backwards") && $0.count == 1 })
        #expect(reader.warnings.contains { $0.message.contains("outside") && $0.count == 1 })
    }

    @Test("every truncation and many single-byte corruptions end in data or a typed error", arguments: [WriteOptions.Compression.none, .lz4, .zstd])
    func neverCrashes(compression: WriteOptions.Compression) throws {
        let (bytes, _) = try validFile(compression)
        for cut in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 150)) {
            let path = try save(Array(bytes.prefix(cut)), "cut.aedat4")
            do { _ = try AEDAT4Reader(path: path).readAll() } catch is EventFormatError {}
        }
        var state: UInt64 = 42
        for _ in 0..<200 {
            var damaged = bytes
            state = state &* 6_364_136_223_846_793_005 &+ 1
            let at = Int((state >> 33) % UInt64(bytes.count))
            damaged[at] ^= UInt8(truncatingIfNeeded: (state >> 20) | 1)
            let path = try save(damaged, "flip.aedat4")
            do {
                let reader = try AEDAT4Reader(path: path)
                _ = try reader.readAll()
                _ = try? reader.dataTable()
            } catch is EventFormatError {}
        }
    }
}
