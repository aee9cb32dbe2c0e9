import DVSEvents
import EventFormats
import Foundation
import Pipeline
import SNN
import Training

/// One run of the always-on learner, shared by `ottt replay` and `ottt live`: builds the learner (fresh, from a
/// model, resumed from a running checkpoint, or from a journal's starting point), the frame maker, the learner
/// stage, recording, teaching and output, runs the pipeline, and reports.
struct LearningSession {
    var options: SessionOptions
    /// "replay FILE" or "live DVXplorer 0042".
    var title: String
    var source: any EventSource
    /// What the stream is called in running checkpoints (the file path, or the camera).
    var sourceName: String
    var labels: LabelFeed = .none
    /// A journal being replayed (its settings and starting checkpoint win over the options).
    var journal: (SessionJournal, directory: String)?
    /// A running checkpoint to continue from.
    var resume: String?
    var realTimeSpeed: Double?
    var defaultWhenBehind: BackpressurePolicy
    /// The exit code when the stream ends with an error (74, EX_IOERR, for a lost camera).
    var sourceErrorExitCode: Int32 = 1
    /// Where `--teach` reads keys from; nil for the terminal on stdin.
    var keys: (any KeyInput)?

    func run() throws {
        var (learner, settings, position) = try makeLearner()
        SessionOptions.configureThreads(for: learner.network, threads: options.threads)
        let stageSettings = settings
        var journalWriter: SessionJournalWriter?
        var recorder: (any EventFileWriter)?
        if let record = options.record {
            // The starting point, as a running checkpoint, so the replay starts from exactly this state.
            let initial = record + ".init.safetensors"
            settings.initialCheckpoint = (initial as NSString).lastPathComponent
            let startStage = LearnerStage(learner: learner, decay: settings.decay, reset: settings.reset, learn: settings.learn)
            if let position { try startStage.restore(position.stage) }
            try RunningCheckpoint.save(to: initial, learner: learner, stage: startStage, settings: stageSettings,
                                       source: sourceName)
            journalWriter = try SessionJournalWriter(path: SessionJournal.path(forRecording: record), settings: settings)
            recorder = try EventFile.create(path: record, format: .aedat4, sensor: source.info.sensor)
        }
        let stage = LearnerStage(learner: learner, decay: settings.decay, reset: settings.reset, learn: settings.learn,
                                 journal: journalWriter, firstBin: settings.firstBin)
        if let position { try stage.restore(position.stage) }
        let frameMaker = try FrameMaker(settings: settings, input: learner.inputShape)
        try checkLabels(classes: learner.classes)

        // Teaching.
        var labels = self.labels
        var keyboard: KeyboardTeacher?
        var pipelineBox: StreamPipeline?
        let stopper = Stopper()
        if options.teach || options.teachFrom != nil {
            guard case .none = labels else { throw UsageError("teaching and a label file cannot be used together") }
            let board = LabelBoard()
            labels = .board(board)
            if options.teach {
                guard let terminal = keys ?? RawTerminal() else { throw UsageError("--teach needs a terminal on stdin") }
                keyboard = KeyboardTeacher(terminal: terminal, board: board, classes: learner.classes) { stopper.stop() }
            }
            if let path = options.teachFrom {
                try ScriptTeacher(path: path, board: board, names: settings.labelNames, classes: learner.classes) {
                    printError("ottt: \($0)")
                }.start()
            }
        }

        var configuration = StreamPipeline.Configuration(whenBehind: options.whenBehind ?? defaultWhenBehind,
                                                         realTimeSpeed: realTimeSpeed)
        configuration.frameCapacity = 8
        let pipeline = StreamPipeline(source: source, frameMaker: frameMaker, stage: stage, labels: labels,
                                      recorder: recorder, journalEnd: journal?.0.end?.lastBin,
                                      configuration: configuration)
        pipelineBox = pipeline
        stopper.pipeline = pipelineBox
        let context = OutputContext(title: title, classNames: settings.labelNames, input: learner.inputShape,
                                    binWidth: settings.binWidth)
        let output: any PredictionOutput = options.output == .view
            ? TerminalView(context: context) : LinePrinter(json: options.output == .json, context: context)

        // Ctrl-C stops the reader; what is queued drains, the journal and the recording are closed.
        signal(SIGINT, SIG_IGN)
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        interrupt.setEventHandler { stopper.stop() }
        interrupt.resume()
        keyboard?.start()
        defer {
            keyboard?.stop()
            interrupt.cancel()
            signal(SIGINT, SIG_DFL)
        }

        var warned = false
        var streamStart: Microseconds?
        let summary = try pipeline.run { frame, prediction, status in
            output.show(frame, prediction, status)
            if let limit = options.stopAfter {
                let start = streamStart ?? frame.start
                streamStart = start
                if frame.end - start >= limit { pipeline.stop() }
            }
            if let reason = status.stopReason, !warned {
                warned = true
                if options.output != .view { printError("ottt: \(reason)") }     // the view shows it in red
            }
        }
        keyboard?.stop()
        if let save = options.save {
            try RunningCheckpoint.save(to: save, learner: learner, stage: stage, settings: stageSettings, source: sourceName)
        }
        output.finish(summary)
        if let record = options.record {
            printError("ottt: recorded \(summary.status.eventsBinned) events to \(record), journal \(SessionJournal.path(forRecording: record))")
            if let recorder { noteUnindexed(recorder, path: record) }
        }
        if let save = options.save { printError("ottt: saved the running learner to \(save)") }
        if let error = summary.sourceError {
            var line = "\(sourceName): \(error); the \(summary.status.eventsBinned) events received before it were processed"
            if let record = options.record { line += " and \(record) is complete and readable" }
            throw CommandFailure(line, exitCode: sourceErrorExitCode)
        }
        _ = learner
    }

    /// The learner, the settings it runs with, and the stream position when resuming.
    private func makeLearner() throws -> (NetworkLearner, SessionSettings, RunningCheckpoint.Position?) {
        let sensor = source.info.sensor
        if let (journal, directory) = journal {
            guard let initial = journal.settings.initialCheckpoint else {
                throw CommandFailure("the journal names no starting checkpoint; cannot replay it exactly")
            }
            let path = (directory as NSString).appendingPathComponent(initial)
            return try resumed(from: path, learningRate: journal.settings.learningRate, momentum: journal.settings.momentum,
                               gamma: journal.settings.gamma, settings: journal.settings)
        }
        if let resume {
            let metadata = try Checkpoint.load(from: resume).metadata
            guard let position = try RunningCheckpoint.position(in: metadata, file: resume) else {
                throw CommandFailure("\(resume) is a model, not a running checkpoint: use --model to start from it")
            }
            if position.source != sourceName {
                printError("ottt: note: \(resume) was saved while reading \(position.source)")
            }
            var settings = position.settings
            settings.learn = settings.learn || options.learn
            return try resumed(from: resume, learningRate: settings.learningRate, momentum: settings.momentum,
                               gamma: settings.gamma, settings: settings)
        }
        if let model = options.model {
            let learner = try NetworkLearner(checkpoint: model, learningRate: options.learningRate, momentum: options.momentum)
            learner.resetState()
            return (learner, options.settings(sensor: sensor, network: learner.network.spec.description), nil)
        }
        let spec = try options.networkSpec()
        let learner = NetworkLearner(network: Network(spec: spec, seed: options.seed),
                                     optimizer: SGD(learningRate: options.learningRate, momentum: options.momentum))
        return (learner, options.settings(sensor: sensor, network: spec.description), nil)
    }

    private func resumed(from path: String, learningRate: Float, momentum: Float, gamma: Float,
                         settings: SessionSettings) throws -> (NetworkLearner, SessionSettings, RunningCheckpoint.Position?) {
        let learner = try NetworkLearner(checkpoint: path, learningRate: learningRate, momentum: momentum, gamma: gamma)
        let position = try RunningCheckpoint.position(in: try Checkpoint.load(from: path).metadata, file: path)
        guard learner.network.spec.description == settings.network else {
            throw CommandFailure("\(path) holds \(learner.network.spec), the session used \(settings.network)")
        }
        var s = settings
        if let p = position { s.origin = p.settings.origin; s.firstBin = p.settings.firstBin }
        return (learner, s, position)
    }

    private func checkLabels(classes: Int) throws {
        if case .schedule(let s) = labels, let bad = s.intervals.first(where: { $0.label >= classes }) {
            throw CommandFailure("the label file has label \(bad.label) at \(bad.start) µs; the network has \(classes) classes")
        }
    }
}

/// Stops the running pipeline from a signal handler or the keyboard thread.
final class Stopper: @unchecked Sendable {
    // @unchecked: `pipeline` is set once before any thread can call `stop`.
    var pipeline: StreamPipeline?
    func stop() { pipeline?.stop() }
}
