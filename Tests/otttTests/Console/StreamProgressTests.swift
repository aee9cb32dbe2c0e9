import DVSEvents
import EventFormats
import Foundation
import Testing
import TestSupport
@testable import ottt

@Suite("A replay's progress through its file")
struct StreamProgressTests {
    @Test("the line: a bar, the percentage, the position and the length (estimated: ~), the file's size", arguments: [
        (0.0, 10.0, false, 12_300_000 as Int64, "0% · 0.0 s of 10.0 s (12.3 MB)", 0),
        (3.64, 10.0, true, 12_300_000, "36% · 3.6 s of ~10.0 s (12.3 MB)", 7),
        (10.0, 10.0, false, 4_096, "100% · 10.0 s of 10.0 s (5 kB)", 20),
        (75.0, 150.0, false, 100, "50% · 1:15 of 2:30 (1 kB)", 10),
        (.nan, 0, true, 100, "0% · - of ~0.0 s (1 kB)", 0),
    ])
    func line(position: Double, total: Double, estimated: Bool, size: Int64, expected: String, filled: Int) {
        let text = StreamProgress.text(position: position, total: total, estimated: estimated, fileSize: size)
        #expect(text.hasPrefix("progress ▕") && text.hasSuffix(expected), "\(text)")
        #expect(text.filter { $0 == "█" }.count == filled)
    }

    @Test("the length is estimated from the bytes read, then exact once the reader reaches the end of the file")
    func estimateThenExact() throws {
        let dir = try SharedMaterial.temporaryDirectory().path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/p.aedat4"
        let writer = try EventFile.create(path: path, format: .aedat4, sensor: SensorSize(width: 16, height: 16))
        // 4 s of events 1 ms apart from t = 1 s, written in 40 packets.
        for k in 0..<40 {
            try writer.write(EventBuffer((0..<100).map { (i: Int) -> Event in
                Event(t: 1_000_000 + Int64(100 * k + i) * 1000, x: UInt16(i % 16), y: UInt16(k % 16), on: i % 2 == 0)
            }))
        }
        try writer.finish()
        let tap = try #require(ProgressTap(try EventFile.open(path: path)))
        #expect(tap.progress.text(at: 0) == nil, "nothing read yet")
        let chunk = EventBuffer()
        #expect(try tap.read(into: chunk))
        let early = try #require(tap.progress.text(at: 1_000_000))
        #expect(early.contains("0% · 0.0 s of ~"), "\(early)")
        while try tap.read(into: chunk) {}
        #expect(tap.progress.text(at: 3_000_000)?.contains("50% · 2.0 s of 4.0 s") == true, "\(tap.progress.text(at: 3_000_000) ?? "nil")")
        #expect(tap.progress.text(at: 4_999_000)?.contains("100% · 4.0 s of 4.0 s") == true, "the last event")
    }

    @Test("sources that are not files (a camera, the simulator) have no progress")
    func notAFile() {
        final class Endless: EventSource {
            let info = StreamInfo(format: "test", sensor: SensorSize(width: 1, height: 1))
            func read(into buffer: EventBuffer) throws -> Bool { true }
        }
        #expect(ProgressTap(Endless()) == nil)
    }
}
