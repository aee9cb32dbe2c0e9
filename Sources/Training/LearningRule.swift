import SNN
import Tensors

/// A way of turning a batch of sequences into parameter updates. Each rule is its own type: `OTTTA`, `OTTTO`,
/// `BPTT`; `LearningRuleKind` names them for flags and checkpoints.
public protocol LearningRule {
    /// Trains on one batch: `frames[t]` is step t [B, C, H, W], `labels` [B]. Resets the network's state first,
    /// runs the T steps, updates the parameters through `optimizer` as the rule says, and reports the loss and
    /// the predictions. `observe(t, o[t])` sees every step's output (valid only during the call).
    mutating func train(_ network: Network, frames: [Tensor], labels: [Int], optimizer: any Optimizer,
                        observe: (Int, Tensor) -> Void) -> BatchResult
}

extension LearningRule {
    /// `train` without an observer.
    public mutating func train(_ network: Network, frames: [Tensor], labels: [Int],
                               optimizer: any Optimizer) -> BatchResult {
        train(network, frames: frames, labels: labels, optimizer: optimizer, observe: { _, _ in })
    }
}

/// What one batch gave: Σ_t L[t], the per-step losses, and the argmax of Σ_t o[t] per sample.
public struct BatchResult: Sendable {
    public var loss: Float
    public var stepLosses: [Float]
    public var predictions: [Int]
    /// How many predictions equal the labels.
    public var correct: Int
}

/// The learning rules by name, for flags, training configurations and checkpoint metadata.
public enum LearningRuleKind: String, Sendable, CaseIterable, Codable {
    case otttA = "ottt-a", otttO = "ottt-o", bptt = "bptt"

    public init(from decoder: any Decoder) throws { self = try decodeNamed(decoder) }

    /// A fresh rule of this kind with the loss mix γ (the paper's 0.001 by default).
    public func make(gamma: Float = 0.001) -> any LearningRule {
        switch self {
        case .otttA: OTTTA(gamma: gamma)
        case .otttO: OTTTO(gamma: gamma)
        case .bptt: BPTT(gamma: gamma)
        }
    }
}

/// Evaluation: runs the T steps without gradients (dropout off) and returns the predictions and loss.
public func evaluate(_ network: Network, frames: [Tensor], labels: [Int], gamma: Float = 0.001,
                     observe: (Int, Tensor) -> Void = { _, _ in }) -> BatchResult {
    let b = labels.count
    network.reset(batchSize: b, mode: .none, training: false)
    let loss = StepLoss(gamma: gamma, steps: frames.count)
    let scratch = Tensor(shape: [b, network.spec.classes])
    let acc = OutputAccumulator(batch: b, classes: network.spec.classes)
    var losses: [Float] = []
    losses.reserveCapacity(frames.count)
    for (t, frame) in frames.enumerated() {
        let o = network.step(frame)
        observe(t, o)
        losses.append(loss.evaluate(o, labels: labels, gradient: scratch))
        acc.add(o)
    }
    return BatchResult(losses, acc, labels)
}

extension BatchResult {
    init(_ losses: [Float], _ acc: OutputAccumulator, _ labels: [Int]) {
        let predictions = acc.predictions
        self.init(loss: losses.reduce(0, +), stepLosses: losses, predictions: predictions,
                  correct: zip(predictions, labels).filter { $0 == $1 }.count)
    }
}
