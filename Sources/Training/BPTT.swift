import SNN
import Tensors

/// Back-propagation through time with the surrogate gradient, the paper's baseline: the T steps are taped, the
/// summed loss is back-propagated through the unrolled network (through the membrane potentials across steps,
/// the reset detached; weight gradients from spikes), one optimizer step per batch. Memory grows with T.
public struct BPTT: LearningRule {
    public var gamma: Float
    private var gradients: [Tensor] = []
    private var accumulator: OutputAccumulator? = nil

    public init(gamma: Float = 0.001) { self.gamma = gamma }

    public mutating func train(_ network: Network, frames: [Tensor], labels: [Int], optimizer: any Optimizer,
                               observe: (Int, Tensor) -> Void) -> BatchResult {
        let b = labels.count, k = network.spec.classes
        if gradients.first?.count != b * k { gradients = []; accumulator = OutputAccumulator(batch: b, classes: k) }
        while gradients.count < frames.count { gradients.append(Tensor(shape: [b, k])) }
        let acc = accumulator!
        acc.reset()
        network.reset(batchSize: b, mode: .throughTime, training: true)
        let loss = StepLoss(gamma: gamma, steps: frames.count)
        var losses: [Float] = []
        losses.reserveCapacity(frames.count)
        for (t, frame) in frames.enumerated() {
            let o = network.step(frame)
            observe(t, o)
            acc.add(o)
            losses.append(loss.evaluate(o, labels: labels, gradient: gradients[t]))
        }
        network.backwardThroughTime(Array(gradients.prefix(frames.count)))
        optimizer.step(network)
        return BatchResult(losses, acc, labels)
    }
}
