import DVSEvents
import Foundation
import Testing
import TestSupport
@testable import Pipeline

@Suite("Session journal: what a replay cannot deduce from the events")
struct SessionJournalTests {
    static let settings = SessionSettings(sensor: SensorSize(width: 4, height: 4), binWidth: 1000, network: "test",
                                          learn: true, reset: .silence(5000), labelNames: ["a", "b"])

    @Test("the stage writes label changes, merges, drops and an end line, and they read back")
    func roundTrip() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        let path = dir.appendingPathComponent("s.aedat4.journal").path
        let learner = TinyLearner(inputShape: [1, 1, 2], classes: 2)
        let stage = LearnerStage(learner: learner, decay: 0.9, reset: .never, learn: true,
                                 journal: try SessionJournalWriter(path: path, settings: Self.settings))
        var merged = testFrame(bin: 3, values: [1, 0])
        merged.absorb(testFrame(bin: 4, values: [0, 1]))
        let frames = [testFrame(bin: 0, values: [1, 1]), testFrame(bin: 1, values: [1, 1]), merged,
                      testFrame(bin: 7, values: [0, 1]), testFrame(bin: 8, values: [0, 1])]
        let labels: [Int?] = [nil, 1, 1, 0, nil]
        for (f, l) in zip(frames, labels) { _ = try stage.process(f, label: l) }
        try stage.finishJournal()

        let journal = try SessionJournal.read(path: path)
        #expect(journal.settings == Self.settings)
        typealias R = SessionJournal.Record
        #expect(journal.records == [
            R(kind: .label, first: 1, label: 1), R(kind: .drop, first: 2, last: 2), R(kind: .merge, first: 3, last: 4),
            R(kind: .drop, first: 5, last: 6), R(kind: .label, first: 7, label: 0), R(kind: .label, first: 8, label: nil),
            R(kind: .end, first: 8, last: 5),
        ])
        #expect(journal.isComplete)
        #expect(journal.end! == (lastBin: 8, steps: 5))
    }

    @Test("the schedule replays merges, drops and labels on one-bin frames")
    func schedule() {
        typealias R = SessionJournal.Record
        let journal = SessionJournal(settings: Self.settings, records: [
            R(kind: .label, first: 1, label: 1), R(kind: .drop, first: 2, last: 2), R(kind: .merge, first: 3, last: 5),
            R(kind: .label, first: 7, label: nil),
        ])
        var schedule = JournalSchedule(journal)
        var out: [ClosedRange<Int>] = []
        var sums: [[Float]] = []
        for bin in 0..<8 {
            for f in schedule.admit(testFrame(bin: bin, values: [Float(bin)])) {
                out.append(f.bins); sums.append(f.values)
            }
        }
        #expect(out == [0...0, 1...1, 3...5, 6...6, 7...7])
        #expect(sums[2] == [12])
        #expect((0..<9).map { schedule.label(atBin: $0) } == [nil, 1, 1, 1, 1, 1, 1, nil, nil])
    }

    @Test("a merge cut short by a mismatched recording loses nothing")
    func mismatch() {
        let journal = SessionJournal(settings: Self.settings, records: [.init(kind: .merge, first: 1, last: 3)])
        var schedule = JournalSchedule(journal)
        var out: [ClosedRange<Int>] = []
        for bin in [0, 1, 2, 9] { out += schedule.admit(testFrame(bin: bin, values: [1])).map(\.bins) }
        #expect(out == [0...0, 1...2, 9...9])
    }

    @Test("bad journals name the line", arguments: [
        ("", nil), ("{\"something\":1}\n", 1), ("{\"ottt_journal\":1,\"settings\":{}}\n", 1),
    ] as [(String, Int?)])
    func rejects(text: String, line: Int?) throws {
        let dir = try SharedMaterial.temporaryDirectory()
        let path = dir.appendingPathComponent("bad.journal").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try SessionJournal.read(path: path) } throws: { ($0 as? PipelineError)?.line == line }
    }
}
