import DVSEvents
@testable import EventFormats
import Foundation
import Testing
import TestSupport

/// Every Prophesee and N-MNIST recording in ../shared/recordings decodes to exactly the counts, ranges and column
/// digests of its `.summary.json` and to its `.first1000.csv`.
@Suite("Real recordings decode exactly as the independent readers", .enabled(if: SharedMaterial.isAvailable, SharedMaterial.skipReason))
struct RecordingFixtureTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var file: String
        var format: EventFileFormat
        var sensor: SensorSize
        /// Where the digests sit in the summary: under `per_reader[reference]` or at the top.
        var reference: String?
        var testDescription: String { file }
    }

    static let cases: [Case] = [
        Case(file: "expelliarmus_evt3_sample.raw", format: .evt3, sensor: SensorSize(width: 1280, height: 720),
             reference: "spec-reference (tools/decode_fixtures.py)"),
        Case(file: "faery_evt2.raw", format: .evt2, sensor: SensorSize(width: 640, height: 480),
             reference: "spec-reference (tools/decode_fixtures.py)"),
        Case(file: "tonic_sample_ncars.dat", format: .dat, sensor: SensorSize(width: 304, height: 240),
             reference: nil),
        Case(file: "tonic_sample_nmnist.bin", format: .nmnist, sensor: .nmnist, reference: nil),
    ]

    @Test("the format is sniffed, and counts, ranges and digests match the summary", arguments: cases)
    func summary(_ c: Case) throws {
        let path = SharedMaterial.recording(c.file)
        #expect(try EventFile.sniff(path: path) == c.format)
        let (events, reader) = try Fixture.decode(path)
        #expect(reader.format == c.format)
        #expect(reader.info.sensor == c.sensor)
        #expect(reader.warnings.isEmpty, "unexpected warnings: \(reader.warnings)")
        let summary = try FixtureSummary(path: path + ".summary.json")
        var expectedDigests = summary.digests("sha256_16_of_int64_fields")
        if let ref = c.reference {
            let perReader = (summary.json["per_reader"] as! [String: Any])[ref] as! [String: Any]
            expectedDigests = perReader["sha256_16_of_int64_fields"] as! [String: String]
        }
        let expectedStats = summary.stats("stats")
        #expect(expectedStats.count == 12)
        let columns = Fixture.columns(events)
        #expect(columns.stats == expectedStats)
        #expect(columns.digests == expectedDigests)
    }

    @Test("the first 1000 events equal the .first1000.csv", arguments: cases)
    func first1000(_ c: Case) throws {
        let path = SharedMaterial.recording(c.file)
        let expected = try Fixture.events(csv: path + ".first1000.csv")
        var options = ReadOptions()
        options.chunkSize = 1000
        let reader = try EventFile.open(path: path, format: c.format, options: options)
        let chunk = EventBuffer()
        var got: [Event] = []
        while got.count < 1000, try reader.read(into: chunk) { got += chunk.events }
        #expect(expected.count == 1000)
        for i in 0..<1000 where got[i] != expected[i] {
            Issue.record("event \(i): decoded \(got[i]), expected \(expected[i])")
            break
        }
    }
}
