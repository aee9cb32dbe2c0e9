import DVSEvents
import Foundation
import Pipeline
import WebView

/// `--web`: a session's view in the browser (WebView's `LiveView`) wired to the command: the source tapped for its
/// events, a teaching board when no file or journal gives the labels (learning on, as `--teach` turns it on — the
/// learner learns only from what is taught), resets journalled beside the recording, the URL on stderr.
final class WebConsole {
    let options: WebOptions
    let canvas: EventCanvas
    private var view: LiveView?

    /// Prepares the view for a stream from `source`; the server starts with the first session (`start`).
    init(options: WebOptions, sensor: SensorSize) {
        self.options = options
        canvas = EventCanvas(sensor: sensor)
    }

    /// `source`, its events shown in the view.
    func tap(_ source: any EventSource) -> any EventSource { EventTap(source, canvas: canvas) }

    /// Gives a plan without labels a teaching board for the browser's controls.
    static func prepare(_ plan: inout SessionPlan) {
        guard plan.teaching == nil, case .none = plan.labels else { return }
        if case .journal = plan.start { return }
        plan.teaching = Teaching()
        plan.settings.learn = true
    }

    /// Shows `session` (starting the server the first time) under `title`.
    func start(_ session: LearningSession, title: String) throws {
        if view == nil {
            var c = LiveView.Configuration(sensor: canvas.sensor, input: session.learner.inputShape,
                                           classNames: (0..<session.learner.classes).map {
                                               $0 < session.settings.labelNames.count ? session.settings.labelNames[$0] : String($0)
                                           }, title: title)
            c.address = options.address
            c.port = options.port
            do { view = try LiveView(c, canvas: canvas) } catch { throw CommandFailure("--web: \(error)") }
            printError("ottt: live view at \(view!.url)")
        }
        var board: LabelBoard?
        if case .board(let b) = session.labels { board = b }
        if let board, let record = session.plan.record {
            do { try board.journalResets(to: SessionJournal.path(forRecording: record)) } catch { throw CommandFailure("\(error)") }
        }
        view?.attach(board: board, title: title)
    }

    func observe(_ frame: BinnedFrame, _ prediction: Prediction, _ status: PipelineStatus) {
        view?.observe(frame, prediction, status)
    }

    func stop() { view?.stop() }
}
