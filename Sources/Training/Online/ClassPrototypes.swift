import Tensors

/// Per-class running means ("prototypes") of a feature vector — the online learner's last spiking layer's traces,
/// what its classifier reads — and a nearest-prototype score per class: a memory of each class that learning other
/// classes does not overwrite, so that classes taught earlier are still recognised after new ones (class-incremental
/// learning). Its size is fixed, classes × features floats, whatever the length of the stream: no sample, event or
/// frame is stored.
///
///     μ_k ← μ_k + (f − μ_k) / min(n_k, window)      at each labelled step of class k (f ≠ 0), n_k += 1
///     score_k = cos(f, μ_k) = f·μ_k / (|f| |μ_k|)    −1 for a class not seen yet
///
/// The window makes the mean a running one once a class has `window` steps, so that it follows the features as the
/// convolutions keep learning.
public struct ClassPrototypes: Sendable, Equatable {
    public let classes: Int
    public let features: Int
    public var window: Int
    /// μ, classes × features, row-major.
    public private(set) var means: [Float]
    /// Labelled steps seen per class.
    public private(set) var counts: [Int]

    public init(classes: Int, features: Int, window: Int = 1000) {
        precondition(classes > 0 && features > 0 && window > 0, "prototypes \(classes) × \(features), window \(window)")
        self.classes = classes
        self.features = features
        self.window = window
        means = [Float](repeating: 0, count: classes * features)
        counts = [Int](repeating: 0, count: classes)
    }

    /// Adds `f` (`features` values) to class `k`'s mean; a zero vector (a silent layer) teaches nothing.
    public mutating func add(_ f: UnsafeBufferPointer<Float>, to k: Int) {
        precondition(f.count == features && k >= 0 && k < classes, "feature of \(f.count) for class \(k)")
        guard let base = f.baseAddress else { return }
        let norm = Vector.dot(features, base, base)
        guard norm > 0, norm.isFinite else { return }
        counts[k] += 1
        let rate = 1 / Float(min(counts[k], window))
        means.withUnsafeMutableBufferPointer { m in
            let row = k * features
            for i in 0..<features { m[row + i] += rate * (f[i] - m[row + i]) }
        }
    }

    /// cos(f, μ_k) per class, −1 for a class without steps yet or when f is zero.
    public func scores(_ f: UnsafeBufferPointer<Float>) -> [Float] {
        precondition(f.count == features, "feature of \(f.count), prototypes of \(features)")
        var out = [Float](repeating: -1, count: classes)
        guard let x = f.baseAddress else { return out }
        let fn = Vector.dot(features, x, x)
        guard fn > 0, fn.isFinite else { return out }
        means.withUnsafeBufferPointer { m in
            guard let m = m.baseAddress else { return }
            for k in 0..<classes where counts[k] > 0 {
                let row = m + k * features
                let dot = Vector.dot(features, x, row), mn = Vector.dot(features, row, row)
                if mn > 0 { out[k] = dot / (fn.squareRoot() * mn.squareRoot()) }
            }
        }
        return out
    }

    /// The state as flat values (means, then counts) for a checkpoint, and back.
    public var counted: [Float] { counts.map(Float.init) }

    /// Restores means and counts saved from prototypes of the same shape; false when they do not fit.
    public mutating func restore(means saved: [Float], counts savedCounts: [Float]) -> Bool {
        guard saved.count == means.count, savedCounts.count == counts.count,
              saved.allSatisfy(\.isFinite),
              savedCounts.allSatisfy({ $0.isFinite && $0 >= 0 && $0 <= 1e15 }) else { return false }
        means = saved
        counts = savedCounts.map { Int($0) }
        return true
    }
}
