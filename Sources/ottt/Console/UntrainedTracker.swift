import Pipeline

/// Whether the network behind the predictions is still untrained: it started fresh (no checkpoint) and no step
/// before this one learned from a label. Its argmax then means nothing, and the outputs say "untrained" instead of
/// "predicted 0 (0.10)".
struct UntrainedTracker {
    private(set) var isUntrained: Bool

    static let text = "untrained (a fresh network, nothing learned yet)"

    init(_ startsUntrained: Bool) { isUntrained = startsUntrained }

    /// Notes `p` after it is shown: a step that learned (it has a loss) trains the network for the next ones.
    mutating func observe(_ p: Prediction) {
        if p.loss != nil { isUntrained = false }
    }
}
