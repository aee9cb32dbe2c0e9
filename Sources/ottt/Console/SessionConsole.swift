import DVSEvents
import Foundation
import Pipeline
import WebView

/// `ottt live` and `ottt replay` on the terminal: builds the session (Pipeline's `LearningSession`), shows its
/// predictions (the live view, lines or JSON), stops it on Ctrl-C, prints its notes and its end, and turns its
/// failures into the command line's.
struct SessionConsole {
    var options: SessionOptions
    /// "replay FILE" or "live DVXplorer 0042".
    var title: String
    /// The exit code when the stream ends with an error (74, EX_IOERR, for a lost camera).
    var sourceErrorExitCode: Int32 = 1
    /// Where `--teach` reads keys from; nil for the terminal on stdin.
    var keys: (any KeyInput)?
    /// `--web`: the session's view in the browser.
    var web: WebOptions?

    func run(source: any EventSource, plan: SessionPlan) throws {
        var plan = plan
        if options.teach || options.teachFrom != nil {
            var teaching = Teaching(script: options.teachFrom)
            if options.teach {
                guard let terminal = keys ?? RawTerminal() else { throw UsageError("--teach needs a terminal on stdin") }
                teaching.keys = terminal
            }
            plan.teaching = teaching
        }
        let web = self.web.map { WebConsole(options: $0, sensor: source.info.sensor) }
        if web != nil { WebConsole.prepare(&plan) }
        defer { web?.stop() }
        // The view draws the events as read, at the sensor's resolution, and a replay's progress through its file.
        var tapped = source
        let progressTap = options.output == .view ? ProgressTap(source) : nil
        if let progressTap { tapped = progressTap }
        let canvas = options.output == .view ? EventCanvas(sensor: source.info.sensor) : nil
        if let canvas { tapped = EventTap(tapped, canvas: canvas) }
        let session: LearningSession
        do {
            session = try LearningSession(source: web?.tap(tapped) ?? tapped, plan: plan) { printError("ottt: \($0)") }
        } catch {
            if error.isUsage { throw UsageError("\(error)") }
            throw CommandFailure("\(error)")
        }
        try web?.start(session, title: title)
        let settings = session.settings
        var fresh = false
        if case .fresh = plan.start { fresh = true }
        let context = OutputContext(title: title, classNames: settings.labelNames, input: session.learner.inputShape,
                                    binWidth: settings.binWidth, untrained: fresh)
        let legend = SessionConsole.keyLegend(options, classes: session.learner.classes)
        let output: any PredictionOutput = options.output == .view
            ? TerminalView(context: context, canvas: canvas, progress: progressTap?.progress, legend: legend)
            : LinePrinter(json: options.output == .json, context: context)

        // Ctrl-C stops the reader; what is queued drains, the journal and the recording are closed.
        signal(SIGINT, SIG_IGN)
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        interrupt.setEventHandler { session.stop() }
        interrupt.resume()
        defer {
            interrupt.cancel()
            signal(SIGINT, SIG_DFL)
        }

        var warned = false
        let summary: PipelineSummary
        do {
            summary = try session.run { frame, prediction, status in
                output.show(frame, prediction, status)
                web?.observe(frame, prediction, status)
                if let reason = status.stopReason, !warned {
                    warned = true
                    if options.output != .view { printError("ottt: \(reason)") }     // the view shows it in red
                }
            }
        } catch let error as SessionError {
            throw CommandFailure("\(error)")
        }
        output.finish(summary)
        let status = summary.status
        if status.gapsSkipped > 0 || status.binsSkipped > 0 {
            printError("ottt: \(status.gapsSkipped) gaps longer than --max-gap skipped in pacing, \(status.binsSkipped) empty bins not stepped")
        }
        if let record = plan.record {
            printError("ottt: recorded \(summary.status.eventsBinned) events to \(record), journal \(SessionJournal.path(forRecording: record))")
            if let recorder = session.recorder { noteUnindexed(recorder, path: record) }
        }
        if let save = plan.save { printError("ottt: saved the running learner to \(save)") }
        if let error = summary.sourceError {
            var line = "\(plan.sourceName): \(error); the \(summary.status.eventsBinned) events received before it were processed"
            if let record = plan.record { line += " and \(record) is complete and readable" }
            throw CommandFailure(line, exitCode: sourceErrorExitCode)
        }
    }

    /// The keys' legend for the view: with --teach only (a script or the browser teaches without keys).
    static func keyLegend(_ options: SessionOptions, classes: Int) -> String? {
        options.teach ? Teaching.keyLegend(classes: classes) : nil
    }
}
