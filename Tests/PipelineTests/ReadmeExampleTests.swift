import DVSEvents
import Foundation
import Pipeline
import SNN
import Testing
import TestSupport
import Training

/// The README's Swift examples, compiled and run, so that they cannot drift from the API.
@Suite("README examples")
struct ReadmeExampleTests {
    @Test("the README's example runs: a labelled stream through the one builder of the live pipeline")
    func pipeline() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        let labels = dir.appendingPathComponent("labels.csv").path
        try "start_us,end_us,label\n0,200000,3\n".write(toFile: labels, atomically: true, encoding: .utf8)
        let events = (0..<20_000).map { (i: Int) -> Event in
            Event(t: Int64(i) * 10, x: UInt16(i % 32), y: UInt16(i / 32 % 32), on: i % 3 == 0)
        }
        let reader = ArraySource(events, sensor: SensorSize(width: 32, height: 32))
        var seen = 0

        // The README's lines, as written there:
        let settings = SessionSettings(sensor: reader.info.sensor, binWidth: 10_000, learn: true)
        let spec = try NetworkSpec(parsing: "2x32x32:c32-a2-c64-a2-fc10")
        var plan = SessionPlan(settings: settings, start: .fresh(spec, seed: 1), sourceName: "rec.aedat4")
        plan.labels = .schedule(try LabelSchedule.read(path: labels))
        let session = try LearningSession(source: reader, plan: plan)
        let summary = try session.run { frame, prediction, status in seen += 1 }

        #expect(seen == 20 && summary.steps == 20)
    }

    @Test("the README's engine example: a stream one bin at a time with the online learner")
    func onlineLearner() throws {
        let net = Network(spec: try NetworkSpec(parsing: "2x8x8:c4-a2-fc4"), seed: 1)
        let sgd = SGD(learningRate: 0.01)
        let bin = [Float](repeating: 0.5, count: 2 * 8 * 8)

        let learner = OnlineOTTTLearner(network: net, optimizer: sgd, schedule: .everyStep)
        let o = learner.step(bin)
        _ = learner.learn(label: 3)

        #expect(o.count == 4 && o.allSatisfy { $0.isFinite })
    }
}
