import Foundation
import SNN
import Tensors
import Training

/// Predictions against labels on a set of samples: the confusion matrix and the summed loss.
struct ConfusionMatrix: Equatable {
    let classes: [String]
    /// counts[label][prediction].
    private(set) var counts: [[Int]]
    /// Σ over samples of Σ_t L[t].
    private(set) var lossSum = 0.0

    init(classes: [String]) {
        self.classes = classes
        counts = Array(repeating: Array(repeating: 0, count: classes.count), count: classes.count)
    }

    mutating func add(predictions: [Int], labels: [Int], batchLoss: Float) {
        for (p, l) in zip(predictions, labels) { counts[l][p] += 1 }
        lossSum += Double(batchLoss) * Double(labels.count)
    }

    var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }
    var correct: Int { classes.indices.reduce(0) { $0 + counts[$1][$1] } }
    var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }
    var meanLoss: Double { total == 0 ? 0 : lossSum / Double(total) }

    /// Accuracy per class (recall); nil for a class without samples.
    var perClass: [Double?] {
        counts.enumerated().map { k, row in
            let n = row.reduce(0, +)
            return n == 0 ? nil : Double(row[k]) / Double(n)
        }
    }

    /// Runs `network` without gradients on every sample of `set`, `batch` at a time; `progress(done)` after each.
    static func evaluate(_ network: Network, on set: some SampleSet, batch: Int,
                         progress: (Int) -> Void = { _ in }) -> ConfusionMatrix {
        var matrix = ConfusionMatrix(classes: set.classes)
        let assembler = BatchAssembler()
        var none: SeededGenerator? = nil
        for start in stride(from: 0, to: set.count, by: batch) {
            let (frames, labels) = assembler.batch(set, indices: start..<min(start + batch, set.count), augment: &none)
            let r = Training.evaluate(network, frames: frames, labels: labels)
            matrix.add(predictions: r.predictions, labels: labels, batchLoss: r.loss)
            progress(start + labels.count)
        }
        return matrix
    }

    /// The matrix as aligned text: rows are labels, columns predictions, with per-class accuracy.
    var text: String {
        let width = max(5, String(counts.flatMap { $0 }.max() ?? 0).count + 1)
        let names = classes.enumerated().map { "\($0) \($1)" }
        let nameWidth = min(30, (names.map(\.count).max() ?? 5) + 2)
        var out = "".padding(nameWidth) + classes.indices.map { String($0).leftPadded(width) }.joined() + "   accuracy\n"
        for (k, row) in counts.enumerated() {
            let name = names[k]
            let acc = perClass[k].map { String(format: "%6.2f %%", 100 * $0) } ?? "     –"
            out += String(name.prefix(nameWidth - 1)).padding(nameWidth) + row.map { String($0).leftPadded(width) }.joined()
                + "   \(acc)\n"
        }
        return out
    }
}

extension String {
    /// Pads on the left with spaces to `width` characters.
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
