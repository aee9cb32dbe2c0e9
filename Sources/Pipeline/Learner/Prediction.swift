import DVSEvents

/// What the learner says after one step: the output of the pipeline, one per network step.
public struct Prediction: Sendable {
    /// Network steps since the session (or the resumed session) started, counting this one from 1.
    public var step: Int
    public var bins: ClosedRange<Int>
    public var start: Microseconds
    public var end: Microseconds
    public var events: Int
    /// The running, decayed sum of outputs [classes]: scores ← decay · scores + o[t].
    public var scores: [Float]
    /// argmax of `scores`.
    public var predicted: Int
    /// The label this step was scored and learned against, if any.
    public var label: Int?
    /// Whether the learner learned at this step, and its loss.
    public var loss: Float?
    /// Whether the state was reset before this step.
    public var reset: Bool
    public var spikeRates: [Double]
    /// Whether the scores came from the class memory's prototypes (a new class engaged it), not the classifier.
    public var remembering: Bool

    public init(step: Int, bins: ClosedRange<Int>, start: Microseconds, end: Microseconds, events: Int, scores: [Float],
                predicted: Int, label: Int?, loss: Float?, reset: Bool, spikeRates: [Double], remembering: Bool = false) {
        self.step = step
        self.bins = bins
        self.start = start
        self.end = end
        self.events = events
        self.scores = scores
        self.predicted = predicted
        self.label = label
        self.loss = loss
        self.reset = reset
        self.spikeRates = spikeRates
        self.remembering = remembering
    }
}
