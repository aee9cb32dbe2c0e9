import SNN

/// A network with its training configuration. `paper-cifar10dvs` holds the paper's values (docs/OTTT.md): SGD lr 0.1,
/// momentum 0.9, no weight decay, cosine annealing over 300 epochs, batch 128, T = 10, OTTT_A. The small presets
/// are for live use; their training values are ours (not from the paper).
public struct Preset: Sendable {
    public var name: String
    public var network: NetworkSpec
    public var steps: Int
    public var batchSize: Int
    public var epochs: Int
    public var learningRate: Float
    public var momentum: Float
    public var weightDecay: Float
    public var rule: LearningRuleKind

    /// The preset called `name` (`paper-cifar10dvs`, `small32`, `small48`), or nil.
    public static func named(_ name: String) -> Preset? {
        guard let spec = NetworkSpec.preset(name) else { return nil }
        switch name {
        case "paper-cifar10dvs":
            return Preset(name: name, network: spec, steps: 10, batchSize: 128, epochs: 300, learningRate: 0.1,
                          momentum: 0.9, weightDecay: 0, rule: .otttA)
        default:
            return Preset(name: name, network: spec, steps: 10, batchSize: 16, epochs: 30, learningRate: 0.05,
                          momentum: 0.9, weightDecay: 0, rule: .otttA)
        }
    }

    /// A fresh SGD optimizer with the preset's values.
    public func makeOptimizer() -> SGD { SGD(learningRate: learningRate, momentum: momentum, weightDecay: weightDecay) }

    /// The preset's learning-rate schedule.
    public var schedule: CosineSchedule { CosineSchedule(baseLearningRate: learningRate, epochs: epochs) }
}
