import Tensors

/// Random but learnable samples for smoke tests and examples: class k owns a fixed random mask over [C, H, W] (a
/// fifth of the pixels); a sample of class k is binary frames where each pixel fires with probability 0.05, or 0.5
/// inside the mask, independently at every step. Sample i has class i mod K; everything follows from the seed, so
/// a test set (a different `first` index) is regenerated identically later.
public struct SyntheticSamples: SampleSet {
    public let count: Int
    public let classes: [String]
    public let steps: Int
    public let frameShape: [Int]
    /// Index of the first sample (train and test sets are disjoint ranges of one sequence).
    public let first: Int
    public let seed: UInt64
    private let masks: [[Bool]]

    /// `count` samples of `classes` classes (at least 2), T = `steps`, frames of `frameShape` [C, H, W].
    public init(count: Int, classes: Int, steps: Int, frameShape: [Int], first: Int = 0, seed: UInt64) {
        precondition(classes > 1 && count > 0 && steps > 0 && frameShape.allSatisfy { $0 > 0 },
                     "synthetic set of \(count) samples, \(classes) classes, T = \(steps), frames \(frameShape)")
        self.count = count
        self.classes = (0..<classes).map { "class\($0)" }
        self.steps = steps
        self.frameShape = frameShape
        self.first = first
        self.seed = seed
        var g = SeededGenerator(seed: seed ^ 0x6d61_736b)
        let n = frameShape.reduce(1, *)
        masks = (0..<classes).map { _ in (0..<n).map { _ in g.uniform() < 0.2 } }
    }

    public func label(_ i: Int) -> Int { (first + i) % classes.count }

    public func write(_ i: Int, into out: UnsafeMutablePointer<Float>, augment rng: inout SeededGenerator?) {
        precondition(i >= 0 && i < count, "synthetic sample \(i) of \(count)")
        var g = SeededGenerator(seed: seed &+ UInt64(first + i) &* 0x9E37_79B9_7F4A_7C15)
        let mask = masks[label(i)], n = mask.count
        for t in 0..<steps {
            for j in 0..<n { out[t * n + j] = g.uniform() < (mask[j] ? 0.5 : 0.05) ? 1 : 0 }
        }
    }
}
