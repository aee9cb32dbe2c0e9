import DVSEvents
import EventFormats
import Foundation
import Testing
import TestSupport
@testable import Pipeline

/// A source that counts its reads, so a test can see that the crop stops reading after its end.
private final class CountingSource: EventSource {
    let inner: ArraySource
    private(set) var reads = 0
    var info: StreamInfo { inner.info }
    init(_ inner: ArraySource) { self.inner = inner }
    func read(into buffer: EventBuffer) throws -> Bool { reads += 1; return try inner.read(into: buffer) }
}

@Suite("A source read through a crop (replay and live --from --until --area)")
struct CroppedEventSourceTests {
    /// Events every 1 ms from t = 7 s walking an 8×8 sensor, in chunks of 10.
    static let events: [Event] = (0..<200).map { (i: Int) -> Event in
        Event(t: 7_000_000 + Int64(i) * 1000, x: UInt16(i % 8), y: UInt16((i / 8) % 8), on: i % 3 == 0)
    }

    @Test("the area's sensor and the kept events, shifted, times as they were; the stream ends after --until without reading on")
    func crops() throws {
        let inner = CountingSource(ArraySource(Self.events, chunk: 10))
        let crop = try EventCrop(from: 20_000, until: 120_000, area: .init(x: 2, y: 1, width: 4, height: 5),
                                 sensor: inner.info.sensor)
        let source = CroppedEventSource.wrapping(inner, crop: crop)
        #expect(source.info.sensor == SensorSize(width: 4, height: 5))
        #expect(source.info["crop"] == "from 20000 µs until 120000 µs after the first event, area 2,1,4,5 of 8×8")
        let buffer = EventBuffer()
        var got: [Event] = []
        while try source.read(into: buffer) { got += buffer.events }
        let kept: [Event] = Self.events.filter { (e: Event) -> Bool in
            let inTime = e.t >= 7_020_000 && e.t < 7_120_000
            return inTime && e.x >= 2 && e.x < 6 && e.y >= 1 && e.y < 6
        }
        let expected: [Event] = kept.map { (e: Event) -> Event in Event(t: e.t, x: e.x - 2, y: e.y - 1, on: e.on) }
        #expect(!expected.isEmpty)
        #expect(got == expected)
        #expect(inner.reads == 13, "120 ms of 10 ms chunks, the 13th holding the first event past the end; then no more")
        #expect(source.crop.kept == expected.count)
    }

    @Test("a chunk the crop empties is handed on empty and the stream goes on")
    func emptyChunks() throws {
        let source = CroppedEventSource.wrapping(ArraySource(Self.events, chunk: 10),
                                                 crop: try EventCrop(area: .init(x: 0, y: 0, width: 8, height: 1),
                                                                     sensor: SensorSize(width: 8, height: 8)))
        let buffer = EventBuffer()
        var counts: [Int] = []
        while try source.read(into: buffer) { counts.append(buffer.count) }
        #expect(counts.count == 20, "every chunk read: \(counts)")
        let firstRow: Int = Self.events.filter { (e: Event) -> Bool in e.y == 0 }.count
        #expect(counts.contains(0))
        #expect(counts.reduce(0, +) == firstRow)
    }

    @Test("a file's reader still tells how far it has read; a source that is no file does not pretend to")
    func progress() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("f.aedat4").path
        let writer = try EventFile.create(path: path, format: .aedat4, sensor: SensorSize(width: 8, height: 8))
        try writer.write(EventBuffer(Self.events))
        try writer.finish()
        let crop = try EventCrop(area: .init(x: 0, y: 0, width: 2, height: 2), sensor: SensorSize(width: 8, height: 8))
        let reader = try EventFile.open(path: path)
        let inner = try #require(reader as? any ReadProgress)
        let file = CroppedEventSource.wrapping(reader, crop: crop)
        let position = try #require(file as? any ReadProgress)
        #expect(try file.read(into: EventBuffer()))
        #expect(position.bytesRead > 0 && position.bytesRead == inner.bytesRead)
        #expect(position.fileSize == inner.fileSize && position.fileSize > 0)
        #expect(!(CroppedEventSource.wrapping(ArraySource(Self.events), crop: crop) is any ReadProgress))
    }
}
