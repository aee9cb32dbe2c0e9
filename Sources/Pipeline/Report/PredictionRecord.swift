import Foundation
import Tensors

/// The one JSON schema of a prediction: what `--json` prints per network step, what the browser view reads and what
/// its `GET /state.json` returns. One object per line, keys in this order (README, "The prediction object"):
///
///     step, bin, bins, start_us, end_us, events, predicted, name, confidence, label, reset, learning,
///     [remembering], [loss], [rolling_accuracy], [lag_s], dropped, merged, probabilities, spike_rates, event_rate,
///     [latency_p50_ms], [latency_p99_ms]
///
/// Keys in brackets are left out when there is no value (no label, no learning, no class memory engaged, `--speed max`,
/// too few steps).
public enum PredictionRecord {
    /// The object for `p` with the pipeline's `status`; `names` are the class names (a class without one is named
    /// by its number).
    public static func json(_ p: Prediction, _ status: PipelineStatus, names: [String]) -> String {
        let probabilities = softmax(p.scores)
        let name = p.predicted < names.count ? names[p.predicted] : String(p.predicted)
        var fields: [String] = [
            "\"step\":\(p.step)", "\"bin\":\(p.bins.lowerBound)", "\"bins\":\(p.bins.count)",
            "\"start_us\":\(p.start)", "\"end_us\":\(p.end)", "\"events\":\(p.events)",
            "\"predicted\":\(p.predicted)", "\"name\":\(jsonQuoted(name))",
            String(format: "\"confidence\":%.4f", probabilities[p.predicted]),
            "\"label\":\(p.label.map(String.init) ?? "null")", "\"reset\":\(p.reset)", "\"learning\":\(status.learning)",
        ]
        if p.remembering { fields.append("\"remembering\":true") }
        if let loss = p.loss, loss.isFinite { fields.append(String(format: "\"loss\":%.5f", loss)) }
        if let acc = status.metrics?.rollingAccuracy { fields.append(String(format: "\"rolling_accuracy\":%.4f", acc)) }
        if let lag = status.lag { fields.append(String(format: "\"lag_s\":%.4f", lag)) }
        fields.append("\"dropped\":\(status.frames.dropped)")
        fields.append("\"merged\":\(status.frames.merged)")
        fields.append("\"probabilities\":[" + probabilities.map { String(format: "%.4f", $0) }.joined(separator: ",") + "]")
        fields.append("\"spike_rates\":[" + p.spikeRates.map { String(format: "%.4f", $0) }.joined(separator: ",") + "]")
        fields.append(String(format: "\"event_rate\":%.0f", status.eventRate))
        if let l = status.latencyP50 { fields.append(String(format: "\"latency_p50_ms\":%.3f", l * 1000)) }
        if let l = status.latencyP99 { fields.append(String(format: "\"latency_p99_ms\":%.3f", l * 1000)) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// Softmax of running scores (the confidences and bars every output shows).
    public static func softmax(_ scores: [Float]) -> [Double] {
        let m = scores.max() ?? 0
        let e = scores.map { Foundation.exp(Double($0 - m)) }
        let z = e.reduce(0, +)
        return e.map { $0 / z }
    }
}
