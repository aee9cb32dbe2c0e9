import DVSEvents
@testable import EventFormats
import Testing
import TestSupport

/// Every EVT file written by an independent writer (faery) in ../shared/recordings/written decodes to exactly the
/// event list it was written from; these cross the 2^24 µs EVT 3.0 wrap and use VECT_12/VECT_8 words.
@Suite("Files written by faery decode to their event lists", .enabled(if: SharedMaterial.isAvailable, SharedMaterial.skipReason))
struct WrittenFixtureTests {
    @Test("decodes exactly", arguments: ["faery_evt2.raw", "faery_evt3.raw"])
    func decodesExactly(_ name: String) throws {
        let path = SharedMaterial.recording("written/" + name)
        let expected = try Fixture.events(csv: path + ".csv")
        let (events, reader) = try Fixture.decode(path, chunkSize: 97)
        #expect(reader.info.sensor == SensorSize(width: 1280, height: 720))
        #expect(reader.info["sensor source"] == "header geometry")
        #expect(reader.warnings.isEmpty, "unexpected warnings: \(reader.warnings)")
        #expect(events.count == expected.count)
        let got = events.events
        if let i = (0..<min(got.count, expected.count)).first(where: { got[$0] != expected[$0] }) {
            Issue.record("event \(i): decoded \(got[i]), expected \(expected[i])")
        }
    }

    @Test("our CSV reader reads the event lists exactly as the independent parse")
    func csvLists() throws {
        for name in ["evt_events.csv", "aedat4_events.csv"] {
            let path = SharedMaterial.recording("written/" + name)
            let expected = try Fixture.events(csv: path)
            let (events, reader) = try Fixture.decode(path, chunkSize: 333)
            #expect(reader.format == .csv)
            #expect(events.events == expected, "\(name)")
        }
    }
}
