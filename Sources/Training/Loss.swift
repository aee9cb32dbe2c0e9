import Tensors
#if canImport(Glibc)
import Glibc
#endif

/// OTTT's per-step loss on the classifier output o[t] [B, K] (K classes):
///
///     L[t] = ((1 − γ) · CE(o[t], y) + γ · MSE(o[t], onehot(y))) / T
///     ∂L/∂o[b,k] = ((1 − γ) · (softmax(o[b])[k] − [k = y_b]) / B + γ · 2 (o[b,k] − [k = y_b]) / (B·K)) / T
///
/// CE is averaged over the batch, MSE over batch and classes; γ = 0.001 in the paper.
public struct StepLoss: Sendable {
    public var gamma: Float
    /// T, the number of steps the loss is spread over (1 for a stream that updates every step).
    public var steps: Int

    public init(gamma: Float = 0.001, steps: Int) {
        precondition(steps > 0, "loss over \(steps) steps")
        self.gamma = gamma; self.steps = steps
    }

    /// Returns L[t] and writes ∂L[t]/∂o[t] into `gradient` [B, K].
    @discardableResult
    public func evaluate(_ output: Tensor, labels: [Int], gradient: Tensor) -> Float {
        let b = labels.count
        precondition(b > 0 && output.count % b == 0 && gradient.count == output.count,
                     "loss on output \(output.shape) with \(labels.count) labels and gradient \(gradient.shape)")
        let k = output.count / b
        let invT = 1 / Float(steps)
        var ce: Double = 0, mse: Double = 0
        for s in 0..<b {
            let y = labels[s]
            precondition(y >= 0 && y < k, "label \(y) outside 0..<\(k)")
            let o = output.data + s * k, g = gradient.data + s * k
            var m = -Float.infinity
            for j in 0..<k { m = max(m, o[j]) }
            var z: Float = 0
            for j in 0..<k { z += expf(o[j] - m) }
            ce += Double(logf(z) + m - o[y])
            for j in 0..<k {
                let target: Float = j == y ? 1 : 0
                let p = expf(o[j] - m) / z
                let diff = o[j] - target
                mse += Double(diff * diff)
                g[j] = ((1 - gamma) * (p - target) / Float(b) + gamma * 2 * diff / Float(b * k)) * invT
            }
        }
        let loss = ((1 - Double(gamma)) * ce / Double(b) + Double(gamma) * mse / Double(b * k)) / Double(steps)
        return Float(loss)
    }
}

/// Predictions from summed outputs: argmax of Σ_t o[t] per sample, with an optional decay for streams.
public struct OutputAccumulator {
    /// Σ o[t] so far [B, K] (decayed when `decay` < 1: acc ← decay · acc + o[t]).
    public let sum: Tensor
    public var decay: Float

    public init(batch: Int, classes: Int, decay: Float = 1) {
        sum = Tensor(shape: [batch, classes]); self.decay = decay
    }

    public func reset() { sum.zero() }

    public func add(_ output: Tensor) {
        precondition(output.count == sum.count, "output \(output.shape) into accumulator \(sum.shape)")
        for i in 0..<sum.count { sum.data[i] = decay * sum.data[i] + output.data[i] }
    }

    /// The argmax class per sample.
    public var predictions: [Int] { (0..<sum.shape[0]).map(prediction(sample:)) }

    /// The argmax class of sample `s`.
    public func prediction(sample s: Int) -> Int {
        let k = sum.shape[1], row = sum.data + s * k
        var best = 0
        for j in 1..<k where row[j] > row[best] { best = j }
        return best
    }

    /// softmax of sample `s`'s running sum at class `j`.
    public func confidence(sample s: Int, class j: Int) -> Float {
        let k = sum.shape[1], row = sum.data + s * k
        var m = -Float.infinity
        for i in 0..<k { m = max(m, row[i]) }
        var z: Float = 0
        for i in 0..<k { z += expf(row[i] - m) }
        return expf(row[j] - m) / z
    }
}
