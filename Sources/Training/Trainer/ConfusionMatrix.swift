import Foundation
import SNN
import Tensors

/// Predictions against labels: `counts[label][prediction]`, the summed loss when there is one, and what follows
/// (accuracy overall and per class). The one confusion matrix of the package: `ottt eval`, the trainer's test
/// pass and the live pipeline's scores all count into it.
public struct ConfusionMatrix: Equatable, Sendable, Codable {
    /// Class names in label order.
    public let classes: [String]
    /// counts[label][prediction].
    public internal(set) var counts: [[Int]]
    /// Σ over samples of Σ_t L[t] (zero when only predictions are counted).
    public internal(set) var lossSum = 0.0

    public init(classes: [String]) {
        self.classes = classes
        counts = Array(repeating: Array(repeating: 0, count: classes.count), count: classes.count)
    }

    /// A matrix of `classCount` classes named by their numbers.
    public init(classCount: Int) { self.init(classes: (0..<classCount).map { String($0) }) }

    /// Counts one prediction. Labels and predictions outside the classes are a programming error.
    public mutating func add(prediction: Int, label: Int) {
        precondition(counts.indices.contains(label) && counts.indices.contains(prediction),
                     "prediction \(prediction) for label \(label) with \(classes.count) classes")
        counts[label][prediction] += 1
    }

    /// Counts a batch and its mean loss per sample.
    public mutating func add(predictions: [Int], labels: [Int], batchLoss: Float) {
        for (p, l) in zip(predictions, labels) { add(prediction: p, label: l) }
        lossSum += Double(batchLoss) * Double(labels.count)
    }

    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }
    public var correct: Int { classes.indices.reduce(0) { $0 + counts[$1][$1] } }
    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }
    public var meanLoss: Double { total == 0 ? 0 : lossSum / Double(total) }

    /// Accuracy per class (recall); nil for a class without samples.
    public var perClass: [Double?] {
        counts.enumerated().map { k, row in
            let n = row.reduce(0, +)
            return n == 0 ? nil : Double(row[k]) / Double(n)
        }
    }

    /// Runs `network` without gradients on every sample of `set` (or those in `range`), `batch` at a time;
    /// `progress(done)` after each, `observe(t, o[t])` after every step (the network's state is that step's).
    public static func evaluate(_ network: Network, on set: some SampleSet, range: Range<Int>? = nil, batch: Int,
                                observe: (Int, Tensor) -> Void = { _, _ in },
                                progress: (Int) -> Void = { _ in }) -> ConfusionMatrix {
        precondition(batch > 0, "evaluation in batches of \(batch)")
        var matrix = ConfusionMatrix(classes: set.classes)
        let assembler = BatchAssembler()
        var none: SeededGenerator? = nil
        let range = range ?? 0..<set.count
        for start in stride(from: range.lowerBound, to: range.upperBound, by: batch) {
            let (frames, labels) = assembler.batch(set, indices: start..<min(start + batch, range.upperBound), augment: &none)
            let r = Training.evaluate(network, frames: frames, labels: labels, observe: observe)
            matrix.add(predictions: r.predictions, labels: labels, batchLoss: r.loss)
            progress(start + labels.count - range.lowerBound)
        }
        return matrix
    }

    /// The report form: a row per class (`k name`), columns predictions, and the class's accuracy in percent.
    public var text: String {
        let width = max(5, String(counts.flatMap { $0 }.max() ?? 0).count + 1)
        let names = classes.enumerated().map { "\($0) \($1)" }
        let nameWidth = min(30, (names.map(\.count).max() ?? 5) + 2)
        var out = pad("", nameWidth, left: false) + classes.indices.map { pad(String($0), width) }.joined() + "   accuracy\n"
        for (k, row) in counts.enumerated() {
            let acc = perClass[k].map { String(format: "%6.2f %%", 100 * $0) } ?? "     –"
            out += pad(String(names[k].prefix(nameWidth - 1)), nameWidth, left: false)
                + row.map { pad(String($0), width) }.joined() + "   \(acc)\n"
        }
        return out
    }

    /// The compact form: a `true\pred` header, a row per class named by `names` (else the class names), and
    /// each row's accuracy as a fraction.
    public func table(names: [String] = []) -> String {
        func name(_ k: Int) -> String { k < names.count ? names[k] : classes[k] }
        let width = max(5, classes.indices.map { name($0).count }.max() ?? 1, String(counts.flatMap { $0 }.max() ?? 0).count) + 1
        var lines = [pad("true\\pred", width) + classes.indices.map { pad(name($0), width) }.joined() + pad("acc", width)]
        for k in classes.indices {
            let acc = perClass[k].map { String(format: "%.2f", $0) } ?? "-"
            lines.append(pad(name(k), width) + counts[k].map { pad(String($0), width) }.joined() + pad(acc, width))
        }
        return lines.joined(separator: "\n")
    }
}

/// `s` padded with spaces to `width` characters, on the left (right-aligned) or on the right.
private func pad(_ s: String, _ width: Int, left: Bool = true) -> String {
    let fill = String(repeating: " ", count: max(0, width - s.count))
    return left ? fill + s : s + fill
}
