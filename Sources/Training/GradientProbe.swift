import SNN
import Tensors

/// An "optimizer" that records the completed gradients instead of changing anything: for gradient checks and for
/// comparing the gradients of two rules on the same weights and batch (`ottt bench gradients`).
///
///     let probe = GradientProbe()
///     var rule = OTTTA()
///     _ = rule.train(net, frames: frames, labels: labels, optimizer: probe)
///     probe.gradients   // [(name, values)], PyTorch's order; the weights did not move
public final class GradientProbe: Optimizer {
    public var learningRate: Float = 0
    public var standardizedRate: Float?
    public var plasticity: ChannelPlasticity?
    /// The gradients of the last step, by parameter name.
    public private(set) var gradients: [(name: String, values: [Float])] = []

    public init() {}

    public func step(_ network: Network) {
        network.updateParameters { params in gradients = params.map { ($0.name, $0.gradient.values) } }
    }
    public var state: [(name: String, tensor: Tensor)] { [] }
    /// Never saved; as settings it is SGD that does not move (lr 0, no momentum).
    public var settings: OptimizerSettings { OptimizerSettings(kind: .sgd, learningRate: 0, momentum: 0) }
    public func restore(_ state: [String: Tensor], for network: Network) throws(CheckpointError) {}
}
