import DVSEvents
import Training

/// Accuracy per labelled sample rather than per bin: a sample's prediction is the running prediction at its last
/// labelled bin, when the network has seen all of it. This is how a dataset classifier is scored (argmax of the
/// summed outputs over the sample), applied to a stream.
///
/// Predictions arrive in time order; memory is constant (one open sample at a time).
public struct SampleAccuracy: Sendable {
    public let classes: Int
    /// Samples scored so far, and how many were right.
    public private(set) var scored = 0
    public private(set) var correct = 0
    /// Rows true label, columns predicted.
    public private(set) var matrix: ConfusionMatrix
    /// confusion[true][predicted]
    public var confusion: [[Int]] { matrix.counts }
    /// Outcomes of the most recent samples (true = right), at most `window` of them.
    private var recent: [Bool] = []
    private var recentNext = 0
    public let window: Int
    /// The open sample: its interval and the prediction at its latest bin.
    private var open: (start: Microseconds, end: Microseconds, label: Int, predicted: Int)?

    public init(classes: Int, window: Int = 100) {
        precondition(classes > 0 && window > 0, "SampleAccuracy needs classes > 0 and window > 0, got \(classes), \(window)")
        self.classes = classes
        self.window = window
        matrix = ConfusionMatrix(classCount: classes)
    }

    /// Takes the prediction of one bin; `interval` is the labelled sample the bin lies in (nil outside samples).
    /// Returns the sample that this bin closed, when it closed one: (label, predicted).
    @discardableResult
    public mutating func observe(predicted: Int, in interval: LabelSchedule.Interval?) -> (label: Int, predicted: Int)? {
        var closed: (label: Int, predicted: Int)?
        if let o = open, interval.map({ $0.start != o.start || $0.end != o.end }) ?? true {
            closed = close()
        }
        if let i = interval {
            precondition(i.label >= 0 && i.label < classes, "label \(i.label) for \(classes) classes")
            open = (i.start, i.end, i.label, predicted)
        }
        return closed
    }

    /// Scores the open sample, if any (call at the end of the stream). Returns it.
    @discardableResult
    public mutating func close() -> (label: Int, predicted: Int)? {
        guard let o = open else { return nil }
        open = nil
        scored += 1
        let right = o.predicted == o.label
        if right { correct += 1 }
        matrix.add(prediction: o.predicted, label: o.label)
        if recent.count < window { recent.append(right) } else { recent[recentNext] = right }
        recentNext = (recentNext + 1) % window
        return (o.label, o.predicted)
    }

    public var accuracy: Double? { scored == 0 ? nil : Double(correct) / Double(scored) }
    /// Accuracy over the last `window` samples.
    public var rollingAccuracy: Double? {
        recent.isEmpty ? nil : Double(recent.filter { $0 }.count) / Double(recent.count)
    }
}
