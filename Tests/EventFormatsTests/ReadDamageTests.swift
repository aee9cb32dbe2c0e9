import DVSEvents
import EventFormats
import Foundation
import Testing
import TestSupport

/// Damaged AEDAT 4.0 and 3.1 files (cut inside a packet, as a crashed recording ends, or with a broken frame):
/// every event before the damage is delivered, then the error; with `stopAtDamage` reading ends cleanly there.
@Suite("Reading up to the damage: no good event lost before a truncated or corrupt packet")
final class ReadDamageTests {
    let dir: URL

    init() throws { dir = try SharedMaterial.temporaryDirectory() }
    deinit { try? FileManager.default.removeItem(at: dir) }

    static let events = syntheticEvents(count: 2000, sensor: .dvs128)

    /// A 4-packet file (500 events each) and its packet index.
    func aedat4(_ compression: WriteOptions.Compression) throws -> ([UInt8], [AEDAT4PacketIndex]) {
        let path = dir.appendingPathComponent("whole-\(compression.rawValue).aedat4").path
        var options = WriteOptions()
        options.compression = compression
        options.eventsPerPacket = 500
        try write(Self.events, with: AEDAT4Writer(path: path, sensor: .dvs128, options: options))
        let table = try #require(try AEDAT4Reader(path: path).dataTable())
        return (Array(try Data(contentsOf: URL(fileURLWithPath: path))), table)
    }

    func save(_ bytes: [UInt8], _ name: String) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Reads chunk by chunk (as `info` and `convert` do) until the end or an error; returns what was delivered.
    func readUntilError(_ reader: some EventSource) -> (events: [Event], error: EventFormatError?) {
        let chunk = EventBuffer()
        var out: [Event] = []
        do {
            while try reader.read(into: chunk) { out += chunk.events }
        } catch let error as EventFormatError {
            return (out, error)
        } catch {
            Issue.record("unexpected error \(error)")
        }
        return (out, nil)
    }

    func options(stop: Bool, readAhead: Bool) -> ReadOptions {
        var o = ReadOptions()
        o.stopAtDamage = stop
        o.readAhead = readAhead
        return o
    }

    static let cases: [(WriteOptions.Compression, Bool)] = [
        (.none, false), (.lz4, false), (.zstd, false), (.none, true), (.lz4, true), (.zstd, true),
    ]

    @Test("AEDAT 4 cut inside packet 3: packets 1–2 delivered, then the truncation error", arguments: cases)
    func aedat4Truncated(compression: WriteOptions.Compression, readAhead: Bool) throws {
        let (bytes, table) = try aedat4(compression)
        let path = try save(Array(bytes.prefix(Int(table[2].byteOffset) + 10)), "cut.aedat4")
        let (events, error) = readUntilError(try AEDAT4Reader(path: path, options: options(stop: false, readAhead: readAhead)))
        #expect(events == Array(Self.events.prefix(1000)))
        #expect(error?.kind == .truncated)
        #expect(error?.offset == table[2].byteOffset)
        #expect(error?.file == path)
    }

    @Test("AEDAT 4 cut inside packet 3 with stopAtDamage: packets 1–2, then a clean end saying what was left",
          arguments: cases)
    func aedat4StopAtDamage(compression: WriteOptions.Compression, readAhead: Bool) throws {
        let (bytes, table) = try aedat4(compression)
        let cut = Array(bytes.prefix(Int(table[2].byteOffset) + 10))
        let reader = try AEDAT4Reader(path: try save(cut, "cut.aedat4"), options: options(stop: true, readAhead: readAhead))
        let (events, error) = readUntilError(reader)
        #expect(error == nil)
        #expect(events == Array(Self.events.prefix(1000)))
        let damage = try #require(reader.damage)
        #expect(damage.error.kind == .truncated)
        #expect(damage.offset == table[2].byteOffset - 8)
        #expect(damage.bytesIgnored == Int64(cut.count) - damage.offset)
        #expect(reader.warnings.contains { $0.message.contains("stopped at damage") })
        #expect(try !reader.read(into: EventBuffer()))
    }

    @Test("AEDAT 4 with a broken frame in packet 3: packets 1–2 delivered, then badCompression at the packet",
          arguments: [(WriteOptions.Compression.lz4, false), (.zstd, false), (.lz4, true), (.zstd, true)])
    func aedat4Corrupt(compression: WriteOptions.Compression, readAhead: Bool) throws {
        var (bytes, table) = try aedat4(compression)
        bytes[Int(table[2].byteOffset)] ^= 0xFF  // the frame's magic number
        let path = try save(bytes, "corrupt.aedat4")
        let (events, error) = readUntilError(try AEDAT4Reader(path: path, options: options(stop: false, readAhead: readAhead)))
        #expect(events == Array(Self.events.prefix(1000)))
        #expect(error?.kind == .badCompression)
        #expect(error?.offset == table[2].byteOffset)
        let stopping = try AEDAT4Reader(path: path, options: options(stop: true, readAhead: readAhead))
        #expect(readUntilError(stopping).events.count == 1000)
        #expect(stopping.damage?.offset == table[2].byteOffset - 8)
    }

    @Test("an undamaged file reads whole with stopAtDamage and reports no damage")
    func undamaged() throws {
        let (bytes, _) = try aedat4(.lz4)
        let reader = try AEDAT4Reader(path: try save(bytes, "whole.aedat4"), options: options(stop: true, readAhead: true))
        #expect(readUntilError(reader).events == Self.events)
        #expect(reader.damage == nil)
    }

    /// Two AEDAT 3.1 polarity packets (3 and 4 events), the second cut after `keep` whole events and 3 bytes.
    func aedat3(keep: Int) throws -> (path: String, cutAt: Int64, events: [Event]) {
        var b = AEDAT3FileBuilder()
        b.polarity([(1, 1, true, true, 100), (2, 2, false, true, 110), (3, 3, true, true, 120)])
        b.polarity([(4, 4, true, true, 130), (5, 5, false, true, 140), (6, 6, true, true, 150), (7, 7, true, true, 160)])
        let whole = b.bytes.count
        b.bytes.removeLast(8 * (4 - keep) - 3)
        let cutAt = Int64(whole - 8 * (4 - keep))
        let all = [ev(100, 1, 1, 1), ev(110, 2, 2, 0), ev(120, 3, 3, 1), ev(130, 4, 4, 1), ev(140, 5, 5, 0),
                   ev(150, 6, 6, 1), ev(160, 7, 7, 1)]
        return (try b.write(to: dir), cutAt, Array(all.prefix(3 + keep)))
    }

    @Test("AEDAT 3.1 cut inside a packet: every complete event before the cut, then the truncation error")
    func aedat3Truncated() throws {
        let (path, _, expected) = try aedat3(keep: 2)
        var o = ReadOptions()
        o.chunkSize = 1 << 16
        let (events, error) = readUntilError(try AEDAT3Reader(path: path, options: o))
        #expect(events == expected)
        #expect(error?.kind == .truncated)
    }

    @Test("AEDAT 3.1 cut inside a packet with stopAtDamage: the complete events, a clean end, the bytes left")
    func aedat3StopAtDamage() throws {
        let (path, cutAt, expected) = try aedat3(keep: 2)
        let reader = try AEDAT3Reader(path: path, options: options(stop: true, readAhead: false))
        let (events, error) = readUntilError(reader)
        #expect(error == nil)
        #expect(events == expected)
        let damage = try #require(reader.damage)
        #expect(damage.offset == cutAt)
        #expect(damage.bytesIgnored == 3)
    }
}
