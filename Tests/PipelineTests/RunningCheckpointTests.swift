import DVSEvents
import Foundation
import Testing
import TestSupport
@testable import Pipeline

@Suite("Running checkpoints: a stopped session resumes where it stopped")
struct RunningCheckpointTests {
    @Test("stop, save, resume: the same steps, scores and weights as a session never stopped")
    func resumeMatchesUninterrupted() throws {
        let events = syntheticEvents(count: 4000, gapEvery: 1500)
        let settings = testSettings()
        func board() -> LabelFeed {
            let s = LabelSchedule([.init(start: 1_000_000, end: 1_090_000, label: 0), .init(start: 1_090_000, end: 1_400_000, label: 2)])
            return .schedule(s)
        }
        let (whole, _, wholeStage) = try runSession(source: ArraySource(events, sensor: testSensor, chunk: 64),
                                                    settings: settings, labels: board(), whenBehind: .block)

        // The first part, stopped after 12 steps (what is queued drains; the open bin is left for the resume).
        let dir = try SharedMaterial.temporaryDirectory()
        let checkpoint = dir.appendingPathComponent("run.json").path
        let first = TinyLearner(inputShape: [2, 4, 4], classes: 3)
        let (part1, _, stage1) = try runSession(source: ArraySource(events, sensor: testSensor, chunk: 64),
                                                settings: settings, labels: board(), whenBehind: .block, stopAfter: 12,
                                                learner: first)
        #expect(part1.bins.count >= 12 && part1.bins.count < whole.bins.count)
        try RunningCheckpoint.save(to: checkpoint, learner: first, stage: stage1, settings: settings, source: "synthetic")

        // The resume: a fresh learner loads the checkpoint; the stream restarts after the last bin stepped on.
        let second = TinyLearner(inputShape: [2, 4, 4], classes: 3)
        second.weights = second.weights.map { _ in 0 }                                // prove the load replaces them
        let (part2, _, stage2) = try runSession(source: ArraySource(events, sensor: testSensor, chunk: 64),
                                                settings: settings, labels: board(), whenBehind: .block,
                                                start: .resume(checkpoint, learner: second), learner: second)
        let position = try #require(try RunningCheckpoint.load(from: checkpoint,
                                                               into: TinyLearner(inputShape: [2, 4, 4], classes: 3)))
        #expect(position.source == "synthetic")
        #expect(position.settings.firstBin == part1.bins.last!.upperBound + 1)

        #expect(part1.bins + part2.bins == whole.bins)
        #expect(part1.scoreBits + part2.scoreBits == whole.scoreBits)
        #expect(second.weights.map(\.bitPattern) == whole.weightBits)
        #expect(stage2.state == wholeStage.state)
    }
}
