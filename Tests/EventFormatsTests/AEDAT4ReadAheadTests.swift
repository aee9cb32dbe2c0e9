import DVSEvents
import EventFormats
import Foundation
import Testing
import TestSupport

/// Reading AEDAT 4 with packets read ahead on a second thread and decompressed on both gives exactly what one
/// thread gives.
@Suite("AEDAT 4.0 read-ahead: the same events, seeks and ends as one thread")
final class AEDAT4ReadAheadTests {
    let dir: URL

    init() throws { dir = try SharedMaterial.temporaryDirectory() }
    deinit { try? FileManager.default.removeItem(at: dir) }

    static let events = syntheticEvents(count: 30_000, sensor: .dvs128)

    /// 30 packets of 1,000 events: many more than the read-ahead's slots.
    func file(_ compression: WriteOptions.Compression) throws -> String {
        let path = dir.appendingPathComponent("ahead-\(compression.rawValue).aedat4").path
        var options = WriteOptions()
        options.compression = compression
        options.eventsPerPacket = 1000
        try write(Self.events, with: AEDAT4Writer(path: path, sensor: .dvs128, options: options), chunk: 777)
        return path
    }

    func reader(_ path: String, readAhead: Bool, chunk: Int = 4093) throws -> AEDAT4Reader {
        var o = ReadOptions()
        o.readAhead = readAhead
        o.chunkSize = chunk
        return try AEDAT4Reader(path: path, options: o)
    }

    @Test("every event, in order, for each compression", arguments: [WriteOptions.Compression.none, .lz4, .zstd])
    func same(compression: WriteOptions.Compression) throws {
        let path = try file(compression)
        let ahead = try reader(path, readAhead: true)
        let got = try ahead.readAll()
        #expect(got.events == Self.events)
        #expect(ahead.bytesRead == (ahead.dataTablePosition ?? ahead.fileSize))
    }

    @Test("seeking by time while reading ahead lands where one thread lands", arguments: [WriteOptions.Compression.lz4, .zstd])
    func seek(compression: WriteOptions.Compression) throws {
        let path = try file(compression)
        let target = Self.events[17_500].t
        var results: [[Event]] = []
        for readAhead in [false, true] {
            let r = try reader(path, readAhead: readAhead, chunk: 1000)
            _ = try r.read(into: EventBuffer())  // the thread is running, packets ahead
            try r.seek(to: target)
            results.append(try r.readAll().events)
        }
        #expect(results[0] == results[1])
        #expect(results[1].first.map { $0.t >= target } == true)
        #expect(results[1].count == Self.events.filter { $0.t >= target }.count)
    }

    @Test("a broken frame, decompressed by the thread (odd packet) or by the caller (even): the packets before, then the error",
          arguments: [(WriteOptions.Compression.lz4, 1), (.lz4, 2), (.zstd, 1), (.zstd, 2), (.zstd, 7), (.zstd, 8)])
    func broken(compression: WriteOptions.Compression, packet: Int) throws {
        let whole = try file(compression)
        let table = try #require(try AEDAT4Reader(path: whole).dataTable())
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: whole)))
        bytes[Int(table[packet].byteOffset)] ^= 0xFF  // the frame's magic number
        let path = dir.appendingPathComponent("broken.aedat4").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let r = try reader(path, readAhead: true, chunk: 1000)
        let chunk = EventBuffer()
        var got: [Event] = []
        var failure: EventFormatError?
        do {
            while try r.read(into: chunk) { got += chunk.events }
        } catch let error as EventFormatError { failure = error }
        #expect(got == Array(Self.events.prefix(packet * 1000)))
        #expect(failure?.kind == .badCompression && failure?.offset == table[packet].byteOffset)
    }

    @Test("a reader dropped in the middle of the file stops its thread")
    func dropped() throws {
        let path = try file(.lz4)
        for _ in 0..<20 {
            let r = try reader(path, readAhead: true, chunk: 100)
            #expect(try r.read(into: EventBuffer()))
        }
    }
}
