import DVSEvents
import EventFormats
import Foundation
import SNN
import Tensors
import Testing
import TestSupport
import Training
@testable import Pipeline

@Suite("The engine's learner in the pipeline")
struct EngineReplayTests {
    static let words = "2x4x4:c4-a2-fc3"

    @Test("a recorded session with the real engine replays bit for bit from its journal and starting checkpoint",
          arguments: ["sgd-bin-raw", "default"])
    func journalWithEngine(recipe: String) throws {
        let dir = try SharedMaterial.temporaryDirectory()
        let recording = dir.appendingPathComponent("engine.aedat4").path
        var settings = testSettings()
        settings.network = Self.words
        if recipe == "sgd-bin-raw" {
            settings.optimizer = .sgd
            settings.learningRate = 0.01
            settings.update = .everyStep
            settings.scaleInput = false
        }
        #expect(recipe != "default" || (settings.optimizer == .adam && settings.update == .perSegment && settings.scaleInput))

        func run(_ plan: SessionPlan, _ source: any EventSource, delay: UInt32) throws -> SessionTrace {
            var plan = plan
            plan.frameCapacity = 1
            let session = try LearningSession(source: source, plan: plan)
            var trace = SessionTrace()
            _ = try session.run { _, p, _ in trace.add(p); if delay > 0 { usleep(delay) } }
            let engine = try #require(session.learner as? OnlineOTTTLearner)
            trace.weightBits = engine.network.parameters.flatMap { $0.value.values.map(\.bitPattern) }
            return trace
        }

        let original = LearningSession.engineLearner(network: Network(spec: try NetworkSpec(parsing: Self.words), seed: 3),
                                                     settings: settings)
        var live = SessionPlan(settings: settings, start: .learner(original), sourceName: "test")
        live.labels = .board(teachingBoard())
        live.whenBehind = .merge
        live.record = recording
        let paced = PacedEventSource(ArraySource(syntheticEvents(gapEvery: 1500), sensor: testSensor, chunk: 64),
                                     speed: .factor(1), slice: 5000, clock: SystemClock())
        let recorded = try run(live, paced, delay: 7000)

        let journal = try SessionJournal.read(path: SessionJournal.path(forRecording: recording))
        #expect(journal.settings.initialCheckpoint == "engine.aedat4.init.safetensors")
        let replay = SessionPlan(settings: settings, start: .journal(journal, directory: dir.path), sourceName: recording)
        let replayed = try run(replay, try EventFile.open(path: recording), delay: 0)
        #expect(replayed.bins == recorded.bins)
        let firstDifference = recorded.scoreBits.indices.first { $0 >= replayed.scoreBits.count || replayed.scoreBits[$0] != recorded.scoreBits[$0] }
        #expect(firstDifference == nil, "step \(firstDifference ?? -1) of \(recorded.bins.count) differs: bins \(recorded.bins.prefix(firstDifference.map { $0 + 2 } ?? 0)) labels \(recorded.labels.prefix(firstDifference.map { $0 + 2 } ?? 0))")
        #expect(replayed.weightBits == recorded.weightBits)
    }
}
