import Training

/// Test-then-train scores: every prediction is scored against its label *before* the learner sees that label.
///
/// Kept per bin (one scored step per labelled bin): the overall and a rolling accuracy over the last `window`
/// steps, accuracy per class, and a confusion matrix (rows true class, columns predicted). Memory is fixed.
public struct PrequentialMetrics: Sendable, Equatable, Codable {
    public let classes: Int
    public let window: Int
    public private(set) var scored = 0
    public private(set) var correct = 0
    /// Rows true class, columns predicted.
    public private(set) var matrix: ConfusionMatrix
    /// confusion[true][predicted]
    public var confusion: [[Int]] { matrix.counts }
    private var recent: [Bool]
    private var recentNext = 0
    private var recentCorrect = 0

    public init(classes: Int, window: Int = 1000) {
        precondition(classes > 0 && window > 0, "metrics for \(classes) classes over a window of \(window)")
        self.classes = classes
        self.window = window
        matrix = ConfusionMatrix(classCount: classes)
        recent = []
        recent.reserveCapacity(window)
    }

    /// Scores one prediction. Labels outside the classes are a programming error (the learner checks them).
    public mutating func score(predicted: Int, label: Int) {
        precondition(label >= 0 && label < classes && predicted >= 0 && predicted < classes,
                     "scoring prediction \(predicted) against label \(label) with \(classes) classes")
        let hit = predicted == label
        scored += 1
        if hit { correct += 1 }
        matrix.add(prediction: predicted, label: label)
        if recent.count < window {
            recent.append(hit)
        } else {
            if recent[recentNext] { recentCorrect -= 1 }
            recent[recentNext] = hit
            recentNext = (recentNext + 1) % window
        }
        if hit { recentCorrect += 1 }
    }

    /// Accuracy over everything scored, nil before the first score.
    public var accuracy: Double? { scored == 0 ? nil : Double(correct) / Double(scored) }

    /// Accuracy over the last `window` scores.
    public var rollingAccuracy: Double? { recent.isEmpty ? nil : Double(recentCorrect) / Double(recent.count) }

    /// Accuracy per true class (nil for a class never seen).
    public var perClassAccuracy: [Double?] { matrix.perClass }

    /// The confusion matrix as text, rows true, columns predicted, with class names when given.
    public func confusionTable(names: [String] = []) -> String {
        matrix.table(names: names)
    }
}
