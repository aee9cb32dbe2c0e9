import Foundation
import Pipeline

/// Where predictions go: the terminal view, or one line (text or JSON) per prediction.
protocol PredictionOutput: AnyObject {
    func show(_ frame: BinnedFrame, _ prediction: Prediction, _ status: PipelineStatus)
    /// The last word: summary and confusion matrix.
    func finish(_ summary: PipelineSummary)
}

/// What every output needs to name things.
struct OutputContext: Sendable {
    /// "replay FILE" or "live DVXplorer 123".
    var title: String
    var classNames: [String]
    /// [C, H, W] of the frames shown.
    var input: [Int]
    var binWidth: Int64
    /// Whether the network starts untrained (a fresh one, no checkpoint): its predictions say "untrained" until it
    /// has learned from a label.
    var untrained: Bool

    init(title: String, classNames: [String], input: [Int], binWidth: Int64, untrained: Bool = false) {
        self.title = title
        self.classNames = classNames
        self.input = input
        self.binWidth = binWidth
        self.untrained = untrained
    }

    func name(_ k: Int?) -> String {
        guard let k else { return "-" }
        return k < classNames.count ? classNames[k] : String(k)
    }
}

/// Softmax of the running scores (for confidences and bars).
func softmax(_ scores: [Float]) -> [Double] { PredictionRecord.softmax(scores) }

func percent(_ v: Double?) -> String { v.map { String(format: "%.1f%%", $0 * 100) } ?? "-" }
func milliseconds(_ v: Double?) -> String { v.map { String(format: "%.2f ms", $0 * 1000) } ?? "-" }

/// The end-of-run report shared by every output: counters, accuracy, confusion matrix.
func summaryText(_ summary: PipelineSummary, _ context: OutputContext) -> String {
    let s = summary.status
    var lines = [
        "steps \(summary.steps) · frames dropped \(s.frames.dropped) · merged \(s.frames.merged) · "
            + "events binned \(s.eventsBinned) (late \(s.eventsLate), off sensor \(s.eventsOffSensor)) · "
            + "step p50 \(milliseconds(s.latencyP50)) p99 \(milliseconds(s.latencyP99))",
    ]
    if let m = s.metrics, m.scored > 0 {
        lines.append("prequential accuracy \(percent(m.accuracy)) over \(m.scored) labelled steps "
                     + "(last \(min(m.window, m.scored)): \(percent(m.rollingAccuracy)))")
        lines.append("confusion (rows true, columns predicted):")
        lines.append(m.confusionTable(names: context.classNames))
    }
    if let reason = s.stopReason { lines.append(reason) }
    if let error = summary.sourceError { lines.append("the stream ended with an error: \(error)") }
    return lines.joined(separator: "\n")
}
