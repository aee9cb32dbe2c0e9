import DVSEvents

/// Where the learner's labels come from.
public enum LabelFeed: Sendable {
    /// No labels: predict only.
    case none
    /// A label file: a bin is labelled when it lies inside one labelled interval.
    case schedule(LabelSchedule)
    /// A teacher (keys, `--teach-from`): the label on the board when the learner takes the step.
    case board(LabelBoard)
    /// A session journal being replayed: the labels of the recorded session, by bin.
    case journal(JournalSchedule)

    /// The label for `frame`; `origin` is the stream's first bin start (for teaching times).
    func label(for frame: BinnedFrame, origin: Microseconds) -> Int? {
        switch self {
        case .none: nil
        case .schedule(let s): s.label(from: frame.start, to: frame.end)
        case .board(let b): b.label(at: frame.start - origin)
        case .journal(let j): j.label(atBin: frame.bins.lowerBound)
        }
    }

    /// Whether a teacher's reset (live) or the journal's (replayed) clears the neuron state before the step on
    /// `frame`; asked once per step on the learner's thread.
    func takeReset(for frame: BinnedFrame) throws(PipelineError) -> Bool {
        switch self {
        case .none, .schedule: false
        case .board(let b): try b.takeReset(atBin: frame.bins.lowerBound)
        case .journal(let j): j.resets(atBin: frame.bins.lowerBound)
        }
    }
}
