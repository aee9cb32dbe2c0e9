/// The network end of the pipeline, one frame at a time, on one thread: reset policy, one network step, the
/// running prediction, test-then-train scoring, learning, and the journal. Deterministic: the same frames and
/// labels give the same predictions and weights, which is what makes a journal replay bit-exact.
///
/// Order within a step (prequential): reset? → input scale (`RunningRMS`, when on) → step → scores ← decay · scores + o[t] → score the prediction
/// against the label → learn from the label.
public final class LearnerStage {
    public let learner: any OnlineLearner
    public let decay: Float
    /// The state that a running checkpoint saves besides the learner's tensors.
    public private(set) var state: StageState
    private let journal: SessionJournalWriter?
    private let firstBin: Int

    /// `learn` false only predicts; labels are then still scored. `scaleInput` divides every input by a running RMS
    /// (`RunningRMS`). `firstBin` is the index of the stream's first bin (not 0 for a resumed session), so that bins
    /// dropped before the first step are journalled too.
    public init(learner: any OnlineLearner, decay: Float, reset: ResetPolicy, learn: Bool, scaleInput: Bool = false,
                journal: SessionJournalWriter? = nil, firstBin: Int = 0, metricsWindow: Int = 1000) {
        precondition(decay >= 0 && decay <= 1, "prediction decay \(decay) outside [0, 1]")
        self.learner = learner
        self.decay = decay
        self.journal = journal
        self.firstBin = firstBin
        state = StageState(classes: learner.classes, reset: reset, learning: learn, metricsWindow: metricsWindow,
                           scaleInput: scaleInput)
    }

    /// Stops learning from now on (a pending segment is applied first), as a frozen hold-out test wants; labels are
    /// still scored.
    public func freeze() {
        learner.resetState()
        for k in state.scores.indices { state.scores[k] = 0 }
        state.learning = false
    }

    /// Starts scoring afresh (the learner and the input scale are kept): for a test after learning.
    public func resetMetrics() {
        state.metrics = PrequentialMetrics(classes: learner.classes, window: state.metrics.window)
    }

    /// Continues from a running checkpoint's stage state (the learner restores its own tensors).
    func restore(_ saved: StageState) throws(PipelineError) {
        guard saved.scores.count == learner.classes else {
            throw PipelineError(file: "checkpoint", expected: "\(learner.classes) class scores", found: "\(saved.scores.count)")
        }
        state = saved
    }

    public var metrics: PrequentialMetrics { state.metrics }
    /// Whether learning is on (it goes off for good after a non-finite update).
    public var isLearning: Bool { state.learning }
    /// Why learning stopped, if it did.
    public var stopReason: String? { state.stopReason }

    /// One step on `frame`, scored and learned against `label` when there is one.
    public func process(_ frame: BinnedFrame, label: Int?) throws(PipelineError) -> Prediction {
        if let label {
            precondition(label >= 0 && label < learner.classes, "label \(label) for \(learner.classes) classes")
        }
        try writeJournal(frame, label: label)
        let reset = state.resets.shouldReset(before: frame, label: label)
        if reset {
            learner.resetState()
            for k in state.scores.indices { state.scores[k] = 0 }
        }
        let output: [Float]
        if state.inputScale != nil {
            var values = frame.values
            state.inputScale?.scale(&values, duration: frame.end - frame.start)
            output = learner.step(values)
        } else {
            output = learner.step(frame.values)
        }
        let remembering = learner.memoryEngaged                                       // what made this output
        for k in state.scores.indices { state.scores[k] = decay * state.scores[k] + output[k] }
        var predicted = 0
        for k in state.scores.indices where state.scores[k] > state.scores[predicted] { predicted = k }
        var loss: Float?
        if let label {
            state.metrics.score(predicted: predicted, label: label)                 // test …
            if state.learning {                                                     // … then train
                switch learner.learn(label: label) {
                case .learned(let l): loss = l
                case .nonFinite(let where_):
                    state.learning = false
                    state.stopReason = "learning stopped at bin \(frame.bins.upperBound): \(where_); "
                        + "predictions go on with the last good weights"
                }
            }
        }
        state.steps += 1
        state.lastBin = frame.bins.upperBound
        state.lastEnd = frame.end
        return Prediction(step: state.steps, bins: frame.bins, start: frame.start, end: frame.end, events: frame.events,
                          scores: state.scores, predicted: predicted, label: label, loss: loss, reset: reset,
                          spikeRates: learner.spikeRates, remembering: remembering)
    }

    private func writeJournal(_ frame: BinnedFrame, label: Int?) throws(PipelineError) {
        defer { state.lastLabel = label }
        guard let journal else { return }
        let first = frame.bins.lowerBound
        let next = state.lastBin.map { $0 + 1 } ?? firstBin
        if first > next {
            try journal.append(.init(kind: .drop, first: next, last: first - 1))
        }
        if frame.bins.count > 1 {
            try journal.append(.init(kind: .merge, first: first, last: frame.bins.upperBound))
        }
        if state.steps == 0 ? label != nil : label != state.lastLabel {
            try journal.append(.init(kind: .label, first: first, label: label))
        }
    }

    /// Writes the end line of the journal and closes it.
    public func finishJournal() throws(PipelineError) {
        guard let journal else { return }
        try journal.append(.init(kind: .end, first: state.lastBin ?? -1, last: state.steps))
        journal.close()
    }
}
