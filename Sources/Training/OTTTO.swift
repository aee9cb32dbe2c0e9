import SNN
import Tensors

/// OTTT_O: as OTTT_A, but an optimizer step after every time step, so the weights change within a sequence.
public struct OTTTO: LearningRule {
    public var gamma: Float
    private var workspace = StepWorkspace()

    public init(gamma: Float = 0.001) { self.gamma = gamma }

    public mutating func train(_ network: Network, frames: [Tensor], labels: [Int], optimizer: any Optimizer,
                               observe: (Int, Tensor) -> Void) -> BatchResult {
        let (g, acc) = workspace.prepare(batch: labels.count, classes: network.spec.classes)
        network.reset(batchSize: labels.count, mode: .online, training: true)
        let loss = StepLoss(gamma: gamma, steps: frames.count)
        var losses: [Float] = []
        losses.reserveCapacity(frames.count)
        for (t, frame) in frames.enumerated() {
            let o = network.step(frame)
            observe(t, o)
            acc.add(o)
            losses.append(loss.evaluate(o, labels: labels, gradient: g))
            network.backwardStep(g, completesGradients: true)
            optimizer.step(network)
        }
        return BatchResult(losses, acc, labels)
    }
}
