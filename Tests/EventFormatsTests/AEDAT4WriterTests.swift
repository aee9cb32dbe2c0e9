import DVSEvents
@testable import EventFormats
import InputLimits
import Foundation
import Testing
import TestSupport

@Suite("AEDAT 4.0 writer")
struct AEDAT4WriterTests {
    @Test("round-trips exactly with every compression", arguments: WriteOptions.Compression.allCases)
    func roundTrip(compression: WriteOptions.Compression) throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("x.aedat4").path
        let sensor = SensorSize(width: 346, height: 260)
        let events = syntheticEvents(count: 10_007, sensor: sensor)
        var options = WriteOptions()
        options.compression = compression
        options.eventsPerPacket = 1000
        try write(events, with: EventFile.create(path: path, format: .aedat4, sensor: sensor, options: options), chunk: 777)

        let reader = try #require(try EventFile.open(path: path) as? AEDAT4Reader)
        #expect(reader.info.sensor == sensor)
        #expect(reader.compression == AEDAT4Compression(rawValue: Int32(WriteOptions.Compression.allCases.firstIndex(of: compression)!)))
        #expect(try DecodedColumns(reading: reader).firstDifference(from: DecodedColumns(events)) == nil)
        #expect(reader.warnings.isEmpty)
        let table = try #require(try reader.dataTable())
        #expect(table.count == 11)
        #expect(table.map(\.elements).reduce(0, +) == 10_007)
        #expect(table.first?.startT == events.first?.t)
        #expect(table.last?.endT == events.last?.t)
    }

    @Test("a recording longer than the index limit is written without a data table, every event still read",
          arguments: [(100, true), (12, true), (11, false)])
    func indexLimit(_ limit: Int, indexed: Bool) throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("long.aedat4").path
        let events = syntheticEvents(count: 11_500, sensor: .dvs128)   // 12 packets of 1000 (the last one short)
        var options = WriteOptions()
        options.eventsPerPacket = 1000
        options.indexLimit = limit
        let writer = try AEDAT4Writer(path: path, sensor: .dvs128, options: options)
        try write(events, with: writer, chunk: 999)
        #expect(writer.isIndexed == indexed)
        let reader = try AEDAT4Reader(path: path)
        #expect(try DecodedColumns(reading: reader).firstDifference(from: DecodedColumns(events)) == nil)
        if indexed {
            #expect(try reader.dataTable()?.count == 12)
        } else {
            #expect(try reader.dataTable() == nil)
            #expect(reader.dataTablePosition == nil)
        }
    }

    @Test("packets larger than the reader's input window are read too, on one thread and with read-ahead",
          arguments: [(WriteOptions.Compression.none, 300_000), (.lz4, 150_000), (.zstd, 150_000)])
    func largePackets(_ compression: WriteOptions.Compression, perPacket: Int) throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("big.aedat4").path
        let events = syntheticEvents(count: perPacket + 1000, sensor: .dvs128)
        var options = WriteOptions()
        options.compression = compression
        options.eventsPerPacket = perPacket  // plain: 4.8 MB, beyond the 4 MiB window; compressed: beyond 512 KiB
        let writer = try AEDAT4Writer(path: path, sensor: .dvs128, options: options)
        try writer.write(EventBuffer(events))
        try writer.finish()
        let first = try #require(try AEDAT4Reader(path: path).dataTable()?.first)
        #expect(Int(first.size) > AEDAT4PacketScanner.window(for: AEDAT4Compression(compression)))
        for readAhead in [false, true] {
            var read = ReadOptions()
            read.readAhead = readAhead
            let decoded = try DecodedColumns(reading: AEDAT4Reader(path: path, options: read))
            #expect(decoded.firstDifference(from: DecodedColumns(events)) == nil, "read-ahead: \(readAhead)")
        }
    }

    @Test("packets are laid out as dv-processing lays them out", .enabled(if: SharedMaterial.isAvailable, SharedMaterial.skipReason))
    func sameBytesAsDVProcessing() throws {
        // dvproc_none.aedat4's first packet holds 2000 events (its data table says so); our writer with the
        // same packet size must produce the same bytes for it.
        let theirs = SharedMaterial.recording("written/dvproc_none.aedat4")
        let events = try DecodedColumns(reading: AEDAT4Reader(path: theirs))
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ours = dir.appendingPathComponent("ours.aedat4").path
        var options = WriteOptions()
        options.compression = .none
        let table = try #require(try AEDAT4Reader(path: theirs).dataTable())
        options.eventsPerPacket = Int(table[0].elements)
        let buffer = EventBuffer()
        for i in 0..<events.count {
            buffer.append(t: events.t[i], x: UInt16(events.x[i]), y: UInt16(events.y[i]), p: UInt8(events.p[i]))
        }
        let writer = try EventFile.create(path: ours, format: .aedat4, sensor: .dvs128, options: options)
        try writer.write(buffer)
        try writer.finish()
        let ourTable = try #require(try AEDAT4Reader(path: ours).dataTable())
        let theirBytes = try Data(contentsOf: URL(fileURLWithPath: theirs))
        let ourBytes = try Data(contentsOf: URL(fileURLWithPath: ours))
        for (a, b) in zip(ourTable.prefix(1), table.prefix(1)) {
            #expect(a.size == b.size)
            let mine = ourBytes[Int(a.byteOffset)..<Int(a.byteOffset) + Int(a.size)]
            let theirsPacket = theirBytes[Int(b.byteOffset)..<Int(b.byteOffset) + Int(b.size)]
            #expect(mine.elementsEqual(theirsPacket))
        }
    }

    @Test("rejects events outside the sensor and time going backwards")
    func rejectsBadEvents() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("bad.aedat4").path
        let writer = try EventFile.create(path: path, format: .aedat4, sensor: .dvs128)
        #expect(throws: EventFormatError.self) {
            try writer.write(EventBuffer([Event(t: 5, x: 128, y: 0, on: true)]))
        }
        try writer.write(EventBuffer([Event(t: 10, x: 1, y: 1, on: true)]))
        let error = #expect(throws: EventFormatError.self) {
            try writer.write(EventBuffer([Event(t: 9, x: 1, y: 1, on: true)]))
        }
        #expect(error?.kind == .timeBackwards)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("written as it goes: a quiet stream's events reach the disk at the next tick after the interval, fsynced at most once an interval (#5)")
    func quietRecording() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("rec.aedat4").path
        let clock = TestClock()
        let syncs = CallLog<FileSync.Target>()
        var options = WriteOptions()
        options.flushInterval = 1
        let events = syntheticEvents(count: 20, sensor: .dvs128)             // a few events, far from a full packet
        func onDisk() throws -> Int { try EventFile.open(path: path).readAll().count }
        try FileSync.$observer.withValue(syncs.add) {
            let writer = try AEDAT4Writer(path: path, sensor: .dvs128, options: options, clock: { clock.time })
            try writer.write(EventBuffer(events))
            clock.time = 0.9
            try writer.write(EventBuffer())                                  // a tick before the interval: nothing yet
            #expect(try onDisk() == 0 && syncs.calls.files.isEmpty)
            clock.time = 1.0
            try writer.write(EventBuffer())                                  // the camera is quiet: the tick flushes
            #expect(try onDisk() == events.count)
            #expect(syncs.calls.files == [path])
            clock.time = 2.5
            try writer.write(EventBuffer())                                  // nothing new: no second fsync
            #expect(syncs.calls.files == [path])
            try writer.finish()
            #expect(syncs.calls.files == [path, path])
        }
        #expect(try EventFile.open(path: path).readAll().events == events)
    }
}

/// A clock the test sets by hand.
final class TestClock: @unchecked Sendable {
    var time = 0.0
}

extension [FileSync.Target] {
    /// The files synced, in order.
    var files: [String] { compactMap { if case .file(let p) = $0 { p } else { nil } } }
}
