import DVSEvents
import EventFormats
import Foundation
import SNN
import Training

/// The one builder of the always-on learner: from a source and a `SessionPlan` it makes the learner (fresh, from a
/// model, resumed from a running checkpoint, from a journal's starting point, or the caller's), the source's
/// pacing and resumption, the frame maker, the learner stage, the labels (a file, a journal, a teaching board with
/// its keyboard and script teachers), the recording with its journal and starting checkpoint, and the
/// `StreamPipeline` that joins them. `live`, `replay`, `demo`, the benchmarks and the tests all build here; nothing
/// else knows the stages' order.
///
///     let session = try LearningSession(source: file, plan: plan) { note in log(note) }
///     let summary = try session.run { frame, prediction, status in show(prediction) }
///
/// It prints nothing: notes for the user go to `note`, failures are `SessionError`s, and the run's end is the
/// returned `PipelineSummary` (a source that failed is in its `sourceError`, after everything before it ran).
public final class LearningSession {
    public let plan: SessionPlan
    public let learner: any OnlineLearner
    /// The settings the session runs with (a journal's or a running checkpoint's when it continues one).
    public let settings: SessionSettings
    public let stage: LearnerStage
    /// The binner: `StreamPipeline` drives it on its thread; a caller may push chunks itself (`bench latency`).
    public let frameMaker: FrameMaker
    public let pipeline: StreamPipeline
    /// Where the labels come from, as the pipeline reads them.
    public let labels: LabelFeed
    /// The recording being written, if any.
    public let recorder: (any EventFileWriter)?
    private let stageSettings: SessionSettings
    private let keyboard: KeyboardTeacher?

    /// Builds the session; nothing runs until `run`. `note` receives what the user should know (a checkpoint read
    /// from another stream, a teaching script's bad line), from any thread.
    public init(source: any EventSource, plan: SessionPlan,
                note: @escaping @Sendable (String) -> Void = { _ in }) throws(SessionError) {
        self.plan = plan
        let made = try Self.makeLearner(plan, sensor: source.info.sensor, note: note)
        let learner = made.learner
        self.learner = learner
        var settings = made.settings
        if let engine = learner as? OnlineOTTTLearner {
            SessionPlan.setEngineThreads(plan.threads, for: engine.network)
        }
        stageSettings = settings

        // The source: what a resumed session already learned from is skipped unpaced; a replay is paced.
        var source = source
        if case .resume(let path, _) = plan.start {
            guard let origin = made.position?.settings.origin else { throw .noStreamPosition(file: path) }
            source = ResumedEventSource(source, from: origin)
        }
        var realTimeSpeed = plan.realTimeSpeed
        if let pace = plan.pace, case .factor(let f) = pace {
            source = PacedEventSource(source, speed: pace, slice: settings.binWidth, clock: plan.clock,
                                      maxGap: settings.maxGap, note: note)
            realTimeSpeed = f
        }

        // Recording: the starting point as a running checkpoint, the journal, the events.
        var journalWriter: SessionJournalWriter?
        var recorder: (any EventFileWriter)?
        if let record = plan.record {
            let initial = record + ".init.safetensors"
            settings.initialCheckpoint = (initial as NSString).lastPathComponent
            let startStage = LearnerStage(learner: learner, decay: settings.decay, reset: settings.reset, learn: settings.learn,
                                          scaleInput: settings.scaleInput)
            do {
                if let position = made.position { try startStage.restore(position.stage) }
                try RunningCheckpoint.save(to: initial, learner: learner, stage: startStage, settings: stageSettings,
                                           source: plan.sourceName)
            } catch { throw .checkpoint(file: initial, error) }
            do {
                journalWriter = try SessionJournalWriter(path: SessionJournal.path(forRecording: record), settings: settings)
            } catch { throw .input(error) }
            // Written as it goes: a crash (kill -9, power) loses at most the last second, and the file reads as it stands.
            var live = WriteOptions()
            live.flushInterval = 1
            do { recorder = try EventFile.create(path: record, format: .aedat4, sensor: source.info.sensor, options: live) } catch {
                throw .recording(file: record, error)
            }
        }
        self.recorder = recorder
        self.settings = settings

        let stage = LearnerStage(learner: learner, decay: settings.decay, reset: settings.reset, learn: settings.learn,
                                 scaleInput: settings.scaleInput, journal: journalWriter, firstBin: settings.firstBin)
        self.stage = stage
        if let position = made.position {
            do { try stage.restore(position.stage) } catch { throw .input(error) }
        }
        let frameMaker: FrameMaker
        do { frameMaker = try FrameMaker(settings: settings, input: learner.inputShape) } catch { throw .input(error) }
        self.frameMaker = frameMaker

        // Labels: a journal's, a teacher's board, a file's.
        var labels = plan.labels
        if case .schedule(let s) = labels, let bad = s.intervals.first(where: { $0.label >= learner.classes }) {
            throw .labelOutOfRange(label: bad.label, at: bad.start, classes: learner.classes)
        }
        var journalEnd: Int?
        if case .journal(let journal, _, _) = plan.start {
            labels = .journal(JournalSchedule(journal))
            journalEnd = journal.end?.lastBin
        }
        let stopper = Stopper()
        var keyboard: KeyboardTeacher?
        if let teaching = plan.teaching {
            guard case .none = labels else { throw .teachingWithLabelFile }
            let board = LabelBoard()
            labels = .board(board)
            if let keys = teaching.keys {
                keyboard = KeyboardTeacher(terminal: keys, board: board, classes: learner.classes) { stopper.stop() }
            }
            if let path = teaching.script {
                do {
                    try ScriptTeacher(path: path, board: board, names: settings.labelNames, classes: learner.classes,
                                      report: note).start()
                } catch { throw .input(error) }
            }
        }
        self.labels = labels
        self.keyboard = keyboard

        var configuration = StreamPipeline.Configuration(whenBehind: plan.whenBehind, realTimeSpeed: realTimeSpeed)
        configuration.frameCapacity = plan.frameCapacity
        let pipeline = StreamPipeline(source: source, frameMaker: frameMaker, stage: stage, labels: labels,
                                  recorder: recorder, journalEnd: journalEnd, configuration: configuration,
                                  clock: plan.clock)
        self.pipeline = pipeline
        stopper.pipeline = pipeline
    }

    /// A session driven by hand on `sensor` (`bench latency`): push chunks through `frameMaker` and step each frame
    /// with `stage.process`; `run` would end at once (its source has no events).
    public convenience init(sensor: SensorSize, plan: SessionPlan) throws(SessionError) {
        try self.init(source: SilentSource(info: StreamInfo(format: "none", sensor: sensor)), plan: plan)
    }

    /// Runs the stream to its end (or `stop()`, or the plan's `stopAfter`), calling `observe` after every step on
    /// this thread; keyboard teaching runs meanwhile. Saves the plan's running checkpoint at the end.
    public func run(_ observe: (BinnedFrame, Prediction, PipelineStatus) throws -> Void) throws -> PipelineSummary {
        keyboard?.start()
        defer { keyboard?.stop() }
        var streamStart: Microseconds?
        let summary = try pipeline.run { frame, prediction, status in
            try observe(frame, prediction, status)
            if let limit = plan.stopAfter {
                let start = streamStart ?? frame.start
                streamStart = start
                let (covered, overflow) = frame.end.subtractingReportingOverflow(start)   // overflow: a 2⁶³ µs jump
                if overflow || covered >= limit { pipeline.stopHere() }
            }
        }
        keyboard?.stop()
        if let save = plan.save { try saveRunning(to: save) }
        return summary
    }

    /// Asks the stream to stop (from any thread: a signal, a key); what is queued drains.
    public func stop() { pipeline.stop() }

    /// Saves a running checkpoint of where the session is: the learner, the stage, the settings and the position.
    public func saveRunning(to path: String) throws(SessionError) {
        do {
            try RunningCheckpoint.save(to: path, learner: learner, stage: stage, settings: stageSettings,
                                       source: plan.sourceName)
        } catch { throw .checkpoint(file: path, error) }
    }
}

/// Stops the running pipeline from the keyboard thread.
private final class Stopper: @unchecked Sendable {
    // @unchecked: `pipeline` is set once, before any thread can call `stop`.
    var pipeline: StreamPipeline?
    func stop() { pipeline?.stop() }
}

/// A source with no events, for a session driven by hand.
private final class SilentSource: EventSource {
    let info: StreamInfo
    init(info: StreamInfo) { self.info = info }
    func read(into buffer: EventBuffer) throws -> Bool { buffer.removeAll(); return false }
}
