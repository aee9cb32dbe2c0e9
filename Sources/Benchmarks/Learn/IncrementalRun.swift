import Pipeline
import SNN

/// Class-incremental learning on the simulator's digits, as a camera user would teach: learn samples of 0–4 only,
/// then of 5–9 only, and test all ten on a held-out stream (another seed) after each phase, frozen, a sample's
/// prediction read at its last labelled bin. Nothing of the stream is stored: the learner is the session's.
public struct IncrementalResult: Sendable, Codable {
    /// The recipe's name (`LearnRecipe.name`).
    public var recipe: String
    /// Held-out accuracy on classes 0–4 after learning 0–4, and after then learning 5–9.
    public var oldBefore: Double
    public var oldAfter: Double
    /// Held-out accuracy on classes 5–9 after learning them.
    public var newAfter: Double
    /// Labelled bins of each new class (5–9) learned before its rolling accuracy over its last 50 bins reached 80 %
    /// (nil: never).
    public var binsToReach: [Int?]
}

enum IncrementalRun {
    static func run(train: LearnStream, test: LearnStream, spec: NetworkSpec, seed: UInt64,
                    recipe: LearnRecipe) throws -> IncrementalResult {
        var settings = SessionSettings(sensor: .init(width: 1, height: 1), binWidth: train.binWidth, learn: true,
                                       reset: train.reset)
        recipe.apply(to: &settings)
        let network = recipe.freshNetwork(spec, seed: seed)
        let learner = LearningSession.engineLearner(network: network, settings: settings)
        func stage(learn: Bool) -> LearnerStage {
            learner.resetState()
            return LearnerStage(learner: learner, decay: settings.decay, reset: settings.reset, learn: learn,
                                scaleInput: settings.scaleInput)
        }
        var seen = [Int](repeating: 0, count: 10), recent = [[Bool]](repeating: [], count: 10)
        var reach = [Int?](repeating: nil, count: 10)
        func learn(_ classes: ClosedRange<Int>, track: Bool) throws {
            let s = stage(learn: true)
            for (frame, label) in zip(train.frames, train.labels) where label.map(classes.contains) ?? true {
                let p = try s.process(frame, label: label)
                guard track, let label else { continue }
                seen[label] += 1
                recent[label].append(p.predicted == label)
                if recent[label].count > 50 { recent[label].removeFirst() }
                if reach[label] == nil, recent[label].count == 50, recent[label].filter({ $0 }).count >= 40 {
                    reach[label] = seen[label]
                }
            }
        }
        /// Per-class held-out sample accuracy: [correct, count] per class.
        func evaluate() throws -> [(Int, Int)] {
            let s = stage(learn: false)
            var score = [(Int, Int)](repeating: (0, 0), count: 10)
            var current: (label: Int, predicted: Int)?
            func close() {
                guard let c = current else { return }
                score[c.label].1 += 1
                if c.predicted == c.label { score[c.label].0 += 1 }
                current = nil
            }
            for (frame, label) in zip(test.frames, test.labels) {
                let p = try s.process(frame, label: label)
                if current?.label != label { close() }
                if let label { current = (label, p.predicted) }
            }
            close()
            return score
        }
        func accuracy(_ s: [(Int, Int)], _ classes: ClosedRange<Int>) -> Double {
            let n = classes.reduce(0) { $0 + s[$1].1 }, k = classes.reduce(0) { $0 + s[$1].0 }
            return n == 0 ? 0 : Double(k) / Double(n)
        }
        try learn(0...4, track: false)
        let before = try evaluate()
        try learn(5...9, track: true)
        let after = try evaluate()
        return IncrementalResult(recipe: recipe.name, oldBefore: accuracy(before, 0...4), oldAfter: accuracy(after, 0...4),
                                 newAfter: accuracy(after, 5...9), binsToReach: Array(reach[5...9]))
    }
}
