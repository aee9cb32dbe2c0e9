import SNN
import Tensors

/// OTTT_A: at every step the network runs forward, the step's loss is back-propagated through that step only
/// (presynaptic traces stand in for the past), and the gradients are summed over the T steps; one optimizer step
/// per batch. Memory does not depend on T.
public struct OTTTA: LearningRule {
    public var gamma: Float
    private var workspace = StepWorkspace()

    public init(gamma: Float = 0.001) { self.gamma = gamma }

    public mutating func train(_ network: Network, frames: [Tensor], labels: [Int], optimizer: any Optimizer,
                               observe: (Int, Tensor) -> Void) -> BatchResult {
        let result = workspace.trainOnline(network, frames: frames, labels: labels, gamma: gamma, observe: observe)
        optimizer.step(network)                          // once, from the gradients summed over the T steps
        return result
    }
}

extension StepWorkspace {
    /// The online forward/backward both OTTT rules share: at every step the network runs forward, the step's loss
    /// is back-propagated through that step only (traces stand in for the past) and its gradient is added;
    /// `afterStep` runs after each step's backward (OTTT_O updates there, so every step's gradients are final;
    /// OTTT_A's are final after the last step, which data-parallel training's reduction waits for).
    mutating func trainOnline(_ network: Network, frames: [Tensor], labels: [Int], gamma: Float,
                              observe: (Int, Tensor) -> Void, afterStep: (() -> Void)? = nil) -> BatchResult {
        let (g, acc) = prepare(batch: labels.count, classes: network.spec.classes)
        network.reset(batchSize: labels.count, mode: .online, training: true)
        let loss = StepLoss(gamma: gamma, steps: frames.count)
        var losses: [Float] = []
        losses.reserveCapacity(frames.count)
        for (t, frame) in frames.enumerated() {
            let o = network.step(frame)                  // [B, classes]
            observe(t, o)
            acc.add(o)
            losses.append(loss.evaluate(o, labels: labels, gradient: g))
            network.backwardStep(g, completesGradients: afterStep != nil || t == frames.count - 1)
            afterStep?()
        }
        return BatchResult(losses, acc, labels)
    }
}

/// The per-batch buffers of a learning rule: ∂L/∂o [B, K] and the output accumulator, reused while B is unchanged.
struct StepWorkspace {
    private var gradient: Tensor? = nil
    private var accumulator: OutputAccumulator? = nil

    /// The buffers for `batch` × `classes`, the accumulator zeroed.
    mutating func prepare(batch: Int, classes: Int) -> (Tensor, OutputAccumulator) {
        if gradient?.count != batch * classes {
            gradient = Tensor(shape: [batch, classes])
            accumulator = OutputAccumulator(batch: batch, classes: classes)
        }
        accumulator!.reset()
        return (gradient!, accumulator!)
    }
}
