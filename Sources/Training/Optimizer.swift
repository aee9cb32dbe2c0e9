import SNN
import Tensors
#if canImport(Glibc)
import Glibc
#endif

/// Changes parameters from their gradients. Optimizers keep per-parameter state keyed by parameter name, so the
/// state can be checkpointed (`state`) and restored (`restore`).
public protocol Optimizer: AnyObject {
    /// The learning rate of the next step (a schedule sets it).
    var learningRate: Float { get set }
    /// The rate of the scale-invariant parameters (`Parameter.scaleInvariant`: weight-standardised convolutions'
    /// W, a normalised classifier's W), whatever `learningRate` (nil: `learningRate`). Not a checkpointed setting: the online learner's sessions
    /// set it (`LearningRecipe.standardizedRate`).
    var standardizedRate: Float? { get set }
    /// Plastic and stable output channels in the convolutions' weights (nil: every channel alike). Like
    /// `standardizedRate`, the online learner's sessions set it (`LearningRecipe.plasticity`).
    var plasticity: ChannelPlasticity? { get set }
    /// One update of `network`'s parameters from their gradients, which are then zeroed.
    func step(_ network: Network)
    /// The state to checkpoint, by name (for example `momentum.conv1.weight`).
    var state: [(name: String, tensor: Tensor)] { get }
    /// The kind and hyper-parameters, recorded in checkpoints (`OptimizerSettings`' words) and read back.
    var settings: OptimizerSettings { get }
    /// Restores state saved by `state`; throws on a missing or mis-shaped tensor.
    func restore(_ state: [String: Tensor], for network: Network) throws(CheckpointError)
}

extension Optimizer {
    /// The rate `p` steps by.
    public func rate(for p: Parameter) -> Float {
        p.scaleInvariant ? standardizedRate ?? learningRate : learningRate
    }

    /// The settings in words, as checkpoint metadata records them (`sgd lr=0.1 momentum=0.9 weight_decay=0`).
    public var configuration: String { settings.description }
}

/// Stochastic gradient descent with momentum and weight decay, as PyTorch's `torch.optim.SGD` (dampening 0):
///
///     g ← ∇ + wd · p;   b ← g at the first step, then b ← μ b + g;   p ← p − lr · b
public final class SGD: Optimizer {
    public var learningRate: Float
    public var standardizedRate: Float?
    public var plasticity: ChannelPlasticity?
    public let momentum: Float
    public let weightDecay: Float
    private var buffers: [String: Tensor] = [:]

    public init(learningRate: Float, momentum: Float = 0.9, weightDecay: Float = 0) {
        self.learningRate = learningRate; self.momentum = momentum; self.weightDecay = weightDecay
    }

    public func step(_ network: Network) {
        network.updateParameters { parameters in
            for p in parameters {
                let w = p.value.data, g = p.gradient.data, wd = weightDecay, μ = momentum
                var b: UnsafeMutablePointer<Float>?
                if momentum != 0 {   // a new buffer is zero, so the first step sets b ← g
                    let buffer = buffers[p.name] ?? Tensor(shape: p.value.shape)
                    buffers[p.name] = buffer
                    b = buffer.data
                }
                forEachSpan(of: p, beta1: 0) { range, channel in   // SGD reads the channels' rates only
                    let lr = rate(for: p) * channel.rateScale
                    guard let b else { for i in range { w[i] -= lr * (g[i] + wd * w[i]) }; return }
                    for i in range { b[i] = μ * b[i] + (g[i] + wd * w[i]); w[i] -= lr * b[i] }
                }
            }
        }
    }

    public var state: [(name: String, tensor: Tensor)] {
        buffers.sorted { $0.key < $1.key }.map { (name: "momentum.\($0.key)", tensor: $0.value) }
    }

    public var settings: OptimizerSettings {
        OptimizerSettings(kind: .sgd, learningRate: learningRate, momentum: momentum, weightDecay: weightDecay,
                          standardizedRate: standardizedRate, plasticity: plasticity)
    }

    public func restore(_ state: [String: Tensor], for network: Network) throws(CheckpointError) {
        buffers = try restoreBuffers(prefix: "momentum.", from: state, for: network)
    }
}

/// Adam (Kingma & Ba) as PyTorch's `torch.optim.Adam` (L2 weight decay added to the gradient):
///
///     g ← ∇ + wd · p;  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  p ← p − lr · (m/(1−β₁ᵗ)) / (sqrt(v/(1−β₂ᵗ)) + ε)
public final class Adam: Optimizer {
    public var learningRate: Float
    public var standardizedRate: Float?
    public var plasticity: ChannelPlasticity?
    public let beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float
    /// Steps taken (t).
    public private(set) var steps = 0
    private var first: [String: Tensor] = [:], second: [String: Tensor] = [:]

    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
                weightDecay: Float = 0) {
        self.learningRate = learningRate; self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    public func step(_ network: Network) {
        steps += 1
        let t = Float(steps), c2 = 1 - powf(beta2, t)
        network.updateParameters { parameters in
            for p in parameters {
                let m = first[p.name] ?? { let t = Tensor(shape: p.value.shape); first[p.name] = t; return t }()
                let v = second[p.name] ?? { let t = Tensor(shape: p.value.shape); second[p.name] = t; return t }()
                let w = p.value.data, g = p.gradient.data, md = m.data, vd = v.data
                forEachSpan(of: p, beta1: beta1) { range, channel in
                    let lr = rate(for: p) * channel.rateScale, b1 = channel.beta1, c1 = 1 - powf(b1, t)
                    for i in range {
                        let gi = g[i] + weightDecay * w[i]
                        md[i] = b1 * md[i] + (1 - b1) * gi
                        vd[i] = beta2 * vd[i] + (1 - beta2) * gi * gi
                        w[i] -= lr * (md[i] / c1) / ((vd[i] / c2).squareRoot() + epsilon)
                    }
                }
            }
        }
    }

    public var state: [(name: String, tensor: Tensor)] {
        let stepTensor = Tensor(shape: [1], values: [Float(steps)])
        return [(name: "steps", tensor: stepTensor)]
            + first.sorted { $0.key < $1.key }.map { (name: "m.\($0.key)", tensor: $0.value) }
            + second.sorted { $0.key < $1.key }.map { (name: "v.\($0.key)", tensor: $0.value) }
    }

    public var settings: OptimizerSettings {
        OptimizerSettings(kind: .adam, learningRate: learningRate, weightDecay: weightDecay, beta1: beta1, beta2: beta2,
                          epsilon: epsilon, standardizedRate: standardizedRate, plasticity: plasticity)
    }

    public func restore(_ state: [String: Tensor], for network: Network) throws(CheckpointError) {
        first = try restoreBuffers(prefix: "m.", from: state, for: network)
        second = try restoreBuffers(prefix: "v.", from: state, for: network)
        let t = state["steps"].map { $0.count == 1 ? $0[0] : .nan } ?? 0   // an empty or longer tensor is no count
        guard t.isFinite, t >= 0, t <= 1e9 else {
            throw .badValue(name: "optimizer.steps", value: "\(t)", expected: "a step count from 0 to 10⁹")
        }
        steps = Int(t)
    }
}

/// Buffers named `prefix + parameter name`, checked against the network's parameter shapes.
private func restoreBuffers(prefix: String, from state: [String: Tensor],
                            for network: Network) throws(CheckpointError) -> [String: Tensor] {
    var out: [String: Tensor] = [:]
    for (key, tensor) in state where key.hasPrefix(prefix) {
        let name = String(key.dropFirst(prefix.count))
        guard let p = network.parameter(name) else { throw .unexpectedTensor(name: "optimizer.\(key)") }
        guard p.value.shape == tensor.shape else {
            throw .wrongShape(name: "optimizer.\(key)", expected: p.value.shape, found: tensor.shape)
        }
        out[name] = tensor
    }
    return out
}
