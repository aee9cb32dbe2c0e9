import Foundation
import Pipeline
import Tensors

/// One line per prediction on stdout, as text or JSON (for pipes and logs), and a summary at the end.
final class LinePrinter: PredictionOutput {
    let json: Bool
    private let context: OutputContext
    private let write: (String) -> Void
    private var untrained: UntrainedTracker

    /// `write` defaults to stdout, flushed after every line: a pipe (`--json | jq`) gets each prediction when it
    /// is made, not a buffer's worth (about ten lines) at a time.
    init(json: Bool, context: OutputContext, write: @escaping (String) -> Void = { print($0); fflush(nil) }) {
        self.json = json
        self.context = context
        self.write = write
        untrained = UntrainedTracker(context.untrained)
    }

    func show(_ frame: BinnedFrame, _ p: Prediction, _ status: PipelineStatus) {
        defer { untrained.observe(p) }
        if json {
            write(PredictionRecord.json(p, status, names: context.classNames))
        } else {
            var line = String(format: "bin %d  t %.3f s  ", p.bins.lowerBound, Double(p.end) / 1e6)
            if untrained.isUntrained {
                line += "untrained"
            } else {
                line += String(format: "predicted %@ (%.2f)", context.name(p.predicted), softmax(p.scores)[p.predicted])
            }
            if let label = p.label { line += "  label \(context.name(label))" }
            if let loss = p.loss { line += String(format: "  loss %.4f", loss) }
            if let acc = status.metrics?.rollingAccuracy { line += "  acc \(percent(acc))" }
            if p.bins.count > 1 { line += "  (\(p.bins.count) bins merged)" }
            if p.reset { line += "  [reset]" }
            if p.remembering { line += "  [remembering]" }
            write(line)
        }
    }

    func finish(_ summary: PipelineSummary) {
        if json {
            let m = summary.status.metrics
            var fields = ["\"summary\":true", "\"steps\":\(summary.steps)", "\"dropped\":\(summary.status.frames.dropped)",
                          "\"merged\":\(summary.status.frames.merged)", "\"scored\":\(m?.scored ?? 0)"]
            if let acc = m?.accuracy { fields.append(String(format: "\"accuracy\":%.4f", acc)) }
            if let c = m?.confusion { fields.append("\"confusion\":\(c)") }
            if let e = summary.sourceError { fields.append("\"source_error\":\(jsonQuoted(e))") }
            if let r = summary.status.stopReason { fields.append("\"learning_stopped\":\(jsonQuoted(r))") }
            write("{" + fields.joined(separator: ",") + "}")
        } else {
            write(summaryText(summary, context))
        }
    }
}
