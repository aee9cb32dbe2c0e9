import DVSEvents
import EventBinning
import EventFormats
import Foundation
import Testing
import TestSupport
@testable import Pipeline

/// Synthetic events on a 16×16 sensor: `count` events 50 µs apart from t = 1 s, positions from a fixed LCG, with a
/// burst pattern that changes halfway (so the two labels differ in what the learner sees).
func syntheticEvents(count: Int = 4000, gapEvery: Int? = nil) -> [Event] {
    var state: UInt64 = 12345
    var t: Int64 = 1_000_000
    return (0..<count).map { i in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        let r = Int(state >> 33)
        let half = i < count / 2
        t += 50
        if let g = gapEvery, i > 0, i % g == 0 { t += 40_000 }            // silences
        let x = UInt16(half ? r % 8 : 8 + r % 8), y = UInt16((r >> 8) % 16)
        return Event(t: t, x: x, y: y, on: (r >> 16) & 1 == 0)
    }
}

/// One session's outputs, for bit-for-bit comparison.
struct SessionTrace: Equatable {
    var bins: [ClosedRange<Int>] = []
    var scoreBits: [[UInt32]] = []
    var labels: [Int?] = []
    var weightBits: [UInt32] = []

    mutating func add(_ p: Prediction) {
        bins.append(p.bins)
        scoreBits.append(p.scores.map(\.bitPattern))
        labels.append(p.label)
    }
}

let testSensor = SensorSize(width: 16, height: 16)

func testSettings(learn: Bool = true) -> SessionSettings {
    SessionSettings(sensor: testSensor, binWidth: 5000, network: "test-2x4x4", learn: learn, decay: 0.8,
                    reset: .silence(20_000))
}

/// Runs a session through the builder (`LearningSession`), with a TinyLearner unless `start` names another.
func runSession(source: any EventSource, settings: SessionSettings, labels: LabelFeed = .none, whenBehind: BackpressurePolicy,
                recordTo path: String? = nil, start: LearnerStart? = nil, stepDelay: UInt32 = 0,
                stopAfter: Int? = nil, learner: TinyLearner? = nil) throws -> (SessionTrace, PipelineSummary, LearnerStage) {
    let learner = learner ?? TinyLearner(inputShape: [2, 4, 4], classes: 3)
    var plan = SessionPlan(settings: settings, start: start ?? .learner(learner), sourceName: "synthetic")
    plan.labels = labels
    plan.whenBehind = whenBehind
    plan.record = path
    plan.frameCapacity = 1
    let session = try LearningSession(source: source, plan: plan)
    var trace = SessionTrace()
    let summary = try session.run { _, p, _ in
        trace.add(p)
        if stepDelay > 0 { usleep(stepDelay) }
        if let stopAfter, p.step == stopAfter { session.stop() }
    }
    trace.weightBits = learner.weights.map(\.bitPattern)
    return (trace, summary, session.stage)
}

func teachingBoard() -> LabelBoard {
    let board = LabelBoard()
    board.post(LabelChange(when: .at(0), label: 0))
    board.post(LabelChange(when: .at(60_000), label: 1))
    board.post(LabelChange(when: .at(150_000), label: nil))
    board.post(LabelChange(when: .at(170_000), label: 2))
    return board
}

@Suite("Session journal: replaying a recording reproduces the session bit for bit")
struct JournalReplayTests {
    @Test("a live-like session that fell behind replays to the same predictions and weights", arguments: [BackpressurePolicy.merge, .drop])
    func bitExact(policy: BackpressurePolicy) throws {
        let dir = try SharedMaterial.temporaryDirectory()
        let recording = dir.appendingPathComponent("session.aedat4").path
        // The original: a source paced at real time (a bin every 5 ms) and a slower learner (8 ms a step), so
        // frames are merged or dropped as in a live session.
        let paced = PacedEventSource(ArraySource(syntheticEvents(gapEvery: 1500), sensor: testSensor, chunk: 64),
                                     speed: .factor(1), slice: 5000, clock: SystemClock())
        let (original, summary, _) = try runSession(
            source: paced, settings: testSettings(), labels: .board(teachingBoard()), whenBehind: policy,
            recordTo: recording, stepDelay: 8000)
        let affected = policy == .merge ? summary.status.frames.merged : summary.status.frames.dropped
        #expect(affected > 0, "the learner never fell behind, so this test did not exercise \(policy)")
        #expect(Set(original.labels.map { $0 ?? -1 }).count >= 2, "the session should see several labels")

        // The replay: the recorded events, the journal's labels and decisions, as fast as it goes.
        let journal = try SessionJournal.read(path: SessionJournal.path(forRecording: recording))
        #expect(journal.isComplete)
        var recorded = testSettings()
        recorded.initialCheckpoint = "session.aedat4.init.safetensors"
        #expect(journal.settings == recorded)
        let replayer = TinyLearner(inputShape: [2, 4, 4], classes: 3)
        replayer.weights = replayer.weights.map { _ in 0 }                        // the journal's start replaces them
        let (replayed, _, _) = try runSession(
            source: try EventFile.open(path: recording), settings: testSettings(), whenBehind: .block,
            start: .journal(journal, directory: dir.path, learner: replayer), learner: replayer)
        #expect(replayed.bins == original.bins)
        #expect(replayed.labels == original.labels)
        #expect(replayed.scoreBits == original.scoreBits)
        #expect(replayed.weightBits == original.weightBits)
    }

    @Test("the recording holds exactly the events the learner saw")
    func recordingIsComplete() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        let recording = dir.appendingPathComponent("r.aedat4").path
        let events = syntheticEvents(count: 1000)
        _ = try runSession(source: ArraySource(events, sensor: testSensor, chunk: 100), settings: testSettings(learn: false),
                           labels: .none, whenBehind: .block, recordTo: recording)
        #expect(try EventFile.open(path: recording).readAll().events == events)
    }
}
