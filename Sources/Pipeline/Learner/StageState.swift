/// What the learner stage carries from step to step besides the network: saved in running checkpoints.
public struct StageState: Codable, Sendable, Equatable {
    public var steps = 0
    /// The last bin stepped on and its end (µs): where a resumed stream starts again.
    public var lastBin: Int?
    public var lastEnd: Int64?
    public var lastLabel: Int?
    public var scores: [Float]
    public var metrics: PrequentialMetrics
    var resets: ResetTracker
    public var learning: Bool
    public var stopReason: String?
    /// The running input scale, when the session divides inputs by it (absent in older checkpoints: none).
    public var inputScale: RunningRMS?

    init(classes: Int, reset: ResetPolicy, learning: Bool, metricsWindow: Int, scaleInput: Bool = false) {
        inputScale = scaleInput ? RunningRMS() : nil
        scores = Array(repeating: 0, count: classes)
        metrics = PrequentialMetrics(classes: classes, window: metricsWindow)
        resets = ResetTracker(policy: reset)
        self.learning = learning
    }
}
